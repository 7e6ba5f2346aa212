/**
 * When the wasm device splits work across threads or queues it: the work thresholds, the
 * chunking, and whether the calling thread helps with queued tasks while it waits.
 */

/** Work units (≈ element operations) above which a kernel is split across threads. */
export const SPLIT_MIN_WORK = 1 << 20;
/** Work units above which a whole run goes to the workers asynchronously. */
export const ASYNC_MIN_WORK = 1 << 20;
/** Chunks per thread for dynamic load balancing. */
export const CHUNKS_PER_THREAD = 4;

export const isNode = typeof process === "object" && process !== null && !!process.versions?.node;
/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
export const canBlock =
  isNode ||
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined";

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

/** How a task of `trip` outer iterations is cut into chunks for `threads` threads. */
export function chunking(
  s: {
    readonly trip: number;
    readonly work: number;
    readonly splittable: boolean;
    readonly wasm: boolean;
  },
  threads: number,
): { chunk: number; nchunks: number } {
  let chunk = s.trip;
  let nchunks = 1;
  if (s.splittable && s.work >= SPLIT_MIN_WORK && threads > 1) {
    nchunks = Math.min(s.trip, threads * CHUNKS_PER_THREAD);
    chunk = Math.ceil(s.trip / nchunks);
    if (s.wasm && chunk > 64) chunk = Math.ceil(chunk / 16) * 16;
    nchunks = Math.ceil(s.trip / chunk);
  }
  return { chunk, nchunks };
}
