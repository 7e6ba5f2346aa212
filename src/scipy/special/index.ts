/** The jax.scipy.special namespace (xlogy, xlog1py), every function named as JAX names it. */
import { nameExports } from "../../core/naming.js";
import * as special from "./namespace.js";

export * from "./namespace.js";

nameExports(special);
