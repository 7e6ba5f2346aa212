/**
 * Spectral custom kernels of the js device (the wasm device runs them over its memory), both
 * Jacobi methods computed in float64 scratch (float32 results are rounded once on store):
 *
 * - `eigh`: cyclic two-sided Jacobi on the symmetric matrix read from one triangle (`lower`),
 *   Rutishauser's rotation formulas, a pair rotated while |a_pq| > ε·√|a_pp·a_qq| (Demmel &
 *   Veselić's relative criterion, so small eigenvalues of well-scaled matrices come out to
 *   relative accuracy); eigenvalues ascending, eigenvectors the accumulated rotations' columns.
 * - `svd`: one-sided (Hestenes) Jacobi on the columns of A (of Aᵀ when m < n): a column pair is
 *   rotated while |aᵢ·aⱼ| > √len·ε·‖aᵢ‖‖aⱼ‖ (dgesvj's tolerance); σ = the final column norms (descending), V the rotations,
 *   U the normalized columns. Columns of zero norm (rank-deficient inputs) and the extra columns
 *   of full matrices are completed to an orthonormal basis from a Householder QR of the
 *   computed ones.
 *
 * A matrix with a non-finite entry gets NaN outputs, as JAX gives where LAPACK reports failure.
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { householderQ, householderQr } from "./linalg-qr.js";

export interface EighKernelParams {
  batch: number;
  n: number;
  lower: boolean;
  dtype: string;
}

export interface SvdKernelParams {
  batch: number;
  m: number;
  n: number;
  fullMatrices: boolean;
  computeUv: boolean;
  dtype: string;
}

const EPS = 2 ** -53;

/** NaN over [from, to) of a float output (float32 or float64 storage). */
const fillNaN = (x: TypedArray, from: number, to: number): void => {
  (x as Float64Array).fill(NaN, from, to);
};
const MAX_SWEEPS = 80;

/** tan of the Jacobi angle that annihilates the pair, from ζ = (a_qq − a_pp)/(2·a_pq). */
function jacobiTangent(zeta: number): number {
  if (Math.abs(zeta) > 1e150) return 0.5 / zeta;
  return (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
}

/**
 * Symmetric Jacobi eigen-solver over the full n×n float64 `a`; `v` receives the eigenvectors
 * as rows (vector k contiguous at k·n, so rotations touch contiguous memory).
 */
function jacobiEigen(a: Float64Array, n: number, v: Float64Array): void {
  v.fill(0);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        if (!(Math.abs(apq) > EPS * Math.sqrt(Math.abs(app * aqq))) || apq === 0) continue;
        rotated = true;
        const t = jacobiTangent((aqq - app) / (2 * apq));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = a[r * n + p]!;
          const arq = a[r * n + q]!;
          const np = c * arp - s * arq;
          const nq = s * arp + c * arq;
          a[r * n + p] = np;
          a[p * n + r] = np;
          a[r * n + q] = nq;
          a[q * n + r] = nq;
        }
        const op = p * n;
        const oq = q * n;
        for (let r = 0; r < n; r++) {
          const vrp = v[op + r]!;
          const vrq = v[oq + r]!;
          v[op + r] = c * vrp - s * vrq;
          v[oq + r] = s * vrp + c * vrq;
        }
      }
    if (!rotated) break;
  }
}

