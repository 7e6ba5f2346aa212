/**
 * `jax.numpy.linalg` (exported as `numpy.linalg`): factorizations and solves over
 * lax.linalg, the array-API products, and norms; every function named as JAX names it.
 * Not yet: eig, eigh, eigvals, eigvalsh, qr, svd, svdvals, pinv, lstsq, matrix_rank, cond
 * (they need qr/eigh/svd).
 */
import { nameExports } from "../../core/naming.js";
import * as linalg from "./namespace.js";

export * from "./namespace.js";

nameExports(linalg);
