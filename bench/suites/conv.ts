/**
 * Convolution and pooling rows: conv2d NHWC 3×3 64→64 on 32×32, batch 32 (the wasm device's
 * implicit GEMM) beside the FMA-peak bound for the same flops, TensorFlow.js's tf.conv2d
 * (XNNPACK) and jaxts's generic loop-kernel lowering (the path before the GEMM); depthwise 3×3
 * on 256 channels beside tf.depthwiseConv2d; max-pool 2×2/2 beside tf.maxPool and the copy
 * bound. Targets: conv ≥ 0.8× tf.conv2d's speed and ≥ 70% of the peak row (the issue's), depthwise
 * ≥ 1.2× tf.depthwiseConv2d (the issue's), max-pool at least as fast as tf.maxPool.
 */
import { type Array as JArray, grad, jit, lax, nn } from "../../src/index.js";
import { numpy as jnp } from "../../src/index.js";
import { wasmConvOptions } from "../../src/backend/wasm/lowering/conv.js";
import type { Prepared } from "../harness.js";
import { type Context, type Row, isNA, uniform } from "../rows.js";
import { fmaPeakBench } from "../fma-peak.js";

const NHWC = { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] as [string, string, string] };
const CONV = { n: 32, h: 32, w: 32, c: 64, o: 64 };
const CONV_FLOPS = 2 * CONV.n * CONV.h * CONV.w * CONV.o * 9 * CONV.c;
const DW = { n: 8, h: 28, w: 28, c: 256 };
const DW_FLOPS = 2 * DW.n * DW.h * DW.w * DW.c * 9;
const POOL = { n: 8, h: 112, w: 112, c: 64 };
const POOL_SIZE = POOL.n * POOL.h * POOL.w * POOL.c;

const convShapes = () => ({
  x: [CONV.n, CONV.h, CONV.w, CONV.c],
  k: [3, 3, CONV.c, CONV.o],
});
const dwShapes = () => ({ x: [DW.n, DW.h, DW.w, DW.c], k: [3, 3, 1, DW.c] });
const poolShape = [POOL.n, POOL.h, POOL.w, POOL.c];
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** A jitted jaxts function of device arrays made from the shared data; `generic` lowers it without the wasm conv kernels. */
function jaxtsBench(
  shapes: readonly number[][],
  f: (...xs: JArray[]) => JArray,
  generic = false,
): Prepared {
  const args = shapes.map((s, i) =>
    jnp
      .asarray(uniform(size(s), 11 + i))
      .reshape(s)
      .blockUntilReady(),
  );
  // a fresh function: jit caches compiled code per function, and the switches are not in its key
  const g = jit((...xs: JArray[]) => f(...xs));
  const saved = { ...wasmConvOptions };
  if (generic) Object.assign(wasmConvOptions, { implicitGemm: false, depthwise: false });
  try {
    g(...args)
      .blockUntilReady()
      .dispose(); // compiled now, with the switches as set
  } finally {
    Object.assign(wasmConvOptions, saved);
  }
  return {
    fn: () => g(...args).blockUntilReady(),
    cleanup: (r) => (r as JArray).dispose(),
    teardown: () => args.forEach((a) => a.dispose()),
  };
}

const conv2d = (x: JArray, k: JArray) => lax.convGeneralDilated(x, k, [1, 1], "SAME", NHWC);
const depthwise = (x: JArray, k: JArray) =>
  lax.convGeneralDilated(x, k, [1, 1], "SAME", { ...NHWC, featureGroupCount: DW.c });
const maxPool = (x: JArray) => nn.maxPool(x, [2, 2], { strides: [2, 2] });

