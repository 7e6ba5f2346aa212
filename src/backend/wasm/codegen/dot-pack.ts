/**
 * Packing for the GEMM driver (dot.ts): A blocks into MR-row panels and B blocks into NR-column
 * panels (k-major inside a panel, zero-padded past the matrix edge), from any strided layout;
 * contiguous full B panels are copied with v128 loads.
 */
import type { DotOperand } from "../../../kernel/kernel.js";
import type { FunctionBuilder } from "./function-builder.js";
import { MR, NR } from "./dot-microkernel.js";
import { forStep } from "./loop-control.js";
import { im2colPacker } from "./dot-pack-im2col.js";

/** i32 locals of the driver the packers read or use as scratch. */
export interface PackLocals {
  readonly jp: number;
  readonly ip: number;
  readonly kk: number;
  readonly src: number;
  readonly dst: number;
  readonly kcur: number;
  readonly ncur: number;
  readonly mcur: number;
  readonly pc: number;
  readonly jc: number;
  readonly ic: number;
  readonly Ap: number;
  readonly Bp: number;
  readonly aBase: number;
  readonly bBase: number;
}

export function packers(f: FunctionBuilder, a: DotOperand, b: DotOperand, l: PackLocals) {
  const { jp, ip, kk, src, dst, kcur, ncur, mcur, pc, jc, ic, Ap, Bp, aBase, bBase } = l;
  const g = (x: number) => f.localGet(x);

  /** Copies kcur steps: *dst = *src (or 0), src += srcStep bytes, dst += dstStep bytes. */
  function copyColumn(srcStep: number, dstStep: number, zero: boolean): void {
    forStep(f, kk, { value: 0 }, { local: kcur }, 1, () => {
      g(dst);
      if (zero) f.f32Const(0);
      else g(src).mem("f32.load");
      f.mem("f32.store");
      if (!zero) g(src).i32Const(srcStep).op("i32.add").localSet(src);
      g(dst).i32Const(dstStep).op("i32.add").localSet(dst);
    });
  }

  /** B[pc.., jc..] -> Bp: panels of NR columns, kcur rows each, zero-padded. */
  function packB(): void {
    forStep(f, jp, { value: 0 }, { local: ncur }, NR, () => {
      const generic = () => {
        for (let jj = 0; jj < NR; jj++) {
          // dst = Bp + 4·(jp·kcur + jj)
          g(jp)
            .localGet(kcur)
            .op("i32.mul")
            .i32Const(jj)
            .op("i32.add")
            .i32Const(2)
            .op("i32.shl")
            .localGet(Bp)
            .op("i32.add")
            .localSet(dst);
          g(jp).i32Const(jj).op("i32.add").localGet(ncur).op("i32.lt_s");
          f.if();
          // src = bBase + 4·(pc·brs + (jc + jp + jj)·bcs)
          g(pc).i32Const(b.rowStride).op("i32.mul");
          g(jc)
            .localGet(jp)
            .op("i32.add")
            .i32Const(jj)
            .op("i32.add")
            .i32Const(b.colStride)
            .op("i32.mul")
            .op("i32.add");
          f.i32Const(2).op("i32.shl").localGet(bBase).op("i32.add").localSet(src);
          copyColumn(4 * b.rowStride, 4 * NR, false);
          f.else();
          copyColumn(0, 4 * NR, true);
          f.end();
        }
      };
      if (b.colStride !== 1) return generic();
      g(jp).i32Const(NR).op("i32.add").localGet(ncur).op("i32.le_s");
      f.if();
      // full panel of contiguous columns: NR/4 vectors per row
      g(jp)
        .localGet(kcur)
        .op("i32.mul")
        .i32Const(2)
        .op("i32.shl")
        .localGet(Bp)
        .op("i32.add")
        .localSet(dst);
      g(pc)
        .i32Const(b.rowStride)
        .op("i32.mul")
        .localGet(jc)
        .op("i32.add")
        .localGet(jp)
        .op("i32.add");
      f.i32Const(2).op("i32.shl").localGet(bBase).op("i32.add").localSet(src);
      forStep(f, kk, { value: 0 }, { local: kcur }, 1, () => {
        for (let v = 0; v < NR / 4; v++) {
          g(dst)
            .localGet(src)
            .mem("v128.load", { offset: 16 * v, align: 4 })
            .mem("v128.store", { offset: 16 * v });
        }
        g(src)
          .i32Const(4 * b.rowStride)
          .op("i32.add")
          .localSet(src);
        g(dst)
          .i32Const(4 * NR)
          .op("i32.add")
          .localSet(dst);
      });
      f.else();
      generic();
      f.end();
    });
  }

  /** A[ic.., pc..] -> Ap: panels of MR rows, kcur columns each, zero-padded. */
  function packA(): void {
    forStep(f, ip, { value: 0 }, { local: mcur }, MR, () => {
      for (let ii = 0; ii < MR; ii++) {
        // dst = Ap + 4·(ip·kcur + ii)
        g(ip)
          .localGet(kcur)
          .op("i32.mul")
          .i32Const(ii)
          .op("i32.add")
          .i32Const(2)
          .op("i32.shl")
          .localGet(Ap)
          .op("i32.add")
          .localSet(dst);
        g(ip).i32Const(ii).op("i32.add").localGet(mcur).op("i32.lt_s");
        f.if();
        // src = aBase + 4·((ic + ip + ii)·ars + pc·acs)
        g(ic)
          .localGet(ip)
          .op("i32.add")
          .i32Const(ii)
          .op("i32.add")
          .i32Const(a.rowStride)
          .op("i32.mul");
        g(pc).i32Const(a.colStride).op("i32.mul").op("i32.add");
        f.i32Const(2).op("i32.shl").localGet(aBase).op("i32.add").localSet(src);
        copyColumn(4 * a.colStride, 4 * MR, false);
        f.else();
        copyColumn(0, 4 * MR, true);
        f.end();
      }
    });
  }

  if (a.im2col) return { packA: im2colPacker(f, { ...a, im2col: a.im2col }, l), packB };
  return { packA, packB };
}
