/**
 * The WebGPU device: kernels compiled to WGSL compute shaders (../codegen) and run by an
 * executor that owns the GPUDevice — in a worker thread in Node (node-host.ts: Dawn through
 * the optional `webgpu` package, synchronous reads by blocking on the worker), on the page's
 * thread in browsers (browser-host.ts: asynchronous reads only).
 *
 * Lifetimes follow the wasm device's ownership-free model: buffers from `fromHost`/`run`
 * start unowned, each array holding one takes a reference (`retain`; released by `dispose`,
 * `using`, `scope`, or the garbage collector's finalizer), and the last release returns the
 * buffer to the size-class pool (buffers.ts). `memoryLimitBytes` bounds the bytes in use;
 * beyond it an allocation raises DeviceError with the sizes.
 */
import { config } from "../../../core/config.js";
import { type DType, int32, type TypedArray, uint32 } from "../../../core/dtype.js";
import { DeviceError } from "../../../core/errors.js";
import type { Program } from "../../../kernel/kernel.js";
import { runControl } from "../../control-plan.js";
import type { Device, DeviceBuffer, Executable, MemoryStats, RunOptions } from "../../device.js";
import {
  compileWgslProgram,
  type DotTiling,
  type PlanNode,
  type WgslProgram,
} from "../codegen/codegen.js";
import { unsupportedDtype } from "../codegen/wgsl-alu.js";
import { BrowserHost } from "./browser-host.js";
import { BufferPool, WebGpuBuffer } from "./buffers.js";
import { NodeWorkerHost } from "./node-host.js";
import type { GpuHost } from "./protocol.js";

const HELD = new Set(["float32", "int32", "uint32", "bool"]);
const isNode = typeof process === "object" && !!process.versions?.node;
const defaultHost = (): GpuHost => (isNode ? new NodeWorkerHost() : new BrowserHost());

export class WebGpuDevice implements Device {
  readonly name = "webgpu";
  private current: GpuHost;
  private pool: BufferPool;
  private nextPipeline = 1;
  private closed = false;
  /** Counts GPU devices lost: buffers and executables of an older generation are stale. */
  generation = 0;
  /** Why the last GPU device was lost (while a new one has not been made yet). */
  private lostReason: string | undefined;
  private lastLoss = "";

  constructor(private readonly makeHost: () => GpuHost = defaultHost) {
    this.current = makeHost();
    this.pool = new BufferPool(this.current, () => this.limitBytes());
  }

  /**
   * The executor's host. After a lost GPU device the next use makes a new one (a new worker
   * and GPUDevice in Node): arrays of the lost one stay failed, everything else goes on.
   */
  get host(): GpuHost {
    if (this.lostReason !== undefined) {
      this.lostReason = undefined;
      this.current = this.makeHost();
      this.pool = new BufferPool(this.current, () => this.limitBytes());
      this.pipelineIds.clear();
    }
    return this.current;
  }

