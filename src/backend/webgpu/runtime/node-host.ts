/**
 * Node: the executor runs in a worker thread that imports the optional `webgpu` package (Dawn)
 * and owns the adapter and device. JavaScript cannot wait for a promise synchronously, and Dawn
 * resolves its promises only from its own thread's event loop, so the calling thread posts
 * command batches and, for a synchronous read, blocks on Atomics.wait until the worker has
 * answered on a MessageChannel that it then drains with receiveMessageOnPort. The worker keeps
 * the object returned by `create()` referenced for the device's whole life (Dawn crashes if it
 * is collected while its device lives) and drops it on shutdown; the worker is unref'd, so an
 * idle device does not keep Node alive.
 */
import { DeviceError } from "../../../core/errors.js";
import { GpuExecutor } from "./executor.js";
import type { Command, GpuHost, InitReply, Reply } from "./protocol.js";

type WorkerThreads = typeof import("node:worker_threads");
type NodeModule = typeof import("node:module");

const INSTALL_HINT =
  "The webgpu device in Node needs the optional peer dependency `webgpu` (Dawn): " +
  "`npm install webgpu`, and a GPU driver Dawn can use (Vulkan, Metal or D3D12; on a " +
  "machine without a GPU, Mesa's lavapipe: see scripts/setup-webgpu.sh).";

function builtin<T>(id: string): T {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (typeof get !== "function") throw new DeviceError(`Node ≥ 20.16 is needed (${id}).`);
  return get(id) as T;
}

/** The worker's program: the executor class's own source plus the Dawn setup. */
function workerSource(): string {
  return `"use strict";
var __name = (f) => f, __publicField = (o, k, v) => (o[k] = v, v);
const { workerData } = require("node:worker_threads");
const { ctrl, port, url } = workerData;
const flags = new Int32Array(ctrl);
const GpuExecutor = (${GpuExecutor.toString()});
let gpu = null, executor = null;
function signal(seq) { Atomics.store(flags, 1, seq); Atomics.notify(flags, 1); }
function fatal(e) { port.postMessage({ seq: -1, error: String(e && e.stack || e) }); Atomics.store(flags, 2, 1); Atomics.notify(flags, 1); Atomics.notify(flags, 0); }
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);
(async () => {
  let init;
  try {
    const dawn = await import(url);
    gpu = dawn.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) throw new Error("no WebGPU adapter was found");
    const lim = adapter.limits;
    const device = await adapter.requestDevice({ requiredLimits: {
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
    } });
    const info = adapter.info || {};
    executor = new GpuExecutor(device, (r) => { port.postMessage(r, r.data ? [r.data] : []); signal(r.seq); });
    const l = device.limits;
    init = { ok: true, adapter: [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unknown adapter",
      limits: { maxBufferSize: l.maxBufferSize, maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage, maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension } };
  } catch (e) {
    init = { ok: false, error: String(e && e.message || e) };
    gpu = null;
  }
  port.postMessage({ seq: 0, init });
  Atomics.store(flags, 0, 1); Atomics.notify(flags, 0);
})();
port.on("message", (batch) => executor.enqueue(batch));
`;
}

export class NodeWorkerHost implements GpuHost {
  readonly init: InitReply;
  private readonly flags: Int32Array;
  private readonly port: import("node:worker_threads").MessagePort;
  private readonly worker: import("node:worker_threads").Worker;
  private readonly wt: WorkerThreads;
  private batch: Command[] = [];
  private transfer: ArrayBuffer[] = [];
  private flushQueued = false;
  private seq = 0;
  private readonly replies = new Map<number, Reply>();
  private readonly pending = new Map<number, (r: Reply) => void>();
  private dead: string | undefined;
  lost: string | undefined;

