import { numpy as jnp, config, jit } from "./src/index.js";
config.update("defaultDevice", "js");
const a = jnp.array([[1, 2, 3], [4, 5, 6]]).astype("float32");
const w = jnp.array([0.5, 1, 2]);
const f = (a, w) => { const ww = jnp.broadcastTo(w, [2,3]); return jnp.sum(a.mul(ww), 1).div(jnp.sum(ww, 1)); };
try { console.log(jit(f).lower(a, w).asText()); } catch (e) { console.log("ERR", (e as Error).message); }
