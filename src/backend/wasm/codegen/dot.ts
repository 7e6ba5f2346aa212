/**
 * Dot kernels (float32): Goto/BLIS-style blocked GEMM around a register-blocked SIMD
 * microkernel (dot-microkernel.ts).
 *
 * The parallel range is over (batch, row block) units: unit u covers rows
 * [rb·MB, rb·MB + MB) of batch entry b, u = b·ceil(m/MB) + rb. A call handles its units batch
 * by batch; per batch entry: for each column block (NC) and depth block (KC), B is packed into
 * NR-column panels (zero-padded), then for every MC rows of the call's range A is packed into
 * MR-row panels and the microkernel runs over the tiles (B panel reused across A panels).
 * Packing makes every operand layout (transposed, strided, broadcast batch) the same to the
 * microkernel. Scratch: packed B (KC × NC), packed A (MC × KC) and one edge tile.
 */
import type { DType } from "../../../core/dtype.js";
import type { DotKernel } from "../../../kernel/kernel.js";
import type { FunctionBuilder } from "./function-builder.js";
import type { ModuleBuilder } from "./encoder.js";
import { forStep } from "./loop-control.js";
import { MR, NR, emitMicrokernel } from "./dot-microkernel.js";
import { packers } from "./dot-pack.js";
import { emitEpilogueMicrokernel, epilogueReason } from "./dot-epilogue.js";
import { epilogueBlocks } from "./dot-epilogue-blocks.js";
import { KC, MB, NC } from "./dot-sizes.js";

const roundUp = (x: number, a: number) => Math.ceil(x / a) * a;

export function dotReason(k: DotKernel, dt: (id: number) => DType): string | undefined {
  const product = k.out !== undefined ? dt(k.out) : k.accDtype;
  const names = [dt(k.a.buffer), dt(k.b.buffer), product, k.accDtype].map((d) => d.name);
  if (names.some((n) => n !== "float32")) return `dot ${names[0]}·${names[1]} -> ${names[2]}`;
  return epilogueReason(k, dt);
}

export interface DotPlan {
  readonly trip: number;
  readonly workPerIter: number;
  readonly scratchBytes: number;
  readonly summary: string;
}

const microkernels = new WeakMap<ModuleBuilder, FunctionBuilder>();

export function compileDot(
  mb: ModuleBuilder,
  f: FunctionBuilder,
  k: DotKernel,
  scratchIndex: number,
  bufDtype: (id: number) => DType,
): DotPlan {
  const { m, n } = k;
  const depth = k.k;
  const nb = k.batch.reduce((a, b) => a * b, 1);
  const nRB = Math.ceil(m / MB);
  const trip = nb * nRB;
  const kc0 = Math.min(KC, depth);
  const nc0 = Math.min(NC, roundUp(n, NR));
  const mc0 = roundUp(Math.min(MB, m), MR); // rows of a packed A block (whole panels)
  const bpBytes = kc0 * nc0 * 4;
  const apBytes = mc0 * kc0 * 4;
  const tileBytes = MR * NR * 4;
  const ep = k.epilogue;
  // With an epilogue, partial sums of all but the last depth block go to a scratch block
  // (the product may not be stored at all); the epilogue needs `tmp` even for k = 0.
  const partBytes = ep && depth > KC ? mc0 * nc0 * 4 : 0;
  const scratchBytes =
    m === 0 || n === 0 || (depth === 0 && !ep) ? 0 : bpBytes + apBytes + tileBytes + partBytes;
  const epText = ep
    ? `; epilogue -> b${ep.out}${k.out !== undefined ? ` (product kept in b${k.out})` : ""} in the store phase (f32x4 over n, scalar tail)`
    : "";
  const plan: DotPlan = {
    trip,
    workPerIter: 2 * Math.min(m, MB) * n * depth,
    scratchBytes,
    summary:
      `dot [${k.batch.join(", ")}${k.batch.length ? "; " : ""}${m}×${depth}·${depth}×${n}] float32: ` +
      `${MR}×${NR} f32x4 microkernel, KC ${KC}, NC ${NC}, row blocks of ${MB}, packed A and B; scratch ${scratchBytes} B${epText}`,
  };
  if (trip === 0 || n === 0) return plan;
  let mk = microkernels.get(mb);
  if (!mk) microkernels.set(mb, (mk = emitMicrokernel(mb)));
  const layout: Layout = { nRB, scratchIndex, bpBytes, apBytes, tileBytes, partNc: nc0 };
  if (ep) {
    const emk = emitEpilogueMicrokernel(mb, k, bufDtype, 4 * nc0, mk.index);
    emitDriver(f, k, layout, mk.index, emk.index);
  } else emitDriver(f, k, layout, mk.index);
  return plan;
}

