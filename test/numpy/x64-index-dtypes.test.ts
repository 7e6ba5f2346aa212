/**
 * Issue 16: with enableX64, int32 and int64 index arrays work on every index path (gather,
 * scatter, take, takeAlongAxis, dynamic slices, diagonal, argsort results as indices): weak
 * int64 literals take the index's dtype instead of failing dtype checks. Eager and under jit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, grad, jit, lax, numpy as jnp, vmap } from "../../src/index.js";

/** The options the typed IndexUpdater interface leaves out. */
type WithOptions = { get(o: object): Array; set(v: number, o: object): Array };

describe("index dtypes under enableX64", () => {
  beforeAll(() => config.update("enableX64", true));
  afterAll(() => config.update("enableX64", false));
  // Values as plain numbers (int64 lists come back as bigints).
  const num = (a: Array): unknown =>
    JSON.parse(JSON.stringify(a.tolist(), (_, v) => (typeof v === "bigint" ? Number(v) : v)));
  const both = (f: (x: Array, i: Array) => Array, x: Array, i: Array): unknown[] => [
    num(f(x, i)),
    num(jit(f)(x, i)),
  ];
  for (const dtype of ["int32", "int64", "int16"] as const) {
    describe(dtype, () => {
      // Built once enableX64 is on.
      let x: Array, i: Array;
      beforeAll(() => {
        x = jnp.arange(5);
        i = jnp.array([1, -2], { dtype });
      });
      it("gather: x.get(idx)", () => {
        for (const v of both((a, b) => a.get(b), x, i)) expect(v).toEqual([1, 3]);
      });
      it("scatter: x.at(idx).set / add", () => {
        const z = jnp.zeros([5]);
        const want = [0, 1, 0, 1, 0];
        for (const v of both((a, b) => a.at(b).set(1), z, i)) expect(v).toEqual(want);
        for (const v of both((a, b) => a.at(b).add(1), z, i)) expect(v).toEqual(want);
      });
      it("take and takeAlongAxis", () => {
        const j = jnp.array([1, 3], { dtype });
        for (const v of both((a, b) => jnp.take(a, b), x, j)) expect(v).toEqual([1, 3]);
        for (const v of both((a, b) => jnp.takeAlongAxis(a, b, 0), x, j)) expect(v).toEqual([1, 3]);
      });
      it("dynamic slice with a scalar index", () => {
        const s = jnp.array(2, { dtype });
        for (const v of both((a, b) => a.get(b), x, s)) expect(v).toEqual(2);
        for (const v of both((a, b) => lax.dynamicSlice(a, [b], [2]), x, s))
          expect(v).toEqual([2, 3]);
        for (const v of both((a, b) => lax.dynamicUpdateSlice(a, jnp.array([9]), [b]), x, s))
          expect(v).toEqual([0, 1, 9, 3, 4]);
      });
    });
  }
  it("negative traced scalars, modes and 2-d indices, int32 and int64", () => {
    for (const dtype of ["int32", "int64"] as const) {
      const x = jnp.arange(6).reshape(2, 3);
      const s = jnp.array(-1, { dtype });
      const f = (a: Array, b: Array) => a.get(b, b);
      expect(num(f(x, s))).toBe(5);
      expect(num(jit(f)(x, s))).toBe(5);
      const g = (a: Array, b: Array) => a.at(b).set(7);
      expect(num(jit(g)(x, s))).toEqual([
        [0, 1, 2],
        [7, 7, 7],
      ]);
      const j = jnp.array([-1, 0, 5], { dtype });
      for (const mode of ["clip", "wrap", "fill"] as const) {
        const t = (a: Array, b: Array) => jnp.take(a, b, 1, { mode });
        expect(num(jit(t)(x, j))).toEqual(num(t(x, j)));
      }
      const at = (a: Array, b: Array) =>
        (a.at(b) as unknown as WithOptions).get({ mode: "fill", fillValue: -1 });
      expect(num(jit(at)(jnp.arange(3), j))).toEqual([2, 0, -1]);
      const k = jnp.array([[-1], [0]], { dtype });
      expect(num(jnp.takeAlongAxis(x, k, 1))).toEqual([[2], [3]]);
      expect(num(jit((a: Array, b: Array) => jnp.takeAlongAxis(a, b, 1))(x, k))).toEqual([
        [2],
        [3],
      ]);
    }
  });
  it("masks, mixed slices, vmap, grad, clip-mode updates and dynamic_slice starts", () => {
    const x = jnp.arange(6).reshape(2, 3);
    const i32 = jnp.array([2, -3], { dtype: "int32" });
    expect(num(x.get(":", i32))).toEqual([
      [2, 0],
      [5, 3],
    ]);
    expect(num(jit((a: Array, b: Array) => a.get("1:", b))(x, i32))).toEqual([[5, 3]]);
    expect(num(x.get(jnp.greater(x, 3)))).toEqual([4, 5]);
    expect(num(x.at(jnp.greater(x, 3)).set(0))).toEqual([
      [0, 1, 2],
      [3, 0, 0],
    ]);
    const rows = vmap((r: Array, b: Array) => r.get(b))(x, jnp.array([0, -1], { dtype: "int32" }));
    expect(num(rows)).toEqual([0, 5]);
    const f = jnp.arange(3, "float64");
    const g = grad((a: Array) => a.get(i32).sum())(f);
    expect(num(g)).toEqual([1, 0, 1]);
    expect(num(jit(grad((a: Array) => a.get(i32).sum()))(f))).toEqual([1, 0, 1]);
    const c = jnp.array([1, 7], { dtype: "int32" });
    expect(num((jnp.zeros([3]).at(c) as unknown as WithOptions).set(1, { mode: "clip" }))).toEqual([
      0, 1, 1,
    ]);
    const ds = (a: Array, p: Array, q: Array) => lax.dynamicSlice(a, [p, q], [1, 2]);
    const p32 = jnp.array(1, { dtype: "int32" });
    expect(num(ds(x, p32, p32))).toEqual([[4, 5]]);
    expect(num(jit(ds)(x, p32, p32))).toEqual([[4, 5]]);
    const q64 = jnp.array(1, { dtype: "int64" });
    expect(num(jit(ds)(x, q64, q64))).toEqual([[4, 5]]);
  });
  it("uint8 indices", () => {
    const u = jnp.array([1, 3], { dtype: "uint8" });
    expect(num(jnp.arange(5).get(u))).toEqual([1, 3]);
    expect(num(jnp.zeros([5]).at(u).set(1))).toEqual([0, 1, 0, 1, 0]);
    expect(num(jit((a: Array, b: Array) => jnp.take(a, b))(jnp.arange(5), u))).toEqual([1, 3]);
  });
  it("the issue's cases", () => {
    expect(num(jnp.arange(5).get(jnp.array([1, 2], { dtype: "int32" })))).toEqual([1, 2]);
    expect(num(jnp.diagonal(jnp.eye(3)))).toEqual([1, 1, 1]);
    expect(num(jit((a: Array) => jnp.diagonal(a, 1))(jnp.eye(3)))).toEqual([0, 0]);
  });
  it("argsort results as indices", () => {
    const x = jnp.array([3, 1, 2]);
    const p = jnp.argsort(x);
    expect(num(x.get(p))).toEqual([1, 2, 3]);
    expect(num(jnp.takeAlongAxis(x, p, 0))).toEqual([1, 2, 3]);
    expect(num(jit((a: Array) => a.get(jnp.argsort(a)))(x))).toEqual([1, 2, 3]);
  });
});
