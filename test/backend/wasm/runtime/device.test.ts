/**
 * The wasm device runtime: equality with the JS device, threads, asynchronous dispatch,
 * failures, lifetimes. (Memory bounds over long training loops: test/runtime/lifetimes.test.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  DeviceError,
  config,
  jit,
  lax,
  numpy as jnp,
  random,
} from "../../../../src/index.js";
import { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";
import { WasmBuffer } from "../../../../src/backend/wasm/runtime/buffers.js";
import type { WasmExecutable } from "../../../../src/backend/wasm/runtime/executable.js";
import { callerHelps } from "../../../../src/backend/wasm/runtime/dispatch-policy.js";
import {
  type WasmCompiler,
  compileWasmProgram,
} from "../../../../src/backend/wasm/codegen/codegen.js";
import { getDevice } from "../../../../src/runtime/devices.js";
import { ArrayImpl } from "../../../../src/runtime/array.js";
import { makeJaxpr } from "../../../../src/index.js";
import { compileJaxpr } from "../../../../src/runtime/compile.js";
import { float32 } from "../../../../src/core/dtype.js";
import { mockCompiler } from "./mock-compiler.js";
import { S_DONECH, S_NCHUNKS, slotWord } from "../../../../src/backend/wasm/runtime/queue.js";
import { roundUp } from "../../../../src/backend/wasm/runtime/allocator.js";

/** Chunks of task `seq` counted finished, and its chunk count (each chunk must count once). */
function chunkCounts(d: WasmDevice, seq: number): [number, number] {
  const w =
    ((d as unknown as { scheduler: { ctrl: number } }).scheduler.ctrl >>> 2) + slotWord(seq);
  return [Atomics.load(d.memory.i32, w + S_DONECH), d.memory.i32[w + S_NCHUNKS]!];
}

const wasm = () => getDevice("wasm") as WasmDevice;

/** Bitwise equality of two arrays' values (NaN payloads compared as bits). */
function sameBits(a: Array, b: Array): boolean {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  if (x.length !== y.length || x.constructor !== y.constructor) return false;
  const bx = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const by = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  return bx.every((v, i) => v === by[i]);
}

/** Programs over (x: f32[n], m: f32[r, c], i: i32[n]), computed eagerly and under jit. */
const programs: Record<string, (x: Array, m: Array, i: Array) => Array | Array[]> = {
  elementwise: (x) => jnp.tanh(x).mul(3).add(jnp.exp(x.neg())).sub(x.mul(x)),
  broadcast: (x, m) => m.add(m.sum({ axis: 0 })).mul(m.max({ axis: 1, keepdims: true })),
  reductions: (x, m) => [
    m.sum(),
    m.mean({ axis: 0 }),
    m.max({ axis: 1 }),
    jnp.argmax(m, { axis: 1 }),
    x.prod(),
  ],
  matmul: (x, m) => jnp.matmul(m, m.T).add(1),
  sortCumsum: (x) => [jnp.sort(x), jnp.cumsum(x), jnp.argsort(x)],
  gatherScatter: (x, m, i) => [
    jnp.take(x, i.mod(x.shape[0])),
    x.at(i.mod(7)).add(1),
    x.get(i.mod(5)),
  ],
  ints: (x, m, i) => [
    jnp.floorDivide(i.mul(i).add(3), 7),
    jnp.rightShift(i, 2).add(i.mod(3)),
    jnp.sqrt(i.astype("float32")),
  ],
  bools: (x) => [jnp.logicalAnd(x.gt(0), x.lt(0.5)), jnp.where(x.gt(0), x, x.mul(0.1))],
  float16: (x) => x.astype("float16").mul(1.5).add(1).astype("float32"),
  control: (x) => lax.foriLoop(0, 5, (_k, v: Array) => v.mul(0.9).add(jnp.sin(v)), x),
  scan: (x) => lax.scan((c: Array, v: Array) => [c.add(v), c.mul(v)], jnp.zeros([]), x)[1],
};

function inputs(n: number, r: number, c: number) {
  const x = random.normal(random.PRNGKey(1), [n]);
  const m = random.normal(random.PRNGKey(2), [r, c]);
  const i = jnp.arange(n).mul(7919).mod(1000).sub(500).astype("int32");
  return {
    x: x.toTypedArray() as Float32Array,
    m: m.toTypedArray() as Float32Array,
    i: i.toTypedArray() as Int32Array,
  };
}

