// The CNN example (examples/cnn-digits.ts) on its shipped data: the dataset loads as scikit-learn's
// load_digits does, and three epochs of training reach a stated test accuracy (the run is
// deterministic: exact random keys, fixed batches; 91.1% on the js and wasm devices when written).
import { describe, expect, it } from "vitest";
import { loadDigits, predict, train } from "../../examples/cnn-digits.js";

describe("examples/cnn-digits", () => {
  it("loads the 1,797 digits with scikit-learn's class counts and pixel range", () => {
    const { images, labels } = loadDigits();
    expect(images.shape).toEqual([1797, 8, 8, 1]);
    expect(String(images.dtype)).toBe("float32");
    const counts = new Array<number>(10).fill(0);
    for (const label of labels.tolist() as number[]) counts[label]!++;
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(images.min().itemNumber()).toBe(0);
    expect(images.max().itemNumber()).toBe(1);
  });

  it("trains to ≥ 88% test accuracy in three epochs, the loss falling each epoch", () => {
    const { params, losses, testAccuracy, test } = train(3);
    expect(losses[1]!).toBeLessThan(losses[0]!);
    expect(losses[2]!).toBeLessThan(losses[1]!);
    expect(testAccuracy[2]!).toBeGreaterThanOrEqual(0.88);
    expect(predict(params, test.x).shape).toEqual([450, 10]);
  }, 60_000);
});
