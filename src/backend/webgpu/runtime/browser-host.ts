/**
 * Browsers: the executor runs on the calling thread over `navigator.gpu`. The adapter and
 * device arrive asynchronously, so commands wait in a promise chain until they do; every read
 * is asynchronous (`await x.data()`, `await x.ready()`), and a synchronous read raises an error
 * that says so: a browser's main thread cannot block on the GPU.
 */
import { DeviceError } from "../../../core/errors.js";
import { GpuExecutor } from "./executor.js";
import type { Gpu } from "./gpu-api.js";
import type { Command, GpuHost, InitReply, Reply } from "./protocol.js";

const SYNC_READ =
  "A synchronous read (toString, toTypedArray, item, tolist, blockUntilReady) of a webgpu " +
  "array is not possible in a browser: the page's thread cannot wait for the GPU. Use " +
  "`await x.data()` (the values) or `await x.ready()` instead.";

export class BrowserHost implements GpuHost {
  /** Filled in once the device exists; reported limits are the WebGPU defaults until then. */
  init: InitReply = {
    ok: true,
    adapter: "navigator.gpu (pending)",
    limits: {
      maxBufferSize: 256 * 2 ** 20,
      maxStorageBufferBindingSize: 128 * 2 ** 20,
      maxStorageBuffersPerShaderStage: 8,
      maxComputeWorkgroupsPerDimension: 65535,
    },
  };
  private readonly executor: Promise<GpuExecutor>;
  private batch: Command[] = [];
  private seq = 0;
  private readonly pending = new Map<number, (r: Reply) => void>();

  constructor() {
    const gpu = (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
    if (!gpu) {
      throw new DeviceError(
        "The webgpu device is not available: this browser has no navigator.gpu (WebGPU is " +
          "off or unsupported; Chromium-based browsers ship it, or enable it in the browser's flags).",
      );
    }
    this.executor = (async () => {
      const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
      if (!adapter) throw new DeviceError("The webgpu device is not available: no GPU adapter.");
      const l = adapter.limits;
      const device = await adapter.requestDevice({
        requiredLimits: {
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
          maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
        },
      });
      const info = adapter.info ?? {};
      this.init = {
        ok: true,
        adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(" "),
        limits: {
          maxBufferSize: device.limits.maxBufferSize,
          maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
          maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
          maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
        },
      };
      return new GpuExecutor(device, (r) => {
        if (r.lost) this.lost = r.lost;
        const f = this.pending.get(r.seq);
        this.pending.delete(r.seq);
        f?.(r);
      });
    })();
    this.executor.catch(() => undefined); // reported by the first read
  }

  send(cmd: Command): void {
    if (!this.batch.length) {
      queueMicrotask(() => {
        const b = this.batch;
        this.batch = [];
        void this.executor.then((e) => e.enqueue(b));
      });
    }
    this.batch.push(cmd);
  }

  private async ask(make: (seq: number) => Command): Promise<Reply> {
    await this.executor;
    const seq = ++this.seq;
    const r = await new Promise<Reply>((resolve) => {
      this.pending.set(seq, resolve);
      this.send(make(seq));
    });
    if (r.error || r.lost) throw new DeviceError(`webgpu device: ${r.error ?? r.lost}`);
    return r;
  }

  readSync(): ArrayBuffer {
    throw new DeviceError(SYNC_READ);
  }
  async readAsync(id: number, bytes: number): Promise<ArrayBuffer> {
    return (await this.ask((seq) => ({ op: "read", id, bytes, seq }))).data!;
  }
  syncWait(): void {
    throw new DeviceError(SYNC_READ);
  }
  async syncAsync(): Promise<void> {
    await this.ask((seq) => ({ op: "sync", seq }));
  }
  shutdown(): void {
    this.send({ op: "shutdown", seq: ++this.seq });
  }
  lost: string | undefined;
  /** A lost device needs no more commands: the next use makes a new host. */
  abandon(): void {
    this.batch = [];
  }
}
