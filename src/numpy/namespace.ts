/** `jax.numpy`, imported as `jnp`. */
export * from "./ufuncs.js";
export * from "./reductions.js";
export * from "./creation.js";
export * from "./shape.js";
export * from "./products.js";
export * from "./misc.js";
export { variance as var } from "./reductions.js";
export { sinc } from "./sinc.js";
export { logaddexp, logaddexp2 } from "./logaddexp.js";
export { asarray, array } from "./coerce.js";
export type { ArrayOptions } from "./coerce.js";
export type { ArangeOptions } from "./creation.js";
export { slice } from "./indexing.js";
export { NonConcreteBooleanIndexError } from "./advanced-indexing.js";
export { sort, argsort, searchsorted, nonzero } from "./sorting.js";
export {
  cumsum,
  cumprod,
  cumulativeSum,
  cumulativeProd,
  cumulative_sum,
  cumulative_prod,
} from "./cumulative.js";
export { take, takeAlongAxis, take_along_axis } from "./take.js";
export { split, arraySplit, array_split, tile, repeat, roll } from "./splitting.js";
export { diagonal, trace, tril, triu } from "./diagonal.js";
export { einsum } from "./einsum.js";
export {
  bool_,
  int8_ as int8,
  int16_ as int16,
  int32_ as int32,
  int64_ as int64,
  uint8_ as uint8,
  uint16_ as uint16,
  uint32_ as uint32,
  uint64_ as uint64,
  float16_ as float16,
  float32_ as float32,
  float64_ as float64,
} from "./scalar-types.js";
export { float0 } from "../core/dtype.js";
export { Array as ndarray } from "../trace/array.js";
export const newaxis = null;
export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;
export const euler_gamma = 0.5772156649015329;
export { convolve, correlate } from "./convolve.js";
export type { ConvolveMode, ConvolveOptions } from "./convolve.js";
export * as linalg from "./linalg/index.js";
export * as fft from "./fft/index.js";
export * from "./nan-reductions.js";
export * from "./quantiles.js";
export * from "./histograms.js";
export * from "./covariance.js";
export * from "./shape-tools.js";
export * from "./pad.js";
export * from "./calculus.js";
export * from "./sets.js";
export {
  real,
  imag,
  conj,
  conjugate,
  angle,
  iscomplex,
  isreal,
  iscomplexobj,
  isrealobj,
  realIfClose,
  complex64_ as complex64,
  complex128_ as complex128,
} from "./complex.js";
export * from "./ufunc-extras.js";
export { delete_ as delete } from "./array-manipulation.js";
export {
  append,
  insert,
  fliplr,
  flipud,
  rot90,
  rollaxis,
  permuteDims,
  matrixTranspose,
  hsplit,
  vsplit,
  dsplit,
  resize,
  trimZeros,
  unstack,
  concat,
  broadcastShapes,
  broadcastArrays,
  astype,
  copy,
  shape,
  size,
  ndim,
  isscalar,
  iterable,
  arrayEquiv,
} from "./array-manipulation.js";
export * from "./index-helpers.js";
export * from "./polynomials.js";
export * from "./windows-products.js";
export * from "./sort-bits-apply.js";
export * from "./dtype-info.js";
export * from "./index-tricks.js";
