/**
 * `{ re, im }` JS scalars as arrays: their weak complex type (Python's complex: complex64, or
 * complex128 under x64) and concrete 0-d complex arrays of them.
 */
import type { ComplexScalar } from "../core/complex-scalar.js";
import { config } from "../core/config.js";
import { type DType, complex128, complex64 } from "../core/dtype.js";
import type { TypeInfo } from "../core/promotion.js";
import type { Array } from "../trace/array.js";
import { arrayFromHost } from "../runtime/array.js";

/** The weak complex type of a `{ re, im }` scalar. */
export function weakComplexInfo(): TypeInfo {
  return { dtype: config.enableX64 ? complex128 : complex64, weakType: true };
}

/** A `{ re, im }` scalar as a concrete 0-d array of the complex `dtype`. */
export function complexScalarArray(c: ComplexScalar, dtype: DType, weakType: boolean): Array {
  const data = new dtype.storage(2);
  data[0] = c.re;
  data[1] = c.im;
  return arrayFromHost(data, [], dtype, weakType);
}
