/** What `numpy.linalg` exports (index.ts names each function as JAX does). */
export { cholesky, inv, matrixPower, solve, tensorinv, tensorsolve } from "./solve.js";
export { SlogdetResult, det, slogdet } from "./det.js";
export {
  cross,
  diagonal,
  matmul,
  matrixTranspose,
  multiDot,
  outer,
  tensordot,
  trace,
  vecdot,
} from "./products.js";
export { matrixNorm, norm, vectorNorm } from "./norms.js";
export type { NormOptions, NormOrder } from "./norms.js";
export {
  EighResult,
  QRResult,
  SVDResult,
  eig,
  eigh,
  eigvals,
  eigvalsh,
  lstsq,
  matrixRank,
  pinv,
  qr,
  svd,
  svdvals,
} from "./spectral.js";
export type { SvdOptions } from "./spectral.js";
export { cond } from "./cond.js";
