/**
 * The wasm device's task queue. A run of an executable queues one task per kernel; worker
 * threads (worker-threads.ts) and, while it waits, the calling thread take chunks of the
 * oldest task. Completed tasks are processed in order: failures poison the outputs of their
 * run (and of queued runs reading them), and frees deferred until a task completes happen.
 * The queue knows tasks only through `Task`: what to run where, and how to run a chunk here.
 */
import { DeviceError } from "../../../core/errors.js";
import type { Allocator } from "./allocator.js";
import type { WasmBuffer } from "./buffers.js";
import { callerHelps, canBlock, chunking } from "./dispatch-policy.js";
import type { WasmMemory } from "./memory.js";
import { cpuCountSync, type Pool } from "./pool.js";
import {
  CAP,
  H_DONE,
  H_FAULT,
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
} from "./queue.js";
import type { WorkerThreads } from "./worker-threads.js";
import { Watchdog } from "./watchdog.js";

/** A run of an executable: what a failure poisons. */
export interface RunRecord {
  readonly inputs: readonly WasmBuffer[];
  readonly outputs: readonly WasmBuffer[];
  /** 1 + the last task's sequence number. */
  lastSeq: number;
  error?: DeviceError;
}

/** One kernel of a run, queued. */
export interface Task {
  readonly run: RunRecord;
  /** The program (loaded on the workers by message) and its kernel's index. */
  readonly pid: number;
  readonly step: number;
  /** A wasm export (else a JS fallback kernel). */
  readonly wasm: boolean;
  /** Outer iterations, work, and whether the iterations may be split into chunks. */
  readonly trip: number;
  readonly work: number;
  readonly splittable: boolean;
  /** Byte address of the kernel table and the stride between per-thread tables. */
  readonly table: number;
  readonly tstride: number;
  /** The kernel, in words, for failure messages. */
  readonly desc: string;
  /** Run iterations [begin, end) on the calling thread. */
  runHere(begin: number, end: number): void;
}

type Deferred = { until: number; addr: number; bytes: number };

export class Scheduler {
  private readonly ctrlW: number;
  /** Tasks submitted (= next sequence number) and completions processed. */
  private tailSeq = 0;
  private processedSeq = 0;
  private readonly tasks: (Task | undefined)[] = new Array(CAP);
  private pendingRuns: RunRecord[] = [];
  /** Frees waiting for tasks: DONE must reach `until`. */
  private deferred: Deferred[] = [];
  /** Chunks of queued tasks the calling thread ran itself while it waited. */
  helpedChunks = 0;
  /** Whether the calling thread runs chunks of queued tasks while it waits (see callerHelps). */
  helpWhileWaiting: boolean | "auto" = "auto";
  /**
   * Runs that may be queued at once. Each holds its outputs and temporaries until it
   * completes, so this bounds the memory of work in flight; a call beyond it first waits for
   * (and helps with) the oldest run.
   */
  maxQueuedRuns = 2;
  /** The machine's core count (read once; undefined where it cannot be known synchronously). */
  private readonly cores = cpuCountSync();
  /** Fails a task a hung worker holds (config.workerTimeoutMs). */
  private readonly watchdog = new Watchdog();

  constructor(
    private readonly memory: WasmMemory,
    private readonly allocator: Allocator,
    /** Byte address of the control block. */
    private readonly ctrl: number,
    readonly workers: WorkerThreads,
  ) {
    this.ctrlW = ctrl >>> 2;
  }

  get pool(): Pool | undefined {
    return this.workers.pool;
  }
  /** Tasks submitted so far (the next task's sequence number). */
  get tail(): number {
    return this.tailSeq;
  }
  /** Tasks completed and processed. */
  get processed(): number {
    return this.processedSeq;
  }
  /** Tasks queued and not yet complete. */
  get pendingTasks(): number {
    return this.pool ? this.tailSeq - Atomics.load(this.memory.i32, this.ctrlW + H_DONE) : 0;
  }
  /** Whether frees wait for queued tasks. */
  get hasDeferred(): boolean {
    return this.deferred.length > 0;
  }

  private get helps(): boolean {
    return callerHelps(this.helpWhileWaiting, canBlock, this.pool?.size ?? 0, this.cores);
  }

  /** Free `addr` once DONE ≥ until (at once if already). */
  freeAfter(addr: number, bytes: number, until: number): void {
    if (until === 0 || !this.pool || until <= Atomics.load(this.memory.i32, this.ctrlW + H_DONE)) {
      this.allocator.free(addr, bytes);
    } else {
      this.deferred.push({ until, addr, bytes });
    }
  }

  /** Wait until every queued task has completed. */
  synchronize(): void {
    if (this.tailSeq > this.processedSeq) this.waitFor(this.tailSeq);
  }

