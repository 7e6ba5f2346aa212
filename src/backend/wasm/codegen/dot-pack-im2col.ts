/**
 * The A packer of an implicit-GEMM convolution (a dot whose `a` operand is a DotIm2col): packs
 * the block [ic, ic + mcur) × [pc, pc + kcur) of the im2col matrix into MR-row panels straight
 * from the convolution's input. Per panel row, the row digits (n, o_1…o_S) are decoded once;
 * the depth range is walked in runs of one window position (w_1…w_S) over the features c: a
 * run is either all inside the input (copied at the feature stride; f32x4 loads when the
 * features are contiguous) or all padding / a hole of lhs dilation (zeros).
 */
import type { DotIm2col, DotOperand } from "../../../kernel/kernel.js";
import type { FunctionBuilder } from "./function-builder.js";
import { MR } from "./dot-microkernel.js";
import { forStep } from "./loop-control.js";

/** The driver's i32 locals this packer reads or uses (a subset of dot-pack.ts's PackLocals). */
export interface Im2colLocals {
  readonly ip: number;
  readonly src: number;
  readonly dst: number;
  readonly kcur: number;
  readonly mcur: number;
  readonly pc: number;
  readonly ic: number;
  readonly Ap: number;
  readonly aBase: number;
}

export function im2colPacker(
  f: FunctionBuilder,
  a: DotOperand & { im2col: DotIm2col },
  l: Im2colLocals,
): () => void {
  const { ip, src, dst, kcur, mcur, pc, ic, Ap, aBase } = l;
  const { batch, spatial, feature } = a.im2col;
  const S = spatial.length;
  const g = (x: number) => f.localGet(x);
  const I = () => f.addLocal("i32");
  const posBase = spatial.map(() => I());
  const [t, rowBase, k, kk, c, valid, len, pos, end] = [
    I(),
    I(),
    I(),
    I(),
    I(),
    I(),
    I(),
    I(),
    I(),
  ];
  const Cg = feature.size;
  const sC4 = 4 * feature.stride;
  const dstStep = 4 * MR;

  /** Decode row r = ic + ip + ii into posBase_s and rowBase. */
  function decodeRow(ii: number): void {
    g(ic).localGet(ip).op("i32.add").i32Const(ii).op("i32.add").localSet(t);
    for (let s = S - 1; s >= 0; s--) {
      const sp = spatial[s]!;
      // posBase_s = (t % out_s)·windowStride_s − padLo_s; t /= out_s
      g(t).i32Const(sp.out).op("i32.rem_u").i32Const(sp.windowStride).op("i32.mul");
      f.i32Const(sp.padLo).op("i32.sub").localSet(posBase[s]!);
      g(t).i32Const(sp.out).op("i32.div_u").localSet(t);
    }
    g(t)
      .i32Const(4 * batch.stride)
      .op("i32.mul")
      .localGet(aBase)
      .op("i32.add")
      .localSet(rowBase);
  }

  /** From depth k: c, the run's validity and its source address. */
  function decodeRun(): void {
    g(k).i32Const(Cg).op("i32.rem_u").localSet(c);
    g(k).i32Const(Cg).op("i32.div_u").localSet(t);
    g(c).i32Const(sC4).op("i32.mul").localGet(rowBase).op("i32.add").localSet(src);
    f.i32Const(1).localSet(valid);
    for (let s = S - 1; s >= 0; s--) {
      const sp = spatial[s]!;
      const extent = (sp.size - 1) * sp.lhsDilation + 1;
      // pos = posBase_s + (t % window_s)·rhsDilation_s; t /= window_s
      g(posBase[s]!);
      if (s > 0) g(t).i32Const(sp.window).op("i32.rem_u");
      else g(t);
      f.i32Const(sp.rhsDilation).op("i32.mul").op("i32.add").localSet(pos);
      if (s > 0) g(t).i32Const(sp.window).op("i32.div_u").localSet(t);
      // valid &= pos <u extent (negative positions are huge unsigned)
      g(valid).localGet(pos).i32Const(extent).op("i32.lt_u").op("i32.and").localSet(valid);
      if (sp.lhsDilation > 1) {
        g(valid).localGet(pos).i32Const(sp.lhsDilation).op("i32.rem_u").op("i32.eqz");
        f.op("i32.and").localSet(valid);
        g(pos).i32Const(sp.lhsDilation).op("i32.div_u").localSet(pos);
      }
      g(pos)
        .i32Const(4 * sp.stride)
        .op("i32.mul")
        .localGet(src)
        .op("i32.add")
        .localSet(src);
    }
  }

  /** The run: len elements from src (stride sC) or zeros, to dst (stride MR floats). */
  function copyRun(): void {
    // end = dst + len·4·MR
    g(len).i32Const(dstStep).op("i32.mul").localGet(dst).op("i32.add").localSet(end);
    g(valid);
    f.if();
    if (feature.stride === 1) {
      // four at a time with one f32x4 load
      const vec = f.addLocal("v128");
      g(end)
        .i32Const(3 * dstStep)
        .op("i32.sub")
        .localGet(dst)
        .op("i32.gt_u");
      f.if();
      const quad = f.loop();
      g(src).mem("v128.load", { align: 4 }).localSet(vec);
      for (let q = 0; q < 4; q++)
        g(dst)
          .localGet(vec)
          .memLane("v128.store32_lane", q, { offset: q * dstStep });
      g(src).i32Const(16).op("i32.add").localSet(src);
      g(dst)
        .i32Const(4 * dstStep)
        .op("i32.add")
        .localSet(dst);
      g(end)
        .i32Const(3 * dstStep)
        .op("i32.sub")
        .localGet(dst)
        .op("i32.gt_u")
        .br_if(quad);
      f.end();
      f.end();
    }
    tailLoop(() => {
      g(dst).localGet(src).mem("f32.load").mem("f32.store");
      g(src).i32Const(sC4).op("i32.add").localSet(src);
    });
    f.else();
    tailLoop(() => g(dst).f32Const(0).mem("f32.store"));
    f.end();
  }

  /** while (dst < end) { body; dst += 4·MR } */
  function tailLoop(body: () => void): void {
    g(dst).localGet(end).op("i32.lt_u");
    f.if();
    const top = f.loop();
    body();
    g(dst).i32Const(dstStep).op("i32.add").localTee(dst);
    g(end).op("i32.lt_u").br_if(top);
    f.end();
    f.end();
  }

  return function packA(): void {
    forStep(f, ip, { value: 0 }, { local: mcur }, MR, () => {
      for (let ii = 0; ii < MR; ii++) {
        // dst = Ap + 4·(ip·kcur + ii)
        g(ip).localGet(kcur).op("i32.mul").i32Const(ii).op("i32.add");
        f.i32Const(2).op("i32.shl").localGet(Ap).op("i32.add").localSet(dst);
        g(ip).i32Const(ii).op("i32.add").localGet(mcur).op("i32.lt_s");
        f.if();
        decodeRow(ii);
        g(pc).localSet(k);
        f.i32Const(0).localSet(kk);
        {
          const done = f.block();
          const run = f.loop();
          g(kk).localGet(kcur).op("i32.ge_s").br_if(done);
          decodeRun();
          // len = min(Cg − c, kcur − kk)
          f.i32Const(Cg).localGet(c).op("i32.sub").localSet(len);
          g(kcur).localGet(kk).op("i32.sub").localTee(t);
          g(t).localGet(len).localGet(t).localGet(len).op("i32.lt_s").op("select").localSet(len);
          copyRun();
          g(kk).localGet(len).op("i32.add").localSet(kk);
          g(k).localGet(len).op("i32.add").localSet(k);
          f.br(run);
          f.end();
          f.end();
        }
        f.else();
        // rows past the matrix: a zero column
        g(kcur).i32Const(dstStep).op("i32.mul").localGet(dst).op("i32.add").localSet(end);
        tailLoop(() => g(dst).f32Const(0).mem("f32.store"));
        f.end();
      }
    });
  };
}
