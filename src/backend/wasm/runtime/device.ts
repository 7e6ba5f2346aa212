/**
 * The WebAssembly device: buffers live in one linear memory (memory.ts) managed by a JS-side
 * allocator (allocator.ts, through buffer-store.ts); kernels run as wasm exports from the wasm
 * compiler (../codegen/codegen.ts) or as the JS device's generated code over typed-array views
 * of the same memory (the permanent fallback for kernels the compiler does not handle).
 *
 * Lifetimes. Device buffers are reference counted: each ArrayImpl holding a buffer owns one
 * reference (`retain`/`release`; several arrays may share a buffer, e.g. an output aliasing an
 * input). Buffers returned by `fromHost`/`run` start unowned. A buffer whose count drops to zero
 * is freed at once, unless a queued task still uses it: then the free waits for that task.
 * Temporaries and kernel tables are allocated per run and freed the same way.
 *
 * Dispatch. An executable (executable.ts) runs itself: on the calling thread at once ("sync")
 * or queued for the workers ("async": the call returns immediately, the outputs become ready
 * when the tasks complete; scheduler.ts). Reads wait. A failing kernel (or a worker dying)
 * poisons the outputs of its run and of queued runs that read them; the read raises a
 * DeviceError naming the kernel.
 */
import { config } from "../../../core/config.js";
import type { DType, TypedArray } from "../../../core/dtype.js";
import { DeviceError } from "../../../core/errors.js";
import type { Program } from "../../../kernel/kernel.js";
import type { Device, DeviceBuffer, Executable, MemoryStats } from "../../device.js";
import { type WasmCompiler, compileWasmProgram } from "../codegen/codegen.js";
import { Allocator, roundUp } from "./allocator.js";
import { BufferStore } from "./buffer-store.js";
import { HostBuffer, type WasmBuffer } from "./buffers.js";
import { Collector } from "./collector.js";
import { WasmExecutable } from "./executable.js";
import { PAGE, WasmMemory, sharedMemoryAvailable } from "./memory.js";
import { CONTROL_BYTES } from "./queue.js";
import { Scheduler } from "./scheduler.js";
import { type WorkerStatus, WorkerThreads } from "./worker-threads.js";
import { wasmLowerings } from "../lowering/conv.js";

export interface WasmDeviceOptions {
  /** Worker threads (default: config.threads, 0 = CPU count); ≤ 1 runs everything here. */
  threads?: number;
  /** Use shared memory and workers when available (default true). */
  shared?: boolean;
  /** Initial memory size in bytes. */
  initialBytes?: number;
  /** Force a (minor) GC when device memory held by unreachable arrays may be piling up (Node). */
  collectGarbage?: boolean;
  /**
   * The wasm compiler (default: codegen's `compileWasmProgram`); null: none, every kernel runs
   * as JS fallback code. Also settable later (`compiler`), for programs compiled afterwards.
   */
  compiler?: WasmCompiler | null;
  /** @internal Tests: the worker threads' program instead of worker-source.ts's. */
  workerSource?: string;
}

export class WasmDevice implements Device {
  readonly name = "wasm";
  readonly lowerings = wasmLowerings;
  readonly memory: WasmMemory;
  readonly allocator: Allocator;
  /** The compiler for programs compiled from now on (undefined: JS fallback kernels only). */
  compiler: WasmCompiler | undefined;
  private readonly workers: WorkerThreads;
  private readonly scheduler: Scheduler;
  private readonly collector: Collector;
  private readonly store: BufferStore;

