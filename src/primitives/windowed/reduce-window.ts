/**
 * reduce_window_sum, reduce_window_max, reduce_window_min: each output element is a `reduce`
 * node over its window (padding and base-dilation holes read as the reduction's identity).
 * Sum is linear (its transpose pads the cotangent and sums windows again, as JAX's
 * `_reduce_window_sum_transpose_rule`); max/min differentiate through select_and_gather_add.
 */
import { ShapedArray } from "../../core/aval.js";
import { type ReduceOp, constant, reduce, select } from "../../kernel/expr.js";
import { genLazy } from "../../kernel/lazy.js";
import type { LazyArray, LowerContext } from "../../kernel/lowering-types.js";
import type { Array } from "../../trace/array.js";
import { scalarConstant } from "../../trace/constants.js";
import { type Primitive, Zero, notLinear } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero, linearJvp } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { pad } from "../shape/slice-pad.js";
import { selectAndGatherAdd } from "./select-gather.js";
import {
  type WindowParams,
  extremumIdentity,
  windowOffsets,
  windowShapeRule,
  windowSource,
  withWindowDimAt,
} from "./window-params.js";
import { dilateDim } from "../window-geometry.js";

/** Lower a windowed reduction with kernel op `fn`, padding with `init`. */
function lowerWindow(fn: ReduceOp, init: (x: ShapedArray) => number | bigint | boolean) {
  return (ctx: LowerContext, [x]: LazyArray[], p: WindowParams, [out]: ShapedArray[]) => {
    const src = x!.hasReduce ? ctx.materialize(x!) : x!;
    const shape = src.aval.shape;
    const fill = constant(init(src.aval), src.aval.dtype);
    const { r, sizes } = windowOffsets(p.window_dimensions);
    return [
      genLazy(
        out!,
        (coords) => {
          const { coords: at, valid } = windowSource(coords, r, shape, p);
          const v = src.at(at);
          const body = valid ? select(valid, v, fill) : v;
          return sizes.length ? reduce(fn, body, sizes) : body;
        },
        src.cost + 2,
        sizes.length > 0,
      ),
    ];
  };
}

function windowAval(name: string, numeric: boolean) {
  return ([x]: readonly ShapedArray[], p: WindowParams): ShapedArray[] => {
    if (numeric && !(x!.dtype.isFloat || x!.dtype.isInt)) {
      throw new TypeError(`operand to ${name} must have a number dtype, got ${x!.dtype.name}`);
    }
    return [new ShapedArray(windowShapeRule(x!, p), x!.dtype, x!.weakType)];
  };
}

/** JAX's `_reduce_window_batch_rule`: a size-1 window over the batch dimension, kept in place. */
function batchWindow(prim: () => Primitive<WindowParams>) {
  return ([x]: Array[], [d]: (number | null)[], p: WindowParams): [Array[], (number | null)[]] => [
    [bind1(prim(), [x!], withWindowDimAt(p, d!))],
    [d!],
  ];
}

export const reduceWindowSumP: Primitive<WindowParams> = definePrimitive<WindowParams>({
  name: "reduce_window_sum",
  abstractEval: windowAval("reduce_window_sum", true),
  lower: lowerWindow("sum", () => 0),
  jvp: linearJvp(() => reduceWindowSumP),
  transpose([ct], [x], p) {
    if (isZero(ct)) return [ct];
    const inShape = (x as { aval: ShapedArray }).aval.shape;
    const c = ct as Array;
    // JAX's _conv_general_vjp_lhs_padding, then a unit-stride window sum over the padded cotangent.
    const config = inShape.map((d, k) => {
      const lhs = dilateDim(d, p.base_dilation[k]!);
      const rhs = dilateDim(p.window_dimensions[k]!, p.window_dilation[k]!);
      const outD = dilateDim(c.shape[k]!, p.window_strides[k]!);
      const before = rhs - p.padding[k]![0] - 1;
      const after = lhs + rhs - 1 - outD - before;
      return [before, after, p.window_strides[k]! - 1] as [number, number, number];
    });
    const padded = pad(c, scalarConstant(0, c.dtype), config);
    const ones = inShape.map(() => 1);
    return [
      bind1(reduceWindowSumP, [padded], {
        window_dimensions: p.window_dimensions,
        window_strides: p.base_dilation,
        padding: inShape.map(() => [0, 0]),
        base_dilation: ones,
        window_dilation: p.window_dilation,
      }),
    ];
  },
  batch: batchWindow(() => reduceWindowSumP),
});

/** JAX's `_reduce_window_chooser_jvp_rule`: the tangent at each window's chosen element. */
function chooserJvp(prim: () => Primitive<WindowParams>, selectPrim: "ge" | "le") {
  return ([x]: Array[], [t]: (Array | Zero)[], p: WindowParams): [Array[], (Array | Zero)[]] => {
    const out = bind1(prim(), [x!], p);
    if (isZero(t)) return [[out], [new Zero(out.aval)]];
    return [[out], [selectAndGatherAdd(t!, x!, selectPrim, p)]];
  };
}

function defineChooser(name: string, fn: "max" | "min", sel: "ge" | "le") {
  const p: Primitive<WindowParams> = definePrimitive<WindowParams>({
    name,
    abstractEval: windowAval(name, false),
    lower: lowerWindow(fn, (x) => extremumIdentity(x.dtype, fn)),
    jvp: chooserJvp(() => p, sel),
    transpose: notLinear,
    batch: batchWindow(() => p),
  });
  return p;
}

export const reduceWindowMaxP = defineChooser("reduce_window_max", "max", "ge");
export const reduceWindowMinP = defineChooser("reduce_window_min", "min", "le");

const byName = { sum: reduceWindowSumP, max: reduceWindowMaxP, min: reduceWindowMinP };

/** Bind reduce_window_{sum,max,min} on `x` with full window params. */
export function reduceWindowMonoid(kind: "sum" | "max" | "min", x: Array, p: WindowParams): Array {
  return bind1(byName[kind], [x], p);
}