/** eigh: outs = [v (n×n, eigenvectors in columns), w (n, ascending)]. */
export function eighKernel(ins: TypedArray[], outs: TypedArray[], p: EighKernelParams): void {
  const { batch, n, lower } = p;
  const src = ins[0]!;
  const [vOut, wOut] = outs as [TypedArray, TypedArray];
  const a = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  const order = globalThis.Array.from({ length: n }, (_, i) => i);
  for (let b = 0; b < batch; b++) {
    const o = b * n * n;
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const x = Number(lower ? src[o + i * n + j]! : src[o + j * n + i]!);
        a[i * n + j] = x;
        a[j * n + i] = x;
      }
    if (!a.every(Number.isFinite)) {
      // LAPACK reports failure on a non-finite input; JAX then returns NaN for that matrix.
      fillNaN(wOut, b * n, (b + 1) * n);
      fillNaN(vOut, o, o + n * n);
      continue;
    }
    jacobiEigen(a, n, v);
    const w = order.map((i) => a[i * n + i]!);
    const sorted = order.slice().sort((i, j) => w[i]! - w[j]! || i - j);
    sorted.forEach((src, dst) => {
      wOut[b * n + dst] = w[src]!;
      for (let r = 0; r < n; r++) vOut[o + r * n + dst] = v[src * n + r]!;
    });
  }
}

/**
 * One-sided Jacobi on `cols` (count column vectors of length len, each contiguous at c·len);
 * `rot` (count×count, or null) accumulates the rotations transposed: row c of `rot` is column
 * c of V. Squared norms are recomputed each sweep and updated per rotation (α − tγ, β + tγ).
 */
function oneSidedJacobi(cols: Float64Array, len: number, count: number, rot: Float64Array | null) {
  // A computed inner product carries ~√len·ε relative error (dgesvj's tolerance).
  const tol = Math.sqrt(len) * 2 * EPS;
  const sq = new Float64Array(count);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let c = 0; c < count; c++) {
      let acc = 0;
      for (let r = 0; r < len; r++) acc += cols[c * len + r]! ** 2;
      sq[c] = acc;
    }
    for (let i = 0; i < count - 1; i++)
      for (let j = i + 1; j < count; j++) {
        const oi = i * len;
        const oj = j * len;
        const alpha = sq[i]!;
        const beta = sq[j]!;
        let gamma = 0;
        for (let r = 0; r < len; r++) gamma += cols[oi + r]! * cols[oj + r]!;
        if (!(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta)) || gamma === 0) continue;
        rotated = true;
        const t = jacobiTangent((beta - alpha) / (2 * gamma));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        sq[i] = alpha - t * gamma;
        sq[j] = beta + t * gamma;
        for (let r = 0; r < len; r++) {
          const x = cols[oi + r]!;
          const y = cols[oj + r]!;
          cols[oi + r] = c * x - s * y;
          cols[oj + r] = s * x + c * y;
        }
        if (rot) {
          const ri = i * count;
          const rj = j * count;
          for (let r = 0; r < count; r++) {
            const x = rot[ri + r]!;
            const y = rot[rj + r]!;
            rot[ri + r] = c * x - s * y;
            rot[rj + r] = s * x + c * y;
          }
        }
      }
    if (!rotated) break;
  }
}

/**
 * Orthonormal columns (len×width row-major) whose first columns are the given unit vectors
 * `basis[slot]` where present, the remaining slots filled with an orthonormal complement.
 */
function completeBasis(
  units: (Float64Array | null)[],
  len: number,
  width: number,
  out: Float64Array,
): void {
  const known = units.filter((u): u is Float64Array => u !== null);
  const r = known.length;
  let complement: Float64Array | null = null;
  if (r < width) {
    // Householder QR of the known columns: Q's trailing columns span their complement.
    const a = new Float64Array(len * Math.max(r, 1));
    known.forEach((u, c) => {
      for (let i = 0; i < len; i++) a[i * r + c] = u[i]!;
    });
    const tau = new Float64Array(Math.min(len, r));
    if (r > 0) householderQr(a, len, r, tau, null);
    complement = new Float64Array(len * len);
    householderQ(a, len, r, tau, complement, len);
  }
  let next = r;
  for (let c = 0; c < width; c++) {
    const u = units[c] ?? null;
    if (u) for (let i = 0; i < len; i++) out[i * width + c] = u[i]!;
    else {
      for (let i = 0; i < len; i++) out[i * width + c] = complement![i * len + next]!;
      next++;
    }
  }
}

