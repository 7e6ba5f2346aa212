import { jit, grad, jacfwd, numpy as jnp, type Array } from "../src/index.js";
const f = (x: Array) => jnp.sum(x.mul(x));
for (const t of [() => jit(f)(undefined as never), () => grad(f)(undefined as never), () => jacfwd(null as never), () => grad(f, { argnums: 0.5 })(jnp.ones([2]))]) {
try { console.log(t()); } catch (e) { console.log((e as Error).stack?.split("\n").slice(0, 5).join("\n")); }
}
process.exit(0);
