/** What `scipy.linalg` exports (index.ts names each function as JAX does). */
export {
  choFactor,
  choSolve,
  cholesky,
  det,
  inv,
  lu,
  luFactor,
  luSolve,
  solve,
  solveTriangular,
} from "./decompositions.js";
export { blockDiag, circulant, companion, hankel, toeplitz } from "./special-matrices.js";
export { eigh, polar, qr, svd } from "./spectral.js";
export { hessenberg, rsf2csf, schur, sqrtm } from "./nonsymmetric.js";
export type { HessenbergOptions } from "./nonsymmetric.js";
export type { ScipyEighOptions, ScipyQrOptions } from "./spectral.js";
export { expm } from "./expm.js";
