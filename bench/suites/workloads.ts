/**
 * Issue 18's workload rows that need no kernel of their own: a compiled `lax.scan` RNN against
 * a JS loop of jitted steps; softmax and layernorm over the last axis of 4096×1024 against the
 * copy bound and TensorFlow.js; `random.normal` 1e7 against the copy bound of its output and
 * tf.randomNormal; float64 / int64 against the float32 / int32 rows (x64 is switched on only
 * around each float64/int64 call).
 */
import {
  type Array as JArray,
  type DTypeLike,
  enableX64,
  jit,
  lax,
  nn,
  numpy as jnp,
  random,
} from "../../src/index.js";
import type { Prepared } from "../harness.js";
import { type Context, type Row, copyRow, isNA, uniform } from "../rows.js";

const disposeJ = (r: unknown) => (r as JArray).dispose();
const ready = (r: JArray) => r.blockUntilReady();

// ---- scan RNN ------------------------------------------------------------------------------
const H = 256;
const STEPS = 1000;
const RNN = `tanh RNN cell h' = tanh(h·W + x_t·U + b), width ${H}, ${STEPS} steps`;
const rnnFlops = STEPS * 2 * 2 * H * H;

function rnnParams() {
  return {
    w: jnp.array(uniform(H * H, 1, -0.06, 0.06)).reshape([H, H]),
    u: jnp.array(uniform(H * H, 2, -0.06, 0.06)).reshape([H, H]),
    b: jnp.array(uniform(H, 3, -0.1, 0.1)),
    xs: jnp.array(uniform(STEPS * H, 4)).reshape([STEPS, H]),
    h0: jnp.zeros([H]),
  };
}
type RnnP = ReturnType<typeof rnnParams>;
const cell = (p: Pick<RnnP, "w" | "u" | "b">, h: JArray, x: JArray) =>
  jnp.tanh(h.matmul(p.w).add(x.matmul(p.u)).add(p.b));

// ---- softmax / layernorm ---------------------------------------------------------------------
const ROWS = 4096;
const COLS = 1024;
const SM = `softmax / layernorm over the last axis of ${ROWS}×${COLS} f32`;
const SM_BYTES = 2 * 4 * ROWS * COLS;
const layerNorm = (x: JArray, g: JArray, b: JArray) => {
  const mean = x.mean(-1, { keepdims: true });
  const c = x.sub(mean);
  const v = c.mul(c).mean(-1, { keepdims: true });
  return c
    .mul(lax.rsqrt(v.add(1e-5)))
    .mul(g)
    .add(b);
};

// ---- random.normal ---------------------------------------------------------------------------
const NR = 10_000_000;
const RN = `random.normal 1e7 f32 (threefry2x32 + erf_inv)`;

// ---- x64 -------------------------------------------------------------------------------------
const N64 = 10_000_000;
const X64 = "float64 / int64 vs float32 / int32 (1e7 elements; matmul 512²)";
const sigmoid = (x: JArray) => jnp.divide(1, jnp.exp(x.neg()).add(1));

