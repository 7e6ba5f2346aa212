/**
 * Rows 3–5: the cost of jit itself — a cached call of a scalar function, a first call (trace +
 * compile + run), and the seed tutorial's caching section (cells 45/46).
 */
import { type Array as JArray, type ArrayLike, jit, numpy as jnp } from "../../src/index.js";
import type { Prepared } from "../harness.js";
import type { Row } from "../rows.js";

/** The seed's `f` (tour cell 39, without the print): a polynomial in x with static n. */
function f(x: ArrayLike, n: number): JArray {
  if (n >= 0) {
    const a = jnp.asarray(x);
    return a
      .pow(3)
      .mul(n)
      .add(a.pow(2).mul(n - 1))
      .add(a.mul(n - 2));
  }
  return jnp.multiply(2, x);
}

/** Tour cells 43/44: jit of a fresh closure per call vs jit of a named function. */
function unjittedExpFun(x: JArray): JArray {
  return x.pow(3).mul(3).add(x.pow(2).mul(2)).add(x.mul(5));
}

function fInnerJittedLambda(x: number): JArray {
  if (x > 0) return jit((y: JArray) => unjittedExpFun(y))(x as unknown as JArray);
  return jnp.multiply(2, x);
}

function fInnerJittedNormal(x: number): JArray {
  if (x > 0) return jit(unjittedExpFun)(x as unknown as JArray);
  return jnp.multiply(2, x);
}

export function dispatchRows(): Row[] {
  return [
    {
      id: "dispatch/scalar-cached",
      group: "jit dispatch",
      name: "f_jit_correct(10, 5).item()",
      lib: "jaxts",
      what: "jaxts: jit(f, {staticArgnames: ['n']})(10, 5).item() — cached call of the seed's scalar polynomial, result read as a JS number; JAX on the seed machine: 135 µs (cell 39)",
      vs: { ref: { seconds: 135e-6, label: "JAX seed: 135 µs" }, formula: "this/ref" },
      target: { on: "time", op: "<=", value: 5e-6 }, // issue 5 (wasm); the jit issue asked ≤ 10 µs
      async prepare(): Promise<Prepared> {
        const fJitCorrect = jit(f, { staticArgnames: ["n"] });
        return { fn: () => fJitCorrect(10, 5).item() };
      },
    },
    {
      id: "dispatch/first-call",
      group: "jit dispatch",
      name: "jit(sigmoid) first call, 1e3 f32",
      lib: "jaxts",
      what: "jaxts: jit(fresh closure)(x) with x = arange(1e3) f32 — trace + optimize + lower + codegen + run + blockUntilReady; a new function object every call, so the jit cache never hits",
      target: { on: "time", op: "<=", value: 10e-3 },
      async prepare(): Promise<Prepared> {
        const x = jnp.arange(1000, null, null, "float32").blockUntilReady();
        return {
          fn: () => jit((y: JArray) => jnp.divide(1, jnp.exp(y.neg()).add(1)))(x).blockUntilReady(),
          cleanup: (r) => (r as JArray).dispose(),
          teardown: () => x.dispose(),
        };
      },
    },
    {
      id: "dispatch/jit-lambda-loop",
      group: "jit caching (seed cells 45/46)",
      name: "jit(lambda) called in a loop",
      lib: "jaxts",
      what: "jaxts: f_inner_jitted_lambda(10).blockUntilReady() — jit of a new closure each call: retrace + recompile every time; JAX on the seed machine: 16.3 ms",
      vs: { ref: "dispatch/jit-named-loop", formula: "this/ref" },
      async prepare(): Promise<Prepared> {
        return { fn: () => fInnerJittedLambda(10).blockUntilReady() };
      },
    },
    {
      id: "dispatch/jit-named-loop",
      group: "jit caching (seed cells 45/46)",
      name: "jit(named) called in a loop",
      lib: "jaxts",
      what: "jaxts: f_inner_jitted_normal(10).blockUntilReady() — jit(unjitted_exp_fun) re-wrapped each call, cache hit by function; JAX on the seed machine: 501 µs (ratio 32.5x)",
      vs: { ref: { seconds: 501e-6, label: "JAX seed: 501 µs" }, formula: "this/ref" },
      async prepare(): Promise<Prepared> {
        return { fn: () => fInnerJittedNormal(10).blockUntilReady() };
      },
    },
  ];
}
