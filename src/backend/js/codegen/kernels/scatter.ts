/**
 * The scatter custom kernel: the output starts as a copy of the operand, then every update
 * window is combined into it in order (scatter positions in row-major order). Windows whose
 * start is out of bounds are dropped (FILL_OR_DROP) or clamped (CLIP, PROMISE_IN_BOUNDS).
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { type ScatterKernelParams, scatterGeometry } from "../../../../kernel/scatter-geometry.js";
import { type Scalar, accessor } from "./element-access.js";

type Combine = (a: Scalar, b: Scalar) => Scalar;

function combiner(kind: ScatterKernelParams["combine"], dtype: string): Combine {
  const isBool = dtype === "bool";
  const isFloat = dtype.startsWith("float");
  switch (kind) {
    case "set":
      return (_a, b) => b;
    case "add":
      if (isBool) return (a, b) => ((a as number) | (b as number)) as Scalar;
      return (a, b) => (a as number) + (b as number);
    case "mul":
      if (isBool) return (a, b) => ((a as number) & (b as number)) as Scalar;
      if (dtype === "int32" || dtype === "uint32")
        return (a, b) => Math.imul(a as number, b as number);
      return (a, b) => (a as number) * (b as number);
    case "min":
      if (isFloat) return (a, b) => Math.min(a as number, b as number);
      return (a, b) => (b < a ? b : a);
    case "max":
      if (isFloat) return (a, b) => Math.max(a as number, b as number);
      return (a, b) => (b > a ? b : a);
  }
}

export function scatterKernel(ins: TypedArray[], outs: TypedArray[], p: ScatterKernelParams): void {
  const [operand, indices, updates] = ins as [TypedArray, TypedArray, TypedArray];
  const out = outs[0]!;
  if (out !== operand) (out as Uint8Array).set(operand as Uint8Array);
  const acc = accessor(p.dtype);
  const comb = combiner(p.combine, p.dtype);
  const opShape = p.operandShape;
  const {
    opStrides,
    updStrides,
    idxStrides,
    nIdx,
    idxVecStride,
    scatterDims,
    windowOperandDims,
    windowSize,
    batchShape,
    winShape,
    nBatch,
    nWin,
  } = scatterGeometry(p);
  if (nBatch === 0 || nWin === 0) return;

  const bCoord = new Array<number>(batchShape.length).fill(0);
  const wCoord = new Array<number>(winShape.length).fill(0);
  const start = new Array<number>(opShape.length).fill(0);
  // PROMISE_IN_BOUNDS clamps like CLIP, as its gather does: a clamped read's transpose (this
  // scatter-add) then adds at the same clamped place (grad of a static out-of-bounds index).
  const clip = p.mode !== "FILL_OR_DROP";

  for (let s = 0; s < nBatch; s++) {
    // bCoord: coordinates of this scatter position (= indices dims except the index vector dim)
    let idxBase = 0;
    for (let j = 0; j < bCoord.length; j++) idxBase += bCoord[j]! * idxStrides[j]!;
    let updBase = 0;
    for (let j = 0; j < bCoord.length; j++) updBase += bCoord[j]! * updStrides[scatterDims[j]!]!;
    let dropped = false;
    for (let d = 0; d < opShape.length; d++) {
      let st = 0;
      const k = p.scatterDimsToOperandDims.indexOf(d);
      if (k >= 0 && nIdx > 0) st = Number(indices[idxBase + k * idxVecStride]!);
      const jb = p.operandBatchingDims.indexOf(d);
      if (jb >= 0) st = bCoord[p.scatterIndicesBatchingDims[jb]!]!;
      const hi = opShape[d]! - windowSize[d]!;
      if (clip) st = Math.min(Math.max(st, 0), Math.max(hi, 0));
      else if (st < 0 || st > hi) dropped = true;
      start[d] = st;
    }
    if (!dropped) {
      wCoord.fill(0);
      for (let w = 0; w < nWin; w++) {
        let o = 0;
        for (let d = 0; d < opShape.length; d++) o += start[d]! * opStrides[d]!;
        let u = updBase;
        for (let j = 0; j < wCoord.length; j++) {
          o += wCoord[j]! * opStrides[windowOperandDims[j]!]!;
          u += wCoord[j]! * updStrides[p.updateWindowDims[j]!]!;
        }
        acc.set(out, o, comb(acc.get(out, o), acc.get(updates, u)));
        for (let j = wCoord.length - 1; j >= 0; j--) {
          if (++wCoord[j]! < winShape[j]!) break;
          wCoord[j] = 0;
        }
      }
    }
    for (let j = bCoord.length - 1; j >= 0; j--) {
      if (++bCoord[j]! < batchShape[j]!) break;
      bCoord[j] = 0;
    }
  }
}
