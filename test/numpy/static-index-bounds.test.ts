/**
 * Static out-of-bounds integer indices follow JAX, like index arrays: reads clamp
 * (`jnp.arange(10)[11]` is 9, `[-11]` is 0 after the negative wrap), updates are dropped.
 */
import { describe, expect, it } from "vitest";
import { type Array, IndexError, jit, makeJaxpr, numpy as jnp } from "../../src/index.js";

describe("static out-of-bounds ints", () => {
  it("reads clamp, eagerly and under jit", () => {
    const x = jnp.arange(10);
    expect(x.get(11).item()).toBe(9);
    expect(x.get(-11).item()).toBe(0);
    expect(jit((a: Array) => a.get(11))(x).item()).toBe(9);
    const m = jnp.arange(6).reshape(2, 3);
    expect(m.get(5).tolist()).toEqual([3, 4, 5]);
    expect(m.get(":", 3).tolist()).toEqual([2, 5]);
    expect(m.get("...", 7).tolist()).toEqual([2, 5]);
    expect(m.get(1, -9).item()).toBe(3);
    // as an index array does
    expect(x.get(jnp.array([11])).tolist()).toEqual([9]);
  });

  it("stages a gather (the index is not valid for a static slice)", () => {
    expect(makeJaxpr((a: Array) => a.get(5))(jnp.arange(3)).toString()).toBe(
      [
        "{ lambda ; a:i32[3]. let",
        "    b:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,)] 5",
        "    c:i32[] = gather[",
        "      dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,))",
        "      fill_value=None",
        "      indices_are_sorted=True",
        "      mode=GatherScatterMode.PROMISE_IN_BOUNDS",
        "      slice_sizes=(1,)",
        "      unique_indices=True",
        "    ] a b",
        "  in (c,) }",
      ].join("\n"),
    );
  });

  it("updates are dropped; mode='fill' reads give the fill value", () => {
    expect(jnp.zeros([3]).at(5).set(1).tolist()).toEqual([0, 0, 0]);
    expect(jnp.zeros([3]).at(-4).set(1).tolist()).toEqual([0, 0, 0]);
    expect(jnp.zeros([3]).at(5).add(1).tolist()).toEqual([0, 0, 0]);
    expect(jnp.zeros([3]).at(-1).set(1).tolist()).toEqual([0, 0, 1]);
    const at5 = jnp.arange(3).at(5) as unknown as { get(o: object): Array };
    expect(at5.get({ mode: "fill", fillValue: -1 }).item()).toBe(-1);
  });

  it("an axis of size 0 still raises IndexError (as JAX)", () => {
    expect(() => jnp.zeros([0]).get(0)).toThrow(IndexError);
    expect(() => jnp.zeros([0]).get(0)).toThrow("index is out of bounds for axis 0 with size 0");
  });
});
