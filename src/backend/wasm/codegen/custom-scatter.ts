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
 * tail). Each output element is thus updated by one thread, in scatter order — the JS kernel's
 * order, so repeated indices give bit-identical float sums. Window starts are clamped (CLIP,
 * PROMISE_IN_BOUNDS) or dropped when out of bounds (FILL_OR_DROP), as in the JS kernel.
 */
import type { DType } from "../../../core/dtype.js";
import type { CustomKernel } from "../../../kernel/kernel.js";
import {
  COMBINE_DTYPES,
  type CombineOp,
  combineScalar,
  combineVectorOp,
} from "./custom-combine.js";
import { BEGIN, type CustomPlan, END, forUp, i32Locals, loadBufferAddress } from "./custom-emit.js";
import type { FunctionBuilder } from "./function-builder.js";

interface ScatterParams {
  readonly combine: CombineOp;
  readonly mode: "CLIP" | "FILL_OR_DROP" | "PROMISE_IN_BOUNDS";
  readonly dtype: string;
  readonly operandShape: readonly number[];
  readonly indicesShape: readonly number[];
  readonly updatesShape: readonly number[];
  readonly updateWindowDims: readonly number[];
  readonly insertedWindowDims: readonly number[];
  readonly scatterDimsToOperandDims: readonly number[];
  readonly operandBatchingDims: readonly number[];
}

/** Operand partitions when the scatter is big enough to split across threads. */
const PARTS = 4;
const prod = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);

interface Layout {
  /** Operand elements, updates (scatter positions), window elements, index-vector length. */
  readonly size: number;
  readonly nBatch: number;
  readonly nWin: number;
  readonly nIdx: number;
  /** Per operand dim: row-major stride and the largest valid window start. */
  readonly strides: readonly number[];
  readonly hi: readonly number[];
}

function layoutOf(p: ScatterParams): Layout | string {
  const op = p.operandShape;
  const upd = p.updatesShape;
  const idx = p.indicesShape;
  if (p.operandBatchingDims.length) return "scatter with batching dims";
  if (idx.length === 0) return "scatter with scalar indices";
  const nw = p.updateWindowDims.length;
  if (p.updateWindowDims.some((d, j) => d !== upd.length - nw + j))
    return "scatter whose window dims are not the trailing update dims";
  const batchShape = upd.slice(0, upd.length - nw);
  const idxBatch = idx.slice(0, -1);
  if (idxBatch.length !== batchShape.length || idxBatch.some((d, j) => d !== batchShape[j]))
    return "scatter whose indices do not lead with the update's scatter dims";
  const windowDims = op.map((_, d) => d).filter((d) => !p.insertedWindowDims.includes(d));
  const win = op.map((_, d) => {
    const j = windowDims.indexOf(d);
    return j < 0 ? 1 : upd[p.updateWindowDims[j]!]!;
  });
  // Contiguous: sizes 1 before some dim c, full after it.
  const c = win.findIndex((w) => w !== 1);
  if (c >= 0 && win.some((w, d) => d > c && w !== op[d]))
    return "scatter whose window is not contiguous in the operand";
  const hi = op.map((n, d) => n - win[d]!);
  if (hi.some((h) => h < 0)) return "scatter window larger than the operand";
  const strides = op.map((_, d) => prod(op.slice(d + 1)));
  return {
    size: prod(op),
    nBatch: prod(batchShape),
    nWin: prod(upd.slice(upd.length - nw)),
    nIdx: idx[idx.length - 1]!,
    strides,
    hi,
  };
}

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
  const unit = parts ? Math.ceil(g.size / parts) : 0;
  emitScatter(f, k, p, g, unit);
  return {
    trip: parts,
    workPerIter: parts ? g.size / parts + 2 * g.nBatch + work / parts : 0,
    scratchBytes: 0,
    summary:
      `scatter-${p.combine} ${p.dtype} (${p.mode}): ${g.nBatch} windows of ${g.nWin} contiguous elements ` +
      `into ${g.size}; operand split in ${parts} ranges, updates in order per range, f32x4/i32x4 + scalar tail`,
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
  const load = vt === "f32" ? "f32.load" : "i32.load";
  const store = vt === "f32" ? "f32.store" : "i32.store";
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
  const clip = p.mode !== "FILL_OR_DROP";
  forUp(
    f,
    s,
    () => f.i32Const(0),
    () => f.i32Const(g.nBatch),
    () => {
      const next = f.block();
      f.i32Const(0).localSet(o);
      p.operandShape.forEach((_, d) => {
        const kk = p.scatterDimsToOperandDims.indexOf(d);
        if (kk < 0 || g.nIdx === 0) return;
        f.localGet(I)
          .localGet(s)
          .i32Const(g.nIdx * 4)
          .op("i32.mul")
          .op("i32.add");
        f.mem("i32.load", { offset: kk * 4 }).localSet(st);
        if (clip) {
          // st = min(max(st, 0), hi[d])
          f.localGet(st).i32Const(0).localGet(st).i32Const(0).op("i32.gt_s").op("select");
          f.localSet(st);
          f.localGet(st).i32Const(g.hi[d]!).localGet(st).i32Const(g.hi[d]!).op("i32.lt_s");
          f.op("select").localSet(st);
        } else {
          // Dropped unless 0 <= st <= hi[d] (one unsigned compare).
          f.localGet(st).i32Const(g.hi[d]!).op("i32.gt_u").br_if(next);
        }
        f.localGet(o).localGet(st).i32Const(g.strides[d]!).op("i32.mul").op("i32.add");
        f.localSet(o);
      });
      // The window [o, o + nWin) clipped to [lo, hi).
      f.localGet(o).localGet(lo).localGet(o).localGet(lo).op("i32.gt_s").op("select");
      f.localSet(wlo);
      f.localGet(o).i32Const(g.nWin).op("i32.add").localTee(whi);
      f.localGet(hi).localGet(whi).localGet(hi).op("i32.lt_s").op("select").localSet(whi);
      f.localGet(wlo).localGet(whi).op("i32.ge_s").br_if(next);
      // pu = &updates[s·nWin + wlo - o]; py = &out[wlo]; wlo/whi become byte ends.
      f.localGet(U).localGet(s).i32Const(g.nWin).op("i32.mul").localGet(wlo).op("i32.add");
      f.localGet(o).op("i32.sub").i32Const(2).op("i32.shl").op("i32.add").localSet(pu);
      f.localGet(Y).localGet(wlo).i32Const(2).op("i32.shl").op("i32.add").localSet(py);
      f.localGet(Y).localGet(whi).i32Const(2).op("i32.shl").op("i32.add").localSet(whi);
      if (g.nWin >= 4) emitVectorRun(f, p, py, pu, whi, wlo);
      emitScalarRun(f, p, { py, pu, end: whi, a, b, load, store });
      f.end();
    },
  );
}

