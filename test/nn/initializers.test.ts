/**
 * nn.initializers. Known values: the docstring examples in JAX's jax/_src/nn/initializers.py
 * (key PRNGKey(42), shape (2, 3), float32), produced with the original Threefry layout, so they
 * run under `withThreefryPartitionable(false)`; tolerance as JAX's assertAllClose (1e-6).
 */
import { describe, it, expect } from "vitest";
import { nn, random } from "../../src/index.js";
import type { Array } from "../../src/index.js";

const init = nn.initializers;
const flat = (x: Array) => (x as unknown as { tolist(): number[][] }).tolist().flat() as number[];
const close = (x: Array, e: number[][], rtol = 1e-6) =>
  flat(x).forEach((v, i) =>
    expect(Math.abs(v - e.flat()[i]!)).toBeLessThanOrEqual(1e-6 + rtol * Math.abs(e.flat()[i]!)),
  );

describe("initializer docstring values (original layout)", () => {
  const k = random.PRNGKey(42);
  const run = (f: () => void) => random.withThreefryPartitionable(false, f);
  it("normal(5)", () =>
    run(() =>
      close(init.normal(5.0)(k, [2, 3], "float32"), [
        [3.0613258, 5.6129413, 5.6866574],
        [-4.063663, -4.4520254, 0.63115686],
      ]),
    ));
  it("uniform(10)", () =>
    run(() =>
      close(init.uniform(10.0)(k, [2, 3], "float32"), [
        [7.298188, 8.691938, 8.7230015],
        [2.0818567, 1.8662417, 5.5022564],
      ]),
    ));
  it("truncatedNormal(5)", () =>
    run(() =>
      close(init.truncatedNormal(5.0)(k, [2, 3], "float32"), [
        [2.9047365, 5.2338114, 5.29852],
        [-3.836303, -4.192359, 0.6022964],
      ]),
    ));
  it("glorotUniform", () =>
    run(() =>
      close(init.glorotUniform()(k, [2, 3], "float32"), [
        [0.50350785, 0.8088631, 0.81566876],
        [-0.6393332, -0.6865721, 0.11003882],
      ]),
    ));
  it("glorotNormal", () =>
    run(() =>
      close(init.glorotNormal()(k, [2, 3], "float32"), [
        [0.41770416, 0.75262755, 0.7619329],
        [-0.5516644, -0.6028657, 0.08661086],
      ]),
    ));
  it("zeros, ones, constant", () => {
    expect((init.zeros(k, [2, 3], "float32") as unknown as { tolist(): unknown }).tolist()).toEqual(
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
    );
    expect((init.ones(k, [3, 2]) as unknown as { tolist(): unknown }).tolist()).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(
      (init.constant(-7)(k, [2, 3], "float32") as unknown as { tolist(): unknown }).tolist(),
    ).toEqual([
      [-7, -7, -7],
      [-7, -7, -7],
    ]);
  });
});

describe("variance scaling", () => {
  const key = random.key(3);
  const stats = (x: Array): [number, number, number] => {
    const v = flat(x);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return [m, v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length, Math.max(...v.map(Math.abs))];
  };
  // 400·250 = 1e5 samples: the variance estimate is within ~2% (6 standard errors).
  const shape = [400, 250];
  const cases: [string, nn.initializers.Initializer, number, number | null][] = [
    // name, initializer, target variance, bound on |x| (null: none)
    ["glorotUniform", init.glorotUniform(), 2 / 650, Math.sqrt(6 / 650)],
    [
      "glorotNormal (truncated, corrected)",
      init.glorotNormal(),
      2 / 650,
      (2 * Math.sqrt(2 / 650)) / 0.87962566103423978,
    ],
    ["heUniform", init.heUniform(), 2 / 400, Math.sqrt(6 / 400)],
    [
      "heNormal (truncated, corrected)",
      init.heNormal(),
      2 / 400,
      (2 * Math.sqrt(2 / 400)) / 0.87962566103423978,
    ],
    ["lecunUniform", init.lecunUniform(), 1 / 400, Math.sqrt(3 / 400)],
    [
      "lecunNormal (truncated, corrected)",
      init.lecunNormal(),
      1 / 400,
      (2 * Math.sqrt(1 / 400)) / 0.87962566103423978,
    ],
    [
      "varianceScaling normal (untruncated)",
      init.varianceScaling(1, "fan_out", "normal"),
      1 / 250,
      null,
    ],
  ];
  for (const [name, f, variance, bound] of cases) {
    it(name, () => {
      const [m, v, maxAbs] = stats(f(key, shape));
      expect(Math.abs(m)).toBeLessThan(6 * Math.sqrt(variance / 1e5));
      expect(Math.abs(v / variance - 1)).toBeLessThan(0.02);
      if (bound !== null) expect(maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-6));
    });
  }
  it("fans over receptive fields, custom axes and batch axes", () => {
    expect(init.computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(init.computeFans([8, 4, 5], 1, 2, 0)).toEqual([4, 5]);
    expect(init.computeFans([2, 3, 4], [0, 1], -1)).toEqual([6, 4]);
  });
  it("dtype and errors", () => {
    expect(init.heNormal({ dtype: "float16" })(key, [4, 4]).dtype.name).toBe("float16");
    expect(init.heNormal()(key, [4, 4], "float32").dtype.name).toBe("float32");
    expect(() => init.glorotUniform()(key, [5])).toThrow(/at least 2D/);
    expect(() => init.varianceScaling(1, "fan_sideways" as never, "normal")).toThrow(
      /invalid mode/,
    );
    expect(() => init.varianceScaling(1, "fan_in", "cauchy" as never)).toThrow(
      /invalid distribution/,
    );
  });
});
