/**
 * select_and_gather_add (the JVP of reduce_window_max/min: each window's tangent at the
 * element its operand selects, ties to the first in row-major window order, as XLA's
 * `ge`/`le` select keeps the earlier one) and its transpose select_and_scatter_add (max-pool
 * gradients: each window's cotangent added to the element it selected). Both lower to an
 * argmax/argmin `reduce` over the flattened window.
 */
import { ShapedArray } from "../../core/aval.js";
import { NotImplementedError } from "../../core/errors.js";
import { int32 } from "../../core/dtype.js";
import { shapeStr } from "../../core/shape.js";
import { type Expr, binary, constant, reduce, ridx, select } from "../../kernel/expr.js";
import { flatIndex, ix, ixAdd, ixFloorDiv, ixMod, ixMul, unflatIndex } from "../../kernel/index.js";
import { genLazy } from "../../kernel/lazy.js";
import type { LazyArray, LowerContext } from "../../kernel/lowering-types.js";
import type { Array } from "../../trace/array.js";
import { scalarConstant } from "../../trace/constants.js";
import { type Primitive, type Tangent, Zero } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { pad, slice } from "../shape/slice-pad.js";
import { moveAxis } from "../shape/transpose.js";
import {
  type Pair,
  type WindowParams,
  extremumIdentity,
  windowOffsets,
  windowShapeRule,
  windowSource,
  withWindowDimAt,
} from "./window-params.js";

export type SelectPrim = "ge" | "le";
type GatherParams = WindowParams & { select_prim: SelectPrim };
type ScatterParams = {
  select_prim: SelectPrim;
  window_dimensions: number[];
  window_strides: number[];
  padding: Pair[];
};

const ones = (n: number) => globalThis.Array.from({ length: n }, () => 1);

/** The flat window offset (row-major over the window) that `sel` chooses for output `coords`. */
function chosenOffset(x: LazyArray, coords: readonly Expr[], p: GatherParams): Expr {
  const window = p.window_dimensions;
  const n = window.reduce((a, b) => a * b, 1);
  const of = p.select_prim === "ge" ? "max" : "min";
  const r = unflatIndex(ridx(0, n), window);
  const { coords: at, valid } = windowSource(coords, r, x.aval.shape, p);
  const v = x.at(at);
  const body = valid ? select(valid, v, constant(extremumIdentity(x.aval.dtype, of), v.dtype)) : v;
  return reduce(of === "max" ? "argmax" : "argmin", body, [n]);
}

function lowerGather(
  ctx: LowerContext,
  [t, x]: LazyArray[],
  p: GatherParams,
  [out]: ShapedArray[],
) {
  const src = x!.hasReduce ? ctx.materialize(x!) : x!;
  const tan = t!.hasReduce ? ctx.materialize(t!) : t!;
  const zero = constant(0, tan.aval.dtype);
  return [
    genLazy(
      out!,
      (coords) => {
        const r = unflatIndex(chosenOffset(src, coords, p), p.window_dimensions);
        const { coords: at, valid } = windowSource(coords, r, src.aval.shape, p);
        const v = tan.at(at);
        return valid ? select(valid, v, zero) : v;
      },
      src.cost + tan.cost + 3,
      true,
    ),
  ];
}

function lowerScatter(
  ctx: LowerContext,
  [s, x]: LazyArray[],
  p: ScatterParams,
  [out]: ShapedArray[],
) {
  const src = x!.hasReduce ? ctx.materialize(x!) : x!;
  const source = s!.hasReduce ? ctx.materialize(s!) : s!;
  const nd = src.aval.ndim;
  const gp: GatherParams = { ...p, base_dilation: ones(nd), window_dilation: ones(nd) };
  const outShape = source.aval.shape;
  // Each window's chosen offset, once (every operand element reads several windows).
  const chosen = ctx.materialize(
    genLazy(new ShapedArray(outShape, int32), (c) => chosenOffset(src, c, gp), src.cost + 2, true),
  );
  const { r, sizes } = windowOffsets(p.window_dimensions);
  const zero = constant(0, source.aval.dtype);
  return [
    genLazy(
      out!,
      (coords) => {
        const conds: Expr[] = [];
        const o = coords.map((c, k) => {
          const q = ixAdd(c, p.padding[k]![0], ixMul(r[k]!, -1));
          const st = p.window_strides[k]!;
          const ok = st === 1 ? q : ixFloorDiv(q, st);
          conds.push(binary("ge", q, ix(0)), binary("lt", ok, ix(outShape[k]!)));
          if (st > 1) conds.push(binary("eq", ixMod(q, st), ix(0)));
          return ok;
        });
        conds.push(binary("eq", chosen.at(o), flatIndex(r, p.window_dimensions)));
        const cond = conds.reduce((a, b) => binary("and", a, b));
        const body = select(cond, source.at(o), zero);
        return sizes.length ? reduce("sum", body, sizes) : body;
      },
      source.cost + 4,
      sizes.length > 0,
    ),
  ];
}

