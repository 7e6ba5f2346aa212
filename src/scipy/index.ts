/** `jax.scipy`: one sub-namespace per folder. */
export * as linalg from "./linalg/index.js";
