/**
 * Factorization custom kernels of the js device (the wasm device runs them over its memory):
 * Cholesky (blocked, right-looking, LAPACK potrf's contract) and LU with partial pivoting
 * (getrf's contract, 0-based pivots), and the pivots → permutation conversion. Matrices are
 * row-major [batch..., n, n] (or [m, n]) in float32 or float64 storage: every stored element is
 * rounded by the typed array; inner products accumulate in double, as the dot kernels do, and
 * the quantity a float32 division or square root acts on is first rounded to float32.
 */
import type { TypedArray } from "../../../../core/dtype.js";

type FloatArray = Float32Array | Float64Array;

export interface CholeskyKernelParams {
  /** Number of matrices. */
  batch: number;
  n: number;
  dtype: string;
}

export interface LuKernelParams {
  batch: number;
  m: number;
  n: number;
  dtype: string;
}

export interface LuPivotsKernelParams {
  batch: number;
  /** Number of pivots (row swaps) per matrix. */
  k: number;
  /** Length of each permutation. */
  size: number;
}

/** Columns per block of the blocked Cholesky factorization. */
const BLOCK = 32;

const identity = (x: number): number => x;

/** Rounding of an intermediate to the storage dtype (float32: Math.fround). */
export function roundingOf(dtype: string): (x: number) => number {
  return dtype === "float32" ? Math.fround : identity;
}

/** Copy `count` elements of `src` into `dst` (both may be the same buffer). */
function copyInto(dst: TypedArray, src: TypedArray, count: number): void {
  if (dst !== src) for (let i = 0; i < count; i++) dst[i] = src[i]!;
}

/**
 * Factor the lower triangle of one matrix at offset `o` in place; the strict upper triangle is
 * left as it was (potrf). Returns false when the matrix is not positive definite (a pivot
 * ≤ 0 or NaN).
 */
function choleskyInPlace(a: FloatArray, o: number, n: number, rnd: (x: number) => number): boolean {
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const k1 = Math.min(n, k0 + BLOCK);
    // The panel: columns k0..k1-1, updated by the panel's own earlier columns.
    for (let j = k0; j < k1; j++) {
      const rj = o + j * n;
      let d = a[rj + j]!;
      for (let p = k0; p < j; p++) d -= a[rj + p]! * a[rj + p]!;
      d = rnd(d);
      if (!(d > 0)) return false;
      a[rj + j] = Math.sqrt(d);
      const ljj = a[rj + j]!;
      for (let i = j + 1; i < n; i++) {
        const ri = o + i * n;
        let acc = a[ri + j]!;
        for (let p = k0; p < j; p++) acc -= a[ri + p]! * a[rj + p]!;
        a[ri + j] = rnd(acc) / ljj;
      }
    }
    // The trailing lower triangle: A22 -= L21 · L21ᵀ over the panel's columns.
    for (let i = k1; i < n; i++) {
      const ri = o + i * n;
      for (let j = k1; j <= i; j++) {
        const rj = o + j * n;
        let acc = a[ri + j]!;
        for (let p = k0; p < k1; p++) acc -= a[ri + p]! * a[rj + p]!;
        a[ri + j] = acc;
      }
    }
  }
  return true;
}

/** cholesky: out = potrf(x) (lower), or all NaN for a matrix that is not positive definite. */
export function choleskyKernel(
  ins: TypedArray[],
  outs: TypedArray[],
  p: CholeskyKernelParams,
): void {
  const out = outs[0] as FloatArray;
  const { batch, n } = p;
  const nn = n * n;
  copyInto(out, ins[0]!, batch * nn);
  const rnd = roundingOf(p.dtype);
  for (let b = 0; b < batch; b++) {
    if (!choleskyInPlace(out, b * nn, n, rnd)) out.fill(NaN, b * nn, (b + 1) * nn);
  }
}

/**
 * LU with partial pivoting of one m×n matrix at offset `o`, in place (left-looking: each
 * element is one inner product). `piv` receives the 0-based row swapped with row j at step j.
 * A zero pivot leaves its column unscaled and the factorization goes on (getrf).
 */
function luInPlace(
  a: FloatArray,
  o: number,
  m: number,
  n: number,
  piv: Int32Array,
  po: number,
  rnd: (x: number) => number,
): void {
  const k = Math.min(m, n);
  for (let j = 0; j < n; j++) {
    // U's part of column j: rows above the diagonal (forward substitution with unit L).
    const top = Math.min(j, m);
    for (let i = 1; i < top; i++) {
      const ri = o + i * n;
      let acc = a[ri + j]!;
      for (let q = 0; q < i; q++) acc -= a[ri + q]! * a[o + q * n + j]!;
      a[ri + j] = acc;
    }
    if (j >= k) continue;
    // The rest of column j, then the pivot row.
    for (let i = j; i < m; i++) {
      const ri = o + i * n;
      let acc = a[ri + j]!;
      for (let q = 0; q < j; q++) acc -= a[ri + q]! * a[o + q * n + j]!;
      a[ri + j] = acc;
    }
    let best = j;
    let bmax = Math.abs(a[o + j * n + j]!);
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(a[o + i * n + j]!);
      if (v > bmax) {
        bmax = v;
        best = i;
      }
    }
    piv[po + j] = best;
    if (best !== j) {
      const r1 = o + j * n;
      const r2 = o + best * n;
      for (let c = 0; c < n; c++) {
        const t = a[r1 + c]!;
        a[r1 + c] = a[r2 + c]!;
        a[r2 + c] = t;
      }
    }
    const d = a[o + j * n + j]!;
    if (d !== 0) for (let i = j + 1; i < m; i++) a[o + i * n + j] = rnd(a[o + i * n + j]!) / d;
  }
}

/** Apply row swaps `piv[po..po+k)` to the identity permutation at `out[oo..oo+size)`. */
function pivotsToPermutation(
  piv: Int32Array,
  po: number,
  k: number,
  out: Int32Array,
  oo: number,
  size: number,
): void {
  for (let i = 0; i < size; i++) out[oo + i] = i;
  for (let i = 0; i < k; i++) {
    let j = piv[po + i]!;
    if (j < 0) j += size;
    j = Math.min(Math.max(j, 0), size - 1);
    const t = out[oo + i]!;
    out[oo + i] = out[oo + j]!;
    out[oo + j] = t;
  }
}

/** lu: outs = [lu, pivots (int32), permutation (int32)]. */
export function luKernel(ins: TypedArray[], outs: TypedArray[], p: LuKernelParams): void {
  const out = outs[0] as FloatArray;
  const piv = outs[1] as Int32Array;
  const perm = outs[2] as Int32Array;
  const { batch, m, n } = p;
  const k = Math.min(m, n);
  copyInto(out, ins[0]!, batch * m * n);
  const rnd = roundingOf(p.dtype);
  for (let b = 0; b < batch; b++) {
    luInPlace(out, b * m * n, m, n, piv, b * k, rnd);
    pivotsToPermutation(piv, b * k, k, perm, b * m, m);
  }
}

/** lu_pivots_to_permutation: outs = [permutation (int32)]. */
export function luPivotsKernel(
  ins: TypedArray[],
  outs: TypedArray[],
  p: LuPivotsKernelParams,
): void {
  const piv = ins[0] as Int32Array;
  const out = outs[0] as Int32Array;
  for (let b = 0; b < p.batch; b++) pivotsToPermutation(piv, b * p.k, p.k, out, b * p.size, p.size);
}
