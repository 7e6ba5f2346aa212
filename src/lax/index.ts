/**
 * The jax.lax namespace (namespace.ts lists its exports), with every function named as
 * JAX names it.
 */
import { nameExports } from "../core/naming.js";
import * as lax from "./namespace.js";

export * from "./namespace.js";

// Every exported function under its JAX name (`dotGeneral` → `dot_general`); the bitwise
// primitives' functions are lax.bitwise_* in JAX.
nameExports(lax, {
  and: "bitwise_and",
  or: "bitwise_or",
  xor: "bitwise_xor",
  not: "bitwise_not",
});
