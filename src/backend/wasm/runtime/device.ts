/**
 * The WebAssembly device: buffers live in one linear memory (memory.ts) managed by a JS-side
 * allocator (allocator.ts); kernels run as wasm exports from the wasm compiler (codegen.ts,
 * when present) or as the JS device's generated code over typed-array views of the same
 * memory (the permanent fallback for kernels the compiler does not handle).
 *
 * Lifetimes. Device buffers are reference counted: each ArrayImpl holding a buffer owns one
 * reference (`retain`/`release`; several arrays may share a buffer, e.g. an output aliasing an
 * input). Buffers returned by `fromHost`/`run` start unowned. A buffer whose count drops to zero
 * is freed at once, unless a queued task still uses it: then the free waits for that task.
 * Temporaries and kernel tables are allocated per run and freed the same way.
 *
 * Dispatch. A run either executes on the calling thread at once ("sync": small work, kernels
 * the workers cannot run, single-threaded mode) or is queued for the workers ("async": the
 * call returns immediately, the outputs become ready when the tasks complete). Large kernels
 * of a sync run are still split across the workers, with the caller taking chunks. Reads wait.
 * A failing kernel (or a worker dying) poisons the outputs of its run and of queued runs that
 * read them; the read raises a DeviceError naming the kernel.
 */
import { config } from "../../../core/config.js";
import type { DType, TypedArray } from "../../../core/dtype.js";
import { DeviceError } from "../../../core/errors.js";
import type { Device, DeviceBuffer, Executable, RunOptions } from "../../device.js";
import { flatIndex } from "../../../kernel/index.js";
import { idx, topoSort } from "../../../kernel/expr.js";
import type { Kernel, Program } from "../../../kernel/kernel.js";
import { kernelReads, kernelWrites } from "../../../kernel/kernel-io.js";
import { planBuffers } from "../../../kernel/buffer-plan.js";
import { generateProgramSource } from "../../js/codegen/codegen.js";
import * as helpers from "../../js/codegen/helpers.js";
import { customKernels } from "../../js/codegen/custom-kernels.js";
import { Allocator, roundUp } from "./allocator.js";
import { WasmMemory, sharedMemoryAvailable, PAGE } from "./memory.js";
import { disassemble } from "../codegen/disassemble.js";
import { useRelaxedSimd } from "./features.js";
import { Pool, cpuCount, cpuCountSync, type ProgramMessage } from "./pool.js";
import {
  CAP,
  CONTROL_BYTES,
  H_DONE,
  H_EPOCH,
  H_FAULT,
  H_HUNG,
  H_TAIL,
  S_BEGIN,
  S_CHUNK,
  S_DONECH,
  S_END,
  S_KIND,
  S_NCHUNKS,
  S_NEXT,
  S_PROG,
  S_SEQ,
  S_STATUS,
  S_STEP,
  S_TABLE,
  S_TSTRIDE,
  readFailure,
  recordFailure,
  slotWord,
  workerStateLayout,
} from "./queue.js";
import { compileWasmProgram } from "../codegen/codegen.js";
import { canCollectNow, collectNow } from "../../../core/finalization.js";

// ---------------------------------------------------------------------------------------------
// The compiler interface (codegen.ts, written separately)
// ---------------------------------------------------------------------------------------------

export interface WasmKernelInfo {
  /** Kernel index in the program. */
  readonly index: number;
  readonly exportName: string;
  /** Iterations of the outermost loop: the export runs [begin, end) of [0, trip). */
  readonly trip: number;
  /** Work units per outer iteration (for the threading threshold). */
  readonly workPerIter: number;
  /** Per-thread scratch bytes, passed at table[program.buffers.length]. */
  readonly scratchBytes?: number;
}

export interface WasmCompileResult {
  readonly bytes: Uint8Array;
  readonly kernels: readonly WasmKernelInfo[];
  /** Kernel indices left to the JS fallback. */
  readonly fallback: readonly number[];
  readonly text: string;
}

export type WasmCompiler = (
  program: Program,
  opts: { shared: boolean; initialPages: number; maximumPages: number; relaxedSimd?: boolean },
) => WasmCompileResult;

let compiler: WasmCompiler | undefined = compileWasmProgram;

/** Install (or remove) the wasm compiler; without one every kernel uses the JS fallback. */
export function setWasmCompiler(c: WasmCompiler | undefined): void {
  compiler = c;
}

/** The installed wasm compiler (codegen.ts's `compileWasmProgram` when present). */
export function getWasmCompiler(): WasmCompiler | undefined {
  return compiler;
}

// ---------------------------------------------------------------------------------------------
// Tuning
// ---------------------------------------------------------------------------------------------

/** Work units (≈ element operations) above which a kernel is split across threads. */
export const SPLIT_MIN_WORK = 1 << 20;
/** Work units above which a whole run goes to the workers asynchronously. */
export const ASYNC_MIN_WORK = 1 << 20;
/** Chunks per thread for dynamic load balancing. */
const CHUNKS_PER_THREAD = 4;

const rt = { ...helpers, kernels: customKernels };
const isNode = typeof process === "object" && process !== null && !!process.versions?.node;
/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
const canBlock =
  isNode ||
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined";

const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * Whether the calling thread runs chunks of queued tasks while it waits. "auto": when it
 * cannot block (a browser's main thread: it would spin on a core the workers need — with a
 * worker per core, not helping there measured no faster than one thread), else only when the
 * pool has fewer workers than the machine has cores — with a worker per core, a helping caller
 * would be one thread more than cores, and a chunk-holding thread the OS preempts delays the
 * whole task by a time slice.
 */
export function callerHelps(
  mode: boolean | "auto",
  callerCanBlock: boolean,
  poolSize: number,
  cores: number | undefined,
): boolean {
  if (mode !== "auto") return mode;
  if (!callerCanBlock) return true;
  return cores === undefined || poolSize < cores;
}

// ---------------------------------------------------------------------------------------------
// Buffers
// ---------------------------------------------------------------------------------------------

export class WasmBuffer implements DeviceBuffer {
  /** Owners (ArrayImpls, jit constants). */
  refs = 0;
  freed = false;
  /** 1 + sequence number of the last queued task writing / using it (0: none). */
  lastWrite = 0;
  lastUse = 0;
  /** Set when the computation producing it failed. */
  error: DeviceError | undefined;
  view: TypedArray | undefined;
  viewGen = -1;

  constructor(
    readonly dtype: DType,
    readonly size: number,
    readonly device: WasmDevice,
    readonly addr: number,
  ) {}
}

/**
 * A small array (≤ HOST_MAX_BYTES) kept on the JS heap: no device memory and no finalizer to
 * track (the JS GC reclaims it), uploaded into a per-run temporary when a kernel reads it.
 * Scalars dominate dispatch-bound code; this keeps their cost to a few allocations.
 */
export class HostBuffer implements DeviceBuffer {
  constructor(
    readonly dtype: DType,
    readonly data: TypedArray,
    readonly device: WasmDevice,
  ) {}
  get size(): number {
    return this.data.length;
  }
}
const HOST_MAX_BYTES = 64;