function onDevice(name: string, data: ReturnType<typeof inputs>, n: number, r: number, c: number) {
  config.update("defaultDevice", name);
  return { x: jnp.asarray(data.x), m: jnp.asarray(data.m).reshape([r, c]), i: jnp.asarray(data.i) };
}

const flat = (v: Array | Array[]): Array[] => (globalThis.Array.isArray(v) ? v : [v]);

/** Equal within `ulps` units in the last place (floats), exactly otherwise. */
function close(a: Array, b: Array, ulps: number): boolean {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  if (x.length !== y.length || x.constructor !== y.constructor) return false;
  if (!(x instanceof Float32Array || x instanceof Float64Array)) return sameBits(a, b);
  const eps = x instanceof Float32Array ? 2 ** -23 : 2 ** -52;
  for (let k = 0; k < x.length; k++) {
    const u = x[k]!;
    const v = (y as Float32Array)[k]!;
    if (Object.is(u, v) || (Number.isNaN(u) && Number.isNaN(v))) continue;
    const scale = Math.max(Math.abs(u), Math.abs(v), 2 ** -126);
    if (Math.abs(u - v) > ulps * eps * 2 ** Math.floor(Math.log2(scale))) return false;
  }
  return true;
}

const theCompiler: WasmCompiler | undefined = compileWasmProgram;

