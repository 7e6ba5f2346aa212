import { describe, expect, it } from "vitest";
import { type Array, IndexError, jit, makeJaxpr, numpy as jnp } from "../../src/index.js";

const list = (a: Array) => (a as unknown as { tolist(): unknown }).tolist();
// Expected values computed with numpy 2.x.
const x = jnp.arange(24).reshape(2, 3, 4).astype("float32");

describe("advanced indexing (gather)", () => {
  it("places advanced-index dims as numpy does", () => {
    expect(list(x.get(":", [2, 0]))).toEqual([
      [
        [8, 9, 10, 11],
        [0, 1, 2, 3],
      ],
      [
        [20, 21, 22, 23],
        [12, 13, 14, 15],
      ],
    ]);
    // non-adjacent advanced indices: their dims go first
    expect(list(x.get([1, 0], ":", [3, 1]))).toEqual([
      [15, 19, 23],
      [1, 5, 9],
    ]);
    expect(list(x.get(0, ":", [1, 2]))).toEqual([
      [1, 5, 9],
      [2, 6, 10],
    ]);
    const d = x.get("...", [[0], [3]]);
    expect(d.shape).toEqual([2, 3, 2, 1]);
    expect(list(d)).toEqual([
      [
        [[0], [3]],
        [[4], [7]],
        [[8], [11]],
      ],
      [
        [[12], [15]],
        [[16], [19]],
        [[20], [23]],
      ],
    ]);
    expect(list(x.get(1, [0, 2], "1:3"))).toEqual([
      [13, 14],
      [21, 22],
    ]);
    const f = x.get(null, [1], 1);
    expect(f.shape).toEqual([1, 1, 4]);
    expect(list(f)).toEqual([[[16, 17, 18, 19]]]);
    expect(list(x.get(":", "::-2", 1))).toEqual([
      [9, 1],
      [21, 13],
    ]);
  });

  it("wraps negative indices and clamps out-of-bounds ones (JAX)", () => {
    const v = jnp.arange(5).astype("float32");
    expect(list(v.get(jnp.asarray([-1, 7, -9])))).toEqual([4, 4, 0]);
  });

  it("accepts concrete boolean masks, and rejects traced ones with a clear error", () => {
    const m = jnp.asarray([
      [true, false, true],
      [false, true, false],
    ]);
    expect(list(x.get(m))).toEqual([
      [0, 1, 2, 3],
      [8, 9, 10, 11],
      [16, 17, 18, 19],
    ]);
    expect(() => jit((a: Array, mm: Array) => a.get(mm))(x, m)).toThrow(
      /NonConcreteBooleanIndexError|Array boolean indices must be concrete; got ShapedArray\(bool\[2,3\]\)/,
    );
    expect(() => jit((a: Array, mm: Array) => a.get(mm))(x, m)).toThrow(
      jnp.NonConcreteBooleanIndexError,
    );
  });

  it("stages JAX's primitives: gather for index arrays, dynamic_slice for traced scalars, slice for static", () => {
    const v = jnp.arange(5).astype("float32");
    expect(makeJaxpr((a: Array, i: Array) => a.get(i))(v, jnp.asarray([0, 2, 4])).toString()).toBe(
      [
        "{ lambda ; a:f32[5] b:i32[3]. let",
        "    c:bool[3] = lt b 0",
        "    d:i32[3] = add b 5",
        "    e:i32[3] = select_n c b d",
        "    f:i32[3,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(3, 1)] e",
        "    g:f32[3] = gather[",
        "      dimension_numbers=GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,))",
        "      fill_value=None",
        "      indices_are_sorted=False",
        "      mode=GatherScatterMode.PROMISE_IN_BOUNDS",
        "      slice_sizes=(1,)",
        "      unique_indices=False",
        "    ] a f",
        "  in (g,) }",
      ].join("\n"),
    );
    const m = jnp.arange(12).reshape(3, 4).astype("float32");
    expect(makeJaxpr((a: Array, i: Array) => a.get(i))(m, jnp.asarray(1)).toString()).toBe(
      [
        "{ lambda ; a:f32[3,4] b:i32[]. let",
        "    c:bool[] = lt b 0",
        "    d:i32[] = add b 3",
        "    e:i32[] = select_n c b d",
        "    f:f32[1,4] = dynamic_slice[slice_sizes=(1, 4)] a e 0",
        "    g:f32[4] = squeeze[dimensions=(0,)] f",
        "  in (g,) }",
      ].join("\n"),
    );
    expect(makeJaxpr((a: Array) => a.get(1, "1:3"))(m).toString()).toBe(
      [
        "{ lambda ; a:f32[3,4]. let",
        "    b:f32[1,2] = slice[limit_indices=(2, 3) start_indices=(1, 1) strides=None] a",
        "    c:f32[2] = squeeze[dimensions=(0,)] b",
        "  in (c,) }",
      ].join("\n"),
    );
  });

  it("gives the same values under jit", () => {
    const f = (a: Array, i: Array, j: Array) => a.get(i, ":", j).add(a.get(j.get(0)).sum());
    const i = jnp.asarray([1, 0, -1]);
    const j = jnp.asarray([3, 0, 2]);
    expect(list(jit(f)(x, i, j))).toEqual(list(f(x, i, j)));
  });

  it("raises numpy's errors for bad indices", () => {
    // A static int out of bounds is clamped as JAX does (see "static out-of-bounds ints").
    expect(() => jnp.zeros([0, 2]).get(0)).toThrow(IndexError);
    expect(() => jnp.zeros([0, 2]).get(0)).toThrow("index is out of bounds for axis 0 with size 0");
    expect(() => x.get(0, 0, 0, 0)).toThrow(
      "Too many indices: array is 3-dimensional, but 4 were indexed",
    );
    expect(() => x.get(jnp.asarray([0.5]))).toThrow(
      /Indexer must have integer or boolean type, got indexer with type float32 at position 0/,
    );
    expect(() => x.get([0, 1], [[0, 1, 2]], [0, 1])).toThrow(
      /shape mismatch: indexing arrays could not be broadcast together/,
    );
    expect(() => x.get("...", 0, "...")).toThrow(/single ellipsis/);
  });
});