/** A run of an executable: what a failure poisons. */
interface RunRecord {
  readonly exec: WasmExecutable;
  readonly bufs: WasmBuffer[];
  readonly inputs: WasmBuffer[];
  readonly outputs: WasmBuffer[];
  /** 1 + the last task's sequence number. */
  lastSeq: number;
  error?: DeviceError;
}

interface TaskRef {
  readonly run: RunRecord;
  readonly step: number;
  readonly table: number;
  readonly tstride: number;
}

// ---------------------------------------------------------------------------------------------
// Executables
// ---------------------------------------------------------------------------------------------

type JsStepFn = (b: TypedArray[], rt: unknown, P: unknown, begin: number, end: number) => void;

interface Step {
  readonly index: number;
  readonly kernel: Kernel;
  readonly wasm: boolean;
  readonly exportName: string | null;
  mainFn?: (table: number, begin: number, end: number) => void;
  readonly js: JsStepFn | undefined;
  readonly jsSource: string | null;
  /** Custom kernels' parameters (`P`). */
  readonly params: Record<string, unknown>;
  readonly used: number[];
  readonly trip: number;
  readonly work: number;
  readonly splittable: boolean;
  readonly needsRt: boolean;
  readonly scratch: number;
  readonly desc: string;
}

function describeKernel(k: Kernel, i: number): string {
  switch (k.kind) {
    case "cond":
      return `kernel #${i} (cond with ${k.branches.length} branches)`;
    case "while":
      return `kernel #${i} (while loop)`;
    case "loop":
      return `kernel #${i} (loop over (${k.shape.join(", ")}) writing ${k.outputs.length} buffer${k.outputs.length === 1 ? "" : "s"})`;
    case "dot":
      return `kernel #${i} (dot ${k.batch.length ? `batch (${k.batch.join(", ")}) ` : ""}${k.m}x${k.k} @ ${k.k}x${k.n})`;
    case "custom":
      return `kernel #${i} (custom '${k.op}')`;
  }
}

function kernelBuffers(k: Kernel): number[] {
  return [...new Set([...kernelReads(k), ...kernelWrites(k)])].sort((a, b) => a - b);
}

/** Whether a kernel (or one nested in it) is a custom kernel (needs `rt.kernels`). */
function hasCustom(k: Kernel): boolean {
  switch (k.kind) {
    case "custom":
      return true;
    case "cond":
      return k.branches.some((b) => b.some(hasCustom));
    case "while":
      return [...k.cond, ...k.body].some(hasCustom);
    default:
      return false;
  }
}

/** Trip count of the outermost loop and work per outer iteration, for the JS fallback. */
function jsCost(k: Kernel, sizes: readonly number[]): { trip: number; work: number } {
  if (k.kind === "loop") {
    const nodes = topoSort(k.outputs.map((o) => o.expr));
    let perElem = nodes.length;
    for (const e of nodes) {
      if (e.op === "reduce")
        perElem += e.sizes.reduce((a, b) => a * b, 1) * topoSort([e.body]).length;
    }
    const trip = k.shape.length ? k.shape[0]! : 1;
    const inner = k.shape.slice(1).reduce((a, b) => a * b, 1);
    return { trip, work: inner * perElem };
  }
  if (k.kind === "dot")
    return { trip: 1, work: k.batch.reduce((a, b) => a * b, 1) * k.m * k.n * k.k * 2 };
  if (k.kind === "custom") {
    const n = k.inputs.reduce((a, b) => a + sizes[b]!, 0);
    return { trip: 1, work: n * Math.max(1, Math.log2(n + 1)) };
  }
  // Control flow: at least one pass over its nested kernels (iterations are unknown).
  const nested = k.kind === "cond" ? k.branches.flat() : [...k.cond, ...k.body];
  return {
    trip: 1,
    work: nested.reduce((a, n) => a + jsCost(n, sizes).trip * jsCost(n, sizes).work, 1),
  };
}

/** Rewrite the outermost loop of a loop kernel's source to run [begin, end). */
function rangeSource(src: string, k: Kernel): { source: string; splittable: boolean } {
  if (k.kind !== "loop" || k.shape.length === 0) return { source: src, splittable: false };
  const header = `for (let i0 = 0; i0 < ${k.shape[0]}; i0++)`;
  const first = src.indexOf(header);
  if (first < 0 || src.indexOf(header, first + 1) >= 0) return { source: src, splittable: false };
  return { source: src.replace(header, "for (let i0 = begin; i0 < end; i0++)"), splittable: true };
}

/**
 * For each output buffer, the program-input positions whose memory it may take over when
 * donated: same dtype and size, not read by any later kernel, and read by the writing kernel
 * only at the element being stored (elementwise in place).
 */
function inPlaceCandidates(p: Program): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const writer = new Map<number, number>();
  p.kernels.forEach((k, i) => kernelWrites(k).forEach((b) => writer.set(b, i)));
  const reads = p.kernels.map((k) => new Set(kernelReads(k)));
  for (const b of p.buffers) {
    if (b.kind !== "output") continue;
    const w = writer.get(b.id);
    if (w === undefined) continue;
    const k = p.kernels[w]!;
    if (k.kind !== "loop" || k.outputs.some((o) => o.offset)) continue;
    const store = flatIndex(
      k.shape.map((d, a) => idx(a, d)),
      k.shape,
    );
    const cands: number[] = [];
    p.inputs.forEach((inId, pos) => {
      const info = p.buffers[inId]!;
      if (info.dtype !== b.dtype || info.size !== b.size) return;
      for (let j = w + 1; j < p.kernels.length; j++) if (reads[j]!.has(inId)) return;
      for (const o of k.outputs) {
        for (const e of topoSort([o.expr])) {
          if (
            e.op === "load" &&
            e.buffer === inId &&
            e.index !== store &&
            e.index.key !== store.key
          )
            return;
        }
      }
      cands.push(pos);
    });
    if (cands.length) out.set(b.id, cands);
  }
  return out;
}

let nextPid = 1;

const execRegistry = new FinalizationRegistry<{
  device: WasmDevice;
  pid: number;
  table: { addr: number; bytes: number };
}>(({ device, pid, table }) => device.releaseExecutable(pid, table));

export class WasmExecutable implements Executable {
  readonly pid = nextPid++;
  /** Kernel table reused by sync runs (freed with the executable). */
  readonly syncTable = { addr: -1, bytes: 0 };
  private stepViews: TypedArray[] | undefined;
  readonly steps: Step[];
  /** Builds the text of `source` on first use (disassembling is not free: ~1 ms per kernel). */
  private readonly sourceText: () => string;
  private sourceCache: string | undefined;
  readonly module: WebAssembly.Module | undefined;
  readonly totalWork: number;
  readonly inPlace: Map<number, number[]>;
  /** Temporaries' shared slots. */
  readonly plan: ReturnType<typeof planBuffers>;
  readonly hasScratch: boolean;
  private message: ProgramMessage | undefined;
  /** Cached typed-array views by buffer id (valid while address and memory generation match). */
  private readonly views: (TypedArray | undefined)[];
  private readonly viewKey: number[];
  readonly hasWasm: boolean;
  /** Largest work of a splittable step (0: none). */
  readonly maxSplitWork: number;

