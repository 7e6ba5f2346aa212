import { numpy as jnp, grad, config } from "./src/index.js";
import { ndtri, logNdtr } from "./src/scipy/special/normal.js";
for (const dt of ["float32", "float64"] as const) {
config.update("jax_enable_x64", dt === "float64");
const p = jnp.array([1e-300, 1e-30, 1e-10, 1e-3, 0.02, 0.3, 0.5, 0.7, 0.999, 1-1e-12, 0, 1, -0.1], dt);
console.log([...ndtri(p).toTypedArray()].map(v=>v.toPrecision(16)).join(" "));
const x = jnp.array([-40, -15, -9, -3, 0, 2, 6, 10], dt);
console.log([...logNdtr(x).toTypedArray()].map(v=>v.toPrecision(16)).join(" "));
}
