/** The jax.scipy.signal namespace, every function named as JAX names it. */
import { nameExports } from "../../core/naming.js";
import * as signal from "./namespace.js";

export * from "./namespace.js";

nameExports(signal);
