/**
 * The jax.numpy namespace (namespace.ts lists its exports), with every function named as
 * JAX names it.
 */
import { nameExports } from "../core/naming.js";
import * as jnp from "./namespace.js";

export * from "./namespace.js";

// Every exported function under its JAX name (`floorDivide` → `floor_divide`).
nameExports(jnp, {
  variance: "var",
  atleast1d: "atleast_1d",
  atleast2d: "atleast_2d",
  atleast3d: "atleast_3d",
});
