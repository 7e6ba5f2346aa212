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
export { eigh, hessenberg, polar, qr, rsf2csf, schur, sqrtm, svd } from "./spectral.js";
export type { ScipyEighOptions, ScipyQrOptions } from "./spectral.js";
export { expm } from "./expm.js";
