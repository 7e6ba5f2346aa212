/**
 * The GEMM microkernel of a dot kernel with an epilogue (one function per such kernel): the
 * MR×NR tile is accumulated in f32x4 registers as in dot-microkernel.ts, then, in the store
 * phase, the epilogue expression is evaluated with the loop-kernel emitters (loop-nodes.ts)
 * on the registers themselves — vectorized over the tile's columns (bias loads along n are
 * contiguous v128 loads) — and stored to the epilogue's output; edge tiles go through `tmp`
 * with a one-vector loop and a scalar tail over the valid columns.
 *
 * Signature: (table, ap, bp, kc, part, hasPart, cp, rows, cols, bIdx, row0, col0, tmp) -> ()
 *  - table: the kernel's pointer table (buffer addresses, as for every kernel);
 *  - ap, bp, kc: packed panels and depth, as the plain microkernel;
 *  - part, hasPart: when hasPart ≠ 0, a full MR×NR tile of partial sums (row stride
 *    `partStride` bytes) added to the registers first (earlier depth blocks);
 *  - cp: address of the raw product tile when the kernel also stores the product;
 *  - rows ≤ MR, cols ≤ NR: the valid part of the tile;
 *  - bIdx, row0, col0: the tile's batch entry (flat), first row and first column;
 *  - tmp: a 16-byte-aligned MR·NR float area.
 */
import type { DType } from "../../../core/dtype.js";
import { idx, rawLoad } from "../../../kernel/expr.js";
import { flatIndex } from "../../../kernel/index.js";
import { ACC_BUFFER, type DotKernel } from "../../../kernel/kernel.js";
import { SUPPORTED, type Val } from "./codegen-values.js";
import { MR, NR, addTileLocals, storeTileToScratch } from "./dot-microkernel.js";
import type { FunctionBuilder } from "./function-builder.js";
import type { ModuleBuilder } from "./encoder.js";
import { emitScope, forLoop } from "./loop-control.js";
import type { AxisExpr } from "./loop-index.js";
import { emitStore } from "./loop-memory.js";
import type { KernelEnv } from "./loop-emitter.js";
import { NodeEmitter } from "./loop-nodes.js";
import { Scope, scalarLoopChain } from "./loop-scope.js";
import { bindMath, inlineMath } from "./math-calls.js";
import { exprReason } from "./ops-support.js";

const NV = NR / 4;

/** Why the epilogue of `k` cannot be compiled (undefined: it can, or there is none). */
export function epilogueReason(k: DotKernel, dt: (id: number) => DType): string | undefined {
  const ep = k.epilogue;
  if (!ep) return undefined;
  const out = dt(ep.out);
  if (!SUPPORTED.has(out.name)) return `epilogue output dtype ${out.name}`;
  if (ep.expr.dtype !== out) return `epilogue of ${ep.expr.dtype.name} into ${out.name}`;
  const r = exprReason([ep.expr], (id) => (id === ACC_BUFFER ? k.accDtype : dt(id)));
  return r && `epilogue: ${r}`;
}