  constructor(opts: WasmDeviceOptions = {}) {
    this.compiler = opts.compiler === null ? undefined : (opts.compiler ?? compileWasmProgram);
    const shared = (opts.shared ?? true) && sharedMemoryAvailable();
    this.memory = new WasmMemory({
      shared,
      initialBytes: opts.initialBytes ?? 4 * PAGE,
      maxBytes: this.limitBytes(),
    });
    this.allocator = new Allocator(64, {
      limit: () => this.limitBytes(),
      capacity: () => this.memory.bytes,
      grow: (n) => this.memory.grow(n),
    });
    const ctrl = this.allocator.alloc(CONTROL_BYTES);
    if (ctrl < 0) throw new DeviceError("The wasm device could not allocate its control block.");
    const threads = opts.threads ?? config.read("threads");
    this.workers = new WorkerThreads(this.memory, this.allocator, ctrl, threads, opts.workerSource);
    this.scheduler = new Scheduler(this.memory, this.allocator, ctrl, this.workers);
    const reclaim = () => {
      this.scheduler.poll();
      this.allocator.flush();
    };
    this.collector = new Collector(this.allocator, reclaim, opts.collectGarbage ?? true);
    this.store = new BufferStore(
      this,
      this.memory,
      this.allocator,
      this.scheduler,
      this.collector,
      () => this.limitBytes(),
      () => this.liveBytes,
    );
    if (opts.threads === undefined) {
      config.onChange((name, value) => {
        if (name === "threads") this.setThreads(value as number);
      });
    }
  }

  /** The usable memory limit: config.memoryLimitBytes, at most the memory's maximum. */
  limitBytes(): number {
    const max = this.memory ? this.memory.maxBytes : 65535 * PAGE;
    return Math.min(max, Math.max(PAGE, Math.floor(config.read("memoryLimitBytes"))));
  }

  // ---- introspection -------------------------------------------------------------------------

  /** Bytes of device memory in use by buffers, temporaries and tables (not the control block). */
  get liveBytes(): number {
    return this.allocator.liveBytes - roundUp(CONTROL_BYTES) - this.workers.stateBytes;
  }
  /** Peak of `liveBytes` since creation or `resetPeakBytes()`. */
  get peakBytes(): number {
    return this.allocator.peakBytes - roundUp(CONTROL_BYTES) - this.workers.stateBytes;
  }
  resetPeakBytes(): void {
    this.allocator.resetPeak();
  }
  /** Live device buffers (arrays' memory, not temporaries). */
  get liveBufferCount(): number {
    return this.store.liveBuffers;
  }
  memoryStats(options: { bySite: boolean }): MemoryStats {
    this.scheduler.poll(); // frees that waited for finished tasks
    return {
      device: this.name,
      liveBuffers: this.store.liveBuffers,
      liveBytes: this.liveBytes,
      peakBytes: this.peakBytes,
      limitBytes: this.limitBytes(),
      ...(options.bySite ? { bySite: this.store.sites.summary() } : {}),
    };
  }
  /** Worker threads currently taking tasks (0: single-threaded). */
  get threads(): number {
    return this.workers.pool?.readyCount ?? 0;
  }
  /** The worker threads' state: asked for, ready, with helpers, and why they could not start. */
  get workerStatus(): WorkerStatus {
    return this.workers.status();
  }
  /** Lines for `printEnvironmentInfo()`: memory sharing and the worker threads. */
  environmentLines(): string[] {
    const w = this.workerStatus;
    const lines = [`wasm: ${this.memory.shared ? "shared" : "unshared"} memory`];
    if (w.requested > 0)
      lines.push(
        `wasm worker threads: ${w.ready} of ${w.requested} ready` +
          (w.ready > 0 ? `, JS helpers ${w.helpers ? "loaded" : "MISSING"}` : ""),
      );
    else if (!this.memory.shared)
      lines.push("wasm worker threads: none (no SharedArrayBuffer; cross-origin isolation needed)");
    else lines.push("wasm worker threads: none");
    if (w.startFailure) lines.push(`wasm worker threads FAILED TO START: ${w.startFailure}`);
    if (w.helpersProblem) lines.push(`wasm worker helpers FAILED: ${w.helpersProblem}`);
    return lines;
  }
  get sharedMemory(): boolean {
    return this.memory.shared;
  }
  /** Times a dead worker was replaced. */
  get respawns(): number {
    return this.workers.pool?.respawns ?? 0;
  }
  /** Tasks handed to the worker threads so far (each possibly split into chunks). */
  get queuedTasks(): number {
    return this.scheduler.tail;
  }
  /** Chunks of queued tasks the calling thread ran itself while it waited. */
  get helpedChunks(): number {
    return this.scheduler.helpedChunks;
  }
  /** Tasks queued and not yet complete. */
  get pendingTasks(): number {
    return this.scheduler.pendingTasks;
  }
  /** Whether the calling thread runs chunks of queued tasks while it waits (see callerHelps). */
  get helpWhileWaiting(): boolean | "auto" {
    return this.scheduler.helpWhileWaiting;
  }
  set helpWhileWaiting(mode: boolean | "auto") {
    this.scheduler.helpWhileWaiting = mode;
  }
  /** Runs that may be queued at once (a call beyond it first waits for the oldest run). */
  get maxQueuedRuns(): number {
    return this.scheduler.maxQueuedRuns;
  }
  set maxQueuedRuns(n: number) {
    this.scheduler.maxQueuedRuns = n;
  }
  /** Forced collections so far. */
  get gcCount(): number {
    return this.collector.count;
  }
  /** Growth of live bytes over the floor that triggers a collection (Node). */
  get gcGrowthBytes(): number {
    return this.collector.growthBytes;
  }
  set gcGrowthBytes(n: number) {
    this.collector.growthBytes = n;
  }

