/**
 * `jax.scipy.linalg` (exported as `scipy.linalg`): factorizations, solves and structured
 * matrices, every function named as JAX names it. Not yet: eigh, svd, qr, schur, expm,
 * polar, sqrtm and the other functions that need qr/eigh/svd.
 */
import { nameExports } from "../../core/naming.js";
import {
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
import { blockDiag, circulant, companion, hankel, toeplitz } from "./special-matrices.js";

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
  blockDiag,
  circulant,
  companion,
  hankel,
  toeplitz,
};

nameExports({
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
  blockDiag,
  circulant,
  companion,
  hankel,
  toeplitz,
});
