/**
 * The scatter custom kernel's parameters (what src/primitives/scatter.ts puts in
 * `CustomKernel.params`) and the geometry every device derives from them: which update dims
 * are scatter positions and which are window dims, the window's extent in each operand dim,
 * and row-major strides. One definition for the js, wasm and webgpu kernels.
 */
import { stridesOf } from "../core/shape.js";

export interface ScatterKernelParams {
  readonly combine: "set" | "add" | "mul" | "min" | "max";
  readonly mode: "CLIP" | "FILL_OR_DROP" | "PROMISE_IN_BOUNDS";
  readonly dtype: string;
  readonly operandShape: readonly number[];
  readonly indicesShape: readonly number[];
  readonly updatesShape: readonly number[];
  readonly updateWindowDims: readonly number[];
  readonly insertedWindowDims: readonly number[];
  readonly scatterDimsToOperandDims: readonly number[];
  readonly operandBatchingDims: readonly number[];
  readonly scatterIndicesBatchingDims: readonly number[];
}

export interface ScatterGeometry {
  readonly opStrides: number[];
  readonly updStrides: number[];
  readonly idxStrides: number[];
  /** Length of the index vector (the indices' last dim) and its stride. */
  readonly nIdx: number;
  readonly idxVecStride: number;
  /** Update dims that are scatter positions (not window dims), in order. */
  readonly scatterDims: number[];
  /** Operand dims the window spans (not inserted, not batching), in order. */
  readonly windowOperandDims: number[];
  /** Per operand dim: the window's extent (1 for inserted and batching dims). */
  readonly windowSize: number[];
  readonly batchShape: number[];
  readonly winShape: number[];
  /** Scatter positions and elements per window. */
  readonly nBatch: number;
  readonly nWin: number;
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

export function scatterGeometry(p: ScatterKernelParams): ScatterGeometry {
  const op = p.operandShape;
  const upd = p.updatesShape;
  const idx = p.indicesShape;
  const idxStrides = stridesOf(idx);
  const scatterDims = upd.map((_, d) => d).filter((d) => !p.updateWindowDims.includes(d));
  const windowOperandDims = op
    .map((_, d) => d)
    .filter((d) => !p.insertedWindowDims.includes(d) && !p.operandBatchingDims.includes(d));
  const windowSize = op.map((_, d) => {
    const k = windowOperandDims.indexOf(d);
    return k < 0 ? 1 : upd[p.updateWindowDims[k]!]!;
  });
  const batchShape = scatterDims.map((d) => upd[d]!);
  const winShape = p.updateWindowDims.map((d) => upd[d]!);
  return {
    opStrides: stridesOf(op),
    updStrides: stridesOf(upd),
    idxStrides,
    nIdx: idx[idx.length - 1] ?? 0,
    idxVecStride: idxStrides[idx.length - 1] ?? 1,
    scatterDims,
    windowOperandDims,
    windowSize,
    batchShape,
    winShape,
    nBatch: prod(batchShape),
    nWin: prod(winShape),
  };
}
