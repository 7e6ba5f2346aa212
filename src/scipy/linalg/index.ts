/**
 * `jax.scipy.linalg` (exported as `scipy.linalg`): factorizations, solves and structured
 * matrices, qr / eigh / svd / polar / expm, and the nonsymmetric schur / hessenberg / rsf2csf /
 * sqrtm, every function named as JAX names it.
 */
import { nameExports } from "../../core/naming.js";
import * as linalg from "./namespace.js";

export * from "./namespace.js";

nameExports(linalg);
