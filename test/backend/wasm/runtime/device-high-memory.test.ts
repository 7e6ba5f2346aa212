/**
 * The wasm device with memory above 2 GiB (config.memoryLimitBytes up to 4 GiB − 64 KiB):
 * addresses are unsigned 32-bit everywhere — kernel tables, the worker's JS kernels, the
 * pool's worker-state words. A dedicated device whose low 2 GiB are taken by one (untouched,
 * so not resident) allocator block puts every buffer, table and the pool's state above 2^31.
 */
import { describe, expect, it } from "vitest";
import { type Array, config, makeJaxpr, numpy as jnp } from "../../../../src/index.js";
import { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";
import { WasmBuffer } from "../../../../src/backend/wasm/runtime/buffers.js";
import { getDevice } from "../../../../src/runtime/devices.js";
import { compileJaxpr } from "../../../../src/runtime/compile.js";
import { float32 } from "../../../../src/core/dtype.js";
import type { DeviceBuffer } from "../../../../src/backend/device.js";

const GiB2 = 2 ** 31;

/** Relative closeness of two float arrays, elementwise. */
function maxRelErr(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let k = 0; k < a.length; k++) {
    const e = Math.abs(a[k]! - b[k]!) / Math.max(1, Math.abs(b[k]!));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}

describe("memory above 2 GiB", () => {
  it("kernels read and write buffers above 2^31 (wasm and JS kernels, calling thread and workers)", async () => {
    const limit0 = config.read("memoryLimitBytes");
    config.update("memoryLimitBytes", 2 ** 32 - 2 ** 16);
    const d = new WasmDevice({ threads: 1, collectGarbage: false });
    const compiler0 = d.compiler;
    const js = getDevice("js");
    let filler = -1;
    try {
      expect(d.sharedMemory).toBe(true);
      filler = d.allocator.alloc(GiB2);
      expect(filler).toBeGreaterThan(0);
      // The pool starts now: its worker-state block is allocated above 2 GiB too.
      d.setThreads(2);
      expect(await d.whenThreadsReady()).toBe(2);

      const f = (x: Array, m: Array) => [
        jnp.arange(x.shape[0]!).astype("float32").mul(x),
        x.sum(),
        jnp.exp(x.mul(0.001)).mul(2),
        jnp.matmul(m, m.T),
      ];
      for (const compilerOn of [true, false]) {
        d.compiler = compilerOn ? compiler0 : undefined;
        // Small (runs on the calling thread) and big (queued for the workers, split).
        for (const n of [1000, 1 << 21]) {
          const [r, c] = n > 1000 ? [192, 256] : [10, 100];
          const xs = new Float32Array(n).map((_, k) => (k % 1000) / 1000);
          const ms = new Float32Array(r * c).map((_, k) => ((k * 7) % 13) / 13 - 0.5);
          const jaxpr = makeJaxpr(f)(jnp.zeros([n]), jnp.zeros([r, c])).jaxpr;
          const run = (
            dev: typeof js | WasmDevice,
          ): { outs: DeviceBuffer[]; host: Float32Array[] } => {
            const exe = compileJaxpr(jaxpr, dev).executable;
            const ins = [dev.fromHost(xs, float32), dev.fromHost(ms, float32)];
            if (dev === d)
              for (const b of ins) expect((b as WasmBuffer).addr).toBeGreaterThan(GiB2);
            const outs = exe.run(ins);
            return { outs, host: outs.map((o) => (dev.toHost(o) as Float32Array).slice()) };
          };
          const queued = d.queuedTasks;
          const got = run(d);
          const want = run(js);
          if (n > 1000) expect(d.queuedTasks).toBeGreaterThan(queued);
          for (const o of got.outs)
            if (o instanceof WasmBuffer) expect(o.addr).toBeGreaterThan(GiB2);
          const what = `compiler ${compilerOn ? "on" : "off"}, n=${n}`;
          expect(maxRelErr(got.host[0]!, want.host[0]!), `arange·x, ${what}`).toBeLessThan(1e-6);
          expect(maxRelErr(got.host[1]!, want.host[1]!), `sum, ${what}`).toBeLessThan(1e-4);
          expect(maxRelErr(got.host[2]!, want.host[2]!), `exp, ${what}`).toBeLessThan(1e-5);
          expect(maxRelErr(got.host[3]!, want.host[3]!), `matmul, ${what}`).toBeLessThan(1e-4);
          expect(got.host[1]![0]).toBeGreaterThan(0);
          for (const o of got.outs) d.dropUnowned(o);
        }
      }
    } finally {
      d.synchronize();
      if (filler >= 0) d.allocator.free(filler, GiB2);
      d.setThreads(1); // stops the workers, which map the memory too
      config.update("memoryLimitBytes", limit0);
    }
  });
});
