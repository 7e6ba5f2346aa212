/** Rows 1 and 2: sigmoid over 1e7 float32 elements — jaxts jit/eager, JS baselines, peers. */
import { type Array as JArray, jit, numpy as jnp } from "../../src/index.js";
import type { Prepared } from "../harness.js";
import { type Context, type Row, isNA } from "../rows.js";

const N = 10_000_000;
const GROUP = "sigmoid 1/(1+exp(-x)), x = arange(1e7) f32";
/** Minimal traffic of one pass: read 4e7 bytes, write 4e7 bytes. */
const BYTES = 8 * N;

const sigmoid = (x: JArray): JArray => jnp.divide(1, jnp.exp(x.neg()).add(1));

function jaxtsInput(): JArray {
  return jnp.arange(N, null, null, "float32").blockUntilReady();
}

function hostArange(): Float32Array {
  const x = new Float32Array(N);
  for (let i = 0; i < N; i++) x[i] = i;
  return x;
}

const disposeJ = (r: unknown) => (r as JArray).dispose();

export function sigmoidRows(ctx: Context): Row[] {
  const js = ctx.device.name === "js";
  return [
    {
      id: "sigmoid/jaxts-jit",
      group: GROUP,
      name: "jaxts jit(sigmoid)",
      lib: "jaxts",
      what: "jaxts: jit(sigmoid)(x) on the default device; cached executable, one fused kernel; waits with blockUntilReady(), result not copied out",
      work: { bytes: BYTES },
      async prepare(): Promise<Prepared> {
        const x = jaxtsInput();
        const f = jit(sigmoid);
        return { fn: () => f(x).blockUntilReady(), cleanup: disposeJ, teardown: () => x.dispose() };
      },
    },
    {
      id: "sigmoid/jaxts-eager",
      group: GROUP,
      name: "jaxts eager (op by op)",
      lib: "jaxts",
      what: "jaxts: sigmoid(x) without jit: neg, exp, add, div dispatched one by one (4 kernels, 3 temporaries); blockUntilReady()",
      vs: { ref: "sigmoid/jaxts-jit", formula: "this/ref" },
      target: { on: "ratio", op: ">=", value: 3 },
      work: { bytes: BYTES },
      async prepare(): Promise<Prepared> {
        const x = jaxtsInput();
        return {
          fn: () => sigmoid(x).blockUntilReady(),
          cleanup: disposeJ,
          teardown: () => x.dispose(),
        };
      },
    },
    {
      id: "sigmoid/js-loop",
      group: GROUP,
      name: "JS hand-fused loop",
      lib: "baseline",
      what: "plain JS: out = new Float32Array(1e7); out[i] = 1 / (1 + Math.exp(-x[i])) — the same contract as the jit call (fresh output each call)",
      vs: { ref: "sigmoid/jaxts-jit", formula: "ref/this" },
      ...(js ? { target: { on: "ratio", op: "<=", value: 1.3 } as const } : {}),
      work: { bytes: BYTES },
      async prepare(): Promise<Prepared> {
        const x = hostArange();
        return {
          fn: () => {
            const out = new Float32Array(N);
            for (let i = 0; i < N; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
            return out;
          },
        };
      },
    },
    {
      id: "sigmoid/copy",
      group: GROUP,
      name: "copy 4e7 B (TypedArray.set)",
      lib: "baseline",
      what: "bandwidth bound: dst.set(src) of 1e7 float32 (4e7 bytes) into a preallocated Float32Array; GB/s counts read + write",
      vs: { ref: "sigmoid/jaxts-jit", formula: "ref/this" },
      ...(js ? {} : { target: { on: "ratio", op: "<=", value: 3 } as const }),
      work: { bytes: BYTES },
      async prepare(): Promise<Prepared> {
        const src = hostArange();
        const dst = new Float32Array(N);
        return { fn: () => dst.set(src) };
      },
    },
    {
      id: "sigmoid/jaxjs-jit",
      group: GROUP,
      name: "jax-js jit(sigmoid) wasm",
      lib: "jax-js",
      what: "jax-js: jit(x => np.divide(1, np.exp(np.negative(x)).add(1)))(x.ref) on its wasm device, x = np.array(Float32Array) (an np.arange input is never computed by blockUntilReady); await y.blockUntilReady(), then y.dispose()",
      vs: { ref: "sigmoid/jaxts-jit", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 0.25 }, // ≥ 4× faster
      work: { bytes: BYTES },
      async prepare(c): Promise<Prepared> {
        const p = await c.jaxjs();
        if (isNA(p)) return p;
        const { numpy: np, jit: jjit } = p.jax;
        // From host data: an np.arange input stays a symbolic index expression in jax-js, and
        // blockUntilReady() on an expression of it returns at once without computing anything.
        const x = await np.array(hostArange()).blockUntilReady();
        const f = jjit((a: typeof x) => np.divide(1, np.exp(np.negative(a)).add(1)));
        return {
          fn: () => f(x.ref).blockUntilReady(),
          cleanup: (r) => (r as typeof x).dispose(),
          teardown: () => x.dispose(),
        };
      },
    },
    {
      id: "sigmoid/jaxjs-eager",
      group: GROUP,
      name: "jax-js eager (op by op) wasm",
      lib: "jax-js",
      what: "jax-js: the same sigmoid without jit (jax-js builds eager ops lazily and may fuse them); await blockUntilReady()",
      vs: { ref: "sigmoid/jaxts-eager", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 1 },
      work: { bytes: BYTES },
      async prepare(c): Promise<Prepared> {
        const p = await c.jaxjs();
        if (isNA(p)) return p;
        const { numpy: np } = p.jax;
        // From host data: an np.arange input stays a symbolic index expression in jax-js, and
        // blockUntilReady() on an expression of it returns at once without computing anything.
        const x = await np.array(hostArange()).blockUntilReady();
        const f = (a: typeof x) => np.divide(1, np.exp(np.negative(a)).add(1));
        return {
          fn: () => f(x.ref).blockUntilReady(),
          cleanup: (r) => (r as typeof x).dispose(),
          teardown: () => x.dispose(),
        };
      },
    },
    {
      id: "sigmoid/tfjs-sigmoid",
      group: GROUP,
      name: "tfjs-wasm tf.sigmoid",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.sigmoid(x) (one XNNPACK kernel); the wasm backend runs ops synchronously, so the result is ready on return; then dispose()",
      vs: { ref: "sigmoid/jaxts-jit", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 1 / 1.5 }, // ≥ 1.5× faster
      work: { bytes: BYTES },
      async prepare(c): Promise<Prepared> {
        const p = await c.tfjs();
        if (isNA(p)) return p;
        const { tf } = p;
        const x = tf.range(0, N, 1, "float32");
        return {
          fn: () => tf.sigmoid(x),
          cleanup: (r) => (r as typeof x).dispose(),
          teardown: () => x.dispose(),
        };
      },
    },
    {
      id: "sigmoid/tfjs-ops",
      group: GROUP,
      name: "tfjs-wasm op by op",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.tidy(() => tf.div(1, tf.add(1, tf.exp(tf.neg(x))))) — 4 kernels, intermediates freed by tidy",
      vs: { ref: "sigmoid/jaxts-eager", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 1 },
      work: { bytes: BYTES },
      async prepare(c): Promise<Prepared> {
        const p = await c.tfjs();
        if (isNA(p)) return p;
        const { tf } = p;
        const x = tf.range(0, N, 1, "float32");
        return {
          fn: () => tf.tidy(() => tf.div(1, tf.add(1, tf.exp(tf.neg(x))))),
          cleanup: (r) => (r as typeof x).dispose(),
          teardown: () => x.dispose(),
        };
      },
    },
  ];
}
