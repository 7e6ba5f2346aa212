/**
 * Pieces of the compiled scatter kernel (custom-scatter.ts): the parameters and layout checks, a window's start offset from its index vector (clamped or
 * dropped), and the combine of one window run into the output (vector + scalar tail).
 */
import { combineScalar, combineVectorOp } from "./custom-combine.js";
import type { ScatterKernelParams } from "../../../kernel/scatter-geometry.js";
import type { FunctionBuilder } from "./function-builder.js";
import type { Label } from "./wasm-types.js";

/** The scatter kernel's parameters (src/kernel/scatter-geometry.ts). */
export type ScatterParams = ScatterKernelParams;

const prod = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);

export interface Layout {
  /** Operand elements, updates (scatter positions), window elements, index-vector length. */
  readonly size: number;
  readonly nBatch: number;
  readonly nWin: number;
  readonly nIdx: number;
  /** Per operand dim: row-major stride and the largest valid window start. */
  readonly strides: readonly number[];
  readonly hi: readonly number[];
}

export function layoutOf(p: ScatterParams): Layout | string {
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

/**
 * Set local `o` to the start offset (elements) of window `s`'s run in the operand, clamping
 * each start (CLIP, PROMISE_IN_BOUNDS) or branching to `next` when one is out of bounds
 * (FILL_OR_DROP). Locals: I (indices address), s, o, st (scratch).
 */
export function emitWindowStart(
  f: FunctionBuilder,
  p: ScatterParams,
  g: Layout,
  l: { I: number; s: number; o: number; st: number },
  next: Label,
): void {
  const { I, s, o, st } = l;
  const clip = p.mode !== "FILL_OR_DROP";
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
}

/** Locals of a window run: out/update byte pointers, byte end, two value temporaries. */
export interface RunLocals {
  readonly py: number;
  readonly pu: number;
  readonly end: number;
  readonly lim: number;
  readonly a: number;
  readonly b: number;
}

/** out[py..end) = combine(out, upd[pu..]) — four lanes at a time when nWin ≥ 4, scalar tail. */
export function emitRun(f: FunctionBuilder, p: ScatterParams, g: Layout, l: RunLocals): void {
  const vt = p.dtype === "float32" ? "f32" : "i32";
  if (g.nWin >= 4) emitVectorRun(f, p, l.py, l.pu, l.end, l.lim);
  emitScalarRun(f, p, { ...l, load: `${vt}.load`, store: `${vt}.store` });
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
