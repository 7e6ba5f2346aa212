import { describe, expect, it } from "vitest";
import { type Array, jit, lax, makeJaxpr, numpy as jnp } from "../../src/index.js";
import { UndefinedPrimal, Zero } from "../../src/trace/primitive.js";
import * as P from "../../src/primitives/index.js";
import { batchRuleOf, jvpRuleOf, transposeRuleOf } from "../../src/primitives/define.js";

const list = (a: Array) => (a as unknown as { tolist(): unknown }).tolist();
const { GatherDimensionNumbers: GDN, ScatterDimensionNumbers: SDN } = lax;

const rows = GDN.of({ offset_dims: [1], collapsed_slice_dims: [0], start_index_map: [0] });
const x = jnp.arange(12).reshape(3, 4).astype("float32");
const idx = jnp.asarray([[2], [0], [7], [-3]]);

describe("gather", () => {
  it("clamps out-of-bounds starts by default (PROMISE_IN_BOUNDS) and when mode='clip'", () => {
    const expected = [
      [8, 9, 10, 11],
      [0, 1, 2, 3],
      [8, 9, 10, 11],
      [0, 1, 2, 3],
    ];
    expect(list(lax.gather(x, idx, rows, [1, 4]))).toEqual(expected);
    expect(list(lax.gather(x, idx, rows, [1, 4], { mode: "clip" }))).toEqual(expected);
  });

  it("fills out-of-bounds windows with mode='fill' (NaN for floats, or fill_value)", () => {
    const r = list(lax.gather(x, idx, rows, [1, 4], { mode: "fill" })) as number[][];
    expect(r.slice(0, 2)).toEqual([
      [8, 9, 10, 11],
      [0, 1, 2, 3],
    ]);
    expect(r[2]!.every(Number.isNaN) && r[3]!.every(Number.isNaN)).toBe(true);
    expect(
      (list(lax.gather(x, idx, rows, [1, 4], { mode: "fill", fillValue: -1 })) as number[][])[3],
    ).toEqual([-1, -1, -1, -1]);
    const xi = jnp.arange(4);
    const one = GDN.of({ offset_dims: [], collapsed_slice_dims: [0], start_index_map: [0] });
    expect(list(lax.gather(xi, jnp.asarray([[9]]), one, [1], { mode: "fill" }))).toEqual([
      -2147483648,
    ]);
  });

  it("supports windows, several index dims and batching dims", () => {
    // 2x2 windows at (row, col) starts.
    const win = GDN.of({ offset_dims: [1, 2], collapsed_slice_dims: [], start_index_map: [0, 1] });
    expect(
      list(
        lax.gather(
          x,
          jnp.asarray([
            [1, 2],
            [0, 0],
          ]),
          win,
          [2, 2],
        ),
      ),
    ).toEqual([
      [
        [6, 7],
        [10, 11],
      ],
      [
        [0, 1],
        [4, 5],
      ],
    ]);
    // take_along_axis-style: row r picks column i[r].
    const along = GDN.of({
      offset_dims: [],
      collapsed_slice_dims: [1],
      start_index_map: [1],
      operand_batching_dims: [0],
      start_indices_batching_dims: [0],
    });
    expect(list(lax.gather(x, jnp.asarray([[3], [0], [1]]), along, [1, 1]))).toEqual([3, 4, 9]);
  });

  it("prints GatherDimensionNumbers and the other params as JAX does", () => {
    const f = (a: Array, i: Array) => lax.gather(a, i, rows, [1, 4]);
    expect(makeJaxpr(f)(x, jnp.asarray([[1]])).toString()).toBe(
      [
        "{ lambda ; a:f32[3,4] b:i32[1,1]. let",
        "    c:f32[1,4] = gather[",
        "      dimension_numbers=GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,))",
        "      fill_value=None",
        "      indices_are_sorted=False",
        "      mode=GatherScatterMode.PROMISE_IN_BOUNDS",
        "      slice_sizes=(1, 4)",
        "      unique_indices=False",
        "    ] a b",
        "  in (c,) }",
      ].join("\n"),
    );
  });

  it("checks dimension numbers with XLA's messages", () => {
    expect(() => lax.gather(x, idx, rows, [2, 4])).toThrow(
      "Gather op can only collapse slice dims with bound 1, but bound is 2 for index 0 at position 0.",
    );
    expect(() => lax.gather(x, jnp.asarray([[1, 2]]), rows, [1, 4])).toThrow(
      /Gather op has 1 elements in start_index_map/,
    );
    expect(() => lax.gather(x, jnp.asarray([[1.5]]), rows, [1, 4])).toThrow(
      "indices must have an integer type",
    );
  });

  it("has JVP, transpose (scatter-add) and batching rules", () => {
    const params = {
      dimension_numbers: rows,
      slice_sizes: [1, 4],
      indices_are_sorted: false,
      unique_indices: false,
      mode: lax.GatherScatterMode.PROMISE_IN_BOUNDS,
      fill_value: null,
    };
    const i = jnp.asarray([[2], [2], [0]]);
    const [, [t]] = jvpRuleOf(P.gatherP)!([x, i], [jnp.ones([3, 4]), new Zero(i.aval)], params);
    expect(list(t as Array)).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    const [ct] = transposeRuleOf(P.gatherP)!(
      [jnp.ones([3, 4])],
      [new UndefinedPrimal(x.aval), i],
      params,
    );
    expect(list(ct as Array)).toEqual([
      [1, 1, 1, 1],
      [0, 0, 0, 0],
      [2, 2, 2, 2],
    ]);
    const [[b], [d]] = batchRuleOf(P.gatherP)!(
      [x, jnp.asarray([[[0]], [[2]]])],
      [null, 0],
      params,
      2,
    );
    expect(d).toBe(0);
    expect(list(b!)).toEqual([[[0, 1, 2, 3]], [[8, 9, 10, 11]]]);
  });
});

