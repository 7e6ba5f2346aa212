/**
 * The cumulative custom kernel (cumsum, cumprod, cummax, cummin; reverse) compiled to
 * WebAssembly for float32/int32/uint32. Every lane is scanned sequentially along the axis, in
 * the JS kernel's order, so results are bit-identical to the js device (NaN payloads aside).
 *
 * - inner ≥ 4 (the axis is not the innermost, or lanes are many): the parallel range is over
 *   (outer slab, block of up to 256 lanes); a call sweeps the block row by row, out[row] =
 *   op(out[previous row], x[row]) four lanes per f32x4/i32x4 op, scalar tail.
 * - inner < 4: the parallel range is over lanes; each lane is one sequential chain (the
 *   accumulator stays in a local).
 */
import type { CustomKernel } from "../../../kernel/kernel.js";
import {
  COMBINE_DTYPES,
  type CombineOp,
  combineScalar,
  combineVectorOp,
  isF32,
} from "./custom-combine.js";
import { BEGIN, type CustomPlan, END, forUp, i32Locals, loadBufferAddress } from "./custom-emit.js";
import type { FunctionBuilder } from "./function-builder.js";

interface CumulativeParams {
  readonly op: "sum" | "prod" | "max" | "min";
  readonly axis: number;
  readonly reverse: boolean;
  readonly shape: readonly number[];
  readonly dtype: string;
}

/** Lanes per parallel unit of the vector strategy. */
const LANE_BLOCK = 256;

const COMBINE: Record<CumulativeParams["op"], Exclude<CombineOp, "set">> = {
  sum: "add",
  prod: "mul",
  max: "max",
  min: "min",
};

/** Why the cumulative kernel stays on the JS path (undefined: it compiles). */
export function cumulativeReason(k: CustomKernel): string | undefined {
  const p = k.params as unknown as CumulativeParams;
  if (!COMBINE_DTYPES.has(p.dtype)) return `cumulative over ${p.dtype}`;
  if (!(p.op in COMBINE)) return `cumulative op ${p.op}`;
  return undefined;
}

function geometry(p: CumulativeParams): { outer: number; n: number; inner: number } {
  const { shape, axis } = p;
  const prod = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);
  return { outer: prod(shape.slice(0, axis)), n: shape[axis]!, inner: prod(shape.slice(axis + 1)) };
}

export function compileCumulative(f: FunctionBuilder, k: CustomKernel): CustomPlan {
  const p = k.params as unknown as CumulativeParams;
  const { outer, n, inner } = geometry(p);
  const op = COMBINE[p.op];
  const dir = p.reverse ? "reverse " : "";
  if (outer * n * inner === 0)
    return { trip: 0, workPerIter: 0, scratchBytes: 0, summary: `cumulative ${p.op}: empty` };
  if (inner >= 4) {
    const blocks = Math.ceil(inner / LANE_BLOCK);
    emitRows(f, k, p, op, { outer, n, inner, blocks });
    return {
      trip: outer * blocks,
      workPerIter: n * Math.min(inner, LANE_BLOCK),
      scratchBytes: 0,
      summary: `cumulative ${dir}${p.op} ${p.dtype} over axis ${p.axis} (${outer}×${n}×${inner}): rows of ${LANE_BLOCK}-lane blocks, 4 lanes per SIMD op`,
    };
  }
  emitLanes(f, k, p, op, { n, inner });
  return {
    trip: outer * inner,
    workPerIter: n,
    scratchBytes: 0,
    summary: `cumulative ${dir}${p.op} ${p.dtype} over axis ${p.axis} (${outer}×${n}×${inner}): one sequential chain per lane`,
  };
}

/** inner < 4: iteration r is lane r (slab r / inner, offset r % inner). */
function emitLanes(
  f: FunctionBuilder,
  k: CustomKernel,
  p: CumulativeParams,
  op: Exclude<CombineOp, "set">,
  g: { n: number; inner: number },
): void {
  const [X, Y, r, s, px, py] = i32Locals(f, 6);
  const vt = isF32(p.dtype) ? "f32" : "i32";
  const acc = f.addLocal(vt);
  const v = f.addLocal(vt);
  const load = vt === "f32" ? "f32.load" : "i32.load";
  const store = vt === "f32" ? "f32.store" : "i32.store";
  const stride = g.inner * 4;
  const step = p.reverse ? -stride : stride;
  loadBufferAddress(f, k.inputs[0]!, X);
  loadBufferAddress(f, k.outputs[0]!, Y);
  forUp(
    f,
    r,
    () => f.localGet(BEGIN),
    () => f.localGet(END),
    () => {
      // Element offset of the lane's first visited element, in bytes.
      f.localGet(r)
        .i32Const(g.inner)
        .op("i32.div_u")
        .i32Const(g.n * g.inner * 4)
        .op("i32.mul");
      f.localGet(r).i32Const(g.inner).op("i32.rem_u").i32Const(4).op("i32.mul").op("i32.add");
      if (p.reverse) f.i32Const((g.n - 1) * stride).op("i32.add");
      f.localTee(s).localGet(X).op("i32.add").localSet(px);
      f.localGet(s).localGet(Y).op("i32.add").localSet(py);
      f.localGet(px).mem(load).localSet(acc);
      f.localGet(py).localGet(acc).mem(store);
      forUp(
        f,
        s,
        () => f.i32Const(1),
        () => f.i32Const(g.n),
        () => {
          f.localGet(px).i32Const(step).op("i32.add").localTee(px).mem(load).localSet(v);
          combineScalar(f, op, p.dtype, acc, v);
          f.localSet(acc);
          f.localGet(py).i32Const(step).op("i32.add").localTee(py).localGet(acc).mem(store);
        },
      );
    },
  );
}

