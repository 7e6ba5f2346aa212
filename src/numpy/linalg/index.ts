/**
 * `jax.numpy.linalg` (exported as `numpy.linalg`): factorizations and solves over
 * lax.linalg, the array-API products, and norms; every function named as JAX names it.
 * qr/eigh/svd and what is written with them (eigvalsh, svdvals, pinv, lstsq, matrix_rank,
 * cond), and eig / eigvals (complex results).
 */
import { nameExports } from "../../core/naming.js";
import * as linalg from "./namespace.js";

export * from "./namespace.js";

nameExports(linalg);