function convRows(ctx: Context): Row[] {
  const threads = Math.max(1, ctx.device.threads ?? 1);
  const group = "conv2d 3×3 64→64 32×32 b32 NHWC f32";
  const s = convShapes();
  return [
    {
      id: "conv/jaxts-jit",
      group,
      name: "jaxts jit(lax.convGeneralDilated)",
      lib: "jaxts",
      what: "jaxts: jit(x, k => lax.convGeneralDilated(x, k, [1, 1], 'SAME', NHWC/HWIO/NHWC)) on x [32,32,32,64], k [3,3,64,64]; blockUntilReady(); GFLOP/s = 2·32·32·32·64·576 / time",
      work: { flops: CONV_FLOPS },
      prepare: async () => jaxtsBench([s.x, s.k], conv2d),
    },
    {
      id: "conv/peak",
      group,
      name: `f32x4 FMA peak, ${threads} thread${threads > 1 ? "s" : ""}`,
      lib: "baseline",
      what: "the bound: the conv's flops as register-only f32x4 multiply-add chains on the device's threads; ratio = the share of it jaxts's conv reaches",
      vs: { ref: "conv/jaxts-jit", formula: "this/ref" },
      target: { on: "ratio", op: ">=", value: 0.7 },
      work: { flops: CONV_FLOPS },
      async prepare(): Promise<Prepared> {
        if (ctx.device.name !== "wasm") return { na: "measures the wasm device's bound" };
        return fmaPeakBench(CONV_FLOPS, threads);
      },
    },
    {
      id: "conv/jaxts-generic",
      group,
      name: "jaxts generic loop kernel (before)",
      lib: "jaxts",
      what: "the same jitted conv lowered by the primitive's generic rule (one reduce per output element, vectorized over the output features), as before the implicit GEMM; ratio = its time over the GEMM's",
      vs: { ref: "conv/jaxts-jit", formula: "this/ref" },
      work: { flops: CONV_FLOPS },
      async prepare(): Promise<Prepared> {
        if (ctx.device.name !== "wasm") return { na: "the switch is the wasm device's" };
        return jaxtsBench([s.x, s.k], conv2d, true);
      },
    },
    {
      id: "conv/tfjs",
      group,
      name: "tfjs-wasm tf.conv2d",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.conv2d(x, k, 1, 'same') (XNNPACK), synchronous; then dispose(); ratio = jaxts time / tfjs time (≤ 1.25: jaxts at ≥ 0.8× its speed)",
      vs: { ref: "conv/jaxts-jit", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 1.25 },
      work: { flops: CONV_FLOPS },
      prepare: async (c) =>
        tfjsBench(c, [s.x, s.k], (tf, [x, k]) => tf.conv2d(x as never, k as never, 1, "same")),
    },
  ];
}

type Tf = Exclude<Awaited<ReturnType<Context["tfjs"]>>, { na: string }>["tf"];
type Tensor = ReturnType<Tf["tensor"]>;

async function tfjsBench(
  c: Context,
  shapes: readonly number[][],
  f: (tf: Tf, xs: Tensor[]) => Tensor,
): Promise<Prepared> {
  const p = await c.tfjs();
  if (isNA(p)) return p;
  const { tf } = p;
  const xs = shapes.map((s, i) => tf.tensor(uniform(size(s), 11 + i), s));
  return {
    fn: () => f(tf, xs),
    cleanup: (r) => (r as Tensor).dispose(),
    teardown: () => xs.forEach((x) => x.dispose()),
  };
}

function depthwiseRows(ctx: Context): Row[] {
  const group = "depthwise 3×3 256 ch 28×28 b8 NHWC f32";
  const s = dwShapes();
  return [
    {
      id: "dw/jaxts-jit",
      group,
      name: "jaxts jit(convGeneralDilated, featureGroupCount 256)",
      lib: "jaxts",
      what: "jaxts: jit depthwise conv (featureGroupCount = 256, 'SAME') on x [8,28,28,256], k [3,3,1,256]; blockUntilReady()",
      work: { flops: DW_FLOPS },
      prepare: async () => jaxtsBench([s.x, s.k], depthwise),
    },
    {
      id: "dw/jaxts-generic",
      group,
      name: "jaxts generic loop kernel (before)",
      lib: "jaxts",
      what: "the same depthwise conv lowered by the primitive's generic rule (its clamped flat-index loads keep it scalar), as before the direct kernel; ratio = its time over the direct kernel's",
      vs: { ref: "dw/jaxts-jit", formula: "this/ref" },
      work: { flops: DW_FLOPS },
      async prepare(): Promise<Prepared> {
        if (ctx.device.name !== "wasm") return { na: "the switch is the wasm device's" };
        return jaxtsBench([s.x, s.k], depthwise, true);
      },
    },
    {
      id: "dw/tfjs",
      group,
      name: "tfjs-wasm tf.depthwiseConv2d",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.depthwiseConv2d(x, k, 1, 'same'); ratio = jaxts time / tfjs time (≤ 1/1.2: jaxts ≥ 1.2× faster)",
      vs: { ref: "dw/jaxts-jit", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 1 / 1.2 },
      work: { flops: DW_FLOPS },
      // tfjs's filter is [h, w, in, multiplier]: the same memory as HWIO [3, 3, 1, 256]
      prepare: async (c) =>
        tfjsBench(c, [s.x, [3, 3, DW.c, 1]], (tf, [x, k]) =>
          tf.depthwiseConv2d(x as never, k as never, 1, "same"),
        ),
    },
  ];
}

