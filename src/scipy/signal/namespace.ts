/** `jax.scipy.signal`: the exports of the namespace. */
export { convolve, correlate, convolve2d, correlate2d } from "./convolve.js";
export type { SignalMode, ConvolveOptions, Convolve2dOptions } from "./convolve.js";
