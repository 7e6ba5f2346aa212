/**
 * The worker pool: `worker_threads` in Node (loaded with a dynamic import, so browser code
 * paths import nothing Node-only), Web Workers in browsers. Workers share the device memory,
 * take tasks from the queue in it (queue.ts) and receive each program once by message
 * (`post`, replayed to respawned workers). A worker that dies is respawned by `checkHealth`;
 * the chunk it held is failed and finished (`reclaimChunk`), so its task completes.
 */
import {
  H_DONE,
  S_DONECH,
  S_NCHUNKS,
  S_NEXT,
  W_DEAD,
  W_READY,
  W_READY_RT,
  W_STARTING,
  finishChunk,
  recordFailure,
  slotWord,
  workerStateLayout,
} from "./queue.js";
import type { WasmMemory } from "./memory.js";
import { errorText, isNode, nodeBuiltin, workerErrorText } from "./platform.js";
import { StartFailures } from "./worker-start.js";
import { workerSource } from "./worker-source.js";

interface WorkerHandle {
  postMessage(m: unknown): void;
  /** Node's `worker.on` (browsers: `onmessage` is set instead). */
  on?(event: string, listener: (m: unknown) => void): unknown;
  terminate(): unknown;
  /** Node's `worker.performance` (see `stopped`). */
  performance?: { eventLoopUtilization(): { idle: number } };
}

export interface ProgramMessage {
  type: "program";
  pid: number;
  module?: WebAssembly.Module;
  names: (string | null)[];
  js: (string | null)[];
  used: number[][];
  ctors: string[];
  sizes: number[];
  params: Record<string, unknown>;
}

export { cpuCount, cpuCountSync, nodeBuiltin } from "./platform.js";

export class Pool {
  /** Worker handles by thread id (1…n); index 0 is the calling thread. */
  private handles: (WorkerHandle | undefined)[] = [];
  private readonly programs = new Map<number, ProgramMessage>();
  private spawnWorker: ((tid: number) => WorkerHandle) | undefined;
  private closed = false;
  /** Worker-state words (status, wseq, wchunk), as an Int32 word index into memory. */
  readonly layout: ReturnType<typeof workerStateLayout>;
  respawns = 0;
  /** Workers that could not start, and workers without helpers (see worker-start.ts). */
  readonly starts = new StartFailures();

  constructor(
    private readonly mem: WasmMemory,
    readonly ctrl: number,
    /** Byte address of the worker-state block (`workerStateLayout(n).words` words). */
    readonly workers: number,
    readonly size: number,
    readonly epoch: number,
    /** The workers' program (worker-source.ts; tests pass a broken one). */
    private readonly source: string = workerSource(),
  ) {
    this.layout = workerStateLayout(size);
    const i32 = mem.i32;
    const w = workers >>> 2;
    for (let t = 0; t <= size; t++) {
      Atomics.store(i32, w + this.layout.status + t, t === 0 ? W_READY_RT : W_STARTING);
      Atomics.store(i32, w + this.layout.wseq + t, 0);
      Atomics.store(i32, w + this.layout.wchunk + t, 0);
    }
  }

  /**
   * Load the platform's worker API and spawn the workers — synchronously when possible, so a
   * program that never yields to the event loop still gets its threads.
   */
  startSync(): boolean {
    const wt = nodeBuiltin<typeof import("node:worker_threads")>("node:worker_threads");
    if (!wt) return false;
    this.useNodeWorkers(wt);
    return true;
  }

  private useNodeWorkers(wt: typeof import("node:worker_threads")): void {
    this.spawnWorker = this.nodeSpawner(wt, this.source);
    if (!this.closed) for (let t = 1; t <= this.size; t++) this.spawn(t);
  }

  private nodeSpawner(
    wt: typeof import("node:worker_threads"),
    src: string,
  ): (tid: number) => WorkerHandle {
    return (tid) => {
      const w = new wt.Worker(src, { eval: true, name: `jaxts-wasm-${tid}` });
      w.on("error", (e: unknown) => this.workerGone(tid, w, `failed: ${errorText(e)}`));
      w.on("message", (m: unknown) => this.fromWorker(m));
      w.on("exit", (code: number) => this.workerGone(tid, w, `exited with code ${code}`));
      w.unref(); // after the listeners: adding a "message" listener refs the worker again
      return w;
    };
  }

