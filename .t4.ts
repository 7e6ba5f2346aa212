import { numpy as jnp, grad, config } from "./src/index.js";
import { besselI0e, besselI1e } from "./src/lax/special/bessel.js";
config.update("jax_enable_x64", true);
const x = jnp.array([-20, -3, -0.5, 0, 0.5, 3, 7.9, 8.1, 50, 1e4], "float64");
console.log(besselI0e(x).toString()); console.log(besselI1e(x).toString());
console.log(grad((x: any) => besselI1e(x))(jnp.array(0.0, "float64")).toString(), grad((x: any) => besselI0e(x))(jnp.array(2.0, "float64")).toString());