  constructor(
    readonly program: Program,
    private readonly device: WasmDevice,
  ) {
    const p = program;
    let compiled: WasmCompileResult | undefined;
    let compileNote = "";
    if (compiler) {
      try {
        compiled = compiler(p, {
          relaxedSimd: useRelaxedSimd(),
          shared: device.memory.shared,
          initialPages: Math.max(1, device.memory.bytes / PAGE),
          maximumPages: device.memory.maxPages,
        });
      } catch (e) {
        compileNote = `// wasm compilation failed, all kernels use the JS fallback: ${(e as Error).message}\n`;
      }
    }
    let mainExports: WebAssembly.Exports | undefined;
    if (compiled && compiled.kernels.length) {
      try {
        const mod = new WebAssembly.Module(compiled.bytes as Uint8Array<ArrayBuffer>);
        mainExports = new WebAssembly.Instance(mod, device.importsFor(mod)).exports;
        this.module = mod;
      } catch (e) {
        compileNote = `// wasm instantiation failed, all kernels use the JS fallback: ${(e as Error).message}\n`;
        compiled = undefined;
      }
    }
    const wasmInfo = new Map<number, WasmKernelInfo>();
    if (compiled) for (const k of compiled.kernels) wasmInfo.set(k.index, k);
    const sizes = p.buffers.map((b) => b.size);
    const jsParts: string[] = [];
    this.steps = p.kernels.map((k, i) => {
      const info = wasmInfo.get(i);
      const desc = describeKernel(k, i);
      if (info && mainExports) {
        const fn = mainExports[info.exportName] as Step["mainFn"];
        if (typeof fn === "function") {
          return {
            index: i,
            kernel: k,
            wasm: true,
            exportName: info.exportName,
            mainFn: fn,
            js: undefined,
            jsSource: null,
            params: {},
            used: [],
            trip: info.trip,
            work: info.trip * info.workPerIter,
            splittable: info.trip > 1,
            needsRt: false,
            scratch: info.scratchBytes ?? 0,
            desc,
          };
        }
      }
      const { source, customParams } = generateProgramSource({ ...p, kernels: [k] });
      const ranged = rangeSource(source, k);
      const body = `"use strict";\n${ranged.source}`;
      jsParts.push(`// ${desc}\n${ranged.source}`);
      const js = new Function("b", "rt", "P", "begin", "end", body) as JsStepFn;
      const cost = jsCost(k, sizes);
      return {
        index: i,
        kernel: k,
        wasm: false,
        exportName: null,
        js,
        jsSource: body,
        params: customParams,
        used: kernelBuffers(k),
        trip: cost.trip,
        work: cost.trip * cost.work,
        splittable: ranged.splittable && cost.trip > 1,
        needsRt: /\brt\./.test(source) || hasCustom(k),
        scratch: 0,
        desc,
      };
    });
    this.totalWork = this.steps.reduce((a, s) => a + s.work, 0);
    this.hasScratch = this.steps.some((s) => s.scratch > 0);
    const wasmBytes = compiled?.kernels.length ? compiled.bytes : undefined;
    const summary = compiled ? `${compiled.text}\n` : "";
    this.sourceText = () =>
      compileNote +
      summary +
      (wasmBytes ? `\n;; WebAssembly\n${disassemble(wasmBytes)}\n` : "") +
      (jsParts.length ? `// JS fallback kernels\n${jsParts.join("\n")}` : "");
    this.inPlace = inPlaceCandidates(p);
    this.plan = planBuffers(p);
    this.views = new Array(p.buffers.length);
    this.viewKey = new Array(p.buffers.length).fill(-1);
    this.hasWasm = this.steps.some((s) => s.wasm);
    this.maxSplitWork = Math.max(0, ...this.steps.filter((s) => s.splittable).map((s) => s.work));
    execRegistry.register(this, { device, pid: this.pid, table: this.syncTable });
  }

  /** The generated code: per-kernel plan, the module as WebAssembly text, JS fallbacks. */
  get source(): string {
    return (this.sourceCache ??= this.sourceText());
  }

  /** The message that loads this program on a worker. */
  programMessage(): ProgramMessage {
    if (!this.message) {
      this.message = {
        type: "program",
        pid: this.pid,
        ...(this.module ? { module: this.module } : {}),
        names: this.steps.map((s) => s.exportName),
        js: this.steps.map((s) => (s.wasm || hasCustom(s.kernel) ? null : s.jsSource)),
        used: this.steps.map((s) => s.used),
        ctors: this.program.buffers.map((b) => b.dtype.storage.name),
        sizes: this.program.buffers.map((b) => b.size),
        params: {},
      };
    }
    return this.message;
  }

  /** Whether workers can run step `s`. */
  workerCan(s: Step, rtInWorkers: boolean): boolean {
    if (s.wasm) return true;
    if (hasCustom(s.kernel)) return false;
    return !s.needsRt || rtInWorkers;
  }

  /**
   * A typed-array view of buffer `id` of a run, cached per buffer id and keyed by address and
   * memory generation: repeated calls get the same addresses back from the allocator.
   */
  viewOf(b: WasmBuffer, id: number): TypedArray {
    const mem = this.device.memory;
    const key = b.addr * 4096 + (mem.gen % 4096);
    if (this.viewKey[id] === key) return this.views[id]!;
    const v = new b.dtype.storage(mem.buffer as ArrayBuffer, b.addr, b.size);
    this.views[id] = v;
    this.viewKey[id] = key;
    return v;
  }

  run(inputs: readonly DeviceBuffer[], options?: RunOptions): DeviceBuffer[] {
    return this.device.runExecutable(this, inputs, options);
  }

  /** Run step `s` (or iterations [begin, end) of it) on the calling thread. */
  runStepHere(s: Step, bufs: WasmBuffer[], table: number, begin: number, end: number): void {
    if (s.wasm) {
      s.mainFn!(table, begin, end);
      return;
    }
    // One views array per executable: filled and consumed here, never re-entered.
    const views = (this.stepViews ??= new Array<TypedArray>(this.program.buffers.length));
    for (const id of s.used) views[id] = this.viewOf(bufs[id]!, id);
    s.js!(views, rt, s.params, begin, end);
  }
}

// ---------------------------------------------------------------------------------------------
// The device
// ---------------------------------------------------------------------------------------------

export interface WasmDeviceOptions {
  /** Worker threads (default: config.threads, 0 = CPU count); ≤ 1 runs everything here. */
  threads?: number;
  /** Use shared memory and workers when available (default true). */
  shared?: boolean;
  /** Initial memory size in bytes. */
  initialBytes?: number;
  /** Force a (minor) GC when device memory held by unreachable arrays may be piling up (Node). */
  collectGarbage?: boolean;
}

/** Default growth of live device bytes (over the lowest level since the last collection) that
 * makes the device ask for a garbage collection (Node). */
const GC_MIN_GROWTH = 64 * 1024 * 1024;

