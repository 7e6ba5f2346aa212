import { numpy as jnp, grad, config } from "./src/index.js";
import { zeta, polygamma } from "./src/lax/special/zeta.js";
config.update("jax_enable_x64", true);
const s = jnp.array([2, 3.5, 1.1, 10, 2, 1, 0.5, 2, 4], "float64");
const q = jnp.array([1, 0.5, 2, 3, 100, 1, 1, -1, 1e-3], "float64");
console.log(zeta(s, q).toString());
console.log(polygamma(jnp.array([0,1,2,3,1], "int32"), jnp.array([0.5, 2, 3.5, 10, 0.01], "float64")).toString());
console.log(grad((x: any) => zeta(x, 2.0))(jnp.array(3.0, "float64")).toString());
