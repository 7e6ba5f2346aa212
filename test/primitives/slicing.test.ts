import { describe, expect, it } from "vitest";
import { type Array, jit, lax, makeJaxpr, numpy as jnp } from "../../src/index.js";
import { UndefinedPrimal, Zero } from "../../src/trace/primitive.js";
import * as P from "../../src/primitives/index.js";
import { batchRuleOf, jvpRuleOf, transposeRuleOf } from "../../src/primitives/define.js";

const list = (a: Array) => (a as unknown as { tolist(): unknown }).tolist();
const i32 = (v: number) => jnp.asarray(v, "int32");

describe("dynamic_slice", () => {
  const x = jnp.arange(12).reshape(3, 4);

  it("slices at dynamic starts and clamps them so the slice fits (XLA)", () => {
    expect(list(lax.dynamicSlice(x, [i32(1), i32(1)], [2, 3]))).toEqual([
      [5, 6, 7],
      [9, 10, 11],
    ]);
    expect(list(lax.dynamicSlice(x, [i32(1), i32(1)], [2, 4]))).toEqual([
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(list(lax.dynamicSlice(x, [i32(-5), i32(9)], [1, 2]))).toEqual([[2, 3]]);
  });

  it("prints JAX's jaxpr and agrees under jit", () => {
    // A traced start counts from the end when negative (JAX's allow_negative_indices=True).
    const f = (a: Array, i: Array) => lax.dynamicSlice(a, [i, 0], [2, 2]);
    expect(makeJaxpr(f)(x, i32(1)).toString()).toBe(
      "{ lambda ; a:i32[3,4] b:i32[]. let\n    c:bool[] = lt b 0\n    d:i32[] = add b 3\n" +
        "    e:i32[] = select_n c b d\n    f:i32[2,2] = dynamic_slice[slice_sizes=(2, 2)] a e 0\n" +
        "  in (f,) }",
    );
    for (const i of [0, 1, 2, 7, -3]) expect(list(jit(f)(x, i32(i)))).toEqual(list(f(x, i32(i))));
  });

  it("rejects bad starts with JAX's messages", () => {
    expect(() => lax.dynamicSlice(x, [i32(0)], [1, 1])).toThrow(
      /dynamic_slice start_indices must have length equal to the number of dimensions/,
    );
    expect(() => lax.dynamicSlice(x, [i32(0), jnp.asarray(0.5)], [1, 1])).toThrow(
      "index arguments to dynamic_slice must be integers of the same type, got: int32, float32",
    );
    expect(() => lax.dynamicSlice(x, [i32(0), i32(0)], [4, 1])).toThrow(
      /slice slice_sizes must be less than or equal to operand shape/,
    );
  });

  it("has a JVP (the same slice of the tangent) and a transpose (an update of zeros)", () => {
    const xf = jnp.arange(5).astype("float32");
    const [[out], [t]] = jvpRuleOf(P.dynamicSliceP)!(
      [xf, i32(3)],
      [jnp.ones([5]), new Zero(i32(0).aval)],
      { slice_sizes: [2] },
    );
    expect(list(out!)).toEqual([3, 4]);
    expect(list(t as Array)).toEqual([1, 1]);
    const [ct] = transposeRuleOf(P.dynamicSliceP)!(
      [jnp.asarray([5, 6], "float32")],
      [new UndefinedPrimal(xf.aval), i32(1)],
      { slice_sizes: [2] },
    );
    expect(list(ct as Array)).toEqual([0, 5, 6, 0, 0]);
  });

  it("batches into a gather when the starts are batched", () => {
    const xf = jnp.arange(6).astype("float32");
    const [[out], [d]] = batchRuleOf(P.dynamicSliceP)!(
      [xf, jnp.asarray([0, 3, 5])],
      [null, 0],
      { slice_sizes: [2] },
      3,
    );
    expect(d).toBe(0);
    expect(list(out!)).toEqual([
      [0, 1],
      [3, 4],
      [4, 5],
    ]);
  });
});

describe("dynamic_update_slice", () => {
  it("writes the update at clamped starts", () => {
    const x = jnp.zeros([6]);
    const y = jnp.ones([3]);
    expect(list(lax.dynamicUpdateSlice(x, y, [i32(2)]))).toEqual([0, 0, 1, 1, 1, 0]);
    expect(list(lax.dynamicUpdateSlice(x, y, [i32(5)]))).toEqual([0, 0, 0, 1, 1, 1]);
    const z = lax.dynamicUpdateSlice(jnp.zeros([4, 4]), jnp.ones([2, 2]), [i32(1), i32(2)]);
    expect(list(z)).toEqual([
      [0, 0, 0, 0],
      [0, 0, 1, 1],
      [0, 0, 1, 1],
      [0, 0, 0, 0],
    ]);
  });

  it("agrees under jit and checks shapes", () => {
    const f = (x: Array, u: Array, i: Array) => lax.dynamicUpdateSlice(x, u, [i, i32(1)]).mul(2);
    const x = jnp.arange(12).reshape(3, 4).astype("float32");
    const u = jnp.full([2, 2], -1, "float32");
    for (const i of [0, 2, -1]) expect(list(jit(f)(x, u, i32(i)))).toEqual(list(f(x, u, i32(i))));
    expect(() => lax.dynamicUpdateSlice(x, jnp.ones([5]), [i32(0), i32(0)])).toThrow(
      /update must have the same rank as operand/,
    );
    expect(() => lax.dynamicUpdateSlice(x, jnp.ones([4, 1]), [i32(0), i32(0)])).toThrow(
      /update shape must be smaller than operand shape/,
    );
  });
});
