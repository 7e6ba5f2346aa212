import { numpy as jnp, grad, jit, vmap, config } from "./src/index.js";
import { betainc } from "./src/lax/special/betainc.js";
config.update("jax_enable_x64", true);
const a = jnp.array([0.5, 1, 2, 5, 30, 0.1, 3, 100, 0, 2, 2], "float64");
const b = jnp.array([0.5, 3, 2, 0.7, 25, 10, 1, 90, 1, 1e-3, 3], "float64");
const x = jnp.array([0.3, 0.8, 0.5, 0.99, 0.6, 0.01, 0, 0.5, 0.5, 0.5, 1], "float64");
console.log(betainc(a, b, x).toString());
console.log(grad((x: any) => betainc(2, 3, x))(jnp.array(0.3, "float64")).toString());
console.log(jit(grad((x: any) => betainc(2, 3, x)))(jnp.array(0.3, "float64")).toString());
try { grad((a: any) => betainc(a, 3, 0.3))(jnp.array(0.3, "float64")); } catch (e) { console.log(String(e)); }
