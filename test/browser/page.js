/* global window, document, navigator, performance, crossOriginIsolated */
/**
 * The browser smoke test's page: imports the built package (dist/) as a browser would and
 * checks real behaviour against known values. Results go to `window.__smoke`
 * ({ done, env, checks: [{ name, ok, detail }], fatal? }); test/browser/smoke.ts reads them.
 */
import { numpy as jnp, jit, lax, makeJaxpr, float, grad, random, config } from "/dist/index.js";
// Not public API: the wasm device's thread count (see src/backend/wasm/device.ts).
import { getDevice } from "/dist/runtime/devices.js";

const checks = [];
const check = (name, ok, detail = "") => checks.push({ name, ok: !!ok, detail: String(detail) });
async function attempt(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, `threw ${e && e.stack ? e.stack : String(e)}`);
  }
}

/** Distance in float32 units in the last place (NaN: Infinity unless both are NaN). */
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const ordered = (x) => {
  f32[0] = x;
  const i = i32[0];
  return i < 0 ? -2147483648 - i : i;
};
function ulps(a, b) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(ordered(a) - ordered(b));
}
function maxUlps(got, want) {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const u = ulps(got[i], want[i]);
    if (u > worst) [worst, at] = [u, i];
  }
  return { worst, at };
}

const sigmoid = (x) => jnp.divide(1, jnp.exp(x.neg()).add(1));
const refSigmoid = (x) => Math.fround(1 / (1 + Math.exp(-x)));

