/** `jax.scipy`: one sub-namespace per folder (`scipy.signal.convolve2d`, `scipy.special.xlogy`, `scipy.stats.norm.pdf`). */
export * as linalg from "./linalg/index.js";
export * as signal from "./signal/index.js";
export * as special from "./special/index.js";
export * as stats from "./stats/index.js";