export const selectAndGatherAddP: Primitive<GatherParams> = definePrimitive<GatherParams>({
  name: "select_and_gather_add",
  abstractEval([t, x], p) {
    if (shapeStr(t!.shape) !== shapeStr(x!.shape)) {
      throw new TypeError(
        `select_and_gather_add tangents and operand shapes must match, got ${shapeStr(t!.shape)} and ${shapeStr(x!.shape)}.`,
      );
    }
    return [new ShapedArray(windowShapeRule(x!, p), t!.dtype, t!.weakType)];
  },
  lower: lowerGather,
  jvp([t, x], [dt], p) {
    const out = bind1(selectAndGatherAddP, [t!, x!], p);
    return [[out], [isZero(dt) ? new Zero(out.aval) : bind1(selectAndGatherAddP, [dt!, x!], p)]];
  },
  transpose([ct], [, x], p) {
    if (p.window_dilation.some((d) => d !== 1)) {
      throw new NotImplementedError(
        `VJP not implemented for select_and_gather (MaxPool) with window dilation, got window_dilation=${shapeStr(p.window_dilation)}.`,
      );
    }
    const operand = x as Array;
    if (isZero(ct)) return [new Zero(operand.aval), null];
    const dilated = p.base_dilation.some((d) => d !== 1);
    let base = operand;
    if (dilated) {
      const of = p.select_prim === "ge" ? "max" : "min";
      const id = extremumIdentity(operand.dtype, of);
      const fill = scalarConstant(typeof id === "bigint" ? Number(id) : id, operand.dtype);
      base = pad(
        operand,
        fill,
        p.base_dilation.map((d) => [0, 0, d - 1] as [number, number, number]),
      );
    }
    let res = selectAndScatterAdd(ct as Array, base, p.select_prim, p);
    if (dilated)
      res = slice(
        res,
        res.shape.map(() => 0),
        res.shape,
        p.base_dilation,
      );
    return [res, null];
  },
  batch([t, x], dims, p, size) {
    const front = (a: Array, d: number | null) =>
      d === null
        ? broadcastInDim(
            a,
            [size, ...a.shape],
            a.shape.map((_, i) => i + 1),
          )
        : moveAxis(a, d, 0);
    return [
      [
        bind1(
          selectAndGatherAddP,
          [front(t!, dims[0]!), front(x!, dims[1]!)],
          withWindowDimAt(p, 0),
        ),
      ],
      [0],
    ];
  },
});

export const selectAndScatterAddP: Primitive<ScatterParams> = definePrimitive<ScatterParams>({
  name: "select_and_scatter_add",
  abstractEval([s, x]) {
    return [new ShapedArray(x!.shape, s!.dtype, s!.weakType)];
  },
  lower: lowerScatter,
  jvp([s, x], [ds], p) {
    const out = bind1(selectAndScatterAddP, [s!, x!], p);
    return [[out], [isZero(ds) ? new Zero(out.aval) : bind1(selectAndScatterAddP, [ds!, x!], p)]];
  },
  transpose([ct], [s, x], p) {
    if (isZero(ct)) return [new Zero((s as { aval: ShapedArray }).aval), null];
    const nd = p.window_dimensions.length;
    const gp = { ...p, base_dilation: ones(nd), window_dilation: ones(nd) };
    return [selectAndGatherAdd(ct as Array, x as Array, p.select_prim, gp), null];
  },
  batch([s, x], dims, p, size) {
    const front = (a: Array, d: number | null) =>
      d === null
        ? broadcastInDim(
            a,
            [size, ...a.shape],
            a.shape.map((_, i) => i + 1),
          )
        : moveAxis(a, d, 0);
    const q = withWindowDimAt(p, 0);
    return [[bind1(selectAndScatterAddP, [front(s!, dims[0]!), front(x!, dims[1]!)], q)], [0]];
  },
});

/** JAX's `_select_and_gather_add` (param order as JAX binds them). */
export function selectAndGatherAdd(t: Tangent, x: Array, sel: SelectPrim, p: WindowParams): Array {
  return bind1(selectAndGatherAddP, [t as Array, x], {
    select_prim: sel,
    window_dimensions: p.window_dimensions,
    window_strides: p.window_strides,
    padding: p.padding,
    base_dilation: p.base_dilation,
    window_dilation: p.window_dilation,
  });
}

/** JAX's `_select_and_scatter_add`: `source` (one value per window) onto `x`'s chosen elements. */
export function selectAndScatterAdd(
  source: Array,
  x: Array,
  sel: SelectPrim,
  p: Pick<WindowParams, "window_dimensions" | "window_strides" | "padding">,
): Array {
  return bind1(selectAndScatterAddP, [source, x], {
    select_prim: sel,
    window_dimensions: p.window_dimensions,
    window_strides: p.window_strides,
    padding: p.padding,
  });
}