/** svd: outs = [s (k, descending)] or [s, u (m×(m|k)), vt ((n|k)×n)]. */
export function svdKernel(ins: TypedArray[], outs: TypedArray[], p: SvdKernelParams): void {
  const { batch, m, n, fullMatrices, computeUv } = p;
  const src = ins[0]!;
  const wide = m < n;
  const len = Math.max(m, n);
  const count = Math.min(m, n);
  const cols = new Float64Array(len * count);
  const rot = computeUv ? new Float64Array(count * count) : null;
  const order = globalThis.Array.from({ length: count }, (_, i) => i);
  const uWidth = fullMatrices ? m : count;
  const vRows = fullMatrices ? n : count;
  const tallWidth = fullMatrices ? len : count;
  const tall = new Float64Array(len * tallWidth);
  for (let b = 0; b < batch; b++) {
    const o = b * m * n;
    // Column c of the tall matrix (A, or Aᵀ when wide) stored contiguously.
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const x = Number(src[o + i * n + j]!);
        if (wide) cols[i * len + j] = x;
        else cols[j * len + i] = x;
      }
    if (rot) {
      rot.fill(0);
      for (let i = 0; i < count; i++) rot[i * count + i] = 1;
    }
    if (!cols.every(Number.isFinite)) {
      // A non-finite input: every output of this matrix NaN (JAX's result for a failed gesdd).
      fillNaN(outs[0]!, b * count, (b + 1) * count);
      if (computeUv) {
        fillNaN(outs[1]!, b * m * uWidth, (b + 1) * m * uWidth);
        fillNaN(outs[2]!, b * vRows * n, (b + 1) * vRows * n);
      }
      continue;
    }
    oneSidedJacobi(cols, len, count, rot);
    const norms = order.map((c) => {
      let s = 0;
      let scale = 0;
      for (let r = 0; r < len; r++) scale = Math.max(scale, Math.abs(cols[c * len + r]!));
      if (scale === 0 || !Number.isFinite(scale)) return scale === 0 ? 0 : NaN;
      for (let r = 0; r < len; r++) s += (cols[c * len + r]! / scale) ** 2;
      return scale * Math.sqrt(s);
    });
    const sorted = order.slice().sort((i, j) => norms[j]! - norms[i]! || i - j);
    sorted.forEach((c, dst) => (outs[0]![b * count + dst] = norms[c]!));
    if (!computeUv || !rot) continue;
    const units: (Float64Array | null)[] = sorted.map((c) => {
      const sigma = norms[c]!;
      if (!(sigma > 0) || !Number.isFinite(1 / sigma)) return null;
      const u = new Float64Array(len);
      for (let r = 0; r < len; r++) u[r] = cols[c * len + r]! / sigma;
      return u;
    });
    while (units.length < tallWidth) units.push(null);
    completeBasis(units, len, tallWidth, tall);
    const [uOut, vOut] = [outs[1]!, outs[2]!];
    const uo = b * m * uWidth;
    const vo = b * vRows * n;
    if (!wide) {
      // U = the tall left vectors; Vᵀ row d = column sorted[d] of the rotations.
      for (let i = 0; i < tall.length; i++) uOut[uo + i] = tall[i]!;
      sorted.forEach((c, d) => {
        for (let j = 0; j < n; j++) vOut[vo + d * n + j] = rot[c * count + j]!;
      });
    } else {
      // A = (Aᵀ)ᵀ: U = the rotations (m×m), Vᵀ = the tall left vectors transposed.
      sorted.forEach((c, d) => {
        for (let i = 0; i < m; i++) uOut[uo + i * m + d] = rot[c * count + i]!;
      });
      for (let d = 0; d < vRows; d++)
        for (let j = 0; j < n; j++) vOut[vo + d * n + j] = tall[j * tallWidth + d]!;
    }
  }
}