  constructor(timeoutMs = 60_000) {
    this.wt = builtin<WorkerThreads>("node:worker_threads");
    const mod = builtin<NodeModule>("node:module");
    let url: string;
    try {
      const path = mod.createRequire(import.meta.url).resolve("webgpu");
      url = builtin<typeof import("node:url")>("node:url").pathToFileURL(path).href;
    } catch {
      throw new DeviceError(
        `The webgpu device is not available: the package \`webgpu\` was not found. ${INSTALL_HINT}`,
      );
    }
    const ctrl = new SharedArrayBuffer(16);
    this.flags = new Int32Array(ctrl);
    const { port1, port2 } = new this.wt.MessageChannel();
    this.port = port1;
    this.worker = new this.wt.Worker(workerSource(), {
      eval: true,
      name: "jaxts-webgpu",
      workerData: { ctrl, port: port2, url },
      transferList: [port2],
    });
    this.worker.unref();
    const start = Date.now();
    while (Atomics.load(this.flags, 0) === 0 && Date.now() - start < timeoutMs)
      Atomics.wait(this.flags, 0, 0, 200);
    const first = this.wt.receiveMessageOnPort(port1)?.message as
      { seq: number; init?: InitReply; error?: string } | undefined;
    const init = first?.init;
    if (!init?.ok) {
      void this.worker.terminate();
      const why = init?.error ?? first?.error ?? "the WebGPU worker did not start in time";
      throw new DeviceError(`The webgpu device is not available: ${why}. ${INSTALL_HINT}`);
    }
    this.init = init;
    this.port.on("message", (r: Reply) => this.deliver(r));
    this.port.unref();
  }

  private deliver(r: Reply): void {
    if (r.lost) this.lost = r.lost;
    if (r.seq === -1) {
      this.dead = r.error ?? "the WebGPU worker failed";
      for (const [seq, f] of this.pending) f({ seq, error: this.dead });
      this.pending.clear();
      return;
    }
    const f = this.pending.get(r.seq);
    if (f) {
      this.pending.delete(r.seq);
      if (this.pending.size === 0) this.port.unref();
      f(r);
    } else this.replies.set(r.seq, r);
  }

  send(cmd: Command, transfer?: ArrayBuffer): void {
    if (this.dead) throw new DeviceError(`The webgpu device failed: ${this.dead}`);
    this.batch.push(cmd);
    if (transfer) this.transfer.push(transfer);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (!this.batch.length) return;
    this.port.postMessage(this.batch, this.transfer);
    this.batch = [];
    this.transfer = [];
  }

  /** Send `cmd` (taking a fresh sequence number) and block until its reply. */
  private wait(make: (seq: number) => Command): Reply {
    const seq = ++this.seq;
    this.send(make(seq));
    this.flush();
    const start = Date.now();
    for (;;) {
      let m;
      while ((m = this.wt.receiveMessageOnPort(this.port))) this.deliver(m.message as Reply);
      const r = this.replies.get(seq);
      if (r) {
        this.replies.delete(seq);
        if (r.error || r.lost) throw new DeviceError(`webgpu device: ${r.error ?? r.lost}`);
        return r;
      }
      if (this.dead) throw new DeviceError(`The webgpu device failed: ${this.dead}`);
      if (Date.now() - start > 600_000) throw new DeviceError("webgpu device: a read timed out");
      Atomics.wait(this.flags, 1, Atomics.load(this.flags, 1), 100);
    }
  }

  private waitAsync(make: (seq: number) => Command): Promise<Reply> {
    const seq = ++this.seq;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(seq, (r) =>
        r.error || r.lost
          ? reject(new DeviceError(`webgpu device: ${r.error ?? r.lost}`))
          : resolve(r),
      );
      this.port.ref();
      this.send(make(seq));
    });
  }

  readSync(id: number, bytes: number): ArrayBuffer {
    return this.wait((seq) => ({ op: "read", id, bytes, seq })).data!;
  }
  async readAsync(id: number, bytes: number): Promise<ArrayBuffer> {
    return (await this.waitAsync((seq) => ({ op: "read", id, bytes, seq }))).data!;
  }
  syncWait(): void {
    this.wait((seq) => ({ op: "sync", seq }));
  }
  async syncAsync(): Promise<void> {
    await this.waitAsync((seq) => ({ op: "sync", seq }));
  }
  /** Drop a lost device's worker (its GPUDevice is gone; nothing to wait for). */
  abandon(): void {
    if (this.dead) return;
    this.dead = this.lost ?? "the GPU device was lost";
    this.port.close();
    void this.worker.terminate();
  }

  shutdown(): void {
    if (this.dead) return;
    try {
      this.wait((seq) => ({ op: "shutdown", seq }));
    } finally {
      this.dead = "the device was shut down";
      this.port.close();
      void this.worker.terminate();
    }
  }
}