function poolRows(): Row[] {
  const group = "max-pool 2×2/2 on 8×112×112×64 f32";
  return [
    {
      id: "pool/jaxts-jit",
      group,
      name: "jaxts jit(nn.maxPool)",
      lib: "jaxts",
      what: "jaxts: jit(x => nn.maxPool(x, [2, 2], { strides: [2, 2] })) on x [8,112,112,64] (reduce_window max, the generic windowed loop kernel); GB/s counts the input read",
      work: { bytes: 4 * POOL_SIZE },
      prepare: async () => jaxtsBench([poolShape], maxPool),
    },
    {
      id: "pool/copy",
      group,
      name: "copy of the input (Float32Array.set, 1 thread)",
      lib: "baseline",
      what: "the bound: copying the pool's 25.7 MB input once (TypedArray.set on the calling thread); ratio = copy time / jaxts time",
      vs: { ref: "pool/jaxts-jit", formula: "this/ref" },
      work: { bytes: 4 * POOL_SIZE },
      async prepare(): Promise<Prepared> {
        const src = uniform(POOL_SIZE, 11);
        const dst = new Float32Array(POOL_SIZE);
        return { fn: () => dst.set(src) };
      },
    },
    {
      id: "pool/tfjs",
      group,
      name: "tfjs-wasm tf.maxPool",
      lib: "tfjs",
      what: "TensorFlow.js wasm: tf.maxPool(x, 2, 2, 'valid'); ratio = jaxts time / tfjs time (≤ 1: at least as fast)",
      vs: { ref: "pool/jaxts-jit", formula: "ref/this" },
      target: { on: "ratio", op: "<=", value: 1 },
      work: { bytes: 4 * POOL_SIZE },
      prepare: async (c) =>
        tfjsBench(c, [poolShape], (tf, [x]) => tf.maxPool(x as never, 2, 2, "valid")),
    },
  ];
}

/** Forward and both gradients of Σ conv(x, k)²: the lhs and rhs transposes are convs too. */
function convGrads(x: JArray, k: JArray): JArray {
  const loss = (x: JArray, k: JArray) => {
    const y = conv2d(x, k);
    return y.mul(y).sum();
  };
  const [gx, gk] = grad(loss, { argnums: [0, 1] })(x, k) as JArray[];
  return gx!.sum().add(gk!.sum());
}

function gradRows(ctx: Context): Row[] {
  const group = "conv2d 3×3 64→64 32×32 b8 NHWC: forward + both gradients";
  const shapes = [
    [8, CONV.h, CONV.w, CONV.c],
    [3, 3, CONV.c, CONV.o],
  ];
  const flops = 3 * (CONV_FLOPS / 4);
  return [
    {
      id: "convgrad/jaxts-jit",
      group,
      name: "jaxts jit(grad) (3 GEMM convs)",
      lib: "jaxts",
      what: "jaxts: jit of grad(Σ conv(x, k)², argnums [0, 1]) on x [8,32,32,64], k [3,3,64,64]: the forward conv and its lhs and rhs transposes (dilated conv with the flipped kernel; conv of x with the cotangent); GFLOP/s counts 3 convs",
      work: { flops },
      prepare: async () => jaxtsBench(shapes, convGrads),
    },
    {
      id: "convgrad/jaxts-generic",
      group,
      name: "jaxts generic loop kernels (before)",
      lib: "jaxts",
      what: "the same gradient with every conv lowered by the primitive's generic rule, as before; ratio = its time over the GEMM path's",
      vs: { ref: "convgrad/jaxts-jit", formula: "this/ref" },
      work: { flops },
      async prepare(): Promise<Prepared> {
        if (ctx.device.name !== "wasm") return { na: "the switch is the wasm device's" };
        return jaxtsBench(shapes, (x, k) => convGrads(x, k), true);
      },
    },
  ];
}

export function convSuiteRows(ctx: Context): Row[] {
  return [...convRows(ctx), ...gradRows(ctx), ...depthwiseRows(ctx), ...poolRows()];
}
