/**
 * Row 8: the same sigmoid and matmul with 1 and 2 device threads — only when the device in use
 * exposes a thread setting (the wasm device: `config.threads`, `setThreads`, `threads`).
 */
import { type Array as JArray, jit, numpy as jnp } from "../../src/index.js";
import type { Prepared } from "../harness.js";
import type { Context, Row } from "../rows.js";
import { jaxtsMatmulBench, MM } from "./matmul.js";
import { fmaPeakBench } from "../fma-peak.js";

const N = 10_000_000;

function withThreads(ctx: Context, n: number, make: () => Prepared): () => Promise<Prepared> {
  return async () => {
    const set = ctx.device.setThreads;
    if (!set) return { na: `device '${ctx.device.name}' has no thread setting` };
    const before = ctx.device.threads ?? 0;
    const got = await set(n);
    // 0 worker threads means everything runs on the calling thread: that is the 1-thread case.
    if (Math.max(got, 1) !== n) {
      await set(before);
      return { na: `asked for ${n} threads, device runs ${got}` };
    }
    const p = make();
    return {
      ...p,
      teardown: async () => {
        if ("teardown" in p) await p.teardown?.();
        await set(before);
      },
    };
  };
}

function sigmoidBench(): Prepared {
  const x = jnp.arange(N, null, null, "float32").blockUntilReady();
  const f = jit((y: JArray) => jnp.divide(1, jnp.exp(y.neg()).add(1)));
  return {
    fn: () => f(x).blockUntilReady(),
    cleanup: (r) => (r as JArray).dispose(),
    teardown: () => x.dispose(),
  };
}

export function threadRows(ctx: Context): Row[] {
  const rows: Row[] = [];
  for (const [kind, make, work] of [
    ["sigmoid", sigmoidBench, { bytes: 8 * N }],
    ["matmul", jaxtsMatmulBench, { flops: 2 * MM ** 3 }],
  ] as const) {
    for (const n of [1, 2]) {
      rows.push({
        id: `threads/${kind}-${n}`,
        group: `device threads (${ctx.device.name})`,
        name: `jaxts jit(${kind}) ${n} thread${n > 1 ? "s" : ""}`,
        lib: "jaxts",
        what: `jaxts: the ${kind === "sigmoid" ? "sigmoid 1e7" : "matmul 1024²"} row with config.update("threads", ${n}), after the device reports its threads running${n === 2 ? "; ratio = 1-thread time / 2-thread time" : ""}`,
        ...(n === 2
          ? {
              vs: { ref: `threads/${kind}-1`, formula: "ref/this" as const },
              target: { on: "ratio" as const, op: ">=" as const, value: 1.7 },
            }
          : {}),
        work,
        prepare: withThreads(ctx, n, make),
      });
    }
  }
  // The control: how far two threads scale on this machine when nothing touches memory (a
  // shared or throttled core shows here first). Not a target — the bound for the rows above.
  const PEAK_FLOPS = 2 ** 30;
  for (const n of [1, 2]) {
    rows.push({
      id: `threads/peak-${n}`,
      group: `device threads (${ctx.device.name})`,
      name: `f32x4 FMA peak ${n} thread${n > 1 ? "s" : ""}`,
      lib: "baseline",
      what: `the register-only f32x4 multiply-add loop of the matmul peak row (2³⁰ flops) on ${n} worker thread${n > 1 ? "s" : ""}${n === 2 ? "; ratio = 1-thread time / 2-thread time: the most two threads give here" : ""}`,
      ...(n === 2 ? { vs: { ref: "threads/peak-1", formula: "ref/this" as const } } : {}),
      work: { flops: PEAK_FLOPS },
      async prepare(): Promise<Prepared> {
        if (ctx.device.name !== "wasm") return { na: "measures the wasm device's bound" };
        return fmaPeakBench(PEAK_FLOPS, n);
      },
    });
  }
  return rows;
}
