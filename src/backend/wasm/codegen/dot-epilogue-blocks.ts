/**
 * The blocked loops of a dot kernel with an epilogue (called by the GEMM driver, dot.ts):
 * tiles through the epilogue microkernel, with partial sums of all but the last depth block
 * kept in a scratch block.
 */
import type { DotKernel } from "../../../kernel/kernel.js";
import type { FunctionBuilder } from "./function-builder.js";
import { forStep } from "./loop-control.js";
import { MR, NR } from "./dot-microkernel.js";
import { KC, MB, NC } from "./dot-sizes.js";

/** The driver's locals and packing routines the blocked loops use. */
export interface BlockLocals {
  readonly jc: number;
  readonly ncur: number;
  readonly pc: number;
  readonly kcur: number;
  readonly ic: number;
  readonly mcur: number;
  readonly jr: number;
  readonly ir: number;
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly bIdx: number;
  readonly cBase: number;
  readonly Ap: number;
  readonly Bp: number;
  readonly T: number;
  readonly Part: number;
  readonly src: number;
  readonly packA: () => void;
  readonly packB: () => void;
  readonly minInto: (l: number, c: number) => void;
}

/**
 * The blocked loops of a dot with an epilogue. One depth block (k ≤ KC): as the plain driver,
 * every tile through the epilogue microkernel. Several: per column block and row block, the
 * depth blocks accumulate full tiles into the scratch partial-sum block (plain microkernel),
 * and the last one adds them in the epilogue microkernel — the product is complete only
 * there, and it may have no buffer of its own. (B is packed per row block then: 1/(2·MB) of
 * the arithmetic.)
 */
export function epilogueBlocks(
  f: FunctionBuilder,
  k: DotKernel,
  epIndex: number,
  mkIndex: number,
  partNc: number,
  l: BlockLocals,
): void {
  const { n } = k;
  const depth = k.k;
  const g = (x: number) => f.localGet(x);
  const multi = depth > KC;
  /** [] -> [ap, bp] of tile (ir, jr). */
  const panels = () => {
    g(l.Ap).localGet(l.ir).localGet(l.kcur).op("i32.mul").i32Const(2).op("i32.shl").op("i32.add");
    g(l.Bp).localGet(l.jr).localGet(l.kcur).op("i32.mul").i32Const(2).op("i32.shl").op("i32.add");
  };
  /** [] -> [address of tile (ir, jr) in the partial-sum block]. */
  const partTile = () => {
    g(l.ir).i32Const(partNc).op("i32.mul").localGet(l.jr).op("i32.add");
    f.i32Const(2).op("i32.shl").localGet(l.Part).op("i32.add");
  };
  /** [] -> [rows, cols] of tile (ir, jr). */
  const extent = () => {
    f.i32Const(MR).localGet(l.mcur).localGet(l.ir).op("i32.sub").localTee(l.src);
    g(l.src).i32Const(MR).op("i32.gt_s").op("select");
    f.i32Const(NR).localGet(l.ncur).localGet(l.jr).op("i32.sub").localTee(l.src);
    g(l.src).i32Const(NR).op("i32.gt_s").op("select");
  };
  const epilogueTiles = (hasPart: boolean) => {
    forStep(f, l.jr, { value: 0 }, { local: l.ncur }, NR, () => {
      forStep(f, l.ir, { value: 0 }, { local: l.mcur }, MR, () => {
        g(0);
        panels();
        g(l.kcur);
        if (hasPart) partTile();
        else f.i32Const(0);
        f.i32Const(hasPart ? 1 : 0);
        if (k.out !== undefined) {
          // cBase + ((ic + ir)·n + jc + jr)·4
          g(l.ic).localGet(l.ir).op("i32.add").i32Const(n).op("i32.mul");
          g(l.jc).op("i32.add").localGet(l.jr).op("i32.add");
          f.i32Const(2).op("i32.shl").localGet(l.cBase).op("i32.add");
        } else f.i32Const(0);
        extent();
        g(l.bIdx);
        g(l.ic).localGet(l.ir).op("i32.add");
        g(l.jc).localGet(l.jr).op("i32.add");
        g(l.T);
        f.call(epIndex);
      });
    });
  };
  forStep(f, l.jc, { value: 0 }, { value: n }, NC, () => {
    f.i32Const(n).localGet(l.jc).op("i32.sub").localSet(l.ncur);
    l.minInto(l.ncur, NC);
    if (!multi) {
      f.i32Const(0).localSet(l.pc);
      f.i32Const(depth).localSet(l.kcur);
      if (depth > 0) l.packB();
    }
    forStep(f, l.ic, { local: l.rowStart }, { local: l.rowEnd }, MB, () => {
      g(l.rowEnd).localGet(l.ic).op("i32.sub").localSet(l.mcur);
      l.minInto(l.mcur, MB);
      if (!multi) {
        if (depth > 0) l.packA();
        epilogueTiles(false);
        return;
      }
      forStep(f, l.pc, { value: 0 }, { value: depth }, KC, () => {
        f.i32Const(depth).localGet(l.pc).op("i32.sub").localSet(l.kcur);
        l.minInto(l.kcur, KC);
        l.packB();
        l.packA();
        // last depth block: pc + KC >= depth
        g(l.pc).i32Const(KC).op("i32.add").i32Const(depth).op("i32.ge_s");
        f.if();
        epilogueTiles(true);
        f.else();
        forStep(f, l.jr, { value: 0 }, { local: l.ncur }, NR, () => {
          forStep(f, l.ir, { value: 0 }, { local: l.mcur }, MR, () => {
            // full tiles into the partial block (padding lanes are zeros · anything)
            panels();
            g(l.kcur);
            partTile();
            f.i32Const(4 * partNc);
            g(l.pc).i32Const(0).op("i32.gt_s");
            f.i32Const(MR).i32Const(NR);
            g(l.T);
            f.call(mkIndex);
          });
        });
        f.end();
      });
    });
  });
}