export class WasmDevice implements Device {
  readonly name = "wasm";
  readonly memory: WasmMemory;
  readonly allocator: Allocator;
  /** Byte address of the control block. */
  private readonly ctrl: number;
  private readonly ctrlW: number;
  private pool: Pool | undefined;
  private poolStart: Promise<void> = Promise.resolve();
  private threadsWanted: number;
  private epoch = 0;
  /** Tasks submitted (= next sequence number) and completions processed. */
  private tail = 0;
  private processed = 0;
  private readonly tasks: (TaskRef | undefined)[] = new Array(CAP);
  private pendingRuns: RunRecord[] = [];
  /** Frees waiting for tasks: [until (DONE must reach), address]. */
  private deferred: { until: number; addr: number; bytes: number }[] = [];
  private scratch: ({ addr: number; bytes: number } | undefined)[] = [];
  private liveBuffers = 0;
  private gcFn: ((opts?: unknown) => void) | undefined;
  /** Whether the event loop turned since the last forced collection (finalizers could run). */
  private gcTurned = true;
  /** Lowest live bytes seen since the last forced collection. */
  private liveFloor = 0;
  /** Forced collections so far. */
  gcCount = 0;
  /** Growth of live bytes over the floor that triggers a collection (at least; see maybeCollect). */
  gcGrowthBytes = GC_MIN_GROWTH;
  /**
   * Whether the calling thread runs chunks of queued tasks while it waits ("auto": see
   * `callerHelps`).
   */
  helpWhileWaiting: boolean | "auto" = "auto";

  /** The machine's core count (read once; undefined where it cannot be known synchronously). */
  private readonly cores = cpuCountSync();

  private get helps(): boolean {
    return callerHelps(this.helpWhileWaiting, canBlock, this.pool?.size ?? 0, this.cores);
  }
  /**
   * Runs that may be queued at once. Each holds its outputs and temporaries until it
   * completes, so this bounds the memory of work in flight; a call beyond it first waits for
   * (and helps with) the oldest run.
   */
  maxQueuedRuns = 2;

  constructor(opts: WasmDeviceOptions = {}) {
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
    this.ctrl = ctrl;
    this.ctrlW = ctrl >>> 2;
    this.threadsWanted = opts.threads ?? config.read("threads");
    if (this.memory.shared) this.startPool(this.threadsWanted);
    if (opts.collectGarbage ?? true) void this.loadGc();
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
    return this.allocator.liveBytes - roundUp(CONTROL_BYTES) - this.poolStateBytes();
  }
  /** Peak of `liveBytes` since creation or `resetPeakBytes()`. */
  get peakBytes(): number {
    return this.allocator.peakBytes - roundUp(CONTROL_BYTES) - this.poolStateBytes();
  }
  resetPeakBytes(): void {
    this.allocator.resetPeak();
  }
  /** Live device buffers (arrays' memory, not temporaries). */
  get liveBufferCount(): number {
    return this.liveBuffers;
  }
  /** Worker threads currently taking tasks (0: single-threaded). */
  get threads(): number {
    return this.pool?.readyCount ?? 0;
  }
  get sharedMemory(): boolean {
    return this.memory.shared;
  }
  /** Times a dead worker was replaced. */
  get respawns(): number {
    return this.pool?.respawns ?? 0;
  }
  /** Tasks handed to the worker threads so far (each possibly split into chunks). */
  get queuedTasks(): number {
    return this.tail;
  }
  /** Chunks of queued tasks the calling thread ran itself while it waited. */
  helpedChunks = 0;
  /** Tasks queued and not yet complete. */
  get pendingTasks(): number {
    return this.pool ? this.tail - Atomics.load(this.memory.i32, this.ctrlW + H_DONE) : 0;
  }

  private poolStateBytes(): number {
    return this.poolStateAddr >= 0 ? roundUp(this.poolStateSize) : 0;
  }
  private poolStateAddr = -1;
  private poolStateSize = 0;

  // ---- threads -------------------------------------------------------------------------------

  private startPool(threads: number): void {
    const setup = (n: number): Pool | undefined => {
      if (n <= 1 || !this.memory.shared || threads !== this.threadsWanted) return undefined;
      const layout = workerStateLayout(n);
      if (this.poolStateAddr >= 0) this.allocator.free(this.poolStateAddr, this.poolStateSize);
      this.poolStateSize = layout.words * 4;
      this.poolStateAddr = this.allocator.alloc(this.poolStateSize);
      if (this.poolStateAddr < 0) return undefined;
      const rtUrls = import.meta.url.endsWith(".js")
        ? [
            new URL("../../js/codegen/helpers.js", import.meta.url).href,
            new URL("../../js/codegen/custom-kernels.js", import.meta.url).href,
          ]
        : undefined;
      const pool = new Pool(this.memory, this.ctrl, this.poolStateAddr, n, this.epoch, rtUrls);
      this.pool = pool;
      return pool;
    };
    // Synchronously where the platform allows (Node): threads work without an event-loop turn.
    const n = threads > 0 ? threads : cpuCountSync();
    if (n !== undefined) {
      const pool = setup(n);
      this.poolStart = pool && !pool.startSync() ? pool.start() : Promise.resolve();
      return;
    }
    this.poolStart = (async () => {
      const pool = setup(await cpuCount());
      if (pool) await pool.start();
    })();
  }

  /** Resolves once the worker threads are taking tasks (immediately when single-threaded). */
  async whenThreadsReady(timeoutMs = 10_000): Promise<number> {
    await this.poolStart;
    const t0 = Date.now();
    while (this.pool && this.pool.readyCount < this.pool.size && Date.now() - t0 < timeoutMs) {
      this.pool.checkHealth();
      await new Promise((r) => setTimeout(r, 2));
    }
    return this.threads;
  }

  /** Change the number of worker threads (drains the queue first). */
  setThreads(n: number): void {
    this.threadsWanted = n;
    this.synchronize();
    if (this.pool) {
      this.epoch++;
      const i32 = this.memory.i32;
      Atomics.store(i32, this.ctrlW + H_EPOCH, this.epoch);
      Atomics.notify(i32, this.ctrlW + H_TAIL);
      Atomics.notify(i32, this.ctrlW + H_DONE);
      this.pool.close();
      this.pool = undefined;
    }
    if (this.memory.shared) this.startPool(n);
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
    Atomics.store(this.memory.i32, this.ctrlW + H_HUNG, 0);
    Atomics.store(
      this.memory.i32,
      this.ctrlW + H_FAULT,
      { throw: 1, crash: 2, hang: 3, "hang-claiming": 4, "hang-counting": 5, none: 0 }[kind],
    );
  }

  /** Test hook: the thread id of the worker holding the "hang" fault's chunk (0: none yet). */
  get debugHungWorker(): number {
    return Atomics.load(this.memory.i32, this.ctrlW + H_HUNG);
  }

  /** An executable was collected: unload its program from the workers, free its table. */
  releaseExecutable(pid: number, table: { addr: number; bytes: number }): void {
    this.pool?.unload(pid);
    if (table.bytes > 0) this.freeAfter(table.addr, table.bytes, this.tail);
  }

  importsFor(mod: WebAssembly.Module): WebAssembly.Imports {
    const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
    for (const imp of WebAssembly.Module.imports(mod)) {
      if (imp.kind === "memory") (imports[imp.module] ??= {})[imp.name] = this.memory.memory;
    }
    return imports;
  }

  // ---- memory --------------------------------------------------------------------------------

