/**
 * Reductions: reduce_max/min/prod/and/or over `axes`, argmax/argmin over one axis (reduce_sum,
 * linear, is in reduce-sum.ts; the rules they share in reduce-rules.ts).
 */
import { ShapedArray } from "../core/aval.js";
import { type DType, int32 } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { cast } from "../kernel/expr.js";
import { mapLazy } from "../kernel/lazy.js";
import type { Array } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { type Primitive, type Tangent, Zero, notLinear } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { convertElementType } from "./convert.js";
import { definePrimitive } from "./define.js";
import { prims as ew } from "./elementwise/index.js";
import {
  type AxesParams,
  batchReduce,
  checkAxes,
  lowerReduce,
  reduceAval,
} from "./reduce-rules.js";
import { reduceSumP } from "./reduce-sum.js";
import { broadcastInDim } from "./shape/broadcast.js";
import { reshape } from "./shape/reshape.js";
import { pad, slice } from "./shape/slice-pad.js";
import { transpose } from "./shape/transpose.js";

export { reduceSum, reduceSumP } from "./reduce-sum.js";

/** The shape `x` had before reducing `axes`, with those axes as size 1 (for broadcasting back). */
function keptShape(operand: ShapedArray, axes: readonly number[]): number[] {
  return operand.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** JVP of max/min reductions: the tangent at the (tied) extrema, averaged, as JAX does. */
function extremumJvp(prim: () => Primitive<AxesParams>) {
  return ([x]: Array[], [t]: (Array | Zero)[], params: AxesParams): [Array[], (Array | Zero)[]] => {
    const out = bind1(prim(), [x!], params);
    if (isZero(t)) return [[out], [new Zero(out.aval)]];
    const kept = keptShape(x!.aval, params.axes);
    const keptDims = x!.shape.map((_, i) => i).filter((i) => !params.axes.includes(i));
    const ans = broadcastInDim(out, x!.shape, keptDims);
    const loc = convertElementType(bind1(ew["eq"]!, [x!, ans]), x!.dtype);
    const counts = bind1(reduceSumP, [loc], params);
    const num = bind1(reduceSumP, [bind1(ew["mul"]!, [t!, loc])], params);
    void kept;
    return [[out], [bind1(ew["div"]!, [num, counts])]];
  };
}

export const reduceMaxP: Primitive<AxesParams> = definePrimitive<AxesParams>({
  name: "reduce_max",
  abstractEval: reduceAval("reduce_max", "any"),
  lower: lowerReduce("max"),
  jvp: extremumJvp(() => reduceMaxP),
  transpose: notLinear,
  batch: batchReduce(() => reduceMaxP),
});

export const reduceMinP: Primitive<AxesParams> = definePrimitive<AxesParams>({
  name: "reduce_min",
  abstractEval: reduceAval("reduce_min", "any"),
  lower: lowerReduce("min"),
  jvp: extremumJvp(() => reduceMinP),
  transpose: notLinear,
  batch: batchReduce(() => reduceMinP),
});

export const reduceProdP: Primitive<AxesParams> = definePrimitive<AxesParams>({
  name: "reduce_prod",
  abstractEval: reduceAval("reduce_prod", "numeric"),
  lower: lowerReduce("prod"),
  jvp([x], [t], params) {
    // As JAX: the tangent of a pairwise product tree (exact where x has zeros).
    const out = bind1(reduceProdP, [x!], params);
    if (isZero(t)) return [[out], [new Zero(out.aval)]];
    return [[out], [prodTreeTangent(x!, t!, params.axes)]];
  },
  transpose: notLinear,
  batch: batchReduce(() => reduceProdP),
});

/** Tangent of prod(x) over `axes` by forward-mode through a pairwise product tree. */
function prodTreeTangent(x: Array, t: Array, axes: readonly number[]): Array {
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => x.shape[i]!);
  let n = axes.reduce((a, i) => a * x.shape[i]!, 1);
  const flat = (v: Array) => reshape(transpose(v, [...kept, ...axes]), [...keptShape, n]);
  let p = flat(x);
  let dp = flat(t);
  const mul = (a: Array, b: Array) => bind1(ew["mul"]!, [a, b]);
  if (n === 0) return broadcastInDim(scalarConstant(0, x.dtype), keptShape, []);
  const last = keptShape.length;
  const cut = (v: Array, lo: number, hi: number) =>
    slice(
      v,
      v.shape.map((_, k) => (k === last ? lo : 0)),
      v.shape.map((d, k) => (k === last ? hi : d)),
    );
  while (n > 1) {
    if (n % 2 === 1) {
      const cfg = p.shape.map((_, k) => [0, k === last ? 1 : 0, 0] as [number, number, number]);
      p = pad(p, scalarConstant(1, x.dtype), cfg);
      dp = pad(dp, scalarConstant(0, x.dtype), cfg);
      n += 1;
    }
    const h = n / 2;
    const [a, b, da, db] = [cut(p, 0, h), cut(p, h, n), cut(dp, 0, h), cut(dp, h, n)];
    p = mul(a, b);
    dp = bind1(ew["add"]!, [mul(da, b), mul(a, db)]);
    n = h;
  }
  return reshape(dp, keptShape);
}

