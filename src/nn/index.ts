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
  softmax,
  logSoftmax,
  logsumexp,
  standardize,
  oneHot,
} from "./functions.js";
export type { LogsumexpOptions } from "./functions.js";
export * as initializers from "./initializers.js";