  private async loadGc(): Promise<void> {
    if (!isNode) return;
    try {
      const v8 = (await import(/* @vite-ignore */ "node:" + "v8")) as typeof import("node:v8");
      const vm = (await import(/* @vite-ignore */ "node:" + "vm")) as typeof import("node:vm");
      const g = (globalThis as { gc?: (o?: unknown) => void }).gc;
      if (typeof g === "function") this.gcFn = g;
      else {
        v8.setFlagsFromString("--expose-gc");
        this.gcFn = vm.runInNewContext("gc") as (o?: unknown) => void;
      }
    } catch {
      this.gcFn = undefined;
    }
  }

  /**
   * Unreachable arrays return their memory through a FinalizationRegistry, which needs a GC
   * and then a turn of the event loop. V8 does not see device memory, so a loop allocating
   * little JS but much device memory might go a long time without a GC: when live device bytes
   * have grown a lot since the last collection, ask for one (its finalizers run at the next
   * turn). Node only; elsewhere the engine's own GC schedule applies.
   */
  private maybeCollect(): void {
    const live = this.allocator.liveBytes;
    if (live < this.liveFloor) this.liveFloor = live;
    if (live - this.liveFloor < Math.max(this.gcGrowthBytes, this.liveFloor)) return;
    this.collect();
    this.liveFloor = this.allocator.liveBytes;
  }

  /**
   * Reclaim memory of unreachable arrays: synchronously where the engine allows it
   * (core/finalization.ts), else by a GC whose finalizers run at the next turn.
   */
  private collect(): void {
    this.gcCount++;
    if (collectNow()) {
      this.poll();
      this.allocator.flush();
      return;
    }
    if (!this.gcFn || !this.gcTurned) return;
    this.gcTurned = false;
    try {
      this.gcFn();
    } catch {
      this.gcFn = undefined;
      return;
    }
    const t = setTimeout(() => (this.gcTurned = true), 0) as unknown as { unref?: () => void };
    t.unref?.();
  }

  /** Allocate `bytes` or throw the out-of-memory DeviceError. */
  private allocate(bytes: number): number {
    let addr = this.allocator.alloc(bytes);
    if (addr < 0) {
      this.poll();
      this.allocator.flush();
      addr = this.allocator.alloc(bytes);
    }
    if (addr < 0 && this.deferred.length) {
      this.synchronize();
      addr = this.allocator.alloc(bytes);
    }
    if (addr < 0 && canCollectNow) {
      // Unreachable arrays may still hold memory: reclaim them now and retry.
      this.synchronize();
      this.collect();
      addr = this.allocator.alloc(bytes);
    }
    if (addr < 0) throw this.oomError(bytes);
    this.maybeCollect();
    return addr;
  }

  private oomError(bytes: number): DeviceError {
    const limit = this.limitBytes();
    const live = this.liveBytes;
    const configured = config.read("memoryLimitBytes");
    const largest = this.allocator.largestFree();
    const fragmented =
      this.allocator.freeBytes + Math.max(0, limit - this.allocator.heapTop) >= roundUp(bytes);
    return new DeviceError(
      `Out of memory on the wasm device: cannot allocate ${fmt(bytes)} bytes; ${fmt(live)} bytes are ` +
        `live (in ${fmt(this.liveBuffers)} buffers plus temporaries) and the limit is ${fmt(limit)} bytes` +
        (configured > limit
          ? ` (config.memoryLimitBytes = ${fmt(configured)}, capped by the memory's maximum)`
          : ` (config.memoryLimitBytes)`) +
        `.` +
        (fragmented
          ? ` Free memory is fragmented: the largest free block is ${fmt(largest)} bytes.`
          : "") +
        ` Memory is released when arrays are disposed (x.dispose(), \`using\`), at the end of ` +
        `jax.scope(fn), when donated to a jitted function (donateArgnums), or automatically once ` +
        `they are unreachable and the event loop has turned. Raise the limit with ` +
        `config.update("memoryLimitBytes", n).`,
    );
  }

  private newBuffer(dtype: DType, size: number): WasmBuffer {
    const addr = this.allocate(size * dtype.storage.BYTES_PER_ELEMENT);
    this.liveBuffers++;
    return new WasmBuffer(dtype, size, this, addr);
  }

  private freeBuffer(b: WasmBuffer): void {
    if (this.allocator.liveBytes < this.liveFloor) this.liveFloor = this.allocator.liveBytes;
    b.freed = true;
    b.view = undefined;
    this.liveBuffers--;
    this.freeAfter(b.addr, b.size * b.dtype.storage.BYTES_PER_ELEMENT, b.lastUse);
  }

  /** Free `addr` once DONE ≥ until (at once if already). */
  private freeAfter(addr: number, bytes: number, until: number): void {
    if (until === 0 || !this.pool || until <= Atomics.load(this.memory.i32, this.ctrlW + H_DONE)) {
      this.allocator.free(addr, bytes);
    } else {
      this.deferred.push({ until, addr, bytes });
    }
  }

  retain(buf: DeviceBuffer): boolean {
    if (buf instanceof HostBuffer) return false; // the JS GC owns it
    const b = buf as WasmBuffer;
    if (b.freed) throw new DeviceError("internal error: retain of a freed wasm buffer");
    b.refs++;
    return true;
  }

  release(buf: DeviceBuffer): void {
    if (buf instanceof HostBuffer) return;
    const b = buf as WasmBuffer;
    if (b.freed) return;
    if (--b.refs <= 0) this.freeBuffer(b);
  }

  /** Free a buffer nobody took ownership of (a call's temporary input). */
  dropUnowned(buf: DeviceBuffer): void {
    if (buf instanceof HostBuffer) return;
    const b = buf as WasmBuffer;
    if (b.device === this && !b.freed && b.refs === 0) this.freeBuffer(b);
  }

  fromHost(data: TypedArray, dtype: DType): DeviceBuffer {
    const b = this.newBuffer(dtype, data.length);
    const ctor = dtype.storage;
    if (data.length === 1) {
      // Scalars (every call with a JS number argument): through a cached whole-memory view.
      this.wholeView(ctor)[b.addr / ctor.BYTES_PER_ELEMENT] = data[0] as never;
    } else {
      new ctor(this.memory.buffer as ArrayBuffer, b.addr, data.length).set(data as never);
    }
    return b;
  }
  private readonly wholeViews = new Map<unknown, TypedArray>();
  private wholeGen = -1;

  /** A view of the whole memory with element type `ctor` (cached per memory generation). */
  private wholeView(ctor: DType["storage"]): TypedArray {
    if (this.wholeGen !== this.memory.gen) {
      this.wholeViews.clear();
      this.wholeGen = this.memory.gen;
    }
    let v = this.wholeViews.get(ctor);
    if (!v) {
      v = new (ctor as Float64ArrayConstructor)(this.memory.buffer as ArrayBuffer) as TypedArray;
      this.wholeViews.set(ctor, v);
    }
    return v;
  }

