/**
 * `jax.scipy.linalg` (exported as `scipy.linalg`): factorizations, solves and structured
 * matrices, qr / eigh / svd / polar / expm, every function named as JAX names it. schur,
 * hessenberg, rsf2csf and sqrtm need complex dtypes and raise NotImplementedError saying so.
 */
import { nameExports } from "../../core/naming.js";
import * as linalg from "./namespace.js";

export * from "./namespace.js";

nameExports(linalg);