export function emitEpilogueMicrokernel(
  mb: ModuleBuilder,
  k: DotKernel,
  bufDtype: (id: number) => DType,
  partStride: number,
  /** The plain microkernel (dot-microkernel.ts), which computes the tile. */
  mkIndex: number,
): FunctionBuilder {
  const ep = k.epilogue!;
  const f = mb.addFunction(new Array<"i32">(13).fill("i32"), []);
  const [ap, bp, kc, part, hasPart, cp, rows, cols, bIdx, row0, col0, tmp] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ];
  bindMath(f, mb);
  const tile = addTileLocals(f);
  const c = tile.c;

  // The epilogue over [batch..., m, n]: batch counters and the row are scalar loop bindings,
  // the column is the (vector) binding of the store scopes; the accumulator load is seeded.
  const nb = k.batch.length;
  const shape = [...k.batch, k.m, k.n];
  const axes = shape.map((d, q) => idx(q, d) as AxisExpr);
  const flat = flatIndex(axes, shape);
  const accLoad = rawLoad(ACC_BUFFER, flat, k.accDtype);
  const root = new Scope(undefined, 0, undefined);
  const env: KernelEnv = {
    f,
    bufDtype: (id) => (id === ACC_BUFFER ? k.accDtype : bufDtype(id)),
    reduces: [],
    vectorizeReductions: false,
    root,
  };
  const em = new NodeEmitter(env);
  const batchCounters = k.batch.map(() => f.addLocal("i32"));
  const batchScopes = scalarLoopChain(root, axes.slice(0, nb), batchCounters);
  const top = batchScopes[nb - 1] ?? root;
  const row = f.addLocal("i32");
  const col = f.addLocal("i32");
  const rowScope = (init: (g: FunctionBuilder) => void): Scope => {
    const s = new Scope(top, nb + 1, { axis: axes[nb]!, counter: row, lanes: 1, parts: 1 });
    s.code.push(init);
    return s;
  };
  const storeScope = (
    parent: Scope,
    counter: number,
    lanes: 1 | 4,
    parts: number,
    acc: Val,
    init?: (g: FunctionBuilder) => void,
  ): Scope => {
    const s = new Scope(parent, nb + 2, { axis: axes[nb + 1]!, counter, lanes, parts });
    if (init) s.code.push(init);
    s.cache.set(accLoad, acc);
    emitStore(em, ep.out, flat, ep.expr, s);
    return s;
  };
  // Full tiles: row by row on the registers, the column binding at col0 (NV vectors).
  const full = Array.from({ length: MR }, (_, i) => {
    const rs = rowScope((g) => g.localGet(row0).i32Const(i).op("i32.add").localSet(row));
    return [rs, storeScope(rs, col0, 4, NV, { t: "v", locals: c.slice(i * NV, i * NV + NV) })];
  });
  // Edge tiles: from tmp, valid rows; whole vectors of valid columns, then scalars.
  const r = f.addLocal("i32");
  const tmpRow = f.addLocal("i32");
  const colEnd = f.addLocal("i32");
  const accV = f.addLocal("v128");
  const accS = f.addLocal("f32");
  const edgeRow = rowScope((g) => {
    g.localGet(row0).localGet(r).op("i32.add").localSet(row);
    g.localGet(r)
      .i32Const(4 * NR)
      .op("i32.mul")
      .localGet(tmp)
      .op("i32.add")
      .localSet(tmpRow);
  });
  // tmpRow + 4·(col − col0)
  const tmpAddr = (g: FunctionBuilder) =>
    g
      .localGet(col)
      .localGet(col0)
      .op("i32.sub")
      .i32Const(2)
      .op("i32.shl")
      .localGet(tmpRow)
      .op("i32.add");
  const edgeVec = storeScope(edgeRow, col, 4, 1, { t: "v", locals: [accV] }, (g) =>
    tmpAddr(g).mem("v128.load", { align: 4 }).localSet(accV),
  );
  const edgeScalar = storeScope(edgeRow, col, 1, 1, { t: "s", local: accS }, (g) =>
    tmpAddr(g).mem("f32.load").localSet(accS),
  );

  // Entry: buffer addresses and loop-invariant values, then the batch coordinates of bIdx.
  emitScope(f, root);
  let stride = 1;
  for (let q = nb - 1; q >= 0; q--) {
    f.localGet(bIdx).i32Const(stride).op("i32.div_u").i32Const(k.batch[q]!).op("i32.rem_u");
    f.localSet(batchCounters[q]!);
    stride *= k.batch[q]!;
  }
  batchScopes.forEach((s) => emitScope(f, s));

  // The tile's products: the plain microkernel stores the whole tile to tmp (row stride 4·NR
  // bytes; padding lanes are zeros · anything), then it is read into the tile registers. A
  // call, not the accumulation loop inline: in this function, with the epilogue's values live
  // around it, V8 compiled that loop to run ~2× slower (a 128×256·256×512 dot with a bias and
  // relu took 2.0 ms against 0.8 ms without); the store and reload cost 20 instructions a tile.
  f.localGet(ap).localGet(bp).localGet(kc).localGet(tmp);
  f.i32Const(4 * NR)
    .i32Const(0)
    .i32Const(MR)
    .i32Const(NR)
    .localGet(tmp);
  f.call(mkIndex);
  for (let i = 0; i < MR; i++)
    for (let v = 0; v < NV; v++)
      f.localGet(tmp)
        .mem("v128.load", { offset: 4 * NR * i + 16 * v, align: 4 })
        .localSet(c[i * NV + v]!);
  // Partial sums of earlier depth blocks (always a full tile of the scratch block).
  f.localGet(hasPart);
  f.if();
  for (let i = 0; i < MR; i++)
    for (let v = 0; v < NV; v++) {
      const l = c[i * NV + v]!;
      f.localGet(l)
        .localGet(part)
        .mem("v128.load", { offset: i * partStride + 16 * v, align: 4 })
        .op("f32x4.add")
        .localSet(l);
    }
  f.end();

  const ldc = 4 * k.n;
  // Full tile: product rows straight from the registers, then the epilogue per row.
  f.localGet(rows).i32Const(MR).op("i32.eq").localGet(cols).i32Const(NR).op("i32.eq").op("i32.and");
  f.if();
  if (k.out !== undefined) {
    for (let i = 0; i < MR; i++)
      for (let v = 0; v < NV; v++) {
        f.localGet(cp);
        if (i > 0) f.i32Const(i * ldc).op("i32.add");
        f.localGet(c[i * NV + v]!).mem("v128.store", { offset: 16 * v, align: 4 });
      }
  }
  inlineMath(f, () => {
    for (const [rs, ss] of full) {
      emitScope(f, rs!);
      emitScope(f, ss!);
    }
  });
  f.return();
  f.end();

  // Edge tile: registers to tmp; the valid rows × cols from there.
  storeTileToScratch(f, tile, tmp);
  f.localGet(col0).localGet(cols).op("i32.add").localSet(colEnd);
  forLoop(f, r, { value: 0 }, { local: rows }, 1, () => {
    emitScope(f, edgeRow);
    if (k.out !== undefined) {
      // product: cp + r·ldc + 4·(col − col0) = tmp value
      forLoop(f, col, { local: col0 }, { local: colEnd }, 1, () => {
        f.localGet(r).i32Const(ldc).op("i32.mul").localGet(cp).op("i32.add");
        f.localGet(col).localGet(col0).op("i32.sub").i32Const(2).op("i32.shl").op("i32.add");
        tmpAddr(f).mem("f32.load");
        f.mem("f32.store");
      });
    }
    forLoop(f, col, { local: col0 }, { local: colEnd }, 4, () => emitScope(f, edgeVec));
    forLoop(f, col, undefined, { local: colEnd }, 1, () => emitScope(f, edgeScalar));
  });
  return f;
}