  toHost(buf: DeviceBuffer): TypedArray {
    if (buf instanceof HostBuffer) return buf.data;
    const b = buf as WasmBuffer;
    this.blockUntilReady(b);
    if (b.size === 1) {
      // Scalars (item(), printing): copy out through a cached whole-memory view.
      const out = new b.dtype.storage(1);
      out[0] = this.wholeView(b.dtype.storage)[b.addr / b.dtype.storage.BYTES_PER_ELEMENT]!;
      return out;
    }
    if (b.viewGen !== this.memory.gen || !b.view) {
      b.view = new b.dtype.storage(this.memory.buffer as ArrayBuffer, b.addr, b.size);
      b.viewGen = this.memory.gen;
    }
    return b.view;
  }

  blockUntilReady(buf: DeviceBuffer): void {
    if (buf instanceof HostBuffer) return;
    const b = buf as WasmBuffer;
    if (b.freed) throw new DeviceError("internal error: read of a freed wasm buffer");
    if (b.lastWrite > this.processed) this.waitFor(b.lastWrite);
    if (b.error) throw b.error;
  }

  async ready(buf: DeviceBuffer): Promise<void> {
    if (buf instanceof HostBuffer) return;
    const b = buf as WasmBuffer;
    const i32 = this.memory.i32;
    const D = this.ctrlW + H_DONE;
    const waitAsync = (
      Atomics as unknown as {
        waitAsync?: (
          a: Int32Array,
          i: number,
          v: number,
          t?: number,
        ) => { async: boolean; value: unknown };
      }
    ).waitAsync;
    // Atomics.waitAsync holds no event-loop handle, and the workers are unref'd: without a
    // timer, a Node script whose only pending work is `await y.ready()` would exit (code 13).
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    try {
      for (;;) {
        const d = Atomics.load(i32, D);
        if (d >= b.lastWrite) break;
        if (!this.pool) {
          this.waitFor(b.lastWrite);
          break;
        }
        keepAlive ??= setInterval(() => {}, 1 << 30);
        this.pool.checkHealth();
        if (waitAsync) {
          const r = waitAsync(i32, D, d, 50);
          if (r.async) await r.value;
        } else {
          await new Promise((r) => setTimeout(r, 1));
        }
      }
    } finally {
      if (keepAlive !== undefined) clearInterval(keepAlive);
    }
    this.poll();
    if (b.error) throw b.error;
  }

  /** Wait until every queued task has completed. */
  synchronize(): void {
    if (this.tail > this.processed) this.waitFor(this.tail);
  }

  // ---- the queue -----------------------------------------------------------------------------

  /** Process completed tasks: failures, deferred frees. */
  poll(): void {
    if (this.tail === this.processed) return;
    const i32 = this.memory.i32;
    const done = Atomics.load(i32, this.ctrlW + H_DONE);
    if (done === this.processed) return;
    let failed = false;
    for (let s = this.processed; s < done; s++) {
      const t = this.tasks[s % CAP];
      this.tasks[s % CAP] = undefined;
      const status = i32[this.ctrlW + slotWord(s) + S_STATUS]!;
      if (status !== 0 && t) {
        failed = true;
        const msg = readFailure(i32, this.memory.u8, this.ctrl, s);
        const who = status === 1 ? "on the calling thread" : `on worker thread ${status - 1}`;
        const step = t.run.exec.steps[t.step]!;
        this.poison(
          t.run,
          new DeviceError(
            `The computation producing this array failed: ${step.desc} ${who}: ${msg}. ` +
              `The device recovered; later calls are unaffected.`,
          ),
        );
      }
    }
    this.processed = done;
    if (failed) this.pool?.checkHealth();
    if (this.pendingRuns.length) {
      let k = 0;
      while (k < this.pendingRuns.length && this.pendingRuns[k]!.lastSeq <= done) k++;
      if (k) this.pendingRuns.splice(0, k);
    }
    if (this.deferred.length) {
      const keep: { until: number; addr: number; bytes: number }[] = [];
      for (const d of this.deferred) {
        if (d.until <= done) this.allocator.free(d.addr, d.bytes);
        else keep.push(d);
      }
      this.deferred = keep;
    }
  }

  /** Mark a run's outputs failed, and those of queued runs that read them. */
  private poison(run: RunRecord, err: DeviceError): void {
    if (run.error) return;
    run.error = err;
    for (const o of run.outputs) o.error ??= err;
    const i = this.pendingRuns.indexOf(run);
    for (let j = i + 1; j < this.pendingRuns.length; j++) {
      const r = this.pendingRuns[j]!;
      const bad = r.inputs.find((b) => b.error);
      if (bad && !r.error) {
        r.error = new DeviceError(
          `An input of the computation producing this array failed: ${bad.error!.message}`,
        );
        for (const o of r.outputs) o.error ??= r.error;
      }
    }
  }

  /** Block until DONE ≥ target, running chunks of the current task meanwhile. */
  private waitFor(target: number): void {
    const i32 = this.memory.i32;
    const D = this.ctrlW + H_DONE;
    let idle = 0;
    for (;;) {
      const d = Atomics.load(i32, D);
      if (d >= target) break;
      if (this.helps && this.helpChunk(d)) {
        idle = 0;
        continue;
      }
      this.pool?.checkHealth();
      if (canBlock) Atomics.wait(i32, D, d, idle++ < 10 ? 1 : 20);
    }
    this.poll();
  }

  /** Claim and run one chunk of task `seq` here; false if none was left. */
  private helpChunk(seq: number): boolean {
    if (seq >= this.tail) return false;
    const t = this.tasks[seq % CAP];
    if (!t) return false;
    const i32 = this.memory.i32;
    const s = this.ctrlW + slotWord(seq);
    const nch = i32[s + S_NCHUNKS]!;
    const c = Atomics.add(i32, s + S_NEXT, 1);
    if (c >= nch) return false;
    this.helpedChunks++;
    const chunk = i32[s + S_CHUNK]!;
    const begin = i32[s + S_BEGIN]! + c * chunk;
    const end = Math.min(i32[s + S_END]!, begin + chunk);
    try {
      t.run.exec.runStepHere(t.run.exec.steps[t.step]!, t.run.bufs, t.table, begin, end);
    } catch (e) {
      recordFailure(i32, this.memory.u8, this.ctrl, seq, 0, (e as Error)?.message ?? String(e));
    }
    if (Atomics.add(i32, s + S_DONECH, 1) + 1 === nch) {
      Atomics.store(i32, this.ctrlW + H_DONE, seq + 1);
      Atomics.notify(i32, this.ctrlW + H_DONE);
    }
    return true;
  }

