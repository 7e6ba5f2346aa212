/**
 * The triangular-solve custom kernel (LAPACK trsm's contract, batched): op(A)·X = B
 * (left side) or X·op(A) = B, op(A) = A or Aᵀ, A lower or upper triangular (the other triangle
 * is never read), optionally with an implicit unit diagonal. Every right-hand side is solved by
 * substitution; each unknown is one inner product accumulated in double (as the dot kernels),
 * rounded to the storage dtype before the division, and stored. A zero diagonal gives inf/NaN.
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { roundingOf } from "./linalg-factor.js";

type FloatArray = Float32Array | Float64Array;

export interface TriangularSolveKernelParams {
  batch: number;
  /** A is m×m. */
  m: number;
  /** B's other dimension: B is m×nrhs (left side) or nrhs×m (right side). */
  nrhs: number;
  leftSide: boolean;
  lower: boolean;
  transposeA: boolean;
  unitDiagonal: boolean;
  dtype: string;
}

/** outs = [X] for ins = [A, B]. */
export function triangularSolveKernel(
  ins: TypedArray[],
  outs: TypedArray[],
  p: TriangularSolveKernelParams,
): void {
  const a = ins[0] as FloatArray;
  const b = ins[1] as FloatArray;
  const x = outs[0] as FloatArray;
  const { batch, m, nrhs, unitDiagonal } = p;
  const mm = m * m;
  const bsize = m * nrhs;
  if (x !== b) for (let i = 0; i < batch * bsize; i++) x[i] = b[i]!;
  const rnd = roundingOf(p.dtype);
  // Solve M·x = rhs for every right-hand side, where M(i, q) = A[q, i] when `tr` else A[i, q]:
  // the left side solves op(A)·X = B by columns, the right side op(A)ᵀ·Xᵀ = Bᵀ by rows.
  const tr = p.leftSide ? p.transposeA : !p.transposeA;
  const lowerM = p.lower !== tr;
  // Element (i, q) of M at a[ao + i·si + q·sq]; unknown i of rhs c at x[xo + i·xi + c·xc].
  const si = tr ? 1 : m;
  const sq = tr ? m : 1;
  const xi = p.leftSide ? nrhs : 1;
  const xc = p.leftSide ? 1 : m;
  const acc = new Float64Array(p.leftSide ? nrhs : 0);
  for (let bt = 0; bt < batch; bt++) {
    const ao = bt * mm;
    if (p.leftSide) {
      // Row by row over all right-hand sides at once (contiguous rows of X), accumulating in
      // double: each unknown sums its terms in the same order as a one-column substitution.
      const xo = bt * bsize;
      for (let s = 0; s < m; s++) {
        const i = lowerM ? s : m - 1 - s;
        const ri = ao + i * si;
        for (let c = 0; c < nrhs; c++) acc[c] = x[xo + i * nrhs + c]!;
        const q0 = lowerM ? 0 : i + 1;
        const q1 = lowerM ? i : m;
        for (let q = q0; q < q1; q++) {
          const coef = a[ri + q * sq]!;
          const xq = xo + q * nrhs;
          for (let c = 0; c < nrhs; c++) acc[c] -= coef * x[xq + c]!;
        }
        const d = a[ri + i * sq]!;
        for (let c = 0; c < nrhs; c++)
          x[xo + i * nrhs + c] = unitDiagonal ? acc[c]! : rnd(acc[c]!) / d;
      }
      continue;
    }
    for (let c = 0; c < nrhs; c++) {
      const xo = bt * bsize + c * xc;
      if (lowerM) {
        for (let i = 0; i < m; i++) {
          const ri = ao + i * si;
          let sum = x[xo + i * xi]!;
          for (let q = 0; q < i; q++) sum -= a[ri + q * sq]! * x[xo + q * xi]!;
          x[xo + i * xi] = unitDiagonal ? sum : rnd(sum) / a[ri + i * sq]!;
        }
      } else {
        for (let i = m - 1; i >= 0; i--) {
          const ri = ao + i * si;
          let sum = x[xo + i * xi]!;
          for (let q = i + 1; q < m; q++) sum -= a[ri + q * sq]! * x[xo + q * xi]!;
          x[xo + i * xi] = unitDiagonal ? sum : rnd(sum) / a[ri + i * sq]!;
        }
      }
    }
  }
}