  /** Run a call into the host; a reply that reports a lost GPU device marks it lost. */
  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      this.noteLoss();
      throw e;
    }
  }
  private async guardAsync<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      this.noteLoss();
      throw e;
    }
  }
  private noteLoss(): void {
    const why = this.current.lost;
    if (why === undefined || this.lostReason !== undefined) return;
    this.lostReason = why;
    this.lastLoss = why;
    this.generation++;
    this.current.abandon();
  }

  /**
   * Destroy the GPUDevice as if the driver had lost it (tests: the device-loss path); the
   * next read reports it.
   */
  loseDeviceForTesting(): void {
    this.host.send({ op: "lose" });
  }

  /** The adapter's description. */
  get adapter(): string {
    return this.host.init.adapter ?? "unknown adapter";
  }

  /** Whether the adapter is a CPU implementation of Vulkan/WebGPU (lavapipe, SwiftShader…). */
  get cpuAdapter(): boolean {
    return /llvmpipe|lavapipe|swiftshader|software|\bcpu\b/i.test(this.adapter);
  }

  /**
   * The dot kernel's tiling: workgroup-memory tiles with vec4 loads on GPUs, register tiles
   * only on CPU adapters (where barriers cost more than they save). Settable, e.g. to test the
   * GPU kernel on lavapipe; programs compiled before keep theirs.
   */
  dotTiling: DotTiling | undefined;

  limitBytes(): number {
    return Math.max(256, Math.floor(config.read("memoryLimitBytes")));
  }

  private check(d: DType): void {
    if (!HELD.has(d.name)) throw unsupportedDtype(d);
    if (this.closed) throw new DeviceError("The webgpu device was shut down.");
  }

  /** A new unowned buffer for `size` elements of `dtype`. */
  allocate(dtype: DType, size: number): WebGpuBuffer {
    this.check(dtype);
    const host = this.host; // (re-creates a lost device first)
    void host;
    const { id, bytes } = this.pool.alloc(Math.max(4, size * 4));
    return new WebGpuBuffer(dtype, size, this, id, bytes, this.generation);
  }

  free(b: WebGpuBuffer): void {
    if (b.freed) return;
    b.freed = true;
    if (!this.closed && b.generation === this.generation) this.pool.release(b.id, b.bytes);
  }

  retain(buf: DeviceBuffer): boolean {
    if (!(buf instanceof WebGpuBuffer)) return false;
    buf.refs++;
    return true;
  }
  release(buf: DeviceBuffer): void {
    if (!(buf instanceof WebGpuBuffer) || buf.refs <= 0) return;
    if (--buf.refs === 0) this.free(buf);
  }
  dropUnowned(buf: DeviceBuffer): void {
    if (buf instanceof WebGpuBuffer && buf.refs === 0) this.free(buf);
  }

  fromHost(data: TypedArray, dtype: DType): DeviceBuffer {
    const b = this.allocate(dtype, data.length);
    if (data.length) {
      const words = dtype.isBool ? Uint32Array.from(data as Uint8Array) : data;
      const copy = new ArrayBuffer(words.length * 4);
      new Uint8Array(copy).set(new Uint8Array(words.buffer, words.byteOffset, words.length * 4));
      this.host.send({ op: "write", id: b.id, data: copy }, copy);
    }
    return b;
  }

  private decode(b: WebGpuBuffer, raw: ArrayBuffer): TypedArray {
    if (b.dtype.isBool) return Uint8Array.from(new Uint32Array(raw));
    return new (b.dtype.storage as unknown as new (b: ArrayBuffer) => TypedArray)(raw);
  }

  toHost(buf: DeviceBuffer): TypedArray {
    const b = this.own(buf);
    if (b.size === 0) return new b.dtype.storage(0);
    return this.decode(
      b,
      this.guard(() => this.host.readSync(b.id, b.size * 4)),
    );
  }

  /** The buffer's contents without blocking (browsers' only read). */
  async toHostAsync(buf: DeviceBuffer): Promise<TypedArray> {
    const b = this.own(buf);
    if (b.size === 0) return new b.dtype.storage(0);
    return this.decode(b, await this.guardAsync(() => this.host.readAsync(b.id, b.size * 4)));
  }

  /**
   * The first element of `b` as a number (a cond's branch index, a while loop's predicate):
   * a synchronous read, so control flow runs only where those work (Node).
   */
  readWord(b: WebGpuBuffer): number {
    const raw = this.guard(() => this.host.readSync(b.id, 4));
    return b.dtype.name === "int32" ? new Int32Array(raw)[0]! : new Uint32Array(raw)[0]!;
  }

  blockUntilReady(buf: DeviceBuffer): void {
    this.own(buf);
    this.guard(() => this.host.syncWait());
  }
  async ready(buf: DeviceBuffer): Promise<void> {
    this.own(buf);
    await this.guardAsync(() => this.host.syncAsync());
  }

  private own(buf: DeviceBuffer): WebGpuBuffer {
    if (!(buf instanceof WebGpuBuffer) || buf.device !== this)
      throw new DeviceError("internal error: not a buffer of this webgpu device");
    if (buf.freed) throw new DeviceError("internal error: read of a freed webgpu buffer");
    this.checkGeneration(buf);
    return buf;
  }

  /** DeviceError for a buffer of a lost GPU device. */
  checkGeneration(buf: WebGpuBuffer): void {
    if (buf.generation !== this.generation)
      throw new DeviceError(
        `webgpu device: this array's GPU device was lost (${this.lastLoss}); its data is gone. ` +
          `The next computation runs on a new GPU device: compute the array again.`,
      );
  }

  memoryStats(): MemoryStats {
    return {
      device: this.name,
      liveBuffers: this.pool.liveBuffers,
      liveBytes: this.pool.liveBytes,
      peakBytes: this.pool.peakBytes,
      limitBytes: this.limitBytes(),
    };
  }

  /** Pipelines by WGSL text: programs whose shaders are the same share them. */
  private readonly pipelineIds = new Map<string, number>();

  compile(program: Program): Executable {
    const limits = this.host.init.limits!;
    const dotTiling = this.dotTiling ?? (this.cpuAdapter ? "register" : "workgroup");
    const wgsl = compileWgslProgram(program, { ...limits, dotTiling });
    return new WebGpuExecutable(program, this, wgsl);
  }

  /** Pipeline ids (compiled once per WGSL text) and parameter buffers for `wgsl`'s steps. */
  load(wgsl: WgslProgram): { pipelines: number[]; params: (number | undefined)[] } {
    const pipelines = wgsl.steps.map((s) => {
      let id = this.pipelineIds.get(s.code);
      if (id === undefined) {
        id = this.nextPipeline++;
        this.pipelineIds.set(s.code, id);
        this.host.send({ op: "pipeline", id, code: s.code });
      }
      return id;
    });
    // Each step's parameter block lives as long as the device (a few dozen bytes).
    const params = wgsl.steps.map((s) => {
      if (!s.params) return undefined;
      const b = this.fromHost(s.params, int32) as WebGpuBuffer;
      this.retain(b);
      return b.id;
    });
    return { pipelines, params };
  }

  /**
   * Destroy the GPU device and stop its worker (Node): afterwards the device cannot be used.
   * Node exits without it (the worker does not keep the process alive); call it to release
   * the GPU early.
   */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.lostReason === undefined) this.current.shutdown();
  }
}