  /** Process completed tasks: failures, deferred frees. */
  poll(): void {
    if (this.tailSeq === this.processedSeq) return;
    const i32 = this.memory.i32;
    const done = Atomics.load(i32, this.ctrlW + H_DONE);
    if (done === this.processedSeq) return;
    let failed = false;
    for (let s = this.processedSeq; s < done; s++) {
      const t = this.tasks[s % CAP];
      this.tasks[s % CAP] = undefined;
      const status = i32[this.ctrlW + slotWord(s) + S_STATUS]!;
      if (status !== 0 && t) {
        failed = true;
        const msg = readFailure(i32, this.memory.u8, this.ctrl, s);
        const who = status === 1 ? "on the calling thread" : `on worker thread ${status - 1}`;
        this.poison(
          t.run,
          new DeviceError(
            `The computation producing this array failed: ${t.desc} ${who}: ${msg}. ` +
              `The device recovered; later calls are unaffected.`,
          ),
        );
      }
    }
    this.processedSeq = done;
    if (failed) this.pool?.checkHealth();
    if (this.pendingRuns.length) {
      let k = 0;
      while (k < this.pendingRuns.length && this.pendingRuns[k]!.lastSeq <= done) k++;
      if (k) this.pendingRuns.splice(0, k);
    }
    if (this.deferred.length) {
      const keep: Deferred[] = [];
      for (const d of this.deferred) {
        if (d.until <= done) this.allocator.free(d.addr, d.bytes);
        else keep.push(d);
      }
      this.deferred = keep;
    }
  }

  /** Mark a run's outputs failed, and those of queued runs that read them. */
  poison(run: RunRecord, err: DeviceError): void {
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

  /** Track a run with queued tasks (its failure poisons later runs reading its outputs). */
  addPending(run: RunRecord): void {
    this.pendingRuns.push(run);
  }

  /** Before queueing a run: wait (and help) while `maxQueuedRuns` runs are in flight. */
  throttle(): void {
    if (this.pendingRuns.length >= this.maxQueuedRuns) {
      this.poll();
      const oldest = this.pendingRuns[this.pendingRuns.length - this.maxQueuedRuns];
      if (oldest) this.waitFor(oldest.lastSeq);
    }
  }

  /** Threads that take chunks of a queued task: the workers, and the caller when it helps. */
  get chunkThreads(): number {
    return (this.pool?.readyCount ?? 0) + (this.helps ? 1 : 0);
  }

  /** Block until DONE ≥ target, running chunks of the current task meanwhile. */
  waitFor(target: number): void {
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
      this.watchdog.check(d, this.pool);
      if (canBlock) Atomics.wait(i32, D, d, idle++ < 10 ? 1 : 20);
    }
    this.poll();
  }

  /** Resolves once DONE ≥ target, without blocking the thread. */
  async whenDone(target: number): Promise<void> {
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
        if (d >= target) break;
        if (!this.pool) {
          this.waitFor(target);
          break;
        }
        keepAlive ??= setInterval(() => {}, 1 << 30);
        this.pool.checkHealth();
        this.watchdog.check(d, this.pool);
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
  }

  /** Claim and run one chunk of task `seq` here; false if none was left. */
  private helpChunk(seq: number): boolean {
    if (seq >= this.tailSeq) return false;
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
      t.runHere(begin, end);
    } catch (e) {
      recordFailure(i32, this.memory.u8, this.ctrl, seq, 0, (e as Error)?.message ?? String(e));
    }
    if (Atomics.add(i32, s + S_DONECH, 1) + 1 === nch) {
      Atomics.store(i32, this.ctrlW + H_DONE, seq + 1);
      Atomics.notify(i32, this.ctrlW + H_DONE);
    }
    return true;
  }

  /** Queue one task, split into chunks for `threads` threads; returns its sequence number. */
  submit(t: Task, threads: number): number {
    const pool = this.pool!;
    const i32 = this.memory.i32;
    const seq = this.tailSeq;
    // The slot is free once its previous task completed, was processed, and no worker reads it.
    if (seq >= CAP) {
      const old = seq - CAP;
      if (this.processedSeq <= old) this.waitFor(old + 1);
      let spins = 0;
      while (pool.minWorkerSeq() <= old) {
        pool.checkHealth();
        if (canBlock) Atomics.wait(i32, this.ctrlW + H_FAULT + 1, 0, spins++ < 100 ? 0.05 : 1);
      }
    }
    const w = this.ctrlW + slotWord(seq);
    const { chunk, nchunks } = chunking(t, threads);
    i32[w + S_SEQ] = seq;
    i32[w + S_KIND] = t.wasm ? 0 : 1;
    i32[w + S_PROG] = t.pid;
    i32[w + S_STEP] = t.step;
    i32[w + S_TABLE] = t.table;
    i32[w + S_TSTRIDE] = t.tstride;
    i32[w + S_BEGIN] = 0;
    i32[w + S_END] = t.trip;
    i32[w + S_CHUNK] = chunk;
    i32[w + S_NCHUNKS] = nchunks;
    i32[w + S_NEXT] = 0;
    i32[w + S_DONECH] = 0;
    i32[w + S_STATUS] = 0;
    this.tasks[seq % CAP] = t;
    this.tailSeq = seq + 1;
    Atomics.store(i32, this.ctrlW + H_TAIL, seq + 1);
    Atomics.notify(i32, this.ctrlW + H_TAIL);
    return seq;
  }
}