/** While py + 16 <= end: out[py..] = combine(out[py..], upd[pu..]) four lanes at a time. */
function emitVectorRun(
  f: FunctionBuilder,
  p: ScatterParams,
  py: number,
  pu: number,
  end: number,
  lim: number,
): void {
  f.localGet(end).i32Const(12).op("i32.sub").localSet(lim);
  const done = f.block();
  f.localGet(py).localGet(lim).op("i32.ge_u").br_if(done);
  const top = f.loop();
  f.localGet(py);
  if (p.combine === "set") f.localGet(pu).mem("v128.load", { align: 4 });
  else {
    f.localGet(py).mem("v128.load", { align: 4 });
    f.localGet(pu).mem("v128.load", { align: 4 }).op(combineVectorOp(p.combine, p.dtype));
  }
  f.mem("v128.store", { align: 4 });
  f.localGet(pu).i32Const(16).op("i32.add").localSet(pu);
  f.localGet(py).i32Const(16).op("i32.add").localTee(py).localGet(lim).op("i32.lt_u").br_if(top);
  f.end();
  f.end();
}

function emitScalarRun(
  f: FunctionBuilder,
  p: ScatterParams,
  l: {
    py: number;
    pu: number;
    end: number;
    a: number;
    b: number;
    load: "f32.load" | "i32.load";
    store: "f32.store" | "i32.store";
  },
): void {
  const done = f.block();
  f.localGet(l.py).localGet(l.end).op("i32.ge_u").br_if(done);
  const top = f.loop();
  f.localGet(l.py).mem(l.load).localSet(l.a);
  f.localGet(l.pu).mem(l.load).localSet(l.b);
  f.localGet(l.py);
  combineScalar(f, p.combine, p.dtype, l.a, l.b);
  f.mem(l.store);
  f.localGet(l.pu).i32Const(4).op("i32.add").localSet(l.pu);
  f.localGet(l.py).i32Const(4).op("i32.add").localTee(l.py).localGet(l.end).op("i32.lt_u");
  f.br_if(top);
  f.end();
  f.end();
}