describe("the wasm device equals the JS device (JS fallback kernels: bit for bit)", () => {
  beforeAll(() => (wasm().compiler = undefined));
  afterAll(() => (wasm().compiler = theCompiler));
  afterEach(() => config.update("defaultDevice", "js"));

  for (const [n, r, c] of [
    [37, 5, 9],
    [20_000, 300, 257],
  ] as const) {
    for (const [name, f] of Object.entries(programs)) {
      it(`${name} (n=${n})`, () => {
        const data = inputs(n, r, c);
        const js = onDevice("js", data, n, r, c);
        const refEager = flat(f(js.x, js.m, js.i));
        const refJit = flat(jit(f)(js.x, js.m, js.i));
        const w = onDevice("wasm", data, n, r, c);
        const eager = flat(f(w.x, w.m, w.i));
        const jitted = flat(jit(f)(w.x, w.m, w.i));
        for (let k = 0; k < refEager.length; k++) {
          expect((eager[k]!.blockUntilReady() as ArrayImpl).buffer.device.name).toBe("wasm");
          expect(sameBits(eager[k]!, refEager[k]!), `${name}[${k}] eager`).toBe(true);
          expect(sameBits(jitted[k]!, refJit[k]!), `${name}[${k}] jit`).toBe(true);
        }
      });
    }
  }

  it.runIf(theCompiler !== undefined).each(Object.keys(programs))(
    "%s with the wasm compiler (within 4 ulps, or 1e-4 where sums are reassociated)",
    (name) => {
      wasm().compiler = theCompiler;
      try {
        const [n, r, c] = [20_000, 300, 257];
        const f = programs[name]!;
        const data = inputs(n, r, c);
        const js = onDevice("js", data, n, r, c);
        const ref = flat(jit(f)(js.x, js.m, js.i));
        const w = onDevice("wasm", data, n, r, c);
        const out = flat(jit(f)(w.x, w.m, w.i));
        for (let k = 0; k < ref.length; k++) {
          const ok =
            close(out[k]!, ref[k]!, 4) ||
            jnp
              .allclose(out[k]!.astype("float32"), ref[k]!.astype("float32"), {
                rtol: 1e-4,
                atol: 1e-4,
              })
              .item();
          expect(ok, `${name}[${k}]`).toBe(true);
        }
      } finally {
        wasm().compiler = undefined;
      }
    },
  );

  it("accepts arrays of the other device as arguments", () => {
    config.update("defaultDevice", "js");
    const a = jnp.arange(10).astype("float32");
    config.update("defaultDevice", "wasm");
    const b = jnp.ones([10]);
    const f = jit((u: Array, v: Array) => u.mul(2).add(v));
    expect(f(a, b).tolist()).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(a.add(b).tolist()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe("callerHelps (whether the calling thread runs chunks while it waits)", () => {
  it("follows an explicit setting", () => {
    expect(callerHelps(true, true, 2, 2)).toBe(true);
    expect(callerHelps(false, false, 1, 8)).toBe(false);
  });
  it("auto: a thread that may block helps only when workers are fewer than cores", () => {
    expect(callerHelps("auto", true, 2, 2)).toBe(false);
    expect(callerHelps("auto", true, 1, 2)).toBe(true);
    expect(callerHelps("auto", true, 2, undefined)).toBe(true);
  });
  it("auto: a thread that cannot block (a browser's main thread, which spins) always helps", () => {
    expect(callerHelps("auto", false, 2, 2)).toBe(true);
    expect(callerHelps("auto", false, 8, 2)).toBe(true);
  });
});

describe("threads and asynchronous dispatch", () => {
  beforeAll(async () => {
    config.update("defaultDevice", "wasm");
    config.update("threads", 2);
    await wasm().whenThreadsReady();
  });
  afterAll(() => {
    config.update("defaultDevice", "js");
    config.update("threads", 0);
    wasm().compiler = theCompiler;
  });

  it("uses shared memory and worker threads", () => {
    expect(wasm().sharedMemory).toBe(true);
    expect(wasm().threads).toBe(2);
  });

  it("counts the tasks handed to the workers (queuedTasks)", () => {
    const dev = wasm();
    const before = dev.queuedTasks;
    jnp.arange(8).add(1).toTypedArray(); // small: runs on the calling thread
    expect(dev.queuedTasks).toBe(before);
    const big = jnp.arange(1 << 21).astype("float32");
    jit((v: Array) => jnp.exp(v.mul(1e-6)))(big).toTypedArray();
    expect(dev.queuedTasks).toBeGreaterThan(before);
  });

  it("returns at once for big work, which completes on the workers in order", async () => {
    const dev = wasm();
    const f = jit((v: Array) =>
      jnp
        .sin(v)
        .mul(v)
        .add(jnp.cos(v.mul(0.5))),
    );
    const x = jnp
      .arange(1 << 21)
      .astype("float32")
      .mul(1e-5)
      .blockUntilReady();
    const y = f(x);
    const z = f(y); // depends on y: queued behind it
    expect(dev.pendingTasks).toBeGreaterThan(0);
    await z.ready();
    expect(dev.pendingTasks).toBe(0);
    const ref = z.toTypedArray() as Float32Array;
    const xs = x.toTypedArray() as Float32Array;
    for (const k of [0, 1, 1000, 1 << 20, (1 << 21) - 1]) {
      const yk = Math.fround(Math.sin(xs[k]!) * xs[k]! + Math.cos(xs[k]! * 0.5));
      expect(Math.abs(ref[k]! - (Math.sin(yk) * yk + Math.cos(yk * 0.5)))).toBeLessThan(
        1e-3 * (1 + Math.abs(yk)),
      );
    }
    // blockUntilReady and reads wait too.
    const w = f(z);
    expect(w.blockUntilReady()).toBe(w);
    expect(dev.pendingTasks).toBe(0);
    expect(sameBits(f(z).sum(), w.sum())).toBe(true);
  });

  it("threaded results equal single-threaded ones (JS fallback kernels)", async () => {
    wasm().compiler = undefined;
    const f = jit((v: Array, m: Array) => [
      jnp.exp(v.mul(-0.001)).mul(v),
      m.sum({ axis: 1 }),
      jnp.matmul(m, m.T),
    ]);
    const v = jnp.arange(1 << 20).astype("float32");
    const m = jnp
      .arange(512 * 300)
      .astype("float32")
      .reshape([512, 300])
      .mul(0.001);
    const threaded = f(v, m) as Array[];
    config.update("threads", 1);
    expect(wasm().threads).toBe(0);
    const single = f(v, m) as Array[];
    config.update("threads", 2);
    await wasm().whenThreadsReady();
    threaded.forEach((t, k) => expect(sameBits(t, single[k]!)).toBe(true));
    wasm().compiler = theCompiler;
  });

  it("threaded results equal single-threaded ones (wasm kernels, split into ranges)", async () => {
    wasm().compiler = mockCompiler;
    try {
      const dev = wasm();
      const prog = compileJaxpr(
        makeJaxpr((a: Array, b: Array) => [a.mul(b).add(a), jnp.maximum(a.neg(), b).mul(2)])(
          jnp.zeros([3_000_001]),
          jnp.zeros([3_000_001]),
        ).jaxpr,
        dev,
      );
      expect(prog.executable.source).toContain(";; mock wasm");
      const n = 3_000_001;
      const a = new Float32Array(n).map((_, k) => Math.sin(k));
      const b = new Float32Array(n).map((_, k) => Math.cos(k * 0.3));
      const run = (d: WasmDevice) => {
        const e = compileJaxpr(prog.jaxpr, d, { optimize: false }).executable;
        const outs = e.run([d.fromHost(a, float32), d.fromHost(b, float32)]);
        return outs.map((o) => (d.toHost(o) as Float32Array).slice());
      };
      const single = new WasmDevice({ threads: 1, compiler: mockCompiler });
      const r1 = run(single);
      const r2 = run(dev);
      const eq = (p: Float32Array, q: Float32Array) =>
        p.length === q.length && p.every((v, k) => Object.is(v, q[k]));
      expect(eq(r2[0]!, r1[0]!)).toBe(true);
      expect(eq(r2[1]!, r1[1]!)).toBe(true);
      expect(r1[0]![5]).toBe(Math.fround(Math.fround(a[5]! * b[5]!) + a[5]!));
    } finally {
      wasm().compiler = theCompiler;
    }
  });

  it("a kernel that throws on a worker surfaces as a DeviceError at the read; later calls work", async () => {
    const dev = wasm();
    const f = jit((v: Array) => v.mul(2).add(1));
    const g = jit((v: Array) => v.sum());
    const x = jnp.ones([1 << 20]).blockUntilReady();
    dev.helpWhileWaiting = false;
    try {
      dev.debugInjectFault("throw");
      const y = f(x);
      const s = g(y); // depends on the failed result
      await expect(y.ready()).rejects.toThrow(DeviceError);
      expect(() => y.toString()).toThrow(
        /kernel #0 \(loop over .* on worker thread \d: injected fault/,
      );
      expect(() => s.item()).toThrow(/An input of the computation producing this array failed/);
    } finally {
      dev.helpWhileWaiting = true;
    }
    expect(g(f(x)).item()).toBe(3 * (1 << 20));
  });

  it("a worker that dies mid-kernel surfaces as a DeviceError; the pool respawns", async () => {
    const dev = wasm();
    const before = dev.respawns;
    const f = jit((v: Array) => v.mul(3));
    const x = jnp.ones([1 << 20]).blockUntilReady();
    dev.helpWhileWaiting = false;
    const seq = dev.queuedTasks;
    try {
      dev.debugInjectFault("crash");
      const y = f(x);
      await expect(y.ready()).rejects.toThrow(/worker thread \d exited/);
      expect(() => y.tolist()).toThrow(DeviceError);
    } finally {
      dev.helpWhileWaiting = true;
    }
    expect(dev.respawns).toBe(before + 1);
    expect(await dev.whenThreadsReady()).toBe(2);
    await new Promise((r) => setTimeout(r, 20)); // the dead worker's exit event, if still due
    // Its chunk was accounted for once (by its exit handler; the pool's reclaim found none).
    const [done, nch] = chunkCounts(dev, seq);
    expect(done).toBe(nch);
    expect(jnp.sum(f(x)).item()).toBe(3 * (1 << 20));
  });

  // terminate() runs none of the worker's code, so its own exit handler cannot account for the
  // chunk it holds: the pool does — when it sees the worker's exit event, or, for a caller
  // blocked in a synchronous read (no event-loop turn), when it sees the worker stopped (Node:
  // its event-loop utilization). A device of its own, so that a stalled queue (the failure
  // this guards against) stalls only this test.
  // Where the worker stops: inside its chunk ("hang"), between claiming a chunk and recording
  // the claim ("hang-claiming": the chunk is lost with it, and must be failed and counted), or
  // after counting a finished chunk and before releasing it ("hang-counting": nothing is lost).
  const stops = [
    { fault: "hang", fails: "running" },
    { fault: "hang-claiming", fails: "taking" },
    { fault: "hang-counting", fails: undefined },
  ] as const;
  const cases = stops.flatMap((stop) =>
    (["an awaited", "a synchronous"] as const).map((read) => ({ ...stop, read })),
  );
  for (const { fault, fails, read } of cases) {
    const outcome = fails ? "fails its task" : "loses nothing";
    it(`a worker terminated from outside (${fault}) ${outcome} (${read} read returns); later calls work`, async () => {
      const d = new WasmDevice({ threads: 2 });
      expect(await d.whenThreadsReady()).toBe(2);
      const pool = (d as unknown as { workers: { pool: { handles: { terminate(): unknown }[] } } })
        .workers.pool;
      const n = 1 << 21;
      const exe = (fn: (v: Array) => Array) =>
        compileJaxpr(makeJaxpr(fn)(jnp.zeros([n])).jaxpr, d).executable;
      const f = exe((v) => jnp.sin(v).mul(2).add(1)); // big enough to be split and queued
      const sum = exe((v) => v.sum());
      const triple = exe((v) => v.mul(3));
      const x = d.fromHost(new Float32Array(n).fill(1), float32);
      const ref = (d.toHost(f.run([x])[0]!) as Float32Array).slice();
      const refSum = d.toHost(sum.run(f.run([x]))[0]!)[0];
      d.helpWhileWaiting = false;
      const seq = d.queuedTasks;
      let tid = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        // The first chunk of y's kernel a worker takes: that worker stops there.
        d.debugInjectFault(fault);
        const y = f.run([x])[0]!;
        const s = sum.run([y])[0]!; // queued behind y, reads it
        const t0 = Date.now();
        while (d.debugHungWorker === 0 && Date.now() - t0 < 5000)
          await new Promise((r) => setTimeout(r, 1));
        tid = d.debugHungWorker;
        expect(tid).toBeGreaterThan(0);
        pool.handles[tid]!.terminate();
        const why = new RegExp(
          `on worker thread ${tid}: worker thread ${tid} (exited with code \\d+|was stopped .*) while ${fails} its share`,
        );
        if (!fails) {
          const ys = read === "a synchronous" ? d.toHost(y) : (await d.ready(y), d.toHost(y));
          for (const k of [0, n >> 1, n - 1]) expect((ys as Float32Array)[k]).toBe(ref[k]);
          expect(d.toHost(s)[0]).toBe(refSum);
        } else if (read === "a synchronous") {
          expect(() => d.toHost(y)).toThrow(why);
        } else {
          const hang = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("hang: ready() did not settle")), 10_000);
          });
          await expect(Promise.race([d.ready(y), hang])).rejects.toThrow(why);
        }
        if (fails) {
          expect(() => d.toHost(y)).toThrow(DeviceError);
          expect(() => d.toHost(s)).toThrow(
            /An input of the computation producing this array failed/,
          );
        }
      } finally {
        clearTimeout(timer);
        d.helpWhileWaiting = true;
      }
      // Respawned at once from the worker's exit event (it may not have come yet when nothing
      // waited on the stopped worker, as when it lost nothing).
      for (const t1 = Date.now(); d.respawns === 0 && Date.now() - t1 < 5000;)
        await new Promise((r) => setTimeout(r, 5));
      expect(d.respawns).toBe(1);
      expect(await d.whenThreadsReady()).toBe(2);
      const [done, nch] = chunkCounts(d, seq);
      expect(nch).toBeGreaterThan(1);
      expect(done).toBe(nch);
      expect(d.toHost(sum.run(triple.run([x]))[0]!)[0]).toBe(3 * n);
      const again = d.toHost(f.run([x])[0]!) as Float32Array;
      for (const k of [0, n >> 1, n - 1]) expect(again[k]).toBe(ref[k]);
      d.setThreads(1); // stops its workers
    });
  }

  it("does not reuse memory that a queued task still reads", async () => {
    const dev = wasm();
    const f = jit((v: Array) => jnp.exp(v.mul(0.5)).sum());
    let x: Array | undefined = jnp.full([1 << 21], 2, "float32");
    x.blockUntilReady();
    dev.helpWhileWaiting = false;
    let s: Array;
    let junk: Array;
    try {
      s = f(x);
      x.dispose();
      x = undefined;
      // Same size: would take x's block if it were freed already. Overwrite it with zeros.
      junk = jnp.zeros([1 << 21]);
    } finally {
      dev.helpWhileWaiting = true;
    }
    await s.ready();
    expect(Math.abs((s.item() as number) / ((1 << 21) * Math.exp(1)) - 1)).toBeLessThan(1e-3);
    junk.dispose();
  });
});

