/**
 * The in-order task queue in shared memory, and the protocol the calling thread and the
 * worker threads follow (the worker's half lives in worker-source.ts).
 *
 * Control block (Int32 words at `ctrl`):
 *   TAIL   tasks submitted (the next task's sequence number)
 *   DONE   tasks completed; task `s` is complete iff DONE > s. Tasks complete in order.
 *   EPOCH  the pool generation; workers of an older generation exit.
 *   FAULT  test hook: 1 = the next chunk a worker runs throws, 2 = its worker dies, 3 = it
 *          never returns (the worker holds the chunk until it is terminated); 4 = the worker
 *          stops between claiming a chunk and recording it, 5 = after counting a chunk and
 *          before releasing it (both until terminated).
 *   HUNG   test hook: the thread id of the worker that took fault 3, 4 or 5.
 * followed by a ring of CAP task slots (SLOT_WORDS words each) and, per slot, ERR_BYTES bytes
 * for a failure message.
 *
 * A task is one kernel over an iteration range [BEGIN, END) cut into NCHUNKS chunks of CHUNK
 * iterations. Every thread working on the current task (seq = DONE) claims chunks with
 * `Atomics.add(NEXT, 1)`; whoever finishes the last chunk (`Atomics.add(DONECH, 1)`) stores
 * DONE = seq + 1 and notifies. A thread moves to the next task only after DONE passes the
 * current one, so tasks run in submission order and each sees the previous task's writes.
 * The submitting thread writes a slot, then `Atomics.store(TAIL)` + notify; workers idle in
 * `Atomics.wait(TAIL)`. A slot is reused only when its task completed and every worker has
 * published (WSEQ) that it moved past it.
 *
 * Per-pool worker state (Int32 words at `workers`, per thread id; 0 is the calling thread):
 *   STATUS (0 starting, 1 ready with the JS helpers, 2 ready without them, 3 dead),
 *   WSEQ   the task the worker is on, WCHUNK the chunk it holds + 1, or 0 (none), or
 *   CLAIMING (−1: set before its `Atomics.add(NEXT)`, replaced by the chunk + 1 after it), or
 *   COUNTING (−2: the chunk ran and its DONECH increment is in progress).
 * A worker that dies while holding a chunk fails that task and accounts for the chunk — in its
 * own exit handler when it runs one, else on the calling thread when the pool sees the worker's
 * error / exit event (a worker terminated from outside or aborted runs no code of its own).
 * Whoever swaps WCHUNK from a chunk to 0 owns the chunk, so it is counted exactly once and the
 * queue never stalls; the pool respawns the worker. A worker that dies CLAIMING or COUNTING
 * leaves it unknown whether it took (or counted) a chunk; the pool settles that by counting
 * once the task is quiet — every chunk claimed and no thread's WCHUNK non-zero — and fails and
 * finishes the chunks still uncounted (`settleLostChunks`).
 */

export const H_TAIL = 0;
export const H_DONE = 1;
export const H_EPOCH = 2;
export const H_FAULT = 3;
/** Word H_FAULT + 1 stays 0: the calling thread sleeps on it (Atomics.wait with a timeout). */
export const H_HUNG = 5;
export const HEADER_WORDS = 16;

export const S_SEQ = 0;
export const S_KIND = 1; // 0: wasm export, 1: JS kernel
export const S_PROG = 2;
export const S_STEP = 3;
export const S_TABLE = 4;
export const S_TSTRIDE = 5;
export const S_BEGIN = 6;
export const S_END = 7;
export const S_CHUNK = 8;
export const S_NCHUNKS = 9;
export const S_NEXT = 10;
export const S_DONECH = 11;
export const S_STATUS = 12;
export const SLOT_WORDS = 16;

export const CAP = 256;
export const ERR_BYTES = 256;

/** WCHUNK while a worker claims a chunk (before its NEXT increment is recorded). */
export const WCH_CLAIMING = -1;
/** WCHUNK while a worker counts a finished chunk (its DONECH increment). */
export const WCH_COUNTING = -2;

export const W_STARTING = 0;
export const W_READY_RT = 1;
export const W_READY = 2;
export const W_DEAD = 3;

/** Bytes of the control block. */
export const CONTROL_BYTES = (HEADER_WORDS + CAP * SLOT_WORDS) * 4 + CAP * ERR_BYTES;

/** Word offsets of the per-pool worker arrays, for `n` worker threads (+ the caller). */
export function workerStateLayout(n: number): {
  status: number;
  wseq: number;
  wchunk: number;
  words: number;
} {
  const t = n + 1;
  return { status: 0, wseq: t, wchunk: 2 * t, words: 3 * t };
}

export const constantsForWorker = {
  H_TAIL,
  H_DONE,
  H_EPOCH,
  H_FAULT,
  H_HUNG,
  HEADER_WORDS,
  S_SEQ,
  S_KIND,
  S_PROG,
  S_STEP,
  S_TABLE,
  S_TSTRIDE,
  S_BEGIN,
  S_END,
  S_CHUNK,
  S_NCHUNKS,
  S_NEXT,
  S_DONECH,
  S_STATUS,
  SLOT_WORDS,
  CAP,
  ERR_BYTES,
  W_READY_RT,
  W_READY,
  W_DEAD,
  WCH_CLAIMING,
  WCH_COUNTING,
};

/** Word index of slot `seq`'s first word, relative to the control block. */
export const slotWord = (seq: number): number => HEADER_WORDS + (seq % CAP) * SLOT_WORDS;
/** Byte offset of slot `seq`'s error text, relative to the control block. */
export const errOffset = (seq: number): number =>
  (HEADER_WORDS + CAP * SLOT_WORDS) * 4 + (seq % CAP) * ERR_BYTES;

/** Write a failure message for slot `seq` (the first failure of a task wins). */
export function recordFailure(
  i32: Int32Array,
  u8: Uint8Array,
  ctrl: number,
  seq: number,
  tid: number,
  message: string,
): void {
  const w = (ctrl >>> 2) + slotWord(seq);
  if (Atomics.compareExchange(i32, w + S_STATUS, 0, tid + 1) !== 0) return;
  const bytes = new TextEncoder().encode(message).subarray(0, ERR_BYTES - 4);
  const off = ctrl + errOffset(seq);
  i32[off >>> 2] = bytes.length;
  u8.set(bytes, off + 4);
}

/** Count one chunk of task `seq` as finished; the last one completes the task (DONE = seq + 1). */
export function finishChunk(i32: Int32Array, ctrl: number, seq: number): void {
  const h = ctrl >>> 2;
  const w = h + slotWord(seq);
  if (Atomics.add(i32, w + S_DONECH, 1) + 1 === i32[w + S_NCHUNKS]) {
    Atomics.store(i32, h + H_DONE, seq + 1);
    Atomics.notify(i32, h + H_DONE);
  }
}

/** The failure message of slot `seq` (after the task completed). */
export function readFailure(i32: Int32Array, u8: Uint8Array, ctrl: number, seq: number): string {
  const off = ctrl + errOffset(seq);
  const n = Math.min(ERR_BYTES - 4, Math.max(0, i32[off >>> 2]!));
  const copy = new Uint8Array(n);
  copy.set(u8.subarray(off + 4, off + 4 + n));
  return new TextDecoder().decode(copy);
}
