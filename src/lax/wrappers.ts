/** lax functions that are thin wrappers over a primitive bind. */
import type { DType, DTypeLike } from "../core/dtype.js";
import { toDType, canonicalize, int32 } from "../core/dtype.js";
import type { Array } from "../trace/array.js";
import { type Value, bind1 } from "../trace/trace.js";
import * as P from "../primitives/index.js";

export const integerPow = (x: Value, y: number): Array =>
  bind1(P.prims["integer_pow"]!, [x], { y });
export const square = (x: Value): Array => integerPow(x, 2);
export const clamp = (min: Value, x: Value, max: Value): Array => bind1(P.clampP, [min, x, max]);
/** `lax.select(pred, onTrue, onFalse)`. */
export const select = (pred: Value, onTrue: Value, onFalse: Value): Array =>
  P.selectN(pred, onFalse, onTrue);
export const squeeze = (x: Value, dimensions: readonly number[]): Array =>
  bind1(P.squeezeP, [x], { dimensions: [...dimensions] });
export function expandDims(x: Array, dimensions: readonly number[]): Array {
  const nd = x.ndim + dimensions.length;
  const dims = dimensions.map((d) => (d < 0 ? d + nd : d));
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < nd; i++) shape.push(dims.includes(i) ? 1 : x.shape[j++]!);
  return P.broadcastInDim(
    x,
    shape,
    shape.map((_, i) => i).filter((i) => !dims.includes(i)),
  );
}
export const rev = (x: Value, dimensions: readonly number[]): Array =>
  bind1(P.revP, [x], { dimensions: [...dimensions] });
export const bitcastConvertType = (x: Value, dtype: DTypeLike): Array =>
  bind1(P.bitcastConvertTypeP, [x], { new_dtype: toDType(dtype) });
/** `lax.round(x, rounding_method)`: 0 = away from zero (default), 1 = to nearest even. */
export const round = (x: Value, roundingMethod: 0 | 1 = 0): Array =>
  bind1(P.prims["round"]!, [x], { rounding_method: roundingMethod });
export const argmax = (x: Value, axis: number, indexDtype: DTypeLike = int32): Array =>
  bind1(P.argmaxP, [x], { axes: [axis], index_dtype: canonicalize(toDType(indexDtype)) });
export const argmin = (x: Value, axis: number, indexDtype: DTypeLike = int32): Array =>
  bind1(P.argminP, [x], { axes: [axis], index_dtype: canonicalize(toDType(indexDtype)) });
export const reduceMax = (x: Value, axes: readonly number[]): Array =>
  bind1(P.reduceMaxP, [x], { axes: [...axes] });
export const reduceMin = (x: Value, axes: readonly number[]): Array =>
  bind1(P.reduceMinP, [x], { axes: [...axes] });
export const reduceProd = (x: Value, axes: readonly number[]): Array =>
  bind1(P.reduceProdP, [x], { axes: [...axes] });
export const reduceAnd = (x: Value, axes: readonly number[]): Array =>
  bind1(P.reduceAndP, [x], { axes: [...axes] });
export const reduceOr = (x: Value, axes: readonly number[]): Array =>
  bind1(P.reduceOrP, [x], { axes: [...axes] });
export type { DType };