describe("scatter family", () => {
  const dn = SDN.of({
    update_window_dims: [1],
    inserted_window_dims: [0],
    scatter_dims_to_operand_dims: [0],
  });
  const at = jnp.asarray([[0], [0], [2], [5]]);
  const upd = jnp.asarray(
    [
      [1, 1, 1, 1],
      [2, 2, 2, 2],
      [3, 3, 3, 3],
      [9, 9, 9, 9],
    ],
    "float32",
  );

  it("applies updates in order and drops out-of-bounds windows by default", () => {
    expect(list(lax.scatter(x, at, upd, dn))).toEqual([
      [2, 2, 2, 2],
      [4, 5, 6, 7],
      [3, 3, 3, 3],
    ]);
    expect(list(lax.scatterAdd(x, at, upd, dn))).toEqual([
      [3, 4, 5, 6],
      [4, 5, 6, 7],
      [11, 12, 13, 14],
    ]);
    expect(list(lax.scatterMul(x, at, upd, dn))).toEqual([
      [0, 2, 4, 6],
      [4, 5, 6, 7],
      [24, 27, 30, 33],
    ]);
    expect(list(lax.scatterMin(x, at, upd, dn))).toEqual([
      [0, 1, 1, 1],
      [4, 5, 6, 7],
      [3, 3, 3, 3],
    ]);
    expect(list(lax.scatterMax(x, at, upd, dn))).toEqual([
      [2, 2, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
  });

  it("clamps with mode='clip'", () => {
    expect(
      list(
        lax.scatter(x, jnp.asarray([[5]]), jnp.full([1, 4], -1, "float32"), dn, { mode: "clip" }),
      ),
    ).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [-1, -1, -1, -1],
    ]);
  });

  it("prints scatter-add with its update_jaxpr, and agrees under jit", () => {
    const f = (a: Array, i: Array, u: Array) => lax.scatterAdd(a, i, u, dn);
    expect(makeJaxpr(f)(x, at, upd).toString()).toBe(
      [
        "{ lambda ; a:f32[3,4] b:i32[4,1] c:f32[4,4]. let",
        "    d:f32[3,4] = scatter-add[",
        "      dimension_numbers=ScatterDimensionNumbers(update_window_dims=(1,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))",
        "      indices_are_sorted=False",
        "      mode=GatherScatterMode.FILL_OR_DROP",
        "      unique_indices=False",
        "      update_consts=()",
        "      update_jaxpr={ lambda ; e:f32[] f:f32[]. let g:f32[] = add e f in (g,) }",
        "    ] a b c",
        "  in (d,) }",
      ].join("\n"),
    );
    expect(list(jit(f)(x, at, upd))).toEqual(list(f(x, at, upd)));
  });

  it("works on integer and bool operands", () => {
    const xi = jnp.asarray([1, 2, 3], "int32");
    const d1 = SDN.of({
      update_window_dims: [],
      inserted_window_dims: [0],
      scatter_dims_to_operand_dims: [0],
    });
    expect(
      list(lax.scatterAdd(xi, jnp.asarray([[1], [1]]), jnp.asarray([2147483647, 1], "int32"), d1)),
    ).toEqual([1, -2147483646, 3]);
    expect(
      list(lax.scatter(jnp.asarray([false, false]), jnp.asarray([[1]]), jnp.asarray([true]), d1)),
    ).toEqual([false, true]);
  });

  it("rejects mismatched shapes and dtypes", () => {
    expect(() => lax.scatter(x, at, jnp.ones([4, 5]), dn)).toThrow(
      /Bounds of the window dimensions of updates must not exceed/,
    );
    expect(() => lax.scatter(x, at, jnp.ones([3, 4]), dn)).toThrow(
      /Bounds of the scatter dimensions of updates must be the same/,
    );
    expect(() => lax.scatter(x, at, jnp.ones([4, 4], "int32"), dn)).toThrow(
      /scatter requires arguments to have the same dtypes/,
    );
  });

  it("has JVP and transpose rules (scatter-add is linear)", () => {
    const p = {
      dimension_numbers: dn,
      indices_are_sorted: false,
      unique_indices: false,
      mode: lax.GatherScatterMode.FILL_OR_DROP,
      update_consts: [],
      update_jaxpr: null,
    };
    const [, [t]] = jvpRuleOf(P.scatterAddP)!(
      [x, at, upd],
      [new Zero(x.aval), new Zero(at.aval), jnp.ones([4, 4])],
      p,
    );
    expect(list(t as Array)).toEqual([
      [2, 2, 2, 2],
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ]);
    const [opT, , uT] = transposeRuleOf(P.scatterAddP)!(
      [x],
      [new UndefinedPrimal(x.aval), at, new UndefinedPrimal(upd.aval)],
      p,
    );
    expect(list(opT as Array)).toEqual(list(x));
    expect(list(uT as Array)).toEqual([
      [0, 1, 2, 3],
      [0, 1, 2, 3],
      [8, 9, 10, 11],
      [0, 0, 0, 0],
    ]);
    // scatter-max: ties split the tangent between the operand and the winning update.
    const xs = jnp.asarray([1, 5], "float32");
    const d1 = SDN.of({
      update_window_dims: [],
      inserted_window_dims: [0],
      scatter_dims_to_operand_dims: [0],
    });
    const [, [tm]] = jvpRuleOf(P.scatterMaxP)!(
      [xs, jnp.asarray([[0], [1]]), jnp.asarray([3, 5], "float32")],
      [jnp.asarray([10, 20], "float32"), new Zero(at.aval), jnp.asarray([1, 2], "float32")],
      { ...p, dimension_numbers: d1 },
    );
    expect(list(tm as Array)).toEqual([1, 11]);
  });
});