describe("out of memory part-way through a run", () => {
  it("frees the run's temporaries and outputs allocated so far; later calls fit", () => {
    // A device of its own: a compact heap whose live bytes nothing else changes.
    const d = new WasmDevice({ threads: 1, collectGarbage: false });
    const saved = config.read("memoryLimitBytes");
    const n = 1 << 20; // 4 MiB of float32
    const exe = (fn: (v: Array) => Array | Array[]) =>
      compileJaxpr(makeJaxpr(fn)(jnp.zeros([n])).jaxpr, d).executable;
    // Temporaries (an int8 sort: the js kernel, no scratch — a float32 sort compiles to a radix
    // sort with 16 MiB of scratch) and outputs of 4, 32 and 4 MiB.
    const sorted = (v: Array) => jnp.sort(v.astype("int8")).astype("float32");
    const f = exe((v) => {
      const t = sorted(v);
      return [t.mul(2), v.reshape([-1, 1]).mul(jnp.ones([1, 8])), t.add(1)];
    });
    const g = exe((v) => sorted(v).mul(2)); // ≈ 10 MiB: fits in what is left
    const x = d.fromHost(new Float32Array(n).fill(1), float32);
    try {
      config.update("memoryLimitBytes", d.allocator.heapTop + (12 << 20));
      const base = d.liveBytes;
      const buffers = d.liveBufferCount;
      for (let k = 0; k < 3; k++) {
        expect(() => f.run([x])).toThrow(DeviceError);
        expect(() => f.run([x])).toThrow(/cannot allocate 33,554,432 bytes/);
        expect(d.liveBytes).toBe(base);
        expect(d.liveBufferCount).toBe(buffers);
      }
      const [y] = g.run([x]);
      expect((d.toHost(y!) as Float32Array)[n - 1]).toBe(2);
      d.dropUnowned(y!);
      // What stays is g's kernel table (kept by the executable for its next sync run).
      expect(d.liveBytes).toBe(base + roundUp((g as WasmExecutable).syncTable.bytes));
    } finally {
      config.update("memoryLimitBytes", saved);
    }
  });
});

