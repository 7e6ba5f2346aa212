/**
 * `jax.numpy.fft` (exported as `numpy.fft`): the discrete Fourier transforms and their helpers,
 * every function named as JAX names it.
 */
import { nameExports } from "../../core/naming.js";
import * as fft from "./namespace.js";

export * from "./namespace.js";

nameExports(fft);
