/**
 * The public `lax` functions that take more than elementwise operands: each checks its
 * arguments (operands via `operand`, dtypes via `dtypeArg`) and binds one primitive, with JAX's
 * signatures (`iota(dtype, size)`, `full(shape, fill, dtype?)`, `sort(x | xs, …)`).
 */
import type { DType, DTypeLike } from "../core/dtype.js";
import { int32 } from "../core/dtype.js";
import { NotImplementedError } from "../core/errors.js";
import { named } from "../core/naming.js";
import { checkShape, normalizeAxis } from "../core/shape.js";
import type { Array } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import type { Primitive } from "../trace/primitive.js";
import * as P from "../primitives/index.js";
import type { DimensionNumbers } from "../primitives/dot.js";
import { type Operand, describeValue, dtypeArg, operand, operands } from "./operands.js";

export type { Operand };

/** `lax.convert_element_type(x, new_dtype)`: always strongly typed, as in JAX. */
export function convertElementType(x: Operand, newDtype: DTypeLike): Array {
  return P.convertElementType(operand("convert_element_type", x), dtypeArg(newDtype), false);
}
export const bitcastConvertType = (x: Operand, newDtype: DTypeLike): Array =>
  bind1(P.bitcastConvertTypeP, [operand("bitcast_convert_type", x)], {
    new_dtype: dtypeArg(newDtype),
  });

function sizeArg(fn: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`lax.${fn}: size must be a non-negative integer, got ${describeValue(n)}.`);
  }
  return n;
}

/**
 * `lax.iota(dtype, size)`: 0, 1, … size-1. (Also `iota(dtype, shape, dimension)`, which is
 * `broadcastedIota`.)
 */
export function iota(dtype: DTypeLike, size: number | readonly number[], dimension = 0): Array {
  if (typeof size !== "number") return broadcastedIota(dtype, size, dimension);
  return P.iota(dtypeArg(dtype), [sizeArg("iota", size)], 0);
}
/** `lax.broadcasted_iota(dtype, shape, dimension)`. */
export function broadcastedIota(
  dtype: DTypeLike,
  shape: readonly number[],
  dimension: number,
): Array {
  const s = checkShape(shape);
  return P.iota(dtypeArg(dtype), s, normalizeAxis(dimension, s.length, "dimension"));
}

/**
 * `lax.full(shape, fill_value, dtype?)`: without a dtype the fill value's (weak type kept, as
 * JAX); the fill value may be a traced scalar.
 */
export function full(
  shape: readonly number[],
  fillValue: Operand,
  dtype?: DTypeLike | null,
): Array {
  const s = checkShape(shape);
  const v = operand("full", fillValue, "fill_value");
  if (v.ndim !== 0) {
    throw new TypeError(
      `full must be called with scalar fill_value, got fill_value.shape (${v.shape.join(", ")}${v.ndim === 1 ? "," : ""}).`,
    );
  }
  const none = dtype === undefined || dtype === null;
  const c = P.convertElementType(v, none ? v.dtype : dtypeArg(dtype), none && v.weakType);
  return s.length === 0 ? c : P.broadcastInDim(c, s, []);
}

export const integerPow = (x: Operand, y: number): Array => {
  if (!Number.isInteger(y)) throw new TypeError(`lax.integer_pow: y must be an integer, got ${y}.`);
  return bind1(P.prims["integer_pow"]!, [operand("integer_pow", x)], { y });
};
export const square = (x: Operand): Array => integerPow(x, 2);
export const clamp = (min: Operand, x: Operand, max: Operand): Array =>
  bind1(P.clampP, [
    operand("clamp", min, "min"),
    operand("clamp", x),
    operand("clamp", max, "max"),
  ]);
/** `lax.select(pred, onTrue, onFalse)`. */
export const select = (pred: Operand, onTrue: Operand, onFalse: Operand): Array =>
  P.selectN(
    operand("select", pred, "pred"),
    operand("select", onFalse, "on_false"),
    operand("select", onTrue, "on_true"),
  );
