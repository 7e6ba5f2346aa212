/**
 * `jax.scipy.linalg` (exported as `scipy.linalg`): factorizations, solves and structured
 * matrices, every function named as JAX names it. Not yet: eigh, svd, qr, schur, expm,
 * polar, sqrtm and the other functions that need qr/eigh/svd.
 */
import { nameExports } from "../../core/naming.js";
import * as linalg from "./namespace.js";

export * from "./namespace.js";

nameExports(linalg);
