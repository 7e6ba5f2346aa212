/**
 * jaxts: JAX's trace-transform-compile system for TypeScript.
 *
 *   import { numpy as jnp, jit, makeJaxpr } from "jaxts";
 */
import "./runtime/install.js";
import "./runtime/eager.js";
import "./numpy/methods.js";

export * as numpy from "./numpy/index.js";
export * as lax from "./lax/index.js";
export { Array } from "./trace/array.js";
export type { ArrayLike, Index, IndexUpdater, Slice } from "./trace/array.js";
export { ShapedArray } from "./core/aval.js";
export { DType } from "./core/dtype.js";
export type { DTypeLike } from "./core/dtype.js";
export { config } from "./core/config.js";
export {
  JaxError,
  ConcretizationTypeError,
  TracerBoolConversionError,
  TracerIntegerConversionError,
  TracerArrayConversionError,
  UnexpectedTracerError,
  TypePromotionError,
  KeyReuseError,
  DeviceError,
  FloatingPointError,
} from "./core/errors.js";
export { ClosedJaxpr, Jaxpr } from "./ir/jaxpr.js";
export { makeJaxpr } from "./transforms/make-jaxpr.js";
export { jit, partial } from "./transforms/jit.js";
export type { Jitted, JitOptions } from "./transforms/jit.js";
export { ValueError } from "./transforms/static-args.js";
export { float } from "./numpy/scalar-types.js";
export * as tree from "./tree/index.js";