/** inner ≥ 4: iteration r is lane block r % blocks of slab r / blocks, swept row by row. */
function emitRows(
  f: FunctionBuilder,
  k: CustomKernel,
  p: CumulativeParams,
  op: Exclude<CombineOp, "set">,
  g: { outer: number; n: number; inner: number; blocks: number },
): void {
  const [X, Y, r, s, j, width, vecEnd, px, py, pp] = i32Locals(f, 10);
  const vt = isF32(p.dtype) ? "f32" : "i32";
  const a = f.addLocal(vt);
  const b = f.addLocal(vt);
  const load = vt === "f32" ? "f32.load" : "i32.load";
  const store = vt === "f32" ? "f32.store" : "i32.store";
  const rowBytes = g.inner * 4;
  const step = p.reverse ? -rowBytes : rowBytes;
  loadBufferAddress(f, k.inputs[0]!, X);
  loadBufferAddress(f, k.outputs[0]!, Y);
  const at = (base: number) => () => {
    f.localGet(base).localGet(j).i32Const(2).op("i32.shl").op("i32.add");
  };
  forUp(
    f,
    r,
    () => f.localGet(BEGIN),
    () => f.localGet(END),
    () => {
      // c0 = (r % blocks)·LANE_BLOCK; width = min(LANE_BLOCK, inner - c0).
      f.localGet(r).i32Const(g.blocks).op("i32.rem_u").i32Const(LANE_BLOCK).op("i32.mul");
      f.localSet(s); // s holds c0 for now
      f.i32Const(g.inner).localGet(s).op("i32.sub").localTee(width);
      f.i32Const(LANE_BLOCK).localGet(width).i32Const(LANE_BLOCK).op("i32.lt_s").op("select");
      f.localSet(width);
      f.localGet(width).i32Const(-4).op("i32.and").localSet(vecEnd);
      // Byte offset of the block in the first visited row.
      f.localGet(r)
        .i32Const(g.blocks)
        .op("i32.div_u")
        .i32Const(g.n * rowBytes)
        .op("i32.mul");
      f.localGet(s).i32Const(2).op("i32.shl").op("i32.add");
      if (p.reverse) f.i32Const((g.n - 1) * rowBytes).op("i32.add");
      f.localTee(s).localGet(X).op("i32.add").localSet(px);
      f.localGet(s).localGet(Y).op("i32.add").localSet(py);
      // First row: a copy.
      forUp(
        f,
        j,
        () => f.i32Const(0),
        () => f.localGet(width),
        () => {
          at(py)();
          at(px)();
          f.mem(load).mem(store);
        },
      );
      forUp(
        f,
        s,
        () => f.i32Const(1),
        () => f.i32Const(g.n),
        () => {
          f.localGet(py).localTee(pp).i32Const(step).op("i32.add").localSet(py);
          f.localGet(px).i32Const(step).op("i32.add").localSet(px);
          // Vector part: j += 4 while j < vecEnd (vecEnd is a multiple of 4).
          const vop = combineVectorOp(op, p.dtype);
          f.i32Const(0).localSet(j);
          const done = f.block();
          f.localGet(j).localGet(vecEnd).op("i32.ge_s").br_if(done);
          const top = f.loop();
          at(py)();
          at(pp)();
          f.mem("v128.load");
          at(px)();
          f.mem("v128.load").op(vop).mem("v128.store");
          f.localGet(j).i32Const(4).op("i32.add").localTee(j).localGet(vecEnd).op("i32.lt_s");
          f.br_if(top);
          f.end();
          f.end();
          // Scalar tail.
          forUp(
            f,
            j,
            () => f.localGet(j),
            () => f.localGet(width),
            () => {
              at(pp)();
              f.mem(load).localSet(a);
              at(px)();
              f.mem(load).localSet(b);
              at(py)();
              combineScalar(f, op, p.dtype, a, b);
              f.mem(store);
            },
          );
        },
      );
    },
  );
}
