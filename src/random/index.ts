/**
 * `jax.random`: counter-based pseudo-random numbers from explicit keys (threefry2x32),
 * value-for-value with JAX. `random.key(seed)` gives a typed key, `random.PRNGKey(seed)` a raw
 * uint32[2] key; every function accepts both.
 */
export {
  KeyArray,
  KeyDType,
  key,
  PRNGKey,
  keyData,
  wrapKeyData,
  split,
  foldIn,
  clone,
} from "./keys.js";
export type { KeyLike } from "./keys.js";
export {
  bits,
  uniform,
  normal,
  truncatedNormal,
  bernoulli,
  randint,
  exponential,
  laplace,
  logistic,
  gumbel,
  cauchy,
  rademacher,
  pareto,
  weibullMin,
  maxwell,
  categorical,
} from "./distributions.js";
export {
  threefryPartitionable,
  setThreefryPartitionable,
  withThreefryPartitionable,
} from "./config.js";
export { permutation, choice } from "./shuffle.js";
export { gamma, loggamma, beta, dirichlet } from "./gamma.js";
export { poisson } from "./poisson.js";
export {
  chisquare,
  f,
  t,
  rayleigh,
  wald,
  lognormal,
  geometric,
  triangular,
  doubleSidedMaxwell,
  generalizedNormal,
  ball,
  orthogonal,
  multivariateNormal,
} from "./more-distributions.js";
