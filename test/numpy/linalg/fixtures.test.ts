/**
 * jnp.linalg against numpy references (test/fixtures/make_linalg.py → linalg.json): det,
 * slogdet, inv, solve, cholesky, matrix_power, norms, cross, multi_dot, tensorinv of fixed
 * random matrices, in float64 (x64; rtol 1e-10 relative to the condition-scaled size) and
 * float32 (rtol 2e-4). Also promotion, batching and the array-API helpers.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, numpy as jnp } from "../../../src/index.js";
import { expectClose, vals } from "../../transforms/ad-helpers.js";

interface Case {
  n: number;
  a: number[][];
  spd: number[][];
  b: number[];
  bm: number[][];
  det: number;
  sign: number;
  logabsdet: number;
  inv: number[][];
  solve: number[];
  solve_m: number[][];
  cholesky: number[][];
  norm_fro: number;
  norm_1: number;
  norm_inf: number;
  matrix_power_3: number[][];
  matrix_power_m2: number[][];
}
const fx = JSON.parse(
  readFileSync(new URL("../../fixtures/linalg.json", import.meta.url), "utf8"),
) as { cases: Case[]; vectors: Record<string, unknown> };
const flat = (x: unknown): number[] => (globalThis.Array.isArray(x) ? x.flat(4) : [x]) as number[];

describe.each([
  ["float64", 1e-10],
  ["float32", 2e-4],
] as const)("jnp.linalg vs numpy (%s)", (dt, rtol) => {
  beforeAll(() => config.update("jax_enable_x64", dt === "float64"));
  afterAll(() => config.update("jax_enable_x64", false));
  const arr = (x: unknown): Array => jnp.array(x as number[], dt);
  const check = (got: Array, want: unknown, what: string, scale = 1) => {
    expect(got.dtype.name).toBe(dt);
    const w = flat(want);
    const atol = rtol * scale * Math.max(1, ...w.map(Math.abs));
    expectClose(vals(got), w, rtol, atol, what);
  };

  it.each(fx.cases.map((c) => [c.n, c] as const))("n=%i", (n, c) => {
    const a = arr(c.a);
    const k = n * 10;
    check(jnp.linalg.det(a), c.det, "det", k);
    const sl = jnp.linalg.slogdet(a);
    check(sl.sign, c.sign, "sign");
    check(sl.logabsdet, c.logabsdet, "logabsdet", k);
    const [s2, l2] = sl;
    expect(vals(s2!)).toEqual(vals(sl.sign));
    expect(vals(l2!)).toEqual(vals(sl.logabsdet));
    check(jnp.linalg.inv(a), c.inv, "inv", k * 10);
    check(jnp.linalg.solve(a, arr(c.b)), c.solve, "solve", k * 10);
    check(jnp.linalg.solve(a, arr(c.bm)), c.solve_m, "solve matrix", k * 10);
    check(jnp.linalg.cholesky(arr(c.spd)), c.cholesky, "cholesky", k);
    check(
      jnp.linalg.cholesky(arr(c.spd), { upper: true }),
      jnp.array(c.cholesky).transpose().tolist(),
      "upper",
    );
    check(jnp.linalg.norm(a), c.norm_fro, "fro");
    check(jnp.linalg.norm(a, { ord: 1 }), c.norm_1, "1");
    check(jnp.linalg.norm(a, { ord: Infinity }), c.norm_inf, "inf");
    check(jnp.linalg.matrixNorm(a), c.norm_fro, "matrix_norm");
    check(jnp.linalg.matrixPower(a, 3), c.matrix_power_3, "power 3", k);
    check(jnp.linalg.matrixPower(a, -2), c.matrix_power_m2, "power -2", k * 100);
  });

  it("batched inputs equal the per-matrix results", () => {
    const cs = fx.cases.filter((c) => c.n === 4);
    const c = cs[0]!;
    const a = jnp.stack([arr(c.a), arr(c.spd)]);
    const det = vals(jnp.linalg.det(a));
    expectClose(det, [c.det, vals(jnp.linalg.det(arr(c.spd)))[0]!], rtol * 100, 0, "batched det");
    const x = jnp.linalg.solve(a, jnp.stack([arr(c.bm), arr(c.bm)]));
    check(x.get(0), c.solve_m, "batched solve", 100);
    // b broadcast against a batch of a.
    check(jnp.linalg.solve(a, arr(c.bm)).get(0), c.solve_m, "broadcast solve", 100);
    check(jnp.linalg.inv(a).get(0), c.inv, "batched inv", 100);
  });

  it("vector norms, cross, multi_dot, tensorinv", () => {
    const v = fx.vectors;
    const x = arr(v["v"]);
    check(jnp.linalg.norm(x, { axis: -1 }), v["norm2"], "norm2");
    check(jnp.linalg.vectorNorm(x, { axis: -1, ord: 1 }), v["norm1"], "norm1");
    check(jnp.linalg.norm(x, { axis: -1, ord: Infinity }), v["norminf"], "norminf");
    check(jnp.linalg.norm(x, { axis: -1, ord: 3 }), v["norm3"], "norm3");
    check(jnp.linalg.norm(x, { axis: -1, ord: 0 }), v["norm0"], "norm0");
    check(jnp.linalg.cross(arr(v["x3"]), arr(v["y3"])), v["cross"], "cross");
    const chain = (v["chain"] as number[][][]).map((m) => arr(m));
    check(jnp.linalg.multiDot(chain), v["multi_dot"], "multi_dot");
    const ti = jnp.linalg.tensorinv(arr(v["tensorinv_in"]), 1);
    expect(ti.shape).toEqual([2, 3, 6]);
    check(ti, v["tensorinv"], "tensorinv", 100);
  });
});

describe("jnp.linalg helpers and promotion", () => {
  it("integer inputs promote to the default float", () => {
    const a = jnp.array([
      [2, 1],
      [1, 3],
    ]);
    expect(jnp.linalg.det(a).dtype.name).toBe("float32");
    expect(jnp.linalg.inv(a).dtype.name).toBe("float32");
    expect(jnp.linalg.cholesky(a).dtype.name).toBe("float32");
    expect(jnp.linalg.solve(a, [1, 2]).dtype.name).toBe("float32");
    expect(vals(jnp.linalg.det(a))).toEqual([5]);
  });
  it("matrix_transpose, diagonal, trace, outer, vecdot, tensordot, matmul, tensorsolve", () => {
    const x = jnp.arange(12).reshape([2, 2, 3]);
    expect(jnp.linalg.matrixTranspose(x).shape).toEqual([2, 3, 2]);
    expect(jnp.linalg.diagonal(x).tolist()).toEqual([
      [0, 4],
      [6, 10],
    ]);
    expect(jnp.linalg.diagonal(x, { offset: 1 }).tolist()).toEqual([
      [1, 5],
      [7, 11],
    ]);
    expect(jnp.linalg.trace(x).tolist()).toEqual([4, 16]);
    expect(jnp.linalg.outer([1, 2], [3, 4, 5]).tolist()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(jnp.linalg.vecdot(jnp.array([[1, 2, 3]]), jnp.array([1, 1, 1])).tolist()).toEqual([6]);
    expect(jnp.linalg.tensordot(jnp.ones([2, 3]), jnp.ones([3, 4]), 1).shape).toEqual([2, 4]);
    expect(jnp.linalg.matmul(jnp.ones([5, 2, 3]), jnp.ones([3, 4])).shape).toEqual([5, 2, 4]);
    const a = jnp.eye(6).mul(2).reshape([2, 3, 6]);
    const xs = jnp.linalg.tensorsolve(a, jnp.ones([2, 3]));
    expect(xs.shape).toEqual([6]);
    expect(vals(xs)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(jnp.linalg.matrixPower(jnp.eye(2), 0).tolist()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(jnp.linalg.det.name).toBe("det");
    expect(jnp.linalg.matrixPower.name).toBe("matrix_power");
  });
  it("errors", () => {
    expect(() => jnp.linalg.outer(jnp.ones([2, 2]), [1])).toThrow(
      "Input arrays must be one-dimensional, but they are x1.ndim=2 and x2.ndim=1",
    );
    expect(() => jnp.linalg.cross([1, 2], [3, 4])).toThrow(
      "Both input arrays must be (arrays of) 3-dimensional vectors, but they have x1.shape[axis]=2 and x2.shape[axis]=2",
    );
    expect(() => jnp.linalg.matrixPower(jnp.ones([2, 3]), 2)).toThrow(
      "Last 2 dimensions of the array must be square",
    );
    expect(() => jnp.linalg.solve(jnp.ones([2, 3, 3]), jnp.ones([2, 3]))).toThrow(
      "Invalid shapes for solve: (2, 3, 3), (2, 3).",
    );
  });
});
