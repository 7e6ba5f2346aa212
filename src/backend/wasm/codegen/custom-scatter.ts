/**
 * The scatter custom kernel (scatter, scatter-add/mul/min/max) compiled to WebAssembly for
 * float32/int32/uint32 operands, int32 indices, and the row-scatter form: no batching dims,
 * indices of shape [scatter dims..., index vector], updates of shape [scatter dims...,
 * window dims...], and a window that is one contiguous run of the operand (leading window
 * sizes 1, trailing ones full — an embedding gradient's rows). Other forms keep the JS kernel.
 *
 * The parallel range partitions the operand's elements into a few equal ranges: a call copies
 * its range of the operand into the output, then walks every update in order and combines the
 * part of its window that falls in the range (f32x4/i32x4 four elements at a time, scalar
 * tail). (Counting-sorting the updates into cache-sized buckets of the output first was
 * measured no faster: the random reads move from the output rows to the update rows.) Each output element is thus updated by one thread, in scatter order — the JS kernel's
 * order, so repeated indices give bit-identical float sums. Window starts are clamped (CLIP,
 * PROMISE_IN_BOUNDS) or dropped when out of bounds (FILL_OR_DROP), as in the JS kernel.
 */
import type { DType } from "../../../core/dtype.js";
import type { CustomKernel } from "../../../kernel/kernel.js";
import { COMBINE_DTYPES } from "./custom-combine.js";
import { BEGIN, type CustomPlan, END, forUp, i32Locals, loadBufferAddress } from "./custom-emit.js";
import {
  type Layout,
  type RunLocals,
  type ScatterParams,
  emitRun,
  emitWindowStart,
  layoutOf,
} from "./custom-scatter-parts.js";
import type { FunctionBuilder } from "./function-builder.js";

/** Operand ranges when the scatter is big enough to split across threads. */
const PARTS = 4;

/** Why the scatter kernel stays on the JS path (undefined: it compiles). */
export function scatterReason(k: CustomKernel, dt: (id: number) => DType): string | undefined {
  const p = k.params as unknown as ScatterParams;
  if (!COMBINE_DTYPES.has(p.dtype)) return `scatter of ${p.dtype}`;
  const idt = dt(k.inputs[1]!).name;
  if (idt !== "int32") return `scatter with ${idt} indices`;
  const l = layoutOf(p);
  return typeof l === "string" ? l : undefined;
}

export function compileScatter(f: FunctionBuilder, k: CustomKernel): CustomPlan {
  const p = k.params as unknown as ScatterParams;
  const g = layoutOf(p) as Layout;
  const work = g.nBatch * g.nWin;
  const parts = g.size === 0 ? 0 : work >= 1 << 16 ? Math.min(PARTS, g.size) : 1;
  // A call's range is whole windows (an aligned window then lies in one range).
  const step = Math.max(1, g.nWin);
  const unit = parts ? Math.ceil(g.size / parts / step) * step : 0;
  const trip = parts ? Math.ceil(g.size / unit) : 0;
  emitScatter(f, k, p, g, unit);
  return {
    trip,
    workPerIter: trip ? g.size / trip + 2 * g.nBatch + work / trip : 0,
    scratchBytes: 0,
    summary:
      `scatter-${p.combine} ${p.dtype} (${p.mode}): ${g.nBatch} windows of ${g.nWin} contiguous elements ` +
      `into ${g.size}; operand split in ${trip} ranges, updates in order per range; f32x4/i32x4 + scalar tail`,
  };
}

function emitScatter(
  f: FunctionBuilder,
  k: CustomKernel,
  p: ScatterParams,
  g: Layout,
  unit: number,
): void {
  const [X, I, U, Y, lo, hi, s, o, st, wlo, whi, pu, py] = i32Locals(f, 13);
  const vt = p.dtype === "float32" ? "f32" : "i32";
  const [a, b] = [f.addLocal(vt), f.addLocal(vt)];
  const [xId, iId, uId] = k.inputs as [number, number, number];
  loadBufferAddress(f, xId, X);
  loadBufferAddress(f, iId, I);
  loadBufferAddress(f, uId, U);
  loadBufferAddress(f, k.outputs[0]!, Y);
  // [lo, hi): this call's elements of the operand.
  f.localGet(BEGIN).i32Const(unit).op("i32.mul").localSet(lo);
  f.localGet(END).i32Const(unit).op("i32.mul").localTee(hi);
  f.i32Const(g.size).localGet(hi).i32Const(g.size).op("i32.lt_s").op("select").localSet(hi);
  f.localGet(hi).localGet(lo).op("i32.le_s");
  f.if();
  f.return();
  f.end();
  // The output starts as the operand.
  f.localGet(Y).localGet(lo).i32Const(2).op("i32.shl").op("i32.add");
  f.localGet(X).localGet(lo).i32Const(2).op("i32.shl").op("i32.add");
  f.localGet(hi).localGet(lo).op("i32.sub").i32Const(2).op("i32.shl");
  f.op("memory.copy");
  if (g.nBatch === 0 || g.nWin === 0) return;
  const run: RunLocals = { py, pu, end: whi, lim: wlo, a, b };
  forUp(
    f,
    s,
    () => f.i32Const(0),
    () => f.i32Const(g.nBatch),
    () => {
      const next = f.block();
      emitWindowStart(f, p, g, { I, s, o, st }, next);
      // The window [o, o + nWin) clipped to [lo, hi).
      f.localGet(o).localGet(lo).localGet(o).localGet(lo).op("i32.gt_s").op("select");
      f.localSet(wlo);
      f.localGet(o).i32Const(g.nWin).op("i32.add").localTee(whi);
      f.localGet(hi).localGet(whi).localGet(hi).op("i32.lt_s").op("select").localSet(whi);
      f.localGet(wlo).localGet(whi).op("i32.ge_s").br_if(next);
      // pu = &updates[s·nWin + wlo - o]; py = &out[wlo]; whi becomes the byte end.
      f.localGet(U).localGet(s).i32Const(g.nWin).op("i32.mul").localGet(wlo).op("i32.add");
      f.localGet(o).op("i32.sub").i32Const(2).op("i32.shl").op("i32.add").localSet(pu);
      f.localGet(Y).localGet(wlo).i32Const(2).op("i32.shl").op("i32.add").localSet(py);
      f.localGet(Y).localGet(whi).i32Const(2).op("i32.shl").op("i32.add").localSet(whi);
      emitRun(f, p, g, run);
      f.end();
    },
  );
}
