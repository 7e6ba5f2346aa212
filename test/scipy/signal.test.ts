/**
 * scipy.signal.convolve / correlate / convolve2d / correlate2d against scipy (fixtures from
 * test/fixtures/make_conv.py): 1-D, 2-D, 3-D, all modes, either input larger; both devices;
 * gradients flow; errors as JAX's (boundary other than 'fill' is NotImplementedError).
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  ValueError,
  grad,
  numpy as jnp,
  scipy,
} from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";
import { convFixtures, expectFixture } from "../fixtures/conv-fixtures.js";

const cases = convFixtures.filter((c) => c.ns === "signal");
type Fn = "convolve" | "correlate" | "convolve2d" | "correlate2d";

describe("scipy.signal convolutions vs scipy", () => {
  for (const device of ["js", "wasm"]) {
    it(`${cases.length} cases on ${device}`, () => {
      on(device, () => {
        for (const c of cases) {
          const f = scipy.signal[c.fn as Fn];
          const a = jnp.asarray(Float32Array.from(c.a)).reshape(c.a_shape);
          const b = jnp.asarray(Float32Array.from(c.b)).reshape(c.b_shape);
          expectFixture(f(a, b, c.mode), c);
        }
      });
    });
  }

  it("names, gradients and errors", () => {
    expect(scipy.signal.convolve2d.name).toBe("convolve2d");
    const k = jnp.asarray(
      [
        [1, 2],
        [3, 4],
      ],
      "float32",
    );
    const g = grad((x: Array) => scipy.signal.convolve2d(x, k, "valid").sum())(jnp.ones([3, 3]));
    // Convolution flips the kernel: x[0, 0] meets only k[1, 1] = 4 (scipy: the same sums).
    expect(g.tolist()).toEqual([
      [4, 7, 3],
      [6, 10, 4],
      [2, 3, 1],
    ]);
    expect(() => scipy.signal.convolve2d(k, k, "full", { boundary: "wrap" })).toThrow(
      NotImplementedError,
    );
    expect(() => scipy.signal.correlate2d(k, k, "full", { fillvalue: 1 })).toThrow(
      "correlate2d() only supports boundary='fill', fillvalue=0",
    );
    expect(() => scipy.signal.convolve2d(jnp.ones([3]), jnp.ones([2]))).toThrow(
      "convolve2d() only supports 2-dimensional inputs.",
    );
    expect(() => scipy.signal.convolve(jnp.ones([3, 1]), jnp.ones([1, 3]))).toThrow(
      "One input must be smaller than the other in every dimension.",
    );
    expect(() => scipy.signal.convolve(jnp.ones([3]), jnp.ones([1, 3]))).toThrow(ValueError);
    expect(() =>
      scipy.signal.convolve(jnp.ones([3]), jnp.ones([2]), "full", { method: "fft" }),
    ).toThrow(NotImplementedError);
  });
});
