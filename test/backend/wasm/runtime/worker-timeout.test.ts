/**
 * The worker watchdog (`config.workerTimeoutMs`): a worker that never finishes its chunk fails
 * the waiting call with a DeviceError naming the kernel and the timeout — awaited and
 * synchronous reads alike — and only the arrays that depend on that kernel; the pool replaces
 * the hung worker and the next call succeeds. Off (0) by default. Each case has a device of its
 * own, so that a stalled queue (the failure this guards against) stalls only that case.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Array, DeviceError, config, makeJaxpr, numpy as jnp } from "../../../../src/index.js";
import { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";
import { compileJaxpr } from "../../../../src/runtime/compile.js";
import { float32 } from "../../../../src/core/dtype.js";
import { Watchdog } from "../../../../src/backend/wasm/runtime/watchdog.js";

afterEach(() => config.update("workerTimeoutMs", 0));

describe("workerTimeoutMs", () => {
  it("is off by default", () => {
    expect(config.read("workerTimeoutMs")).toBe(0);
  });

  // Hung inside its chunk ("hang"), or between claiming a chunk and recording it ("hang-claiming":
  // the chunk is settled by counting, see queue.ts).
  const cases = (["hang", "hang-claiming"] as const).flatMap((fault) =>
    (["an awaited", "a synchronous"] as const).map((read) => ({ fault, read })),
  );
  for (const { fault, read } of cases) {
    it(`a worker hung (${fault}) fails ${read} read after the timeout; only dependent arrays fail; later calls work`, async () => {
      const d = new WasmDevice({ threads: 2 });
      expect(await d.whenThreadsReady()).toBe(2);
      const n = 1 << 21;
      const exe = (fn: (v: Array) => Array) =>
        compileJaxpr(makeJaxpr(fn)(jnp.zeros([n])).jaxpr, d).executable;
      const f = exe((v) => jnp.sin(v).mul(2).add(1)); // big enough to be split and queued
      const sum = exe((v) => v.sum());
      const x = d.fromHost(new Float32Array(n).fill(1), float32);
      const before = f.run([x])[0]!; // computed before the hang: must stay readable
      const ref = (d.toHost(before) as Float32Array).slice();
      const timeout = 300;
      config.update("workerTimeoutMs", timeout);
      d.helpWhileWaiting = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        d.debugInjectFault(fault);
        const y = f.run([x])[0]!;
        const s = sum.run([y])[0]!; // queued behind y, reads it
        const why = new RegExp(
          `kernel #0 \\(loop over .*\\) on worker thread (\\d): worker thread \\1 ` +
            `hung \\(did not finish within workerTimeoutMs = ${timeout} ms\\) while ${fault === "hang" ? "running" : "taking"} its share`,
        );
        if (read === "a synchronous") {
          expect(() => d.toHost(y)).toThrow(why);
        } else {
          const hang = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("hang: ready() did not settle")), 10_000);
          });
          await expect(Promise.race([d.ready(y), hang])).rejects.toThrow(why);
        }
        expect(d.debugHungWorker).toBeGreaterThan(0);
        expect(() => d.toHost(y)).toThrow(DeviceError);
        expect(() => d.toHost(s)).toThrow(
          /An input of the computation producing this array failed/,
        );
        const kept = d.toHost(before) as Float32Array;
        for (const k of [0, n >> 1, n - 1]) expect(kept[k]).toBe(ref[k]);
      } finally {
        clearTimeout(timer);
        d.helpWhileWaiting = true;
        d.debugInjectFault("none");
      }
      // The hung worker was replaced; the next call succeeds.
      expect(d.respawns).toBe(1);
      expect(await d.whenThreadsReady()).toBe(2);
      const again = d.toHost(f.run([x])[0]!) as Float32Array;
      for (const k of [0, n >> 1, n - 1]) expect(again[k]).toBe(ref[k]);
      expect(d.toHost(sum.run([x])[0]!)[0]).toBe(n);
      d.setThreads(1); // stops its workers
    });
  }

  it("a timeout longer than the kernel changes nothing", () => {
    const d = new WasmDevice({ threads: 2 });
    config.update("workerTimeoutMs", 60_000);
    const n = 1 << 20;
    const e = compileJaxpr(makeJaxpr((v: Array) => v.mul(3))(jnp.zeros([n])).jaxpr, d).executable;
    const out = d.toHost(e.run([d.fromHost(new Float32Array(n).fill(2), float32)])[0]!);
    expect(out[0]).toBe(6);
    expect(out[n - 1]).toBe(6);
    expect(d.respawns).toBe(0);
    d.setThreads(1);
  });
});

describe("the watchdog's clock (an injected clock, no real time)", () => {
  it("declares a task's workers hung only once it has been current for workerTimeoutMs", () => {
    let t = 1000;
    const dog = new Watchdog(() => t);
    const stopped: number[] = [];
    const pool = { stopHung: (seq: number) => void stopped.push(seq) };
    config.update("workerTimeoutMs", 300);
    try {
      dog.check(5, pool); // first sight of task 5 starts its clock
      t += 299;
      dog.check(5, pool);
      expect(stopped).toEqual([]);
      t += 1;
      dog.check(5, pool);
      expect(stopped).toEqual([5]);
      t += 299; // a replaced worker's successor gets a full period
      dog.check(5, pool);
      expect(stopped).toEqual([5]);
      t += 250;
      dog.check(6, pool); // a new task restarts the clock
      t += 299;
      dog.check(6, pool);
      expect(stopped).toEqual([5]);
      config.update("workerTimeoutMs", 0); // off: never
      t += 10_000;
      dog.check(6, pool);
      expect(stopped).toEqual([5]);
    } finally {
      config.update("workerTimeoutMs", 0);
    }
  });
});
