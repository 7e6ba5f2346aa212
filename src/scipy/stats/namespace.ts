/** The jax.scipy.stats namespace: one object per distribution module, and the functions. */
export {
  norm,
  cauchy,
  laplace,
  logistic,
  uniform,
  expon,
  gumbelL,
  gumbelR,
} from "./location-scale.js";
export { gamma, chi2, beta, t, pareto, gennorm, vonmises, wrapcauchy } from "./shape-families.js";
export { truncnorm } from "./truncnorm.js";
export { bernoulli, binom, betabinom, geom, nbinom, poisson } from "./discrete.js";
export { multinomial, multivariateNormal, dirichlet } from "./multivariate.js";
export { mode, rankdata, sem, ModeResult } from "./core.js";
export type { ModeOptions, RankdataOptions, SemOptions } from "./core.js";
export { GaussianKde, gaussianKde } from "./kde.js";
export type { BwMethod } from "./kde.js";