  /** Queue one task; returns its sequence number. */
  private submit(t: TaskRef, s: Step, threads: number): number {
    const pool = this.pool!;
    const i32 = this.memory.i32;
    const seq = this.tail;
    // The slot is free once its previous task completed, was processed, and no worker reads it.
    if (seq >= CAP) {
      const old = seq - CAP;
      if (this.processed <= old) this.waitFor(old + 1);
      let spins = 0;
      while (pool.minWorkerSeq() <= old) {
        pool.checkHealth();
        if (canBlock) Atomics.wait(i32, this.ctrlW + H_FAULT + 1, 0, spins++ < 100 ? 0.05 : 1);
      }
    }
    const w = this.ctrlW + slotWord(seq);
    let chunk = s.trip;
    let nchunks = 1;
    if (s.splittable && s.work >= SPLIT_MIN_WORK && threads > 1) {
      nchunks = Math.min(s.trip, threads * CHUNKS_PER_THREAD);
      chunk = Math.ceil(s.trip / nchunks);
      if (s.wasm && chunk > 64) chunk = Math.ceil(chunk / 16) * 16;
      nchunks = Math.ceil(s.trip / chunk);
    }
    i32[w + S_SEQ] = seq;
    i32[w + S_KIND] = s.wasm ? 0 : 1;
    i32[w + S_PROG] = t.run.exec.pid;
    i32[w + S_STEP] = t.step;
    i32[w + S_TABLE] = t.table;
    i32[w + S_TSTRIDE] = t.tstride;
    i32[w + S_BEGIN] = 0;
    i32[w + S_END] = s.trip;
    i32[w + S_CHUNK] = chunk;
    i32[w + S_NCHUNKS] = nchunks;
    i32[w + S_NEXT] = 0;
    i32[w + S_DONECH] = 0;
    i32[w + S_STATUS] = 0;
    this.tasks[seq % CAP] = t;
    this.tail = seq + 1;
    Atomics.store(i32, this.ctrlW + H_TAIL, seq + 1);
    Atomics.notify(i32, this.ctrlW + H_TAIL);
    return seq;
  }

  // ---- running programs ----------------------------------------------------------------------

  compile(program: Program): Executable {
    return new WasmExecutable(program, this);
  }

  /** A finished small output moved to the JS heap (its device memory freed at once). */
  private toHostBuffer(b: WasmBuffer): DeviceBuffer {
    const bytes = b.size * b.dtype.itemsize;
    if (bytes > HOST_MAX_BYTES || b.refs !== 0 || b.freed || b.lastUse > this.processed) return b;
    const data = new b.dtype.storage(b.size);
    const ctor = b.dtype.storage;
    if (b.size === 1) data[0] = this.wholeView(ctor)[b.addr / ctor.BYTES_PER_ELEMENT]! as never;
    else data.set(new ctor(this.memory.buffer as ArrayBuffer, b.addr, b.size) as never);
    this.freeBuffer(b);
    return new HostBuffer(b.dtype, data, this);
  }

  /** A buffer of this device holding `buf`'s values (copied when it lives elsewhere). */
  private adopt(buf: DeviceBuffer, temps: WasmBuffer[]): WasmBuffer {
    if (buf instanceof WasmBuffer && buf.device === this) {
      if (buf.freed)
        throw new DeviceError("internal error: a freed wasm buffer was passed to a kernel");
      return buf;
    }
    const b = this.fromHost(buf.device.toHost(buf), buf.dtype) as WasmBuffer;
    temps.push(b);
    return b;
  }

  /** Scratch block of thread `t` with at least `bytes`. */
  private scratchFor(t: number, bytes: number, until: number): number {
    const cur = this.scratch[t];
    if (cur && cur.bytes >= bytes) return cur.addr;
    if (cur) {
      this.freeAfter(cur.addr, cur.bytes, until);
      this.scratch[t] = undefined; // not kept if the allocation below fails
    }
    const addr = this.allocate(bytes);
    this.scratch[t] = { addr, bytes: roundUp(bytes) };
    return addr;
  }

  runExecutable(
    exec: WasmExecutable,
    inputs: readonly DeviceBuffer[],
    options?: { donate?: readonly boolean[] },
  ): DeviceBuffer[] {
    const p = exec.program;
    const nbuf = p.buffers.length;
    const pool = this.pool;
    if (pool && this.tail !== this.processed) this.poll();
    const bufs = new Array<WasmBuffer>(nbuf);
    let transfers: WasmBuffer[] | undefined;
    const plan = exec.plan;
    // Temporaries' slots and the outputs allocated for this run, so that an allocation failing
    // part-way (out of memory) can give back what was taken before it.
    const slots: number[] = [];
    const fresh: WasmBuffer[] = [];
    let run: RunRecord | undefined;
    const ins = new Array<WasmBuffer>(inputs.length);
    try {
      let waitWrite = 0;
      let inputError: DeviceError | undefined;
      for (let i = 0; i < inputs.length; i++) {
        const x = inputs[i]!;
        const b =
          x instanceof WasmBuffer && x.device === this && !x.freed
            ? x
            : this.adopt(x, (transfers ??= []));
        ins[i] = b;
        bufs[p.inputs[i]!] = b;
        if (b.lastWrite > waitWrite) waitWrite = b.lastWrite;
        if (b.error) inputError = b.error;
      }
      // Outputs and temporaries (temporaries share planned slots, allocated per run).
      const outputs: WasmBuffer[] = [];
      for (const n of plan.slotBytes) slots.push(this.allocate(n));
      let waitUse = 0;
      const donate = options?.donate;
      let taken: Set<number> | undefined;
      for (const info of p.buffers) {
        if (info.kind === "output") {
          let b: WasmBuffer | undefined;
          if (donate) {
            for (const pos of exec.inPlace.get(info.id) ?? []) {
              const c = ins[pos]!;
              if (!donate[pos] || c.refs !== 1 || transfers?.includes(c) || taken?.has(pos))
                continue;
              if (ins.some((o, j) => j !== pos && o === c)) continue;
              (taken ??= new Set()).add(pos);
              b = c;
              if (c.lastUse > waitUse) waitUse = c.lastUse;
              break;
            }
          }
          if (!b) fresh.push((b = this.newBuffer(info.dtype, info.size)));
          bufs[info.id] = b;
          outputs.push(b);
        } else if (info.kind === "temp") {
          bufs[info.id] = new WasmBuffer(
            info.dtype,
            info.size,
            this,
            slots[plan.slotOf[info.id]!]!,
          );
        }
      }
      run = { exec, bufs, inputs: ins, outputs, lastSeq: 0 };
      if (inputError) {
        // Known-bad inputs: do not run; the outputs carry the error.
        this.poison(
          run,
          new DeviceError(
            `An input of the computation producing this array failed: ${inputError.message}`,
          ),
        );
      } else if (
        pool &&
        (exec.totalWork >= ASYNC_MIN_WORK ||
          waitWrite > this.processed ||
          waitUse > this.processed) &&
        this.canRunAsync(exec, pool)
      ) {
        this.runAsync(run, pool);
      } else {
        this.runSync(run, Math.max(waitWrite, waitUse));
      }
    } catch (e) {
      this.abandonRun(slots, plan.slotBytes, fresh, transfers, run?.lastSeq ?? 0);
      throw e;
    }
    slots.forEach((a, k) => this.freeAfter(a, plan.slotBytes[k]!, run.lastSeq));
    if (transfers) for (const t of transfers) this.dropUnowned(t);
    const done = run.lastSeq <= this.processed && !run.outputs.some((b) => b.error);
    let moved: Map<WasmBuffer, DeviceBuffer> | undefined; // an output may be listed twice
    return p.outputs.map((o) => {
      switch (o.kind) {
        case "buffer": {
          const b = bufs[o.buffer]!;
          if (!done) return b;
          let h = moved?.get(b);
          if (!h) (moved ??= new Map()).set(b, (h = this.toHostBuffer(b)));
          return h;
        }
        case "input":
          // The caller's buffer itself (an adopted copy of a host buffer was dropped above).
          return transfers?.includes(ins[o.index]!) ? inputs[o.index]! : ins[o.index]!;
        case "literal": {
          const v = new o.dtype.storage(1);
          v[0] = (
            o.dtype.isBig
              ? BigInt(o.value)
              : o.dtype.name === "float16"
                ? helpers.f2h(Number(o.value))
                : Number(o.value)
          ) as never;
          return new HostBuffer(o.dtype, v, this);
        }
      }
    });
  }

