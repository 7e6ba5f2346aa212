/**
 * Constants shaped like an array: typed scalars (literals when staged) and filled arrays, and
 * `instantiate`, which makes a symbolic zero tangent such an array.
 */
import type { DType } from "../core/dtype.js";
import type { Array } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import type { Tangent } from "../trace/primitive.js";
import { isZero } from "./ad-helpers.js";
import { broadcastInDim } from "./shape/broadcast.js";

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

/** A concrete array for a tangent: symbolic zeros become arrays of zeros. */
export function instantiate(t: Tangent): Array {
  return isZero(t) ? full(t.aval.shape, 0, t.aval.dtype) : t;
}
