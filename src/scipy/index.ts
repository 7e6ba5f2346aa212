/** `jax.scipy`: one sub-namespace per folder (`scipy.signal.convolve2d`, `scipy.linalg.solve`). */
export * as linalg from "./linalg/index.js";
export * as signal from "./signal/index.js";
