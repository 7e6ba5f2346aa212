/**
 * Scalar types: `jnp.float32(v)` makes a float32 scalar, and `jnp.float32` itself serves as a
 * dtype wherever one is accepted (`x.astype(jnp.float32)`); `String(jnp.float32)` is its name.
 */
import {
  type DType,
  bool,
  canonicalize,
  float16,
  float32,
  float64,
  int16,
  int32,
  int64,
  int8,
  uint16,
  uint32,
  uint64,
  uint8,
} from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import { asarray } from "./coerce.js";
import { scalarConstant } from "../trace/constants.js";
import { defaultFloat } from "../core/dtype.js";

export interface ScalarType {
  (value: ArrayLike): Array;
  readonly dtype: DType;
}

export function scalarType(d: DType): ScalarType {
  const f = (value: ArrayLike) => asarray(value, canonicalize(d));
  Object.defineProperty(f, "name", { value: d.name });
  Object.defineProperty(f, "dtype", { value: d });
  Object.defineProperty(f, "toString", { value: () => d.name });
  return f as unknown as ScalarType;
}

export const bool_ = scalarType(bool);
export const int8_ = scalarType(int8);
export const int16_ = scalarType(int16);
export const int32_ = scalarType(int32);
export const int64_ = scalarType(int64);
export const uint8_ = scalarType(uint8);
export const uint16_ = scalarType(uint16);
export const uint32_ = scalarType(uint32);
export const uint64_ = scalarType(uint64);
export const float16_ = scalarType(float16);
export const float32_ = scalarType(float32);
export const float64_ = scalarType(float64);

/**
 * What Python's `5.0` means: a weakly typed float scalar. JavaScript cannot tell `5.0` from
 * `5` (both are the number 5, which jaxts treats as a weakly typed int32), so write
 * `float(5)` where JAX code passes a Python float literal.
 */
export function float(x: number): Array {
  return scalarConstant(x, defaultFloat(), true);
}
