/** `jax.scipy`: its submodules as namespaces (`scipy.signal.convolve2d`). */
export * as signal from "./signal/index.js";
