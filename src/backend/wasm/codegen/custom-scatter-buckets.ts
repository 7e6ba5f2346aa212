/**
 * The cache-blocked strategy of the compiled scatter (custom-scatter.ts) for big operands with
 * row-aligned windows (window sizes 1 then full trailing dims, so every window starts at a
 * multiple of its length and lies in one bucket): updates landing at random rows of a
 * multi-megabyte output miss the cache on every read-modify-write. A call first counts its
 * updates per 64 KiB bucket of its operand range, then lists (update, offset) pairs bucket by
 * bucket (a stable counting sort, so each bucket keeps scatter order), then applies them:
 * each bucket's output rows stay in cache while its updates stream in. Per output element
 * the updates still come in scatter order (one bucket holds all of an element's updates).
 * Scratch per call: 8 bytes per update and one counter per bucket.
 */
import { forUp } from "./custom-emit.js";
import {
  type Layout,
  type RunLocals,
  type ScatterParams,
  emitRun,
  emitWindowStart,
} from "./custom-scatter-parts.js";
import type { FunctionBuilder } from "./function-builder.js";

/** Elements per bucket target (64 KiB of 32-bit elements). */
const BUCKET_ELEMS = 16384;

export interface BucketPlan {
  /** Operand elements per bucket (a multiple of the window length). */
  readonly bucketElems: number;
  /** Buckets of the whole operand (a call's range uses a prefix of them). */
  readonly maxBuckets: number;
  /** Byte offset of the (update, offset) pairs in the scratch area. */
  readonly pairsAt: number;
  readonly scratchBytes: number;
}

/**
 * The bucket plan when the strategy applies: row-aligned windows, many updates, an output
 * bigger than 1 MiB (a call's range is then whole windows: see compileScatter).
 */
export function bucketPlan(p: ScatterParams, g: Layout): BucketPlan | undefined {
  const c = g.window.findIndex((w) => w !== 1);
  const aligned = c < 0 || g.window[c] === p.operandShape[c];
  if (!aligned || g.nBatch < 4096 || g.size * 4 < 1 << 20 || g.nWin === 0) return undefined;
  const bucketElems = Math.max(g.nWin, Math.floor(BUCKET_ELEMS / g.nWin) * g.nWin);
  // A call may be given any run of ranges (one thread: all of them), so count for the whole.
  const maxBuckets = Math.ceil(g.size / bucketElems);
  const pairsAt = Math.ceil((4 * maxBuckets) / 16) * 16;
  return { bucketElems, maxBuckets, pairsAt, scratchBytes: pairsAt + 8 * g.nBatch };
}

/** Locals the strategy reads: the buffers, the call's range and the window-start temporaries. */
export interface BucketLocals {
  readonly I: number;
  readonly U: number;
  readonly Y: number;
  readonly S: number;
  readonly lo: number;
  readonly hi: number;
  readonly s: number;
  readonly o: number;
  readonly st: number;
}

export function emitBucketed(
  f: FunctionBuilder,
  p: ScatterParams,
  g: Layout,
  b: BucketPlan,
  l: BucketLocals,
  run: RunLocals,
): void {
  const { I, U, Y, S, lo, hi, s, o, st } = l;
  const [j, cnt, t, c] = [
    f.addLocal("i32"),
    f.addLocal("i32"),
    f.addLocal("i32"),
    f.addLocal("i32"),
  ];
  /** For every update in this call's range: body() with `t` = its bucket counter's address. */
  const eachInRange = (body: () => void) =>
    forUp(
      f,
      s,
      () => f.i32Const(0),
      () => f.i32Const(g.nBatch),
      () => {
        const next = f.block();
        emitWindowStart(f, p, g, { I, s, o, st }, next);
        f.localGet(o).localGet(lo).op("i32.sub").localGet(hi).localGet(lo).op("i32.sub");
        f.op("i32.ge_u").br_if(next);
        f.localGet(o).localGet(lo).op("i32.sub").i32Const(b.bucketElems).op("i32.div_u");
        f.i32Const(2).op("i32.shl").localGet(S).op("i32.add").localSet(t);
        body();
        f.end();
      },
    );
  f.localGet(S)
    .i32Const(0)
    .i32Const(4 * b.maxBuckets)
    .op("memory.fill");
  eachInRange(() => {
    f.localGet(t).localGet(t).mem("i32.load").i32Const(1).op("i32.add").mem("i32.store");
  });
  // Exclusive prefix sums: bucket starts; cnt = updates in range.
  f.i32Const(0).localSet(cnt);
  forUp(
    f,
    j,
    () => f.i32Const(0),
    () => f.i32Const(b.maxBuckets),
    () => {
      f.localGet(S).localGet(j).i32Const(2).op("i32.shl").op("i32.add").localTee(t);
      f.mem("i32.load").localSet(c);
      f.localGet(t).localGet(cnt).mem("i32.store");
      f.localGet(cnt).localGet(c).op("i32.add").localSet(cnt);
    },
  );
  eachInRange(() => {
    // pair = &pairs[H[bucket]++]; pair = (s, o)
    f.localGet(t).mem("i32.load").localSet(j);
    f.localGet(t).localGet(j).i32Const(1).op("i32.add").mem("i32.store");
    f.localGet(S).localGet(j).i32Const(3).op("i32.shl").op("i32.add").localTee(t);
    f.localGet(s).mem("i32.store", { offset: b.pairsAt });
    f.localGet(t)
      .localGet(o)
      .mem("i32.store", { offset: b.pairsAt + 4 });
  });
  forUp(
    f,
    j,
    () => f.i32Const(0),
    () => f.localGet(cnt),
    () => {
      f.localGet(S).localGet(j).i32Const(3).op("i32.shl").op("i32.add").localTee(t);
      f.mem("i32.load", { offset: b.pairsAt })
        .i32Const(4 * g.nWin)
        .op("i32.mul");
      f.localGet(U).op("i32.add").localSet(run.pu);
      f.localGet(t)
        .mem("i32.load", { offset: b.pairsAt + 4 })
        .i32Const(2)
        .op("i32.shl");
      f.localGet(Y).op("i32.add").localTee(run.py);
      f.i32Const(4 * g.nWin)
        .op("i32.add")
        .localSet(run.end);
      emitRun(f, p, g, run);
    },
  );
}
