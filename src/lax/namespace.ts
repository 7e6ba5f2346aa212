/**
 * `jax.lax`: the primitives' user-facing functions. Elementwise functions bind their primitive
 * directly (bind rejects values that are not Arrays or JS scalars); the others check their
 * arguments in wrappers.ts / shape.ts (JS scalars are weakly typed operands, dtype arguments
 * may be strings or `jnp.float32`).
 */
export {
  neg,
  sign,
  floor,
  ceil,
  isFinite as is_finite,
  isFinite,
  exp,
  exp2,
  log,
  log1p,
  expm1,
  tanh,
  logistic,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  sqrt,
  rsqrt,
  cbrt,
  abs,
  erf,
  erfc,
  erfInv,
  erfInv as erf_inv,
  lgamma,
  digamma,
  not,
  not as bitwiseNot,
  populationCount,
  add,
  sub,
  mul,
  div,
  rem,
  pow,
  max,
  min,
  atan2,
  nextafter,
  and,
  and as bitwiseAnd,
  or,
  or as bitwiseOr,
  xor,
  xor as bitwiseXor,
  shiftLeft,
  shiftRightLogical,
  shiftRightArithmetic,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  selectN,
} from "../primitives/index.js";
export {
  convertElementType,
  bitcastConvertType,
  iota,
  broadcastedIota,
  full,
  integerPow,
  square,
  clamp,
  select,
  round,
  reduceSum,
  reduceMax,
  reduceMin,
  reduceProd,
  reduceAnd,
  reduceOr,
  argmax,
  argmin,
  cumsum,
  cumprod,
  cummax,
  cummin,
  sort,
  dotGeneral,
  stopGradient,
} from "./wrappers.js";
export type { Operand } from "./wrappers.js";
export {
  broadcastInDim,
  reshape,
  transpose,
  slice,
  pad,
  concatenate,
  squeeze,
  expandDims,
  rev,
  dynamicSlice,
  dynamicUpdateSlice,
  gather,
  scatter,
  scatterAdd,
  scatterMul,
  scatterMin,
  scatterMax,
} from "./shape.js";
export type { DynamicSliceOptions } from "./shape.js";
export {
  GatherDimensionNumbers,
  ScatterDimensionNumbers,
  GatherScatterMode,
} from "../primitives/index.js";
export { cond, switch_ as switch, switch_, whileLoop, foriLoop, scan } from "./control-flow.js";
export { map, associativeScan } from "./map-scan.js";
export { reduceWindow } from "./windowed.js";
export type { Padding, ReduceWindowOptions } from "./windowed.js";
export {
  convGeneralDilated,
  conv,
  convWithGeneralPadding,
  convTranspose,
  convDimensionNumbers,
  ConvDimensionNumbers,
} from "./conv.js";
export type { ConvDimensionNumbersLike, ConvPadding, ConvOptions } from "./conv.js";
export * as linalg from "./linalg/index.js";
export { complex, real, imag, conj } from "./complex.js";
export { fft, FftType } from "./fft.js";
export { igamma, igammac, igammaGradA, randomGammaGrad } from "./special/igamma.js";
export { betainc } from "./special/betainc.js";
export { besselI0e, besselI1e } from "./special/bessel.js";
export { zeta, polygamma } from "./special/zeta.js";
export {
  psum,
  pmean,
  pmax,
  pmin,
  axisIndex,
  axisSize,
  allGather,
  psumScatter,
  ppermute,
  allToAll,
} from "./collectives.js";
export type {
  AxisNames,
  CollectiveOptions,
  AllGatherOptions,
  PsumScatterOptions,
  AllToAllOptions,
} from "./collectives.js";