  /** Load the platform's worker API and spawn the workers. */
  async start(): Promise<void> {
    const src = this.source;
    if (isNode) {
      if (this.startSync()) return;
      const spec = "node:worker_threads";
      const wt = (await import(/* @vite-ignore */ spec)) as typeof import("node:worker_threads");
      this.spawnWorker = this.nodeSpawner(wt, src);
    } else {
      const W = (
        globalThis as {
          Worker?: new (
            url: string,
            opts?: unknown,
          ) => WorkerHandle & { onerror: unknown; onmessage: unknown };
        }
      ).Worker;
      if (!W || typeof Blob === "undefined" || typeof URL?.createObjectURL !== "function") {
        for (let t = 1; t <= this.size; t++)
          this.starts.failedStart(t, "cannot be created: this platform has no Web Workers", true);
        return;
      }
      const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
      this.spawnWorker = (tid) => {
        const w = new W(url, { name: `jaxts-wasm-${tid}` });
        w.onerror = (e: unknown) => this.workerGone(tid, w, `failed: ${workerErrorText(e)}`);
        w.onmessage = (e: unknown) => this.fromWorker((e as { data?: unknown }).data);
        return w;
      };
    }
    if (this.closed) return;
    for (let t = 1; t <= this.size; t++) this.spawn(t);
  }

  private spawn(tid: number): void {
    const i32 = this.mem.i32;
    const status = (this.workers >>> 2) + this.layout.status + tid;
    Atomics.store(i32, status, W_STARTING);
    let w: WorkerHandle;
    try {
      w = this.spawnWorker!(tid);
    } catch (e) {
      // A constructor that throws (a policy, a missing API) throws again: no retry.
      this.starts.failedStart(tid, `could not be created: ${errorText(e)}`, true);
      Atomics.store(i32, status, W_DEAD);
      this.handles[tid] = undefined;
      return;
    }
    this.handles[tid] = w;
    w.postMessage({
      type: "init",
      memory: this.mem.memory,
      tid,
      epoch: this.epoch,
      ctrl: this.ctrl,
      workers: this.workers,
      layout: this.layout,
    });
    for (const p of this.programs.values()) w.postMessage(p);
  }

  /** A message a worker posted (a warning that it has no helpers; see worker-source.ts). */
  private fromWorker(m: unknown): void {
    const msg = m as { type?: unknown; message?: unknown } | null;
    if (msg?.type === "warning") this.starts.noHelpers(String(msg.message));
  }

  /**
   * Worker `tid`'s error / exit event: mark it dead and respawn it at once — unless it never
   * became ready and has failed to start before (then it stays dead; see worker-start.ts).
   */
  private workerGone(tid: number, w: WorkerHandle, why: string): void {
    if (this.handles[tid] === w && !this.closed) {
      if (this.status(tid) === W_STARTING) this.starts.failedStart(tid, why);
      else this.starts.started(tid);
    }
    this.markDead(tid, w, why);
    this.checkHealth();
  }

  /**
   * The calling thread saw worker `tid` go (its error / exit event): account for the chunk it
   * held and mark it dead (`checkHealth` respawns it). A worker that is terminated from outside
   * or aborts runs no code of its own on the way out, so this is what completes its task.
   */
  private markDead(tid: number, w: WorkerHandle, why: string): void {
    if (this.handles[tid] !== w || this.closed) return;
    this.reclaimChunk(tid, why);
    Atomics.store(this.mem.i32, (this.workers >>> 2) + this.layout.status + tid, W_DEAD);
  }

  /**
   * Fail and finish the chunk that dead worker `tid` held (its WCHUNK word), if any. Whoever
   * swaps WCHUNK to 0 owns the chunk — the worker itself when it finishes the chunk or runs its
   * exit handler, or this — so the chunk is accounted for exactly once.
   */
  private reclaimChunk(tid: number, why: string): void {
    const i32 = this.mem.i32;
    const w = this.workers >>> 2;
    const held = Atomics.exchange(i32, w + this.layout.wchunk + tid, 0);
    if (held === 0) return;
    const seq = Atomics.load(i32, w + this.layout.wseq + tid);
    if (held < 0) {
      // CLAIMING or COUNTING: whether it took (or counted) a chunk is settled by counting.
      this.unsettled = { seq, tid, why };
      return;
    }
    recordFailure(
      i32,
      this.mem.u8,
      this.ctrl,
      seq,
      tid,
      `worker thread ${tid} ${why} while running its share of the kernel`,
    );
    finishChunk(i32, this.ctrl, seq);
  }

  status(tid: number): number {
    return Atomics.load(this.mem.i32, (this.workers >>> 2) + this.layout.status + tid);
  }

  /** Workers that have started and are taking tasks. */
  get readyCount(): number {
    let n = 0;
    for (let t = 1; t <= this.size; t++) {
      const s = this.status(t);
      if (s === W_READY || s === W_READY_RT) n++;
    }
    return n;
  }

  /** Workers the pool expects to become ready (those it has not given up starting). */
  get expected(): number {
    return this.size - this.starts.abandoned.size;
  }

  /** Whether every ready worker has the JS helpers (`rt`), so JS kernels using them can run there. */
  get rtInWorkers(): boolean {
    for (let t = 1; t <= this.size; t++) if (this.status(t) === W_READY) return false;
    return true;
  }

