/**
 * Issue 16: a static out-of-bounds int reads the clamped element (a PROMISE_IN_BOUNDS gather),
 * so its gradient lands on that element too: the gather's transpose (a PROMISE_IN_BOUNDS
 * scatter-add) clamps the same way. Eager and under jit.
 */
import { describe, expect, it } from "vitest";
import { type Array, grad, jit, numpy as jnp } from "../../src/index.js";

describe("grad through clamped static indices", () => {
  const x = jnp.array([1, 2, 3], { dtype: "float32" });
  it("x.get(5) and x.get(-8) send the cotangent to the clamped element", () => {
    expect(x.get(5).item()).toBe(3);
    expect(grad((a: Array) => a.get(5))(x).tolist()).toEqual([0, 0, 1]);
    expect(grad((a: Array) => a.get(-8))(x).tolist()).toEqual([1, 0, 0]);
  });
  it("under jit", () => {
    expect(jit(grad((a: Array) => a.get(5)))(x).tolist()).toEqual([0, 0, 1]);
    expect(jit(grad((a: Array) => a.get(-8)))(x).tolist()).toEqual([1, 0, 0]);
    expect(grad(jit((a: Array) => a.get(5)))(x).tolist()).toEqual([0, 0, 1]);
  });
  it("2-d: a row out of bounds", () => {
    const m = jnp.ones([2, 3], "float32");
    expect(grad((a: Array) => a.get(4).sum())(m).tolist()).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
  });
  it("default updates still drop out-of-bounds indices", () => {
    expect(jnp.zeros([3]).at(5).add(1).tolist()).toEqual([0, 0, 0]);
  });
});