describe("x.at(...) updates (scatter)", () => {
  const v = jnp.arange(5).astype("float32");
  it("set/add/sub/mul/div/pow/min/max/get", () => {
    expect(list(v.at(jnp.asarray([0, 0, 4])).add(jnp.asarray([1, 2, 3], "float32")))).toEqual([
      3, 1, 2, 3, 7,
    ]);
    const w = jnp.arange(12).reshape(3, 4).astype("float32");
    expect(list(w.at([0, 2], "1:3").set(-1))).toEqual([
      [0, -1, -1, 3],
      [4, 5, 6, 7],
      [8, -1, -1, 11],
    ]);
    expect(list(v.at(1).sub(5))).toEqual([0, -4, 2, 3, 4]);
    expect(list(v.at("1:3").mul(10))).toEqual([0, 10, 20, 3, 4]);
    expect(list(v.at(4).div(2))).toEqual([0, 1, 2, 3, 2]);
    expect(list(v.at(3).pow(2))).toEqual([0, 1, 2, 9, 4]);
    expect(list(v.at(jnp.asarray([0, 4])).min(2))).toEqual([0, 1, 2, 3, 2]);
    expect(list(v.at(jnp.asarray([0, 4])).max(2))).toEqual([2, 1, 2, 3, 4]);
    expect(list(v.at(jnp.asarray([1, 9])).get())).toEqual([1, 4]);
    expect(list(v.at(-1).set(7))).toEqual([0, 1, 2, 3, 7]);
  });

  it("drops out-of-bounds updates, keeps the operand's dtype, accepts masks", () => {
    expect(list(v.at(jnp.asarray([2, 9])).set(jnp.asarray([-1, -2], "float32")))).toEqual([
      0, 1, -1, 3, 4,
    ]);
    const iv = jnp.arange(3);
    const r = iv.at(0).set(2.7);
    expect(r.dtype.name).toBe("int32");
    expect(list(r)).toEqual([2, 1, 2]);
    expect(list(v.at(jnp.asarray([true, false, true, false, false])).set(0))).toEqual([
      0, 1, 0, 3, 4,
    ]);
  });

  it("stages JAX's scatter for x.at(0).set(5.0)", () => {
    expect(makeJaxpr((a: Array) => a.at(0).set(5.0))(v).toString()).toBe(
      [
        "{ lambda ; a:f32[5]. let",
        "    b:i32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,)] 0",
        "    c:f32[5] = scatter[",
        "      dimension_numbers=ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))",
        "      indices_are_sorted=True",
        "      mode=GatherScatterMode.FILL_OR_DROP",
        "      unique_indices=True",
        "      update_consts=()",
        "      update_jaxpr=None",
        "    ] a b 5.0",
        "  in (c,) }",
      ].join("\n"),
    );
  });

  it("agrees under jit with traced indices and values", () => {
    const f = (a: Array, i: Array, u: Array) => a.at(i).add(u).at(":", 0).max(1);
    const w = jnp.arange(12).reshape(3, 4).astype("float32");
    const i = jnp.asarray([2, -1, 0]);
    const u = jnp.ones([3, 4]);
    expect(list(jit(f)(w, i, u))).toEqual(list(f(w, i, u)));
  });
});