interface Layout {
  readonly nRB: number;
  readonly scratchIndex: number;
  readonly bpBytes: number;
  readonly apBytes: number;
  readonly tileBytes: number;
  /** Row length (floats) of the partial-sum block of epilogue kernels. */
  readonly partNc: number;
}

function emitDriver(
  f: FunctionBuilder,
  k: DotKernel,
  layout: Layout,
  mkIndex: number,
  epIndex?: number,
): void {
  const { m, n, a, b } = k;
  const { nRB, scratchIndex, bpBytes, apBytes, tileBytes, partNc } = layout;
  const depth = k.k;
  const L = () => f.addLocal("i32");
  const [A, B, C, Bp, Ap, T, Part] = [L(), L(), L(), L(), L(), L(), L()];
  const [u, bIdx, uEnd, rowStart, rowEnd, aBase, bBase, cBase] = [
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
  ];
  const [jc, ncur, pc, kcur, ic, mcur, jr, ir] = [L(), L(), L(), L(), L(), L(), L(), L()];
  const [jp, ip, kk, src, dst] = [L(), L(), L(), L(), L()];
  const { packA, packB } = packers(f, a, b, {
    jp,
    ip,
    kk,
    src,
    dst,
    kcur,
    ncur,
    mcur,
    pc,
    jc,
    ic,
    Ap,
    Bp,
    aBase,
    bBase,
  });
  const g = (l: number) => f.localGet(l);
  const load = (id: number, l: number) =>
    f
      .localGet(0)
      .mem("i32.load", { offset: 4 * id })
      .localSet(l);
  const minInto = (l: number, c: number) => {
    // l = min(l, c)
    f.i32Const(c).localGet(l).localGet(l).i32Const(c).op("i32.gt_s").op("select").localSet(l);
  };

  load(a.buffer, A);
  load(b.buffer, B);
  if (k.out !== undefined) load(k.out, C);
  if (depth > 0 || epIndex !== undefined) {
    load(scratchIndex, Bp);
    g(Bp).i32Const(bpBytes).op("i32.add").localSet(Ap);
    g(Ap).i32Const(apBytes).op("i32.add").localSet(T);
    g(T).i32Const(tileBytes).op("i32.add").localSet(Part);
  }
  g(1).localSet(u);
  const done = f.block();
  const next = f.loop();
  g(u).localGet(2).op("i32.ge_s").br_if(done);
  g(u).i32Const(nRB).op("i32.div_u").localSet(bIdx);
  // uEnd = min(end, (bIdx + 1)·nRB); rows [rowStart, rowEnd)
  g(bIdx).i32Const(1).op("i32.add").i32Const(nRB).op("i32.mul").localSet(uEnd);
  g(2).localGet(uEnd).localGet(2).localGet(uEnd).op("i32.lt_s").op("select").localSet(uEnd);
  g(u)
    .localGet(bIdx)
    .i32Const(nRB)
    .op("i32.mul")
    .op("i32.sub")
    .i32Const(MB)
    .op("i32.mul")
    .localSet(rowStart);
  g(uEnd)
    .localGet(bIdx)
    .i32Const(nRB)
    .op("i32.mul")
    .op("i32.sub")
    .i32Const(MB)
    .op("i32.mul")
    .localSet(rowEnd);
  minInto(rowEnd, m);
  // batch offsets
  const batchOffset = (base: number, offset: number, strides: readonly number[], out: number) => {
    f.i32Const(offset);
    let stride = 1;
    for (let q = k.batch.length - 1; q >= 0; q--) {
      if (strides[q] !== 0 && k.batch[q]! > 1) {
        g(bIdx).i32Const(stride).op("i32.div_u").i32Const(k.batch[q]!).op("i32.rem_u");
        f.i32Const(strides[q]!).op("i32.mul").op("i32.add");
      }
      stride *= k.batch[q]!;
    }
    f.i32Const(2).op("i32.shl").localGet(base).op("i32.add").localSet(out);
  };
  batchOffset(A, a.offset, a.batchStrides, aBase);
  batchOffset(B, b.offset, b.batchStrides, bBase);
  if (k.out !== undefined)
    g(bIdx)
      .i32Const(m * n * 4)
      .op("i32.mul")
      .localGet(C)
      .op("i32.add")
      .localSet(cBase);

  if (epIndex !== undefined) {
    epilogueBlocks(f, k, epIndex, mkIndex, partNc, {
      jc,
      ncur,
      pc,
      kcur,
      ic,
      mcur,
      jr,
      ir,
      rowStart,
      rowEnd,
      bIdx,
      cBase,
      Ap,
      Bp,
      T,
      Part,
      src,
      packA,
      packB,
      minInto,
    });
  } else if (depth === 0) {
    // empty contraction: zeros
    g(cBase)
      .localGet(rowStart)
      .i32Const(n * 4)
      .op("i32.mul")
      .op("i32.add");
    f.i32Const(0);
    g(rowEnd)
      .localGet(rowStart)
      .op("i32.sub")
      .i32Const(n * 4)
      .op("i32.mul");
    f.op("memory.fill");
  } else {
    forStep(f, jc, { value: 0 }, { value: n }, NC, () => {
      f.i32Const(n).localGet(jc).op("i32.sub").localSet(ncur);
      minInto(ncur, NC);
      forStep(f, pc, { value: 0 }, { value: depth }, KC, () => {
        f.i32Const(depth).localGet(pc).op("i32.sub").localSet(kcur);
        minInto(kcur, KC);
        packB();
        forStep(f, ic, { local: rowStart }, { local: rowEnd }, MB, () => {
          g(rowEnd).localGet(ic).op("i32.sub").localSet(mcur);
          minInto(mcur, MB);
          packA();
          forStep(f, jr, { value: 0 }, { local: ncur }, NR, () => {
            forStep(f, ir, { value: 0 }, { local: mcur }, MR, () => {
              g(Ap)
                .localGet(ir)
                .localGet(kcur)
                .op("i32.mul")
                .i32Const(2)
                .op("i32.shl")
                .op("i32.add");
              g(Bp)
                .localGet(jr)
                .localGet(kcur)
                .op("i32.mul")
                .i32Const(2)
                .op("i32.shl")
                .op("i32.add");
              g(kcur);
              // C + ((ic + ir)·n + jc + jr)·4
              g(ic)
                .localGet(ir)
                .op("i32.add")
                .i32Const(n)
                .op("i32.mul")
                .localGet(jc)
                .op("i32.add")
                .localGet(jr)
                .op("i32.add");
              f.i32Const(2).op("i32.shl").localGet(cBase).op("i32.add");
              f.i32Const(n * 4);
              g(pc).i32Const(0).op("i32.gt_s");
              f.i32Const(MR).localGet(mcur).localGet(ir).op("i32.sub").localTee(src);
              g(src).i32Const(MR).op("i32.gt_s").op("select");
              f.i32Const(NR).localGet(ncur).localGet(jr).op("i32.sub").localTee(src);
              g(src).i32Const(NR).op("i32.gt_s").op("select");
              g(T);
              f.call(mkIndex);
            });
          });
        });
      });
    });
  }
  g(uEnd).localSet(u);
  f.br(next);
  f.end();
  f.end();
}
