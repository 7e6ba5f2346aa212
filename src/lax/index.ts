/** `jax.lax`: the primitives' user-facing wrappers. */
export {
  neg, sign, floor, ceil, isFinite as is_finite, isFinite, exp, exp2, log, log1p, expm1, tanh, logistic,
  sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, sqrt, rsqrt, cbrt, abs, erf, erfInv,
  erfInv as erf_inv, lgamma, digamma, not, populationCount, add, sub, mul, div, rem, pow, max, min, atan2,
  nextafter, and, or, xor, shiftLeft, shiftRightLogical, shiftRightArithmetic, eq, ne, lt, le, gt, ge,
  broadcastInDim, reshape, transpose, slice, pad, concatenate, iota, convertElementType, selectN,
  reduceSum, dotGeneral, stopGradient, full,
} from "../primitives/index.js";
export { integerPow, square, clamp, select, expandDims, squeeze, rev, bitcastConvertType, round, argmax, argmin, reduceMax, reduceMin, reduceProd, reduceAnd, reduceOr } from "./wrappers.js";
export {
  dynamicSlice, dynamicUpdateSlice, gather, scatter, scatterAdd, scatterMul, scatterMin, scatterMax,
  sort, cumsum, cumprod, cummax, cummin, GatherDimensionNumbers, ScatterDimensionNumbers, GatherScatterMode,
} from "../primitives/index.js";
export { cond, switch_ as switch, switch_, whileLoop, foriLoop, scan } from "./control-flow.js";
