/**
 * The float32 GEMM microkernel: C[MR×NR] (+)= Apanel[kc×MR] · Bpanel[kc×NR] with MR·NR/4
 * f32x4 accumulators held in locals (registers): per k step, NR/4 vector loads of B, MR
 * `load32_splat`s of A, and MR·NR/4 multiply-adds (mul + add; one `f32x4.relaxed_madd` where
 * relaxed SIMD is allowed, features.ts).
 *
 * Signature: (ap, bp, kc, cp, ldc, accumulate, rows, cols) -> ()
 *  - ap: packed A panel, kc groups of MR floats; bp: packed B panel, kc groups of NR floats;
 *  - cp: address of C[0][0] of the tile, ldc: C row stride in bytes;
 *  - accumulate: add to C instead of overwriting; rows ≤ MR, cols ≤ NR: the valid part of
 *    the tile (edge tiles go through `tmp`, a 16-byte-aligned MR·NR float area).
 */
import type { FunctionBuilder } from "./function-builder.js";
import type { ModuleBuilder } from "./encoder.js";

/**
 * 5×8: 10 accumulators + 2 B vectors + the A splat + a product fit the 15 xmm registers V8
 * allocates (xmm15 is its scratch), with 20 FP ops per 7 loads and ~7 instructions of loop
 * overhead per k step. 4×8 was front-end bound (measured 20% slower); 6×8 spills (50% slower).
 */
export const MR = 5;
export const NR = 8;
const NV = NR / 4;

/** Locals of a tile accumulation: MR·NR/4 accumulators, NR/4 B vectors, one A splat. */
export interface TileLocals {
  readonly c: readonly number[];
  readonly b: readonly number[];
  readonly a: number;
  /** i32 scratch: end of the A panel. */
  readonly kEnd: number;
}

export function addTileLocals(f: FunctionBuilder): TileLocals {
  return {
    c: Array.from({ length: MR * NV }, () => f.addLocal("v128")),
    b: Array.from({ length: NV }, () => f.addLocal("v128")),
    a: f.addLocal("v128"),
    kEnd: f.addLocal("i32"),
  };
}

/**
 * c = Apanel · Bpanel over kc steps (locals ap, bp advance past the panels), one k step per
 * loop iteration: unrolling by two lets V8's scheduler hoist every load of both steps ahead
 * of the arithmetic, which spills accumulators (measured 30% slower).
 */
export function emitTileAccumulate(
  f: FunctionBuilder,
  t: TileLocals,
  ap: number,
  bp: number,
  kc: number,
): void {
  const { c, b, a, kEnd } = t;
  for (const l of c) f.i32x4Const(0).localSet(l);
  // kEnd = ap + 4·MR·kc: stop when ap reaches it
  f.localGet(ap)
    .localGet(kc)
    .i32Const(4 * MR)
    .op("i32.mul")
    .op("i32.add")
    .localSet(kEnd);
  f.localGet(ap).localGet(kEnd).op("i32.lt_u");
  f.if();
  const top = f.loop();
  for (let v = 0; v < NV; v++)
    f.localGet(bp)
      .mem("v128.load", { offset: 16 * v })
      .localSet(b[v]!);
  for (let i = 0; i < MR; i++) {
    f.localGet(ap)
      .mem("v128.load32_splat", { offset: 4 * i })
      .localSet(a);
    for (let v = 0; v < NV; v++) {
      const l = c[i * NV + v]!;
      if (f.relaxedSimd) f.localGet(a).localGet(b[v]!).localGet(l).op("f32x4.relaxed_madd");
      else f.localGet(l).localGet(a).localGet(b[v]!).op("f32x4.mul").op("f32x4.add");
      f.localSet(l);
    }
  }
  f.localGet(ap)
    .i32Const(4 * MR)
    .op("i32.add")
    .localSet(ap);
  f.localGet(bp)
    .i32Const(4 * NR)
    .op("i32.add")
    .localSet(bp);
  f.localGet(ap).localGet(kEnd).op("i32.lt_u").br_if(top);
  f.end();
  f.end();
}

/** The accumulators to the MR×NR float scratch tile at local `tmp` (row-major, NR floats a row). */
export function storeTileToScratch(f: FunctionBuilder, t: TileLocals, tmp: number): void {
  for (let i = 0; i < MR; i++)
    for (let v = 0; v < NV; v++)
      f.localGet(tmp)
        .localGet(t.c[i * NV + v]!)
        .mem("v128.store", { offset: 4 * (i * NR + 4 * v) });
}

export function emitMicrokernel(mb: ModuleBuilder): FunctionBuilder {
  const f = mb.addFunction(["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"], []);
  const [ap, bp, kc, cp, ldc, acc, rows, cols, tmp] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const tile = addTileLocals(f);
  const c = tile.c;
  const r = f.addLocal("i32");
  const q = f.addLocal("i32");
  const p = f.addLocal("i32");
  emitTileAccumulate(f, tile, ap, bp, kc);

  // full tile: straight to C
  f.localGet(rows).i32Const(MR).op("i32.eq").localGet(cols).i32Const(NR).op("i32.eq").op("i32.and");
  f.if();
  const rowPtr = (i: number) => {
    f.localGet(cp);
    if (i > 0) f.localGet(ldc).i32Const(i).op("i32.mul").op("i32.add");
  };
  f.localGet(acc);
  f.if();
  for (let i = 0; i < MR; i++) {
    for (let v = 0; v < NV; v++) {
      const l = c[i * NV + v]!;
      f.localGet(l);
      rowPtr(i);
      f.mem("v128.load", { offset: 16 * v, align: 4 })
        .op("f32x4.add")
        .localSet(l);
    }
  }
  f.end();
  for (let i = 0; i < MR; i++) {
    for (let v = 0; v < NV; v++) {
      rowPtr(i);
      f.localGet(c[i * NV + v]!).mem("v128.store", { offset: 16 * v, align: 4 });
    }
  }
  f.return();
  f.end();
  // edge tile: via tmp, then the valid rows × cols
  storeTileToScratch(f, tile, tmp);
  f.i32Const(0).localSet(r);
  {
    const outer = f.block();
    const rowLoop = f.loop();
    f.localGet(r).localGet(rows).op("i32.ge_s").br_if(outer);
    f.i32Const(0).localSet(q);
    const inner = f.block();
    const colLoop = f.loop();
    f.localGet(q).localGet(cols).op("i32.ge_s").br_if(inner);
    // p = cp + 4q; C[p] = (acc ? C[p] : 0) + tmp[r·NR + q]
    f.localGet(cp).localGet(q).i32Const(2).op("i32.shl").op("i32.add").localSet(p);
    f.localGet(p);
    f.localGet(p).mem("f32.load").f32Const(0).localGet(acc).op("select");
    f.localGet(tmp)
      .localGet(r)
      .i32Const(NR)
      .op("i32.mul")
      .localGet(q)
      .op("i32.add")
      .i32Const(2)
      .op("i32.shl")
      .op("i32.add")
      .mem("f32.load");
    f.op("f32.add").mem("f32.store");
    f.localGet(q).i32Const(1).op("i32.add").localSet(q).br(colLoop);
    f.end();
    f.end();
    f.localGet(cp).localGet(ldc).op("i32.add").localSet(cp);
    f.localGet(r).i32Const(1).op("i32.add").localSet(r).br(rowLoop);
    f.end();
    f.end();
  }
  return f;
}
