/**
 * Issue 16: grad of sort on size-0 arrays is zeros of the input shape (as JAX), not a gather
 * slice-size error: the sort JVP's permutation gather is skipped when there is nothing to take.
 */
import { describe, expect, it } from "vitest";
import { type Array, grad, jit, numpy as jnp } from "../../src/index.js";

describe("grad of sort on size-0 arrays", () => {
  const shapes: number[][] = [[0], [1, 0, 5], [0, 3], [3, 0]];
  const f = (x: Array) => jnp.sort(x).sum();
  for (const shape of shapes) {
    it(`shape [${shape.join(",")}], eager and under jit`, () => {
      const x = jnp.zeros(shape, "float32");
      for (const g of [grad(f)(x), jit(grad(f))(x)]) {
        expect(g.shape).toEqual(shape);
        expect(g.dtype.name).toBe("float32");
      }
      const y = jnp.zeros(shape, "float32");
      expect(grad((a: Array) => jnp.sort(a, 0).sum())(y).shape).toEqual(shape);
    });
  }
  it("non-empty sort still permutes the tangent", () => {
    const x = jnp.array([3, 1, 2], { dtype: "float32" });
    expect(grad((a: Array) => jnp.sort(a).get(0))(x).tolist()).toEqual([0, 1, 0]);
  });
});
