/**
 * Complex values through cond, while_loop, fori_loop and scan carries and consts (regression:
 * their lowering raised "not implemented for complex operands"), jit vs eager and the wasm
 * device vs the js device; stacked complex scan xs/ys raise NotImplementedError naming that.
 * Also jnp.linalg.norm of complex values (regression: it summed x·x instead of |x|²).
 * References are exact small-integer complex arithmetic.
 */
import { describe, expect, it } from "vitest";
import { type Array, NotImplementedError, jit, lax, numpy as jnp } from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";

const c = (re: number[], im: number[]): Array =>
  lax.complex(jnp.array(re, "float32"), jnp.array(im, "float32"));
const pairs = (x: Array): number[] => globalThis.Array.from(x.toTypedArray() as Float32Array);

describe.each(["js", "wasm"])("complex loop carries on the %s device", (device) => {
  it("fori_loop (scan) with a complex carry and a complex const: z·iⁿ + k·w", () =>
    on(device, () => {
      const w = c([1, -2], [3, 0.5]);
      const f = (z: Array) =>
        lax.foriLoop(0, 5, (_i, acc: Array) => acc.mul(c([0], [1]).reshape([])).add(w), z);
      const z = c([2, 1], [0, -1]);
      // Exact: 5 steps of acc ← i·acc + w.
      let re = [2, 1];
      let im = [0, -1];
      for (let k = 0; k < 5; k++) {
        [re, im] = [
          re.map((r, j) => -im[j]! + [1, -2][j]!),
          im.map((_x, j) => re[j]! + [3, 0.5][j]!),
        ];
      }
      const want = re.flatMap((r, j) => [r, im[j]!]);
      expect(pairs(f(z))).toEqual(want);
      expect(pairs(jit(f)(z))).toEqual(want);
    }));

  it("while_loop with a traced bound and cond selecting complex branches", () =>
    on(device, () => {
      const f = (z: Array, n: Array) =>
        lax.whileLoop(
          ([k]: [Array, Array]) => k.lt(n),
          ([k, acc]: [Array, Array]): [Array, Array] => [
            k.add(1),
            lax.cond(
              k.mod(2).eq(0),
              (a: Array) => a.mul(2),
              (a: Array) => jnp.conj(a),
              acc,
            ),
          ],
          [jnp.int32(0), z] as [Array, Array],
        )[1];
      const z = c([1, 3], [1, -2]);
      // ×2, conj, ×2 → 4·conj(z).
      expect(pairs(jit(f)(z, jnp.int32(3)))).toEqual([4, -4, 12, 8]);
      expect(pairs(f(z, jnp.int32(3)))).toEqual([4, -4, 12, 8]);
    }));

  it("scan over complex xs is not implemented yet and says so", () =>
    on(device, () => {
      const xs = c([1, 2], [0, 1]);
      expect(() =>
        jit((x: Array) =>
          lax.scan((s: Array, v: Array) => [s.add(v), v] as const, jnp.complex64(0), x),
        )(xs),
      ).toThrow(new NotImplementedError("scan over complex xs or ys is not implemented yet"));
    }));
});

describe("jnp.linalg.norm of complex values", () => {
  it("vector and Frobenius norms use |x|²", () => {
    expect(pairs(jnp.linalg.norm(c([3, 0], [4, 1])))).toEqual([Math.fround(Math.sqrt(26))]);
    const m = c([1, 0, 2, 0], [0, 2, 0, 1]).reshape([2, 2]);
    expect(pairs(jnp.linalg.norm(m))).toEqual([Math.fround(Math.sqrt(10))]);
    expect(pairs(jnp.linalg.norm(m, { axis: 1 }))).toEqual([
      Math.fround(Math.sqrt(5)),
      Math.fround(Math.sqrt(5)),
    ]);
  });
});