/** `lax.round(x, rounding_method)`: 0 = away from zero (default), 1 = to nearest even. */
export const round = (x: Operand, roundingMethod: 0 | 1 = 0): Array =>
  bind1(P.prims["round"]!, [operand("round", x)], { rounding_method: roundingMethod });

function axesArg(fn: string, x: Array, axes: readonly number[]): number[] {
  if (!globalThis.Array.isArray(axes)) {
    throw new TypeError(`lax.${fn}: axes must be a list of integers, got ${describeValue(axes)}.`);
  }
  return axes.map((a) => normalizeAxis(a, x.ndim));
}
const reduction = (fn: string, prim: Primitive<{ axes: number[] }>) =>
  named(fn, (x: Operand, axes: readonly number[]): Array => {
    const a = operand(fn, x);
    return bind1(prim, [a], { axes: axesArg(fn, a, axes) });
  });
export const reduceSum = reduction("reduce_sum", P.reduceSumP);
export const reduceMax = reduction("reduce_max", P.reduceMaxP);
export const reduceMin = reduction("reduce_min", P.reduceMinP);
export const reduceProd = reduction("reduce_prod", P.reduceProdP);
export const reduceAnd = reduction("reduce_and", P.reduceAndP);
export const reduceOr = reduction("reduce_or", P.reduceOrP);

const argReduction = (fn: "argmax" | "argmin") =>
  named(fn, (x: Operand, axis: number, indexDtype: DTypeLike = int32): Array => {
    const a = operand(fn, x);
    return bind1(fn === "argmax" ? P.argmaxP : P.argminP, [a], {
      axes: [normalizeAxis(axis, a.ndim)],
      index_dtype: dtypeArg(indexDtype),
    });
  });
export const argmax = argReduction("argmax");
export const argmin = argReduction("argmin");

const cumulative = (fn: string, f: (x: Array, axis: number, reverse: boolean) => Array) =>
  named(fn, (x: Operand, axis = 0, reverse = false): Array => {
    const a = operand(fn, x);
    return f(a, normalizeAxis(axis, a.ndim), reverse);
  });
export const cumsum = cumulative("cumsum", P.cumsum);
export const cumprod = cumulative("cumprod", P.cumprod);
export const cummax = cumulative("cummax", P.cummax);
export const cummin = cumulative("cummin", P.cummin);

/**
 * `lax.sort(operand, dimension=-1, isStable=true, numKeys=1)`: an Array gives an Array, a list
 * of operands (sorted together by the first `numKeys`) gives a list.
 */
export function sort(x: Operand, dimension?: number, isStable?: boolean, numKeys?: number): Array;
export function sort(
  xs: readonly Operand[],
  dimension?: number,
  isStable?: boolean,
  numKeys?: number,
): Array[];
export function sort(
  x: Operand | readonly Operand[],
  dimension = -1,
  isStable = true,
  numKeys = 1,
): Array | Array[] {
  const single = !globalThis.Array.isArray(x);
  const xs = single ? [operand("sort", x)] : operands("sort", x);
  if (xs.length === 0) throw new TypeError("lax.sort: at least one operand is required.");
  const dim = normalizeAxis(dimension, xs[0]!.ndim, "dimension");
  const out = P.sort(xs, dim, isStable, numKeys);
  return single ? out[0]! : out;
}

/**
 * `lax.dot_general(lhs, rhs, dimension_numbers, precision=None, preferred_element_type=None)`.
 * Only the default precision exists here (the CPU devices compute float32 products exactly).
 */
export function dotGeneral(
  lhs: Operand,
  rhs: Operand,
  dimensionNumbers: DimensionNumbers,
  precision: null = null,
  preferredElementType: DTypeLike | null = null,
): Array {
  if (precision !== null && precision !== undefined) {
    throw new NotImplementedError(
      `lax.dot_general: precision=${String(precision)} is not supported; pass null (the default).`,
    );
  }
  return P.dotGeneral(
    operand("dot_general", lhs, "lhs"),
    operand("dot_general", rhs, "rhs"),
    dimensionNumbers,
    preferredElementType === null ? null : dtypeArg(preferredElementType),
  );
}

export const stopGradient = (x: Operand): Array => P.stopGradient(operand("stop_gradient", x));
export type { DType };
