// Run by test/backend/csp.test.ts under `node --disallow-code-generation-from-strings` (what a
// strict Content-Security-Policy does to a page): prints one JSON line of results.
import { type Array, config, jit, lax, numpy as jnp } from "../../../src/index.js";

const out: Record<string, string> = {};
const attempt = (name: string, f: () => string) => {
  try {
    out[name] = f();
  } catch (e) {
    out[name] = `${(e as Error).name}: ${(e as Error).message}`;
  }
};
attempt("sort", () => String(jnp.sort(jnp.array([3, 1, 2]))));
attempt("cumsum", () => String(jnp.cumsum(jnp.array([1, 2, 3]))));
attempt("cholesky", () =>
  String(
    jnp.linalg.cholesky(
      jnp.array(
        [
          [4, 2],
          [2, 5],
        ],
        { dtype: "float32" },
      ),
    ),
  ),
);
attempt("jit sum of exp", () =>
  String(jit((x: Array) => jnp.exp(x).sum())(jnp.arange(4).astype("float32"))),
);
attempt("while loop", () =>
  String(
    lax.whileLoop(
      (i: Array) => i.lt(10),
      (i: Array) => i.add(3),
      jnp.int32(0),
    ),
  ),
);
// float64 kernels still run as generated JS on the wasm device (issue 18 compiles them next).
config.update("enableX64", true);
attempt("float64 exp", () => String(jnp.exp(jnp.array([0, 1], { dtype: "float64" }))));
config.update("enableX64", false);
config.update("defaultDevice", "js");
attempt("js device add", () => String(jnp.arange(3).add(1)));
console.log(JSON.stringify(out));