  // ---- threads -------------------------------------------------------------------------------

  /** Resolves once the worker threads are taking tasks (immediately when single-threaded). */
  whenThreadsReady(timeoutMs = 10_000): Promise<number> {
    return this.workers.whenReady(timeoutMs);
  }

  /** Change the number of worker threads (drains the queue first). */
  setThreads(n: number): void {
    this.scheduler.synchronize();
    this.workers.restart(n);
  }

  /**
   * Test hook: the next chunk a worker runs throws ("throw"), kills its worker ("crash") or
   * never returns ("hang": the worker holds it until terminated); or the worker stops, until
   * terminated, right after claiming its next chunk ("hang-claiming") or after counting it as
   * done ("hang-counting").
   */
  debugInjectFault(
    kind: "throw" | "crash" | "hang" | "hang-claiming" | "hang-counting" | "none",
  ): void {
    this.workers.injectFault(kind);
  }

  /** Test hook: the thread id of the worker holding the "hang" fault's chunk (0: none yet). */
  get debugHungWorker(): number {
    return this.workers.hungWorker;
  }

  // ---- buffers -------------------------------------------------------------------------------

  retain(buf: DeviceBuffer): boolean {
    return this.store.retain(buf);
  }

  release(buf: DeviceBuffer): void {
    this.store.release(buf);
  }

  /** Free a buffer nobody took ownership of (a call's temporary input). */
  dropUnowned(buf: DeviceBuffer): void {
    this.store.dropUnowned(buf);
  }

  fromHost(data: TypedArray, dtype: DType): DeviceBuffer {
    return this.store.fromHost(data, dtype);
  }

  toHost(buf: DeviceBuffer): TypedArray {
    if (buf instanceof HostBuffer) return buf.data;
    const b = buf as WasmBuffer;
    this.blockUntilReady(b);
    return this.store.read(b);
  }

  blockUntilReady(buf: DeviceBuffer): void {
    if (buf instanceof HostBuffer) return;
    const b = buf as WasmBuffer;
    if (b.freed) throw new DeviceError("internal error: read of a freed wasm buffer");
    if (b.lastWrite > this.scheduler.processed) this.scheduler.waitFor(b.lastWrite);
    if (b.error) throw b.error;
  }

  async ready(buf: DeviceBuffer): Promise<void> {
    if (buf instanceof HostBuffer) return;
    const b = buf as WasmBuffer;
    await this.scheduler.whenDone(b.lastWrite);
    if (b.error) throw b.error;
  }

  /** Wait until every queued task has completed. */
  synchronize(): void {
    this.scheduler.synchronize();
  }

  /** Process completed tasks: failures, deferred frees. */
  poll(): void {
    this.scheduler.poll();
  }

  // ---- programs ------------------------------------------------------------------------------

  compile(program: Program): Executable {
    return new WasmExecutable(program, this.store, this.scheduler, this.compiler);
  }
}
