/**
 * lax's convenience functions built from other primitives (more-wrappers.ts): values against
 * hand-computed numpy equivalents, jit vs eager, the jaxpr JAX stages for one of them, a
 * gradient check, and errors.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  ValueError,
  grad,
  jit,
  lax,
  makeJaxpr,
  numpy as jnp,
} from "../../src/index.js";

const x = jnp.arange(24).reshape([2, 3, 4]);

describe("lax convenience wrappers", () => {
  it("broadcast, broadcast_to_rank, broadcast_shapes, collapse", () => {
    expect(lax.broadcast(jnp.array([1, 2]), [3]).tolist()).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(lax.broadcastToRank(jnp.ones([3]), 3).shape).toEqual([1, 1, 3]);
    expect(lax.broadcastShapes([2, 1], [1, 3])).toEqual([2, 3]);
    expect(() => lax.broadcastShapes([2], [3])).toThrow(ValueError);
    expect(lax.collapse(x, 1).shape).toEqual([2, 12]);
    expect(lax.collapse(x, 0, 2).shape).toEqual([6, 4]);
  });
  it("slice_in_dim, index_in_dim and their dynamic forms", () => {
    expect(lax.sliceInDim(x, 1, 4, 2, 2).tolist()).toEqual(
      jnp.stack([x.get("...", 1), x.get("...", 3)], -1).tolist(),
    );
    expect(lax.indexInDim(x, -1, 1, false).tolist()).toEqual(x.get(":", 2).tolist());
    expect(lax.indexInDim(x, 0, 1).shape).toEqual([2, 1, 4]);
    const f = jit((a: Array, i: Array) => lax.dynamicSliceInDim(a, i, 2, 2));
    expect(f(x, jnp.array(1)).tolist()).toEqual(x.get("...", "1:3").tolist());
    expect(lax.dynamicIndexInDim(x, jnp.array(1), 0, false).tolist()).toEqual(x.get(1).tolist());
    const upd = lax.dynamicUpdateSliceInDim(jnp.zeros([4]), jnp.ones([2]), jnp.array(1), 0);
    expect(upd.tolist()).toEqual([0, 1, 1, 0]);
    const upd2 = lax.dynamicUpdateIndexInDim(jnp.zeros([2, 3]), jnp.array([7, 8], "float32"), 2, 1);
    expect(upd2.tolist()).toEqual([
      [0, 0, 7],
      [0, 0, 8],
    ]);
  });
  it("full_like, reciprocal, dot, batch_matmul", () => {
    const fl = lax.fullLike(jnp.ones([2], "int32"), 3, "float32");
    expect([fl.dtype.name, fl.tolist()]).toEqual(["float32", [3, 3]]);
    expect(lax.reciprocal(jnp.array([2, 4], "float32")).tolist()).toEqual([0.5, 0.25]);
    const a = jnp.array([
      [1, 2],
      [3, 4],
    ]);
    expect(lax.dot(a, jnp.array([1, 1])).tolist()).toEqual([3, 7]);
    expect(lax.dot(a, a).tolist()).toEqual([
      [7, 10],
      [15, 22],
    ]);
    const b = jnp.stack([a, a]);
    expect(lax.batchMatmul(b, b).tolist()).toEqual([
      [
        [7, 10],
        [15, 22],
      ],
      [
        [7, 10],
        [15, 22],
      ],
    ]);
    expect(() => lax.dot(jnp.ones([2, 2, 2]), a)).toThrow(TypeError);
    expect(() => lax.reciprocal(jnp.array([2]))).toThrow(/negative powers/);
  });
  it("sort_key_val, tile, stack, unstack", () => {
    const [k, v] = lax.sortKeyVal(jnp.array([3, 1, 2]), jnp.array([30, 10, 20]));
    expect([k.tolist(), v.tolist()]).toEqual([
      [1, 2, 3],
      [10, 20, 30],
    ]);
    expect(lax.tile(jnp.array([[1, 2]]), [2, 2]).tolist()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(lax.stack([jnp.array([1, 2]), jnp.array([3, 4])], 1).tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(
      lax
        .unstack(
          jnp.array([
            [1, 2],
            [3, 4],
          ]),
          1,
        )
        .map((t) => t.tolist()),
    ).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(lax.RoundingMethod.TO_NEAREST_EVEN).toBe(1);
  });
  it("reciprocal stages integer_pow as JAX's; gradient of dynamic_slice_in_dim", () => {
    const text = makeJaxpr((a: Array) => lax.reciprocal(a))(jnp.ones([2])).toString();
    expect(text).toBe("{ lambda ; a:f32[2]. let b:f32[2] = integer_pow[y=-1] a in (b,) }");
    const g = grad((a: Array) => jnp.sum(lax.dynamicSliceInDim(a, 1, 2, 0).mul(a.get("1:3"))))(
      jnp.array([1, 2, 3, 4], "float32"),
    );
    expect(g.tolist()).toEqual([0, 4, 6, 0]);
  });
});
