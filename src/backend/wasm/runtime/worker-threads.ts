/**
 * The wasm device's worker threads: starting the pool (synchronously where the platform
 * allows), its worker-state block in device memory, changing the thread count, and the fault
 * injection hooks the tests use. The task queue they serve is scheduler.ts.
 */
import type { Allocator } from "./allocator.js";
import type { WasmMemory } from "./memory.js";
import { Pool, cpuCount, cpuCountSync } from "./pool.js";
import { H_DONE, H_EPOCH, H_FAULT, H_HUNG, H_TAIL, workerStateLayout } from "./queue.js";
import { roundUp } from "./allocator.js";

/** See `WorkerThreads.status`. */
export interface WorkerStatus {
  /** Worker threads the pool was started with (0: single-threaded, or not started yet). */
  requested: number;
  /** Worker threads taking tasks now. */
  ready: number;
  /** Whether the ready workers have the JS kernels' helpers (`rt.*`). */
  helpers: boolean;
  /** Why worker threads could not start (see worker-start.ts), if they could not. */
  startFailure?: string;
  /** A worker's report that it could not set up the helpers, if one made it. */
  helpersProblem?: string;
}

export class WorkerThreads {
  /** The running pool (undefined: single-threaded, or not started yet). */
  pool: Pool | undefined;
  private poolStart: Promise<void> = Promise.resolve();
  private wanted: number;
  private epoch = 0;
  private stateAddr = -1;
  private stateSize = 0;

  constructor(
    private readonly memory: WasmMemory,
    private readonly allocator: Allocator,
    /** Byte address of the control block. */
    private readonly ctrl: number,
    threads: number,
    /** The workers' program (default: worker-source.ts's; tests pass a broken one). */
    private readonly source?: string,
  ) {
    this.wanted = threads;
    if (memory.shared) this.start(threads);
  }

  /** Bytes of device memory the worker-state block takes (0: none). */
  get stateBytes(): number {
    return this.stateAddr >= 0 ? roundUp(this.stateSize) : 0;
  }

  private start(threads: number): void {
    const setup = (n: number): Pool | undefined => {
      if (n <= 1 || !this.memory.shared || threads !== this.wanted) return undefined;
      const layout = workerStateLayout(n);
      if (this.stateAddr >= 0) this.allocator.free(this.stateAddr, this.stateSize);
      this.stateSize = layout.words * 4;
      this.stateAddr = this.allocator.alloc(this.stateSize);
      if (this.stateAddr < 0) return undefined;
      const pool = new Pool(this.memory, this.ctrl, this.stateAddr, n, this.epoch, this.source);
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
  async whenReady(timeoutMs: number): Promise<number> {
    await this.poolStart;
    const t0 = Date.now();
    while (this.pool && this.pool.readyCount < this.pool.expected && Date.now() - t0 < timeoutMs) {
      this.pool.checkHealth();
      await new Promise((r) => setTimeout(r, 2));
    }
    return this.pool?.readyCount ?? 0;
  }

  /**
   * What the worker threads are doing, for `WasmDevice.workerStatus`: how many were asked for
   * and are ready, whether they have the JS kernels' helpers, and why they could not start.
   */
  status(): WorkerStatus {
    const pool = this.pool;
    const status: WorkerStatus = {
      requested: pool?.size ?? 0,
      ready: pool?.readyCount ?? 0,
      helpers: pool ? pool.readyCount > 0 && pool.rtInWorkers : false,
    };
    if (pool?.starts.failure !== undefined) status.startFailure = pool.starts.failure;
    if (pool?.starts.helpersProblem !== undefined)
      status.helpersProblem = pool.starts.helpersProblem;
    return status;
  }

  /** Stop the workers and start `n` (the queue must be drained first). */
  restart(n: number): void {
    this.wanted = n;
    if (this.pool) {
      this.epoch++;
      const i32 = this.memory.i32;
      const c = this.ctrl >>> 2;
      Atomics.store(i32, c + H_EPOCH, this.epoch);
      Atomics.notify(i32, c + H_TAIL);
      Atomics.notify(i32, c + H_DONE);
      this.pool.close();
      this.pool = undefined;
    }
    if (this.memory.shared) this.start(n);
  }

  /** See WasmDevice.debugInjectFault. */
  injectFault(kind: "throw" | "crash" | "hang" | "hang-claiming" | "hang-counting" | "none"): void {
    const c = this.ctrl >>> 2;
    Atomics.store(this.memory.i32, c + H_HUNG, 0);
    Atomics.store(
      this.memory.i32,
      c + H_FAULT,
      { throw: 1, crash: 2, hang: 3, "hang-claiming": 4, "hang-counting": 5, none: 0 }[kind],
    );
  }

  /** The thread id of the worker holding the "hang" fault's chunk (0: none yet). */
  get hungWorker(): number {
    return Atomics.load(this.memory.i32, (this.ctrl >>> 2) + H_HUNG);
  }
}
