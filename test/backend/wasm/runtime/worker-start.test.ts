/**
 * The wasm worker threads are self-contained: they evaluate the JS kernels' helpers (`rt.*`)
 * from the generated worker-helpers.generated.ts instead of importing modules by URL (which
 * bundlers break), and a worker that cannot start, or starts without its helpers, is said out
 * loud — one console warning, `workerStatus`, `printEnvironmentInfo()` — instead of silently
 * leaving the device on the slow path.
 */
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  type Array,
  lax,
  makeJaxpr,
  numpy as jnp,
  printEnvironmentInfo,
} from "../../../../src/index.js";
import * as helpers from "../../../../src/backend/js/codegen/helpers.js";
import { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";
import {
  WORKER_HELPERS_GLOBAL,
  WORKER_HELPERS_SOURCE,
} from "../../../../src/backend/wasm/runtime/worker-helpers.generated.js";
import { workerSource } from "../../../../src/backend/wasm/runtime/worker-source.js";
import { float32 } from "../../../../src/core/dtype.js";
import { compileJaxpr } from "../../../../src/runtime/compile.js";
import { getDevice } from "../../../../src/runtime/devices.js";
import { buildWorkerHelpersSource } from "../../../../scripts/worker-helpers.js";
import { runNode } from "../../../support/run-node.js";

const N = 1 << 20;
/** Inputs in [-4, 4) (erf's interesting range), N of them. */
const input = new Float32Array(N).map((_, k) => ((k % 4096) - 2048) / 512);

/**
 * erf(x)·2 + 1 over N elements on device `d`; with `compiler: null` its kernel is generated JS
 * calling `rt.erf`. Returns the values and how many tasks went to the worker threads.
 */
function runErf(d: WasmDevice): { out: Float32Array; queued: number; source: string } {
  const f = (v: Array) => lax.erf(v).mul(2).add(1);
  const { executable } = compileJaxpr(makeJaxpr(f)(jnp.zeros([N])).jaxpr, d);
  const x = d.fromHost(input, float32);
  const before = d.queuedTasks;
  const out = (d.toHost(executable.run([x])[0]!) as Float32Array).slice();
  return { out, queued: d.queuedTasks - before, source: executable.source };
}

const devices: WasmDevice[] = [];
function device(opts: ConstructorParameters<typeof WasmDevice>[0]): WasmDevice {
  const d = new WasmDevice({ compiler: null, ...opts });
  devices.push(d);
  return d;
}
afterAll(() => devices.forEach((d) => d.setThreads(1)));

const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
afterAll(() => warn.mockRestore());

describe("the workers' helpers", () => {
  it("the generated script is current (npx tsx scripts/worker-helpers.ts rewrites it)", async () => {
    expect(WORKER_HELPERS_SOURCE).toBe(await buildWorkerHelpersSource());
  });

  it("the script defines the same helpers as helpers.ts, with the same values", () => {
    const made = new Function(
      `${WORKER_HELPERS_SOURCE}\nreturn ${WORKER_HELPERS_GLOBAL};`,
    )() as Record<string, unknown>;
    expect(Object.keys(made).sort()).toEqual(Object.keys(helpers).sort());
    const h = made as unknown as typeof helpers;
    for (const x of [-3.5, -1, -0.25, 0, 1e-8, 0.5, 2, 7.25]) {
      expect(h.erf(x)).toBe(helpers.erf(x));
      expect(h.lgamma(x + 8)).toBe(helpers.lgamma(x + 8));
      expect(h.f16round(x / 3)).toBe(helpers.f16round(x / 3));
      expect(h.bitcast_float32_int32(x)).toBe(helpers.bitcast_float32_int32(x));
    }
    expect(h.erfInv(0.3)).toBe(helpers.erfInv(0.3));
  });

  it("workers start with them: a JS kernel calling rt.erf runs on the workers, same bits", async () => {
    const d = device({ threads: 2 });
    expect(await d.whenThreadsReady()).toBe(2);
    expect(d.workerStatus).toEqual({ requested: 2, ready: 2, helpers: true });
    const threaded = runErf(d);
    expect(threaded.source).toContain("rt.erf(");
    expect(threaded.queued).toBeGreaterThan(0);
    const single = runErf(device({ threads: 1 }));
    expect(single.queued).toBe(0);
    let differ = 0; // (toEqual on a million elements is slow)
    for (let k = 0; k < N; k++) if (!Object.is(threaded.out[k], single.out[k])) differ++;
    expect(differ).toBe(0);
    for (const k of [0, 1, 2047, 2048, 3000]) {
      expect(threaded.out[k]).toBe(Math.fround(Math.fround(helpers.erf(input[k]!)) * 2 + 1));
    }
    expect(d.environmentLines()).toEqual([
      "wasm: shared memory",
      "wasm worker threads: 2 of 2 ready, JS helpers loaded",
    ]);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("workers that fail are reported, not silent", () => {
  it("helpers that fail to set up: one warning, the flag, rt kernels stay on the caller", async () => {
    const d = device({ threads: 2, workerSource: workerSource("throw new Error('no helpers')") });
    expect(await d.whenThreadsReady()).toBe(2);
    for (let t = 0; t < 100 && d.workerStatus.helpersProblem === undefined; t++)
      await new Promise((r) => setTimeout(r, 10)); // the workers' message needs a turn
    const status = d.workerStatus;
    expect(status.helpers).toBe(false);
    expect(status.helpersProblem).toMatch(
      /^worker thread \d could not set up the JS kernels' helpers: no helpers$/,
    );
    expect(d.environmentLines()).toContain(`wasm worker helpers FAILED: ${status.helpersProblem}`);
    const r = runErf(d);
    expect(r.queued).toBe(0);
    expect(r.out[0]).toBe(Math.fround(Math.fround(helpers.erf(input[0]!)) * 2 + 1));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /^jaxts: worker thread \d could not set up the JS kernels' helpers: no helpers; JS kernels that need them run on the calling thread/,
    );
  });

  it("a worker program that throws: retried once, then given up; no second warning", async () => {
    const d = device({ threads: 2, workerSource: "throw new Error('refused')" });
    const t0 = Date.now();
    expect(await d.whenThreadsReady(20_000)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000); // did not wait for the timeout
    const status = d.workerStatus;
    expect(status).toMatchObject({ requested: 2, ready: 0, helpers: false });
    expect(status.startFailure).toMatch(/^worker thread [12] failed: refused$/);
    expect(d.threads).toBe(0);
    expect(d.respawns).toBe(2); // one retry per thread, no more
    await new Promise((r) => setTimeout(r, 100));
    expect(d.respawns).toBe(2);
    expect(d.environmentLines()).toContain(
      `wasm worker threads FAILED TO START: ${status.startFailure}`,
    );
    const r = runErf(d); // runs on the calling thread, correctly
    expect(r.queued).toBe(0);
    expect(r.out[2048]).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1); // once per process
  });
});

describe("printEnvironmentInfo", () => {
  it("reports the worker threads of the devices created so far", async () => {
    const d = getDevice("wasm") as WasmDevice;
    await d.whenThreadsReady();
    const lines = printEnvironmentInfo(true)!.split("\n");
    const wasmLines = d.environmentLines();
    expect(wasmLines[0]).toBe("wasm: shared memory");
    // ("none" on a one-CPU machine)
    expect(wasmLines[1]).toMatch(
      /^wasm worker threads: ((\d+) of \2 ready, JS helpers loaded|none)$/,
    );
    expect(lines.slice(-wasmLines.length)).toEqual(wasmLines);
  });
});

describe("a process using worker threads", () => {
  it("exits on its own when its work is done (the workers hold no reference)", async () => {
    const program = fileURLToPath(new URL("./threads-exit-program.ts", import.meta.url));
    const run = await runNode(["--import", "tsx", program], 60_000);
    expect(run.status, `exit status (null: killed at the timeout)\n${run.stderr}`).toBe(0);
    const out = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
    expect(out.threads).toBe(2);
    expect(out.queued).toBeGreaterThan(0);
    // Σ exp(k·1e-7) over k < 2²¹ (numpy, float64: 2333267.47), float32 sums to 1e-3 relative
    expect(Math.abs(out.total! - 2333267.4710253337) / 2333267.47).toBeLessThan(1e-3);
  }, 90_000);
});
