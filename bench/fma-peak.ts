/**
 * The machine's floating-point peak for 128-bit WebAssembly SIMD, measured in the same run as
 * the matmul rows: independent f32x4 multiply-add chains held in registers (no memory traffic),
 * on as many threads as the device runs, started together through shared memory. A kernel can
 * reach this bound but not pass it, so it shows how much of the hardware each matmul uses.
 */
import { ModuleBuilder } from "../src/backend/wasm/codegen/encoder.js";
import { useRelaxedSimd } from "../src/backend/wasm/runtime/features.js";
import type { Prepared } from "./harness.js";

/** Independent accumulator chains: more than FMA latency × pipes (4 × 2 on current x86). */
const CHAINS = 12;
/** Floating-point operations per loop iteration: CHAINS × 4 lanes × (multiply + add). */
export const FLOPS_PER_ITER = CHAINS * 4 * 2;

/**
 * `peak(iters) -> f32`: acc_k = acc_k · m + c on CHAINS f32x4 registers, `iters` times; fused
 * (relaxed_madd) when the engine has relaxed SIMD, else a multiply and an add — the same count
 * of operations per pipe either way (x86 issues multiplies and adds on separate pipes).
 */
function peakModule(relaxed: boolean): WebAssembly.Module {
  const mb = new ModuleBuilder(relaxed);
  const f = mb.addFunction(["i32"], ["f32"]);
  const acc = Array.from({ length: CHAINS }, () => f.addLocal("v128"));
  const m = f.addLocal("v128");
  const c = f.addLocal("v128");
  f.f32x4Const(0.999).localSet(m).f32x4Const(0.001).localSet(c);
  acc.forEach((a, k) => f.f32x4Const(1 + k / 64).localSet(a));
  const done = f.block();
  f.localGet(0).op("i32.eqz").br_if(done);
  const loop = f.loop();
  for (const a of acc) {
    if (relaxed) f.localGet(a).localGet(m).localGet(c).op("f32x4.relaxed_madd");
    else f.localGet(a).localGet(m).op("f32x4.mul").localGet(c).op("f32x4.add");
    f.localSet(a);
  }
  f.localGet(0).i32Const(1).op("i32.sub").localTee(0).br_if(loop);
  f.end().end();
  f.localGet(acc[0]!);
  for (const a of acc.slice(1)) f.localGet(a).op("f32x4.add");
  f.lane("f32x4.extract_lane", 0);
  mb.exportFunction("peak", f);
  return new WebAssembly.Module(mb.toBytes());
}

/** Worker: wait for generation g, run peak(iters), count itself done. */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { module, sab, iters } = workerData;
const peak = new WebAssembly.Instance(module, {}).exports.peak;
const I = new Int32Array(sab);
peak(1000); // compile to the optimizing tier's code path early
let gen = 0;
for (;;) {
  Atomics.wait(I, 0, gen);
  gen = Atomics.load(I, 0);
  if (gen < 0) break;
  Atomics.store(I, 2, peak(iters) > 0 ? 1 : 0); // the result, so the work is observable
  Atomics.add(I, 1, 1);
  Atomics.notify(I, 1);
}
parentPort.close();
`;

/**
 * A timed call that performs `flops` floating-point operations split over `threads` worker
 * threads (the calling thread only starts them and waits, as the device's caller does).
 */
export async function fmaPeakBench(flops: number, threads: number): Promise<Prepared> {
  const { Worker } = await import("node:worker_threads");
  const relaxed = useRelaxedSimd();
  const module = peakModule(relaxed);
  const iters = Math.round(flops / (threads * FLOPS_PER_ITER));
  const sab = new SharedArrayBuffer(12);
  const I = new Int32Array(sab);
  const workers = Array.from(
    { length: threads },
    () => new Worker(workerSource, { eval: true, workerData: { module, sab, iters } }),
  );
  // No start-up wait: a worker not yet waiting sees the new generation in Atomics.wait's
  // value check, and the harness's warmup calls absorb start-up and compilation.
  let gen = 0;
  return {
    fn: () => {
      Atomics.store(I, 1, 0);
      Atomics.store(I, 0, ++gen);
      Atomics.notify(I, 0);
      for (let d; (d = Atomics.load(I, 1)) < threads;) Atomics.wait(I, 1, d, 100);
    },
    teardown: async () => {
      Atomics.store(I, 0, -1);
      Atomics.notify(I, 0);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
