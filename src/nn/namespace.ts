/** `jax.nn`: activations, softmax/logsumexp, one_hot, standardize, and `nn.initializers`. */
export {
  relu,
  relu6,
  sigmoid,
  softplus,
  logSigmoid,
  silu,
  swish,
  mish,
  softSign,
  elu,
  leakyRelu,
  hardTanh,
  celu,
  selu,
  hardSigmoid,
  hardSilu,
  hardSwish,
  gelu,
  glu,
} from "./functions.js";
export type { AlphaOptions, GeluOptions, GluOptions, LeakyReluOptions } from "./functions.js";
export { softmax, logSoftmax, logsumexp, standardize, oneHot } from "./softmax.js";
export type {
  LogsumexpOptions,
  OneHotOptions,
  SoftmaxOptions,
  StandardizeOptions,
} from "./softmax.js";
export {
  identity,
  tanh,
  squareplus,
  sparsePlus,
  sparseSigmoid,
  log1mexp,
  logmeanexp,
} from "./more-functions.js";
export * as initializers from "./initializers.js";
export { pool, avgPool, maxPool, minPool } from "./pooling.js";
export type { PoolOptions, AvgPoolOptions } from "./pooling.js";
export { dotProductAttention } from "./attention.js";
export type { DotProductAttentionOptions } from "./attention.js";
