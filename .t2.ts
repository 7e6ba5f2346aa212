import { numpy as jnp, lax, config } from "./src/index.js";
config.update("jax_enable_x64", true);
const a = jnp.array([0.5, 5, 30, 100], "float64");
console.log([...lax.lgamma(a).toTypedArray()].map(v=>v.toPrecision(17)).join(" "));
console.log([...lax.digamma(a).toTypedArray()].map(v=>v.toPrecision(17)).join(" "));
