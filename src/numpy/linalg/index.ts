/**
 * `jax.numpy.linalg` (exported as `numpy.linalg`): factorizations and solves over
 * lax.linalg, the array-API products, and norms; every function named as JAX names it.
 * Not yet: eig, eigh, eigvals, eigvalsh, qr, svd, svdvals, pinv, lstsq, matrix_rank, cond
 * (they need qr/eigh/svd).
 */
import { nameExports } from "../../core/naming.js";
import { cholesky, inv, matrixPower, solve, tensorinv, tensorsolve } from "./solve.js";
import { SlogdetResult, det, slogdet } from "./det.js";
import {
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
import { matrixNorm, norm, vectorNorm } from "./norms.js";

export {
  cholesky,
  inv,
  matrixPower,
  solve,
  tensorinv,
  tensorsolve,
  SlogdetResult,
  det,
  slogdet,
  cross,
  diagonal,
  matmul,
  matrixTranspose,
  multiDot,
  outer,
  tensordot,
  trace,
  vecdot,
  matrixNorm,
  norm,
  vectorNorm,
};
export type { NormOptions, NormOrder } from "./norms.js";

nameExports({
  cholesky,
  inv,
  matrixPower,
  solve,
  tensorinv,
  tensorsolve,
  det,
  slogdet,
  cross,
  diagonal,
  matmul,
  matrixTranspose,
  multiDot,
  outer,
  tensordot,
  trace,
  vecdot,
  matrixNorm,
  norm,
  vectorNorm,
});