  /** Lowest task a live worker may still be reading (for slot reuse). */
  minWorkerSeq(): number {
    const i32 = this.mem.i32;
    const w = this.workers >>> 2;
    let min = Infinity;
    for (let t = 1; t <= this.size; t++) {
      const s = this.status(t);
      if (s === W_READY || s === W_READY_RT)
        min = Math.min(min, Atomics.load(i32, w + this.layout.wseq + t));
    }
    return min;
  }

  /**
   * Whether Node has stopped worker `t` (terminate(), an out-of-memory abort, a fatal error),
   * known synchronously: from then on its event-loop utilization reports a negative idle time.
   * Its exit event tells too, but only once the event loop turns, which a caller blocked in a
   * synchronous read never lets happen. (Browsers: always false; their workers' onerror.)
   */
  private stopped(t: number): boolean {
    const perf = this.handles[t]?.performance;
    if (!perf) return false;
    try {
      return perf.eventLoopUtilization().idle < 0;
    } catch {
      return false;
    }
  }

  /**
   * A task whose chunk count may be short: a worker died CLAIMING or COUNTING a chunk of it
   * (see queue.ts). Tasks run one at a time, so there is at most one.
   */
  private unsettled: { seq: number; tid: number; why: string } | undefined;

  /**
   * Settle `unsettled` once its task is quiet: every chunk claimed (NEXT ≥ NCHUNKS) and no
   * thread holding, claiming or counting one (all WCHUNK 0; a dead worker's was cleared by
   * `reclaimChunk`). Chunks still uncounted then were lost with the dead worker: fail the task
   * and count them, so it completes. Runs on the calling thread, which holds no chunk here.
   */
  private settleLostChunks(): void {
    const u = this.unsettled;
    if (!u) return;
    const i32 = this.mem.i32;
    const h = this.ctrl >>> 2;
    if (Atomics.load(i32, h + H_DONE) > u.seq) {
      this.unsettled = undefined;
      return;
    }
    const slot = h + slotWord(u.seq);
    const nch = Atomics.load(i32, slot + S_NCHUNKS);
    if (Atomics.load(i32, slot + S_NEXT) < nch) return;
    const w = this.workers >>> 2;
    for (let t = 1; t <= this.size; t++)
      if (Atomics.load(i32, w + this.layout.wchunk + t) !== 0) return;
    this.unsettled = undefined;
    const lost = nch - Atomics.load(i32, slot + S_DONECH);
    if (lost <= 0) return;
    recordFailure(
      i32,
      this.mem.u8,
      this.ctrl,
      u.seq,
      u.tid,
      `worker thread ${u.tid} ${u.why} while taking its share of the kernel`,
    );
    for (let k = 0; k < lost; k++) finishChunk(i32, this.ctrl, u.seq);
  }

  /** Respawn dead workers, settle chunks they may have lost; returns how many were respawned. */
  checkHealth(): number {
    if (this.closed || !this.spawnWorker) return 0;
    let n = 0;
    for (let t = 1; t <= this.size; t++) {
      const s = this.status(t);
      if ((s === W_READY || s === W_READY_RT) && this.stopped(t))
        this.markDead(t, this.handles[t]!, "was stopped (terminated, or aborted by the runtime)");
      if (this.status(t) === W_DEAD) {
        this.reclaimChunk(t, "died");
        if (this.starts.abandoned.has(t)) continue; // normally done already (by markDead or the worker)
        try {
          this.handles[t]?.terminate();
        } catch {
          /* already gone */
        }
        this.spawn(t);
        this.respawns++;
        n++;
      }
    }
    this.settleLostChunks();
    return n;
  }

  /** Declare the workers holding a chunk of task `seq` hung: fail the chunks, replace them. */
  stopHung(seq: number, why: string): void {
    const i32 = this.mem.i32;
    const w = this.workers >>> 2;
    for (let t = 1; t <= this.size; t++) {
      const h = this.handles[t];
      if (!h || Atomics.load(i32, w + this.layout.wseq + t) !== seq) continue;
      if (Atomics.load(i32, w + this.layout.wchunk + t) === 0) continue;
      this.markDead(t, h, why);
      try {
        h.terminate();
      } catch {
        /* already gone */
      }
    }
    this.checkHealth();
  }

  /** Send a program to every worker (and to workers spawned later). */
  post(p: ProgramMessage): void {
    this.programs.set(p.pid, p);
    for (let t = 1; t <= this.size; t++) this.handles[t]?.postMessage(p);
  }

  has(pid: number): boolean {
    return this.programs.has(pid);
  }

  unload(pid: number): void {
    if (!this.programs.delete(pid)) return;
    for (let t = 1; t <= this.size; t++) this.handles[t]?.postMessage({ type: "unload", pid });
  }

  /** Stop the workers (the caller drained the queue and bumped the epoch). */
  close(): void {
    this.closed = true;
    for (let t = 1; t <= this.size; t++) {
      try {
        this.handles[t]?.terminate();
      } catch {
        /* ignore */
      }
    }
    this.handles = [];
  }
}
