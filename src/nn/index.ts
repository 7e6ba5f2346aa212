/**
 * The jax.nn namespace (namespace.ts lists its exports), with every function named as
 * JAX names it.
 */
import { nameExports } from "../core/naming.js";
import * as nn from "./namespace.js";

export * from "./namespace.js";

// Every exported function under its JAX name (`logSoftmax` → `log_softmax`).
nameExports(nn);