export function workloadRows(_ctx: Context): Row[] {
  return [
    {
      id: "rnn/scan",
      group: RNN,
      name: "jaxts jit(lax.scan(cell))",
      lib: "jaxts",
      what: `jaxts: one jit of lax.scan over ${STEPS} steps of the cell (the loop stays in one compiled program)`,
      work: { flops: rnnFlops },
      async prepare(): Promise<Prepared> {
        const p = rnnParams();
        const f = jit(
          (q: RnnP) =>
            lax.scan(
              (h: JArray, x: JArray) => {
                const h2 = cell(q, h, x);
                return [h2, h2] as const;
              },
              q.h0,
              q.xs,
            )[0],
        );
        return { fn: () => ready(f(p)), cleanup: disposeJ };
      },
    },
    {
      id: "rnn/js-loop",
      group: RNN,
      name: "JS loop of jit(cell)",
      lib: "baseline",
      what: `a JS for loop calling the jitted cell ${STEPS} times (xs rows sliced eagerly beforehand)`,
      vs: { ref: "rnn/scan", formula: "this/ref" },
      target: { on: "ratio", op: ">=", value: 5 },
      work: { flops: rnnFlops },
      async prepare(): Promise<Prepared> {
        const p = rnnParams();
        const rows = Array.from({ length: STEPS }, (_, t) => p.xs.get(t));
        const f = jit((h: JArray, x: JArray) => cell(p, h, x));
        return {
          fn: () => {
            let h = p.h0;
            for (const x of rows) h = f(h, x);
            return ready(h);
          },
        };
      },
    },
    copyRow("softmax/copy", SM, SM_BYTES),
    {
      id: "softmax/jaxts",
      group: SM,
      name: "jaxts jit(nn.softmax)",
      lib: "jaxts",
      what: "jaxts: jit(x => nn.softmax(x, { axis: -1 }))",
      vs: { ref: "softmax/copy", formula: "this/ref" },
      target: { on: "ratio", op: "<=", value: 2.5 },
      work: { bytes: SM_BYTES },
      async prepare(): Promise<Prepared> {
        const x = jnp.array(uniform(ROWS * COLS, 5, -4, 4)).reshape([ROWS, COLS]);
        const f = jit((a: JArray) => nn.softmax(a, { axis: -1 }));
        return { fn: () => ready(f(x)), cleanup: disposeJ };
      },
    },
    {
      id: "softmax/tfjs",
      group: SM,
      name: "tfjs-wasm tf.softmax",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.softmax(x) over the last axis",
      vs: { ref: "softmax/jaxts", formula: "this/ref" },
      target: { on: "ratio", op: ">=", value: 1.5 },
      work: { bytes: SM_BYTES },
      async prepare(c): Promise<Prepared> {
        const p = await c.tfjs();
        if (isNA(p)) return p;
        const x = p.tf.tensor2d(uniform(ROWS * COLS, 5, -4, 4), [ROWS, COLS]);
        return {
          fn: () => p.tf.softmax(x),
          cleanup: (r) => (r as typeof x).dispose(),
          teardown: () => x.dispose(),
        };
      },
    },
    {
      id: "layernorm/jaxts",
      group: SM,
      name: "jaxts jit(layernorm)",
      lib: "jaxts",
      what: "jaxts: jit of (x − mean) · rsqrt(var + 1e-5) · γ + β over the last axis",
      vs: { ref: "softmax/copy", formula: "this/ref" },
      target: { on: "ratio", op: "<=", value: 2.5 },
      work: { bytes: SM_BYTES },
      async prepare(): Promise<Prepared> {
        const x = jnp.array(uniform(ROWS * COLS, 6, -4, 4)).reshape([ROWS, COLS]);
        const g = jnp.array(uniform(COLS, 7, 0.5, 1.5));
        const b = jnp.array(uniform(COLS, 8));
        const f = jit(layerNorm);
        return { fn: () => ready(f(x, g, b)), cleanup: disposeJ };
      },
    },
    {
      id: "layernorm/tfjs",
      group: SM,
      name: "tfjs-wasm layernorm (tf.moments + ops, tidy)",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.tidy(() => { const { mean, variance } = tf.moments(x, -1, true); return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b) })",
      vs: { ref: "layernorm/jaxts", formula: "this/ref" },
      target: { on: "ratio", op: ">=", value: 1.5 },
      work: { bytes: SM_BYTES },
      async prepare(c): Promise<Prepared> {
        const p = await c.tfjs();
        if (isNA(p)) return p;
        const { tf } = p;
        const x = tf.tensor2d(uniform(ROWS * COLS, 6, -4, 4), [ROWS, COLS]);
        const g = tf.tensor1d(uniform(COLS, 7, 0.5, 1.5));
        const b = tf.tensor1d(uniform(COLS, 8));
        return {
          fn: () =>
            tf.tidy(() => {
              const { mean, variance } = tf.moments(x, -1, true);
              return tf.add(
                tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g),
                b,
              );
            }),
          cleanup: (r) => (r as typeof x).dispose(),
          teardown: () => tf.dispose([x, g, b]),
        };
      },
    },
    copyRow("normal/copy", RN, 8 * NR),
    {
      id: "normal/jaxts",
      group: RN,
      name: "jaxts jit(random.normal)",
      lib: "jaxts",
      what: "jaxts: jit(k => random.normal(k, [1e7])) (JAX's threefry bits, erf_inv transform)",
      vs: { ref: "normal/copy", formula: "this/ref" },
      target: { on: "ratio", op: "<=", value: 3 },
      work: { bytes: 8 * NR },
      async prepare(): Promise<Prepared> {
        const k = random.key(0);
        const f = jit((key: typeof k) => random.normal(key, [NR]));
        return { fn: () => ready(f(k)), cleanup: disposeJ };
      },
    },
    {
      id: "normal/tfjs",
      group: RN,
      name: "tfjs-wasm tf.randomNormal",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.randomNormal([1e7]) (seeded)",
      vs: { ref: "normal/jaxts", formula: "this/ref" },
      target: { on: "ratio", op: ">=", value: 2 },
      work: { bytes: 8 * NR },
      async prepare(c): Promise<Prepared> {
        const p = await c.tfjs();
        if (isNA(p)) return p;
        return {
          fn: () => p.tf.randomNormal([NR], 0, 1, "float32", 7),
          cleanup: (r) => (r as { dispose(): void }).dispose(),
        };
      },
    },
    ...widthRows({
      key: "sigmoid",
      name: "jit(sigmoid)",
      what: "jit(sigmoid) of 1e7",
      f: sigmoid,
      inputs: (dtype) => [jnp.array(uniform(N64, 9, -8, 8), { dtype })],
      dtypes: ["float32", "float64"],
      work: (b) => ({ bytes: 2 * b * N64 }),
      limit: 2.5,
    }),
    ...widthRows({
      key: "add",
      name: "jit(add)",
      what: "jit((a, b) => a + b) of 1e7",
      f: (u, v) => u.add(v),
      inputs: (dtype) => {
        const a = jnp.arange(N64, null, null, dtype);
        return [a, a];
      },
      dtypes: ["int32", "int64"],
      work: (b) => ({ bytes: 3 * b * N64 }),
      limit: 2,
    }),
    ...widthRows({
      key: "matmul",
      name: "matmul 512²",
      what: "jit(matmul) of two 512×512",
      f: jnp.matmul,
      inputs: (dtype) => {
        const a = jnp.array(uniform(512 * 512, 10), { dtype }).reshape([512, 512]);
        return [a, a];
      },
      dtypes: ["float32", "float64"],
      work: () => ({ flops: 2 * 512 ** 3 }),
      limit: 2.5,
    }),
  ];
}