/** Dispatch the plan's steps in order, reading cond indices and while predicates back. */
function runPlan(
  plan: readonly PlanNode[],
  dispatch: (step: number) => void,
  read: (buffer: number) => number,
): void {
  for (const node of plan) {
    if (node.kind === "step") dispatch(node.index);
    else runControl(node, (nodes) => runPlan(nodes, dispatch, read), read);
  }
}

class WebGpuExecutable implements Executable {
  readonly source: string;
  constructor(
    private readonly program: Program,
    private readonly device: WebGpuDevice,
    private readonly wgsl: WgslProgram,
  ) {
    this.source = wgsl.source;
    this.loaded = device.load(wgsl);
    this.generation = device.generation;
  }
  private loaded: { pipelines: number[]; params: (number | undefined)[] };
  private generation: number;

  run(inputs: readonly DeviceBuffer[], _options?: RunOptions): DeviceBuffer[] {
    const p = this.program;
    const dev = this.device;
    const bufs = new Array<WebGpuBuffer>(p.buffers.length);
    const scratch: WebGpuBuffer[] = [];
    p.inputs.forEach((id, i) => {
      const b = inputs[i]!;
      if (b instanceof WebGpuBuffer && b.device === dev) dev.checkGeneration(b);
    });
    // A lost GPU device was re-created: compile this program's pipelines on the new one.
    void dev.host;
    if (this.generation !== dev.generation) {
      this.loaded = dev.load(this.wgsl);
      this.generation = dev.generation;
    }
    const { pipelines, params } = this.loaded;
    p.inputs.forEach((id, i) => {
      const b = inputs[i]!;
      if (b instanceof WebGpuBuffer && b.device === dev) bufs[id] = b;
      else {
        // Another device's buffer: uploaded for this run.
        const up = dev.fromHost(b.device.toHost(b), b.dtype) as WebGpuBuffer;
        scratch.push(up);
        bufs[id] = up;
      }
    });
    // The steps' scratch buffers (negative ids in their bindings), freed with the temporaries.
    const extra: WebGpuBuffer[] = [];
    try {
      for (const b of p.buffers) {
        if (b.kind === "input") continue;
        const nb = dev.allocate(b.dtype, b.size);
        bufs[b.id] = nb;
        if (b.kind === "temp") scratch.push(nb);
      }
      for (const words of this.wgsl.scratch) {
        extra.push(dev.allocate(uint32, words));
        scratch.push(extra[extra.length - 1]!);
      }
    } catch (e) {
      for (const b of p.buffers) if (b.kind !== "input" && bufs[b.id]) dev.free(bufs[b.id]!);
      for (const s of scratch) dev.free(s);
      throw e;
    }
    const gpuId = (id: number): number => (id < 0 ? extra[-id - 1]! : bufs[id]!).id;
    const dispatch = (i: number): void => {
      const s = this.wgsl.steps[i]!;
      dev.host.send({
        op: "dispatch",
        pipeline: pipelines[i]!,
        bind: [...s.bind.map(gpuId), ...(s.params ? [params[i]!] : [])],
        groups: s.groups,
      });
    };
    try {
      runPlan(this.wgsl.plan, dispatch, (id) => dev.readWord(bufs[id]!));
    } catch (e) {
      for (const b of p.buffers) if (b.kind !== "input") dev.free(bufs[b.id]!);
      for (const s of scratch) dev.free(s);
      throw e;
    }
    // Temporaries go back to the pool now: later work is queued after this run's.
    for (const s of scratch) dev.free(s);
    const outs = p.outputs.map((o) => {
      switch (o.kind) {
        case "buffer":
          return bufs[o.buffer]!;
        case "input":
          return inputs[o.index]!;
        case "literal": {
          const d = new o.dtype.storage(1);
          d[0] = (o.dtype.isBig ? BigInt(o.value) : Number(o.value)) as never;
          return dev.fromHost(d, o.dtype);
        }
      }
    });
    // Output buffers not returned (an output listed twice is returned twice) are never owned.
    const returned = new Set(outs);
    for (const b of p.buffers)
      if (b.kind === "output" && !returned.has(bufs[b.id]!)) dev.free(bufs[b.id]!);
    return outs;
  }
}
