/**
 * jaxts: JAX's trace-transform-compile system for TypeScript.
 *
 *   import { numpy as jnp, jit, makeJaxpr } from "jaxts";
 */
import "./runtime/install.js";
import "./runtime/eager.js";
import "./numpy/methods.js";
import "./trace/devtools-formatter.js";

export * as numpy from "./numpy/index.js";
export * as lax from "./lax/index.js";
export * as random from "./random/index.js";
export * as nn from "./nn/index.js";
export * as scipy from "./scipy/index.js";
export { Array } from "./trace/array.js";
export type { ArrayLike, Index, IndexUpdater, Slice } from "./trace/array.js";
export { ShapedArray } from "./core/aval.js";
export { ShapeDtypeStruct } from "./core/shape-dtype-struct.js";
export type { ShapeDtypeStructOptions } from "./core/shape-dtype-struct.js";
export { DType } from "./core/dtype.js";
export type { DTypeLike } from "./core/dtype.js";
export { config } from "./core/config.js";
export {
  JaxError,
  ValueError,
  IndexError,
  KeyError,
  RuntimeError,
  AxisError,
  NonConcreteBooleanIndexError,
  ConcretizationTypeError,
  TracerBoolConversionError,
  TracerIntegerConversionError,
  TracerArrayConversionError,
  UnexpectedTracerError,
  TypePromotionError,
  KeyReuseError,
  DeviceError,
  FloatingPointError,
  OverflowError,
  NotImplementedError,
  NameError,
} from "./core/errors.js";
export { ClosedJaxpr, Jaxpr } from "./ir/jaxpr.js";
export type { JaxprPrintOptions } from "./ir/jaxpr.js";
export { makeJaxpr } from "./transforms/make-jaxpr.js";
export { jit, partial } from "./transforms/jit/jit.js";
export { scope } from "./runtime/scope.js";
export { memoryStats, recordAllocationSites } from "./runtime/memory-stats.js";
export type { MemoryStats, MemoryStatsOptions, SiteStats } from "./runtime/memory-stats.js";
export type { Jitted, JitOptions, JitArgs, JitParam } from "./transforms/jit/jit.js";
export { Compiled, Lowered, Traced } from "./transforms/jit/stages.js";
export type { CostAnalysis, MemoryAnalysis } from "./transforms/jit/stages.js";
export { evalShape } from "./transforms/eval-shape.js";
export { clearCaches } from "./transforms/clear-caches.js";
export { printEnvironmentInfo } from "./runtime/environment-info.js";
export {
  jvp,
  linearize,
  vjp,
  grad,
  valueAndGrad,
  jacfwd,
  jacrev,
  jacobian,
  hessian,
} from "./transforms/ad/index.js";
export type { AuxOptions, GradOptions, JacOptions } from "./transforms/ad/index.js";
export { customJvp, customVjp } from "./transforms/custom-derivatives.js";
export {
  SymbolicZero,
  CustomVJPPrimal,
  customVjpPrimalTreeValues,
} from "./transforms/symbolic-zero.js";
export type { DefJvpOptions } from "./transforms/custom-jvp.js";
export type { DefVjpOptions } from "./transforms/custom-vjp.js";
export type {
  CustomJvpFunction,
  CustomVjpFunction,
  CustomOptions,
} from "./transforms/custom-derivatives.js";
export { checkpoint, remat } from "./transforms/checkpoint.js";
export { checkpointPolicies } from "./transforms/checkpoint-policies.js";
export type { CheckpointPolicy } from "./transforms/checkpoint-policies.js";
export { checkpointName } from "./primitives/checkpoint-name.js";
export type { CheckpointOptions } from "./transforms/checkpoint.js";
export { vmap } from "./transforms/vmap.js";
export { namedCall, namedScope } from "./transforms/named-scope.js";
export { linearTranspose } from "./transforms/linear-transpose.js";
export { closureConvert } from "./transforms/closure-convert.js";
export * as customBatching from "./lax/custom-batching.js";
export type { NamedCallOptions } from "./transforms/named-scope.js";
export type { AxisSpec, VmapOptions } from "./transforms/vmap.js";
export { stopGradient } from "./primitives/misc.js";
export { float } from "./numpy/scalar-types.js";
export * as tree from "./tree/index.js";
export * as debug from "./transforms/callbacks/index.js";
export * as export from "./transforms/export/index.js";
export { pureCallback, ioCallback } from "./transforms/callbacks/pure-io.js";
export type { PureCallbackOptions, IoCallbackOptions } from "./transforms/callbacks/pure-io.js";
export * as treeUtil from "./tree/tree-util.js";
export {
  Device,
  devices,
  localDevices,
  deviceCount,
  localDeviceCount,
  defaultBackend,
  devicePut,
  blockUntilReady,
  processIndex,
  processCount,
  processIndices,
} from "./runtime/device-api.js";
export {
  ConfigContext,
  disableJit,
  debugNans,
  debugInfs,
  enableX64,
  logCompiles,
  defaultDevice,
  ensureCompileTimeEval,
} from "./runtime/config-contexts.js";
