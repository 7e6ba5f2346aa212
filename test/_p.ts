import { grad, numpy as jnp, type Array } from "../src/index.js";
const f = (a: Array, b: Array) => jnp.sum(a.at(jnp.array([0, 2])).mul(b));
try { grad(f, { argnums: 1 })(jnp.ones([3]), jnp.array(2)); } catch (e) { console.log((e as Error).constructor.name, (e as Error).stack); }
process.exit(0);