/**
 * Two rows of one jitted op: on 32-bit data, and on the 64-bit dtype (x64 on around each call,
 * through jax's enableX64 context) compared with it against `≤ limit`.
 */
function widthRows(o: {
  key: string;
  name: string;
  what: string;
  f: (...xs: JArray[]) => JArray;
  inputs: (dtype: DTypeLike & string) => JArray[];
  dtypes: [DTypeLike & string, DTypeLike & string];
  work: (itemsize: number) => Row["work"];
  limit: number;
}): Row[] {
  const [d32, d64] = o.dtypes;
  const row = (dtype: DTypeLike & string, x64: boolean): Row => ({
    id: `x64/${o.key}-${dtype}`,
    group: X64,
    name: `jaxts ${o.name} ${dtype}`,
    lib: "jaxts",
    what: `jaxts: ${o.what} ${dtype}${x64 ? " (enableX64 on around the call)" : ""}`,
    ...(x64
      ? {
          vs: { ref: `x64/${o.key}-${d32}`, formula: "this/ref" as const },
          target: { on: "ratio" as const, op: "<=" as const, value: o.limit },
        }
      : {}),
    work: o.work(x64 ? 8 : 4),
    async prepare(): Promise<Prepared> {
      const within = <T>(g: () => T): T => (x64 ? enableX64(g) : g());
      const xs = within(() => o.inputs(dtype));
      const f = jit(o.f);
      return { fn: () => within(() => ready(f(...xs))), cleanup: disposeJ };
    },
  });
  return [row(d32, false), row(d64, true)];
}