async function run() {
  const dev = getDevice("wasm");
  const env = {
    crossOriginIsolated: typeof crossOriginIsolated === "boolean" ? crossOriginIsolated : null,
    sharedArrayBuffer: typeof SharedArrayBuffer !== "undefined",
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
    sharedMemory: dev.sharedMemory,
    threadsAtImport: dev.threads,
    threads: 0,
    queuedTasks: 0,
  };

  // Before the worker threads are up: everything runs on this thread.
  await attempt("makeJaxpr(sigmoid)", () => {
    const text = makeJaxpr(sigmoid)(float(5.0)).toString();
    const want =
      "{ lambda ; a:f32[]. let\n    b:f32[] = neg a\n    c:f32[] = exp b\n" +
      "    d:f32[] = add c 1.0\n    e:f32[] = div 1.0 d\n  in (e,) }";
    check("makeJaxpr(sigmoid)", text === want, JSON.stringify(text));
  });
  await attempt("jit(sigmoid)([0, 2, 4, 8])", () => {
    const got = String(jit(sigmoid)(jnp.array([0, 2, 4, 8])));
    const want = "[0.5        0.8807971  0.98201376 0.99966466]";
    check("jit(sigmoid)([0, 2, 4, 8])", got === want, got);
  });

  env.threads = await dev.whenThreadsReady(20_000);

  await attempt("grad(jnp.sin)(1.0)", () => {
    const g = grad(jnp.sin)(float(1.0));
    const s = String(g);
    const v = g.toTypedArray()[0];
    const u = ulps(v, Math.fround(Math.cos(1)));
    check("grad(jnp.sin)(1.0) = cos(1)", s === "0.5403023" && u <= 1, `${s} (${u} ulp)`);
  });
  await attempt("random.normal(key(0))", () => {
    const s = String(random.normal(random.key(0)));
    check("random.normal(key(0))", s === "1.6226422", s);
  });
  await attempt("kernels that are not compiled to wasm", () => {
    const sorted = String(jnp.sort(jnp.array([3, 1, 2])));
    const cum = String(jnp.cumsum(jnp.array([1, 2, 3])));
    const chol = String(
      jnp.linalg.cholesky(
        jnp.array(
          [
            [4, 2],
            [2, 3],
          ],
          { dtype: "float32" },
        ),
      ),
    );
    const want = ["[1 2 3]", "[1 3 6]", "[[2.        0.       ]\n [1.        1.4142135]]"];
    const got = [sorted, cum, chol];
    check(
      "sort, cumsum, cholesky",
      got.every((g, i) => g === want[i]),
      JSON.stringify(got),
    );
  });
  await attempt("a while loop (compiled kernels, driven by the runtime)", () => {
    let evalAllowed = true;
    try {
      new Function("");
    } catch {
      evalAllowed = false;
    }
    const run = (f) => {
      try {
        return String(f());
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    };
    const got = run(() =>
      lax.whileLoop(
        (i) => i.lt(10),
        (i) => i.add(3),
        jnp.int32(0),
      ),
    );
    check(
      `while loop (eval ${evalAllowed ? "allowed" : "forbidden"})`,
      got === "12",
      got.slice(0, 160),
    );
    // A float64 kernel still runs as generated JS on the wasm device.
    config.update("enableX64", true);
    const f64 = run(() => jnp.exp(jnp.array([0, 1], { dtype: "float64" })));
    config.update("enableX64", false);
    const ok = evalAllowed
      ? f64 === "[1.         2.71828183]"
      : f64.startsWith("DeviceError: ") && f64.includes("Content-Security-Policy");
    check(`float64 kernel (eval ${evalAllowed ? "allowed" : "forbidden"})`, ok, f64.slice(0, 160));
  });
  await attempt("devtools formatter", () => {
    const formatters = window.devtoolsFormatters ?? [];
    const headers = formatters.map((f) => f.header(jnp.arange(3)));
    const text = JSON.stringify(headers.find((h) => h !== null) ?? null);
    const ok = text?.includes("Array([0, 1, 2], dtype=int32)");
    check("devtools formatter shows the repr", ok, text);
  });
  await attempt("small matmul", () => {
    const [m, k, n] = [3, 4, 5];
    const av = Array.from({ length: m * k }, (_, i) => (i % 7) - 2.5);
    const bv = Array.from({ length: k * n }, (_, i) => ((i * 3) % 11) / 4 - 1);
    const c = jnp.matmul(jnp.array(av).reshape([m, k]), jnp.array(bv).reshape([k, n]));
    const got = c.toTypedArray();
    const want = new Float32Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += av[i * k + p] * bv[p * n + j];
        want[i * n + j] = s;
      }
    const { worst, at } = maxUlps(got, want);
    check(
      "small matmul (3x4 @ 4x5)",
      c.shape.join() === "3,5" && worst === 0,
      `shape ${c.shape}, max ${worst} ulp at ${at}`,
    );
  });

  const queued0 = dev.queuedTasks;
  await attempt("jit(sigmoid) on 1e6 elements", async () => {
    const n = 1_000_000;
    const f = jit(sigmoid);
    const x = jnp.linspace(-30, 30, n);
    const xs = x.toTypedArray();
    const want = xs.map(refSigmoid);
    // Read synchronously right after dispatch (the workers may still be computing).
    const y = f(x);
    const got = y.toTypedArray();
    const r1 = maxUlps(got, want);
    check(
      "jit(sigmoid) 1e6, read synchronously",
      got.length === n && r1.worst <= 3,
      `max ${r1.worst} ulp at x=${xs[r1.at]}`,
    );
    // And asynchronously (Atomics.waitAsync or polling on this thread).
    const z = f(x.mul(0.5));
    await z.ready();
    const got2 = z.toTypedArray();
    const want2 = xs.map((v) => refSigmoid(Math.fround(v * 0.5)));
    const r2 = maxUlps(got2, want2);
    check(
      "jit(sigmoid) 1e6, after await ready()",
      got2.length === n && r2.worst <= 3,
      `max ${r2.worst} ulp`,
    );
  });
  await attempt("matmul 256x256", () => {
    const n = 256;
    const a = random.uniform(random.key(1), [n, n]);
    const b = random.uniform(random.key(2), [n, n]);
    const c = jnp.matmul(a, b).toTypedArray();
    const av = a.toTypedArray();
    const bv = b.toTypedArray();
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += av[i * n + p] * bv[p * n + j];
        worst = Math.max(worst, Math.abs(c[i * n + j] - s) / Math.abs(s));
      }
    check("matmul 256x256 vs JS (relative error < 1e-5)", worst < 1e-5, `max ${worst}`);
  });
  env.queuedTasks = dev.queuedTasks - queued0;
  env.threadsAtEnd = dev.threads;

  // A main thread cannot block, so while it waits for the workers it runs chunks itself
  // instead of spinning on a core they need (callerHelps in device.ts). Asserted by the
  // chunks it ran; the timings are reported, not asserted.
  await attempt("the waiting main thread runs chunks of big kernels", async () => {
    const f = jit(sigmoid);
    const x = jnp.arange(10_000_000).astype("float32").mul(1e-6);
    const median = (reps) => {
      const t = [];
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now();
        const y = f(x);
        y.blockUntilReady();
        t.push(performance.now() - t0);
        y.dispose();
      }
      return t.sort((a, b) => a - b)[reps >> 1];
    };
    median(3); // compile, warm up
    const threads = dev.threads;
    const helped0 = dev.helpedChunks;
    const tN = median(15);
    if (threads === 0) {
      check("jit(sigmoid) 1e7, single-threaded", true, `${tN.toFixed(2)} ms`);
      return;
    }
    check(
      `the main thread ran chunks while ${threads} workers computed`,
      dev.helpedChunks > helped0,
      `${dev.helpedChunks - helped0} chunks over 15 calls`,
    );
    config.update("threads", 1);
    const t1 = median(15);
    config.update("threads", 0);
    await dev.whenThreadsReady(20_000);
    env.timing = `jit(sigmoid) 1e7: ${tN.toFixed(2)} ms on ${threads} workers, ${t1.toFixed(2)} ms on 1 thread (${(t1 / tN).toFixed(2)}x)`;
  });
  return env;
}

run().then(
  (env) => {
    window.__smoke = { done: true, env, checks };
    document.getElementById("out").textContent = JSON.stringify(window.__smoke, null, 2);
  },
  (e) => {
    window.__smoke = { done: true, checks, fatal: e && e.stack ? e.stack : String(e) };
  },
);
