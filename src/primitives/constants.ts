/** Constants shaped like an array: typed scalars (literals when staged) and filled arrays. */
import type { DType } from "../core/dtype.js";
import type { Array } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { broadcastInDim } from "./shape-ops.js";

/** A 0-d constant of x's dtype (strongly typed, as JAX's `_const`). */
export function scalarLike(x: { dtype: DType }, v: number | boolean): Array {
  return scalarConstant(v, x.dtype, false);
}

/** `lax.full(shape, v, dtype)`: a broadcast scalar. */
export function full(
  shape: readonly number[],
  v: number | boolean | bigint,
  dtype: DType,
  weakType = false,
): Array {
  const s = scalarConstant(v, dtype, weakType);
  return shape.length === 0 ? s : broadcastInDim(s, shape, []);
}

export function fullLike(x: Array, v: number | boolean, dtype: DType = x.dtype): Array {
  return full(x.shape, v, dtype);
}

/** A 0-d constant of a given dtype (strong), e.g. a count in a mean. */
export function scalarConstantOf(v: number | boolean, dtype: DType): Array {
  return scalarConstant(v, dtype, false);
}