  /**
   * A run could not be started (an allocation for it failed: out of memory): free what was
   * allocated for it — temporaries' slots, outputs, copies of other devices' inputs — so the
   * failure leaves the device's memory as it was. `until`: 1 + its last queued task (0: none).
   */
  private abandonRun(
    slots: readonly number[],
    slotBytes: readonly number[],
    outputs: readonly WasmBuffer[],
    transfers: readonly WasmBuffer[] | undefined,
    until: number,
  ): void {
    slots.forEach((a, k) => this.freeAfter(a, slotBytes[k]!, until));
    for (const b of [...outputs, ...(transfers ?? [])]) {
      if (b.lastUse < until) b.lastUse = until;
      this.dropUnowned(b);
    }
  }

  private canRunAsync(exec: WasmExecutable, pool: Pool): boolean {
    if (pool.readyCount === 0) return false;
    const rtOk = pool.rtInWorkers;
    for (const s of exec.steps) if (!exec.workerCan(s, rtOk)) return false;
    return true;
  }

  /** Write the kernel table(s) for a run: buffer addresses, plus per-thread scratch. */
  /**
   * Write the kernel table(s) for a run: buffer addresses, plus per-thread scratch. `reuse`
   * (a sync run's per-executable block) is filled in place when big enough; otherwise a block
   * is allocated (and recorded in `reuse` when given).
   */
  private writeTables(
    run: RunRecord,
    threads: number,
    until: number,
    reuse?: { addr: number; bytes: number },
  ): { table: number; tstride: number; tableBytes: number } {
    const exec = run.exec;
    const nbuf = exec.program.buffers.length;
    const words = nbuf + 1;
    const tstride = exec.hasScratch ? Math.ceil((words * 4) / 16) * 16 : 0;
    const count = exec.hasScratch ? threads + 1 : 1;
    const tableBytes = Math.max(words * 4, tstride * count);
    // Scratch first: allocating may grow (and, unshared, replace) the memory buffer.
    const scratch: number[] = [];
    if (exec.hasScratch) {
      const need = Math.max(...exec.steps.map((s) => s.scratch));
      for (let t = 0; t < count; t++) scratch.push(this.scratchFor(t, need, until));
    }
    let tableAddr: number;
    if (reuse && reuse.bytes >= tableBytes) tableAddr = reuse.addr;
    else {
      if (reuse && reuse.bytes > 0) {
        this.freeAfter(reuse.addr, reuse.bytes, until);
        reuse.addr = -1; // not kept if the allocation below fails
        reuse.bytes = 0;
      }
      tableAddr = this.allocate(tableBytes);
      if (reuse) {
        reuse.addr = tableAddr;
        reuse.bytes = tableBytes;
      }
    }
    const i32 = this.memory.i32;
    // Addresses are unsigned 32-bit: `>> 2` would turn one at or above 2 GiB into a negative
    // index. (Int32Array stores wrap addresses ≥ 2^31 to the same bits, which is what wasm reads.)
    const base = tableAddr >>> 2;
    for (let i = 0; i < nbuf; i++) i32[base + i] = run.bufs[i]?.addr ?? 0;
    i32[base + nbuf] = 0;
    for (let t = 0; t < scratch.length; t++) {
      const tb = base + (t * tstride) / 4;
      if (t > 0) i32.copyWithin(tb, base, base + nbuf);
      i32[tb + nbuf] = scratch[t]!;
    }
    return { table: tableAddr, tstride, tableBytes: reuse ? 0 : tableBytes };
  }

  private runAsync(run: RunRecord, pool: Pool): void {
    const exec = run.exec;
    pool.checkHealth();
    if (this.pendingRuns.length >= this.maxQueuedRuns) {
      this.poll();
      const oldest = this.pendingRuns[this.pendingRuns.length - this.maxQueuedRuns];
      if (oldest) this.waitFor(oldest.lastSeq);
    }
    if (!pool.has(exec.pid)) pool.post(exec.programMessage());
    const threads = pool.readyCount + (this.helps ? 1 : 0);
    const { table, tstride, tableBytes } = this.writeTables(run, pool.size, this.tail);
    let last = 0;
    for (let i = 0; i < exec.steps.length; i++) {
      last = this.submit({ run, step: i, table, tstride }, exec.steps[i]!, threads) + 1;
    }
    run.lastSeq = last;
    this.pendingRuns.push(run);
    for (const b of run.inputs) if (b.lastUse < last) b.lastUse = last;
    for (const b of run.outputs) {
      b.lastWrite = last;
      b.lastUse = last;
    }
    this.freeAfter(table, tableBytes, last);
    // Scratch blocks replaced later are freed after `last` too (scratchFor defers by `until`).
  }

  private runSync(run: RunRecord, waitUntil: number): void {
    const exec = run.exec;
    if (waitUntil > this.processed) {
      this.waitFor(waitUntil);
      const bad = run.inputs.find((b) => b.error);
      if (bad) {
        this.poison(
          run,
          new DeviceError(
            `An input of the computation producing this array failed: ${bad.error!.message}`,
          ),
        );
        return;
      }
    }
    const pool = this.pool;
    const ready = pool ? pool.readyCount : 0;
    const needTable = exec.hasWasm || (ready > 0 && exec.maxSplitWork >= SPLIT_MIN_WORK);
    let table = 0;
    let tstride = 0;
    let tableBytes = 0;
    if (needTable)
      ({ table, tstride, tableBytes } = this.writeTables(
        run,
        pool ? pool.size : 0,
        this.tail,
        exec.syncTable,
      ));
    let cur = 0;
    try {
      for (; cur < exec.steps.length; cur++) {
        const s = exec.steps[cur]!;
        if (
          pool &&
          ready > 0 &&
          s.splittable &&
          s.work >= SPLIT_MIN_WORK &&
          exec.workerCan(s, pool.rtInWorkers)
        ) {
          if (!pool.has(exec.pid)) pool.post(exec.programMessage());
          const seq = this.submit({ run, step: cur, table, tstride }, s, ready + 1);
          if (run.lastSeq === 0) this.pendingRuns.push(run);
          run.lastSeq = seq + 1;
          this.waitFor(seq + 1);
          if (run.error) break;
        } else {
          exec.runStepHere(s, run.bufs, table, 0, s.trip);
        }
      }
    } catch (e) {
      this.poison(
        run,
        new DeviceError(
          `The computation producing this array failed: ${exec.steps[cur]?.desc ?? "a kernel"} on the calling thread: ` +
            `${(e as Error)?.message ?? String(e)}. The device recovered; later calls are unaffected.`,
        ),
      );
    }
    if (tableBytes > 0) this.allocator.free(table, tableBytes);
  }
}