describe("out of memory allocating a kernel's scratch", () => {
  it("does not keep the replaced (freed) scratch block in use", () => {
    const d = new WasmDevice({ threads: 1, collectGarbage: false });
    const saved = config.read("memoryLimitBytes");
    const mm = (k: number) =>
      compileJaxpr(
        makeJaxpr((a: Array, b: Array) => jnp.matmul(a, b))(jnp.zeros([k, k]), jnp.zeros([k, k]))
          .jaxpr,
        d,
      ).executable;
    const small = mm(8);
    const big = mm(256);
    const scratch = () =>
      (d as unknown as { store: { scratch: { addr: number; bytes: number }[] } }).store.scratch;
    const ones = (k: number) => d.fromHost(new Float32Array(k * k).fill(1), float32);
    const [a8, a256] = [ones(8), ones(256)];
    const [c8] = small.run([a8, a8]);
    expect((d.toHost(c8!) as Float32Array)[63]).toBe(8);
    const old = scratch()[0]!;
    expect(old.bytes).toBeGreaterThan(0);
    try {
      // Room for the big product's output and table, not for its bigger scratch.
      config.update("memoryLimitBytes", d.allocator.heapTop + (256 << 10) + (16 << 10));
      let err: unknown;
      try {
        big.run([a256, a256]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DeviceError);
      // The scratch failed (not the 262,144-byte output).
      expect((err as Error).message).toMatch(/Out of memory on the wasm device: cannot allocate/);
      expect((err as Error).message).not.toMatch(/cannot allocate 262,144 bytes/);
    } finally {
      config.update("memoryLimitBytes", saved);
    }
    // The old scratch block was freed: a buffer of its size takes it...
    const probe = d.fromHost(new Float32Array(old.bytes / 4).fill(7), float32) as WasmBuffer;
    expect(probe.addr).toBe(old.addr);
    // ...and the next product must not use it as scratch.
    const [again] = small.run([a8, a8]);
    expect((d.toHost(again!) as Float32Array)[63]).toBe(8);
    expect((d.toHost(probe) as Float32Array).every((v) => v === 7)).toBe(true);
  });
});

describe("without shared memory", () => {
  it("runs single-threaded on an unshared memory that grows (views follow the growth)", () => {
    const d = new WasmDevice({ shared: false, initialBytes: 1 << 16 });
    expect(d.sharedMemory).toBe(false);
    expect(d.threads).toBe(0);
    for (const compilerOn of [false, true]) {
      d.compiler = compilerOn ? theCompiler : undefined;
      const f = (a: Array, b: Array) => [a.mul(b).add(a), b.sum()];
      let prev: { buf: ReturnType<WasmDevice["fromHost"]>; n: number } | undefined;
      for (const n of [10, 1000, 100_000, 1_000_000]) {
        const c = compileJaxpr(makeJaxpr(f)(jnp.zeros([n]), jnp.zeros([n])).jaxpr, d);
        const a = new Float32Array(n).map((_, k) => k % 7);
        const b = new Float32Array(n).fill(2);
        const [y, s] = c.executable.run([d.fromHost(a, float32), d.fromHost(b, float32)]);
        const yv = d.toHost(y!) as Float32Array;
        expect(yv[n - 1]).toBe(3 * ((n - 1) % 7));
        expect(d.toHost(s!)[0]).toBe(2 * n);
        // An earlier output still reads correctly after the memory grew.
        if (prev)
          expect((d.toHost(prev.buf) as Float32Array)[prev.n - 1]).toBe(3 * ((prev.n - 1) % 7));
        prev = { buf: y!, n };
      }
    }
  });
});

describe("lifetimes on the wasm device", () => {
  beforeAll(() => config.update("defaultDevice", "wasm"));
  afterAll(() => config.update("defaultDevice", "js"));

  it("use after dispose is a clear DeviceError", () => {
    const x = jnp.arange(4).astype("float32");
    x.dispose();
    expect(() => x.toString()).toThrow(DeviceError);
    expect(() => x.tolist()).toThrow(/was disposed and its memory freed/);
    expect(() => jit((v: Array) => v.add(1))(x)).toThrow(/was disposed/);
    expect(() => x.add(1)).toThrow(/was disposed/);
    x.dispose(); // idempotent
  });

  it("`using` frees at the end of the block", () => {
    const dev = wasm();
    const base = dev.liveBytes;
    {
      using a = jnp.ones([10_000]);
      using b = a.mul(2);
      expect(b.sum().item()).toBe(20_000);
      expect(dev.liveBytes).toBeGreaterThanOrEqual(base + 80_000);
    }
    // Only the (unreachable, not yet finalized) scalar sum remains.
    expect(dev.liveBytes - base).toBeLessThan(1000);
  });

  it("outputs may alias inputs; memory is freed with the last reference", () => {
    const f = jit((a: Array, b: Array) => [a, b.add(1)]);
    const x = jnp.ones([1000]);
    const [x2, y] = f(x, x) as Array[];
    const buf = (x as ArrayImpl).buffer as WasmBuffer;
    expect((x2 as ArrayImpl).buffer).toBe(buf);
    expect(buf.refs).toBe(2);
    x.dispose();
    expect(buf.freed).toBe(false);
    expect(x2!.sum().item()).toBe(1000);
    x2!.dispose();
    expect(buf.freed).toBe(true);
    y!.dispose();
  });

  it("donateArgnums reuses the donated buffer and disposes the donated array", () => {
    const dev = wasm();
    const step = jit((w: Array, g: Array) => w.sub(g.mul(0.1)), { donateArgnums: 0 });
    let w = jnp.ones([50_000]);
    const g = jnp.ones([50_000]);
    const addr = (w as ArrayImpl).buffer;
    const w1 = step(w, g);
    expect((w1 as ArrayImpl).buffer).toBe(addr);
    expect((w as ArrayImpl).isDisposed).toBe(true);
    expect(() => w.sum()).toThrow(DeviceError);
    w = w1.blockUntilReady();
    const live = dev.liveBytes;
    for (let k = 0; k < 100; k++) w = step(w, g);
    w.blockUntilReady();
    expect(dev.liveBytes).toBe(live);
    expect((w as ArrayImpl).buffer).toBe(addr);
    expect(w.get(0).item()).toBeCloseTo(1 - 0.1 * 101, 4);
    // A donated array whose buffer is shared is not overwritten.
    const shared = jnp.ones([50_000]);
    const alias = jit((a: Array) => a)(shared);
    const out = step(shared, g);
    expect(alias.get(0).item()).toBe(1);
    expect(out.get(0).item()).toBeCloseTo(0.9, 6);
  });

  it("jitted functions keep the constants they closed over", () => {
    let c: Array | undefined = jnp.arange(5).astype("float32");
    const f = jit((v: Array) => v.add(c!));
    expect(f(jnp.ones([5])).tolist()).toEqual([1, 2, 3, 4, 5]);
    c.dispose();
    expect(f(jnp.ones([5])).tolist()).toEqual([1, 2, 3, 4, 5]);
    c = undefined;
  });
});
