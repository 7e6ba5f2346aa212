/* global window, document, navigator, location, URLSearchParams, crossOriginIsolated */
/**
 * The bundler test's app (test/browser/bundlers.ts): imports the package by its name, as a user's
 * app does, and is bundled by esbuild and by vite (production, minified) before it runs in
 * Chromium. It checks values against references computed here, that big kernels ran on the
 * wasm device's worker threads — including a JS kernel that needs the workers' helpers
 * (gammaln: `rt.lgamma`) — and what printEnvironmentInfo() says. Results go to `window.__app`
 * ({ done, env, checks: [{ name, ok, detail }], fatal? }).
 */
import { numpy as jnp, jit, grad, scipy, devices, printEnvironmentInfo } from "jaxts";

const checks = [];
const check = (name, ok, detail = "") => checks.push({ name, ok: !!ok, detail: String(detail) });
const close = (got, want, rtol) => Math.abs(got - want) <= rtol * Math.max(1, Math.abs(want));
async function attempt(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, `threw ${e && e.stack ? e.stack : String(e)}`);
  }
}

async function run() {
  const isolated = typeof crossOriginIsolated === "boolean" && crossOriginIsolated;
  // Not public API: the runtime device behind jax.devices()[0] (its worker threads' state).
  const dev = devices()[0].impl;
  const env = {
    crossOriginIsolated: isolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    platform: devices()[0].platform,
    threads: await dev.whenThreadsReady(20_000),
    queuedTasks: 0,
    helperTasks: 0,
  };
  const n = 1 << 20;
  const x = jnp.arange(n).astype("float32");

  await attempt("jit(exp(x·1e-6)).sum()", () => {
    const before = dev.queuedTasks;
    const got = jit((v) => jnp.exp(v.mul(1e-6)).sum())(x).item();
    env.queuedTasks += dev.queuedTasks - before;
    let want = 0;
    for (let k = 0; k < n; k++) want += Math.exp(Math.fround(k * 1e-6));
    check("jit(exp(x·1e-6)).sum()", close(got, want, 1e-4), `${got} vs ${want}`);
  });

  await attempt("gammaln (a JS kernel calling rt.lgamma)", () => {
    const before = dev.queuedTasks;
    const y = jit((v) => scipy.special.gammaln(v.mul(1e-3).add(0.5)))(x).toTypedArray();
    env.helperTasks = dev.queuedTasks - before;
    // lgamma(0.5) = log √π, lgamma(1) = lgamma(2) = 0, lgamma(10.5), lgamma(1000.5)
    const refs = [
      [0, 0.5723649429247004],
      [500, 0],
      [1500, 0],
      [10000, 13.940625219403763],
      [1000000, 5908.674175848678],
    ];
    const bad = refs.filter(([k, want]) => !close(y[k], want, 2e-6));
    check(
      "gammaln values",
      bad.length === 0,
      refs.map(([k, want]) => `${k}: ${y[k]} (want ${want})`).join(", "),
    );
  });

  await attempt("grad(sum(sin))", () => {
    const at = [0.5, 1.25, 2.5];
    const g = grad((v) => jnp.sin(v).sum())(jnp.array(at)).toTypedArray();
    const ok = at.every((v, k) => close(g[k], Math.cos(v), 1e-6));
    check("grad(sum(sin)) = cos", ok, Array.from(g).join(", "));
  });

  await attempt("matmul 128×128", () => {
    const a = jnp
      .arange(128 * 128)
      .reshape([128, 128])
      .astype("float32")
      .mul(1e-4);
    const c = jnp.matmul(a, a.T).toTypedArray();
    // c[i][j] = Σ_k a[i,k]·a[j,k] with a[i,k] = (128 i + k)·1e-4
    const ref = (i, j) => {
      let s = 0;
      for (let k = 0; k < 128; k++) s += (128 * i + k) * 1e-4 * ((128 * j + k) * 1e-4);
      return s;
    };
    const at = [
      [0, 0],
      [3, 77],
      [127, 127],
    ];
    const ok = at.every(([i, j]) => close(c[128 * i + j], ref(i, j), 1e-5));
    check("matmul values", ok, at.map(([i, j]) => `${c[128 * i + j]}~${ref(i, j)}`).join(", "));
  });

  const info = printEnvironmentInfo(true);
  env.info = info;
  // ?workers=blocked: the page's Content-Security-Policy refuses blob: workers.
  const blocked = new URLSearchParams(location.search).get("workers") === "blocked";
  if (blocked) {
    check("environment: workers could not start", info.includes("FAILED TO START"), info);
    check("environment: no worker thread ready", /wasm worker threads: 0 of/.test(info), info);
    return env;
  }
  if (isolated) {
    check("environment: worker threads ready", /wasm worker threads: [1-9]\d* of/.test(info), info);
    check("environment: workers have their helpers", info.includes("JS helpers loaded"), info);
  } else {
    check("environment: no worker threads", info.includes("wasm worker threads: none"), info);
  }
  check("environment: nothing failed", !info.includes("FAILED"), info);
  return env;
}

run().then(
  (env) => {
    window.__app = { done: true, env, checks };
    document.getElementById("out").textContent = JSON.stringify(window.__app, null, 2);
  },
  (e) => {
    window.__app = { done: true, checks, fatal: e && e.stack ? e.stack : String(e) };
  },
);
