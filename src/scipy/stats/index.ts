/** The jax.scipy.stats namespace (`scipy.stats.norm.pdf`, `scipy.stats.rankdata`, …). */
export * from "./namespace.js";