export const reduceAndP: Primitive<AxesParams> = definePrimitive<AxesParams>({
  name: "reduce_and",
  abstractEval: reduceAval("reduce_and", "intOrBool"),
  lower: lowerReduce("and"),
  jvp: zeroJvp(() => reduceAndP),
  transpose: notLinear,
  batch: batchReduce(() => reduceAndP),
});

export const reduceOrP: Primitive<AxesParams> = definePrimitive<AxesParams>({
  name: "reduce_or",
  abstractEval: reduceAval("reduce_or", "intOrBool"),
  lower: lowerReduce("or"),
  jvp: zeroJvp(() => reduceOrP),
  transpose: notLinear,
  batch: batchReduce(() => reduceOrP),
});

/** JVP of a non-differentiable primitive: a symbolic zero tangent. */
function zeroJvp(prim: () => Primitive<AxesParams>) {
  return (primals: Array[], _t: Tangent[], params: AxesParams): [Array[], Zero[]] => {
    const out = bind1(prim(), primals, params);
    return [[out], [new Zero(out.aval)]];
  };
}

type ArgParams = { axes: number[]; index_dtype: DType };

function defineArg(name: "argmax" | "argmin"): Primitive<ArgParams> {
  const p: Primitive<ArgParams> = definePrimitive<ArgParams>({
    name,
    abstractEval([x], { axes, index_dtype }) {
      checkAxes(name, x!, axes);
      if (axes.length !== 1)
        throw new TypeError(`${name} reduces exactly one axis, got axes ${shapeStr(axes)}.`);
      if (x!.shape[axes[0]!] === 0) {
        throw new TypeError(
          `${name} of an empty axis is undefined: axis ${axes[0]} of shape ${shapeStr(x!.shape)}.`,
        );
      }
      return [
        new ShapedArray(
          x!.shape.filter((_, i) => i !== axes[0]),
          index_dtype,
          false,
        ),
      ];
    },
    lower(ctx, inputs, params, [out]) {
      // Positions are found as int32 and converted to a wider index dtype (int64 under x64).
      const [r] = lowerReduce(name)(ctx, inputs, params, [out!.update({ dtype: int32 })]);
      if (params.index_dtype === int32) return [r!];
      return [mapLazy(out!, [r!], ([e]) => cast(e!, out!.dtype))];
    },
    jvp([x], _t, params) {
      const out = bind1(p, [x!], params);
      return [[out], [new Zero(out.aval)]];
    },
    transpose: notLinear,
    batch: batchReduce(() => p),
  });
  return p;
}

export const argmaxP = defineArg("argmax");
export const argminP = defineArg("argmin");
