/** Row 6: 1024×1024 float32 matmul — jaxts jit(jnp.matmul), tfjs-wasm tf.matMul, jax-js. */
import { type Array as JArray, jit, numpy as jnp } from "../../src/index.js";
import type { Prepared } from "../harness.js";
import { type Context, type Row, isNA, uniform } from "../rows.js";
import { fmaPeakBench } from "../fma-peak.js";

export const MM = 1024;
const GROUP = "matmul 1024×1024 f32";
const FLOPS = 2 * MM ** 3;

export function matmulData(): [Float32Array, Float32Array] {
  return [uniform(MM * MM, 1), uniform(MM * MM, 2)];
}

export function jaxtsMatmulBench(): Prepared {
  const [A, B] = matmulData();
  const a = jnp.asarray(A).reshape(MM, MM).blockUntilReady();
  const b = jnp.asarray(B).reshape(MM, MM).blockUntilReady();
  const mm = jit(jnp.matmul);
  return {
    fn: () => mm(a, b).blockUntilReady(),
    cleanup: (r) => (r as JArray).dispose(),
    teardown: () => {
      a.dispose();
      b.dispose();
    },
  };
}

export function matmulRows(ctx: Context): Row[] {
  const threads = Math.max(1, ctx.device.threads ?? 1);
  return [
    {
      id: "matmul/jaxts-jit",
      group: GROUP,
      name: "jaxts jit(jnp.matmul)",
      lib: "jaxts",
      what: "jaxts: jit(jnp.matmul)(a, b) on the default device, a, b uniform(-1, 1); blockUntilReady(); GFLOP/s = 2·1024³ / time",
      work: { flops: FLOPS },
      async prepare(): Promise<Prepared> {
        return jaxtsMatmulBench();
      },
    },
    {
      id: "matmul/peak",
      group: GROUP,
      name: `f32x4 FMA peak, ${threads} thread${threads > 1 ? "s" : ""}`,
      lib: "baseline",
      what: `the bound: the same 2·1024³ flops as independent f32x4 multiply-add chains in registers (no memory), on ${threads} worker thread${threads > 1 ? "s" : ""} started together — 128-bit wasm SIMD cannot go faster; ratio = the share of it jaxts's matmul reaches (a peer 2× slower than jaxts would be below half of it)`,
      vs: { ref: "matmul/jaxts-jit", formula: "this/ref" },
      work: { flops: FLOPS },
      async prepare(): Promise<Prepared> {
        if (ctx.device.name !== "wasm") return { na: "measures the wasm device's bound" };
        return fmaPeakBench(FLOPS, threads);
      },
    },
    {
      id: "matmul/tfjs",
      group: GROUP,
      name: "tfjs-wasm tf.matMul",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.matMul(a, b) (XNNPACK), synchronous; then dispose()",
      vs: { ref: "matmul/jaxts-jit", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 0.5 }, // ≥ 2× faster
      work: { flops: FLOPS },
      async prepare(c): Promise<Prepared> {
        const p = await c.tfjs();
        if (isNA(p)) return p;
        const { tf } = p;
        const [A, B] = matmulData();
        const a = tf.tensor2d(A, [MM, MM]);
        const b = tf.tensor2d(B, [MM, MM]);
        return {
          fn: () => tf.matMul(a, b),
          cleanup: (r) => (r as typeof a).dispose(),
          teardown: () => {
            a.dispose();
            b.dispose();
          },
        };
      },
    },
    {
      id: "matmul/jaxjs",
      group: GROUP,
      name: "jax-js jit(np.matmul) wasm",
      lib: "jax-js",
      what: "jax-js: jit((a, b) => np.matmul(a, b))(a.ref, b.ref) on its wasm device; await blockUntilReady(), then dispose()",
      vs: { ref: "matmul/jaxts-jit", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 1 / 1.6 }, // ≥ 1.6× faster
      work: { flops: FLOPS },
      async prepare(c): Promise<Prepared> {
        const p = await c.jaxjs();
        if (isNA(p)) return p;
        const { numpy: np, jit: jjit } = p.jax;
        const [A, B] = matmulData();
        const a = np.array(A, { shape: [MM, MM] });
        const b = np.array(B, { shape: [MM, MM] });
        const mm = jjit((x: typeof a, y: typeof a) => np.matmul(x, y));
        return {
          fn: () => mm(a.ref, b.ref).blockUntilReady(),
          cleanup: (r) => (r as typeof a).dispose(),
          teardown: () => {
            a.dispose();
            b.dispose();
          },
        };
      },
    },
  ];
}
