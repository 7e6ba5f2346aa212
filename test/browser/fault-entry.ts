/**
 * Worker faults in a page (issue 16; bundled by bundled-pages.ts, jaxts from the built /dist/):
 * on a cross-origin isolated page the wasm device runs big kernels on Web Workers. A worker
 * that hangs in its share, and one terminated from outside mid-run (browsers send no exit
 * event for it), must fail only the arrays that depend on that kernel with a DeviceError once
 * `workerTimeoutMs` passes — never stall the page — and the next call must succeed on a
 * respawned worker. Mirrors test/backend/wasm/runtime/{worker-timeout,device}.test.ts.
 */
import { type Array, DeviceError, config, makeJaxpr, numpy as jnp } from "../../src/index.js";
import { WasmDevice } from "../../src/backend/wasm/runtime/device.js";
import { compileJaxpr } from "../../src/runtime/compile.js";
import { float32 } from "../../src/core/dtype.js";
import { report } from "./page-result.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TIMEOUT_MS = 300;

void report(async (check) => {
  const lines: string[] = [];
  for (const how of ["hangs", "is terminated"] as const) {
    const d = new WasmDevice({ threads: 2 });
    const threads = await d.whenThreadsReady();
    check(`${how}: two worker threads started`, threads === 2, String(threads));
    const n = 1 << 21;
    const exe = (fn: (v: Array) => Array) =>
      compileJaxpr(makeJaxpr(fn)(jnp.zeros([n])).jaxpr, d).executable;
    const f = exe((v) => jnp.sin(v).mul(2).add(1)); // big enough to be split and queued
    const sum = exe((v) => v.sum());
    const x = d.fromHost(new Float32Array(n).fill(1), float32);
    const before = f.run([x])[0]!;
    await d.ready(before);
    const ref = (d.toHost(before) as Float32Array).slice();
    config.update("workerTimeoutMs", TIMEOUT_MS);
    d.helpWhileWaiting = false;
    try {
      d.debugInjectFault("hang");
      const y = f.run([x])[0]!;
      const s = sum.run([y])[0]!; // queued behind y, reads it
      if (how === "is terminated") {
        const t0 = performance.now();
        while (d.debugHungWorker === 0 && performance.now() - t0 < 5000) await sleep(1);
        const pool = (d as unknown as { workers: { pool: { handles: { terminate(): void }[] } } })
          .workers.pool;
        check(
          `${how}: a worker took the faulty share`,
          d.debugHungWorker > 0,
          String(d.debugHungWorker),
        );
        pool.handles[d.debugHungWorker]!.terminate();
      }
      const t0 = performance.now();
      const outcome = await Promise.race([
        d.ready(y).then(
          () => "resolved",
          (e: unknown) => e,
        ),
        sleep(10_000).then(() => "stalled"),
      ]);
      const ms = performance.now() - t0;
      const failed = outcome instanceof DeviceError;
      check(
        `${how}: the awaited read fails with a DeviceError naming the worker`,
        failed && /worker thread \d/.test((outcome as Error).message),
        outcome instanceof Error ? `${outcome.message} (${ms.toFixed(0)} ms)` : String(outcome),
      );
      let dependentFails = false;
      try {
        d.toHost(s);
      } catch (e) {
        dependentFails = /An input of the computation producing this array failed/.test(String(e));
      }
      check(`${how}: the array depending on it fails too`, dependentFails);
      const kept = d.toHost(before) as Float32Array;
      check(`${how}: earlier results stay readable`, kept[n - 1] === ref[n - 1]);
      lines.push(`${how}: failed after ${ms.toFixed(0)} ms`);
    } finally {
      d.debugInjectFault("none");
      d.helpWhileWaiting = true;
      config.update("workerTimeoutMs", 0);
    }
    for (const t1 = performance.now(); d.respawns === 0 && performance.now() - t1 < 5000;)
      await sleep(5);
    check(`${how}: the worker was replaced`, d.respawns === 1, String(d.respawns));
    check(`${how}: two threads again`, (await d.whenThreadsReady()) === 2);
    const again = f.run([x])[0]!;
    await d.ready(again);
    const got = d.toHost(again) as Float32Array;
    check(`${how}: the next call is right`, got[0] === ref[0] && got[n - 1] === ref[n - 1]);
    d.setThreads(1);
  }
  return lines.join("; ");
});
