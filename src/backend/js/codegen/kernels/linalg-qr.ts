/**
 * Householder QR custom kernel of the js device (the wasm device runs it over its memory):
 * `qr` factors each row-major m×n matrix of a batch as A = Q·R (or A[:, p] = Q·R with column
 * pivoting, geqp3's choice: the remaining column of largest norm first) and writes Q (m×k) and
 * R (k×n), k = m with full matrices, min(m, n) otherwise. The reflectors are LAPACK's (dlarfg:
 * β = −sign(α)·‖x‖, τ = (β − α)/β, v₀ = 1), Q is accumulated backwards from the identity
 * (dorg2r). All arithmetic runs in float64 scratch; float32 results are rounded once on store.
 * `householderQr` is also the svd kernel's tool for completing an orthonormal basis. `geqrf`
 * and `householder_product` expose the two halves (packed reflectors + τ, and Q from them).
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { complexHouseholderProductKernel } from "./linalg-hessenberg.js";

export interface QrKernelParams {
  batch: number;
  m: number;
  n: number;
  fullMatrices: boolean;
  pivoting: boolean;
  dtype: string;
}

/**
 * Householder QR of the m×n row-major float64 matrix `a` in place: on return R is on and above
 * the diagonal, the reflector vectors (without their unit head) below it; `tau` gets the
 * min(m, n) scales. With `perm`, columns are pivoted by largest remaining norm and `perm`
 * receives the 0-based column order.
 */
export function householderQr(
  a: Float64Array,
  m: number,
  n: number,
  tau: Float64Array,
  perm: Int32Array | null,
): void {
  const r = Math.min(m, n);
  if (perm) for (let c = 0; c < n; c++) perm[c] = c;
  for (let j = 0; j < r; j++) {
    if (perm) {
      let best = j;
      let bestNorm = -1;
      for (let c = j; c < n; c++) {
        let s = 0;
        for (let i = j; i < m; i++) s += a[i * n + c]! * a[i * n + c]!;
        if (s > bestNorm) {
          bestNorm = s;
          best = c;
        }
      }
      if (best !== j) {
        for (let i = 0; i < m; i++) {
          const t = a[i * n + j]!;
          a[i * n + j] = a[i * n + best]!;
          a[i * n + best] = t;
        }
        const t = perm[j]!;
        perm[j] = perm[best]!;
        perm[best] = t;
      }
    }
    const alpha = a[j * n + j]!;
    let scale = 0;
    for (let i = j + 1; i < m; i++) scale = Math.max(scale, Math.abs(a[i * n + j]!));
    if (scale === 0) {
      tau[j] = 0;
      continue;
    }
    let ss = 0;
    for (let i = j + 1; i < m; i++) ss += (a[i * n + j]! / scale) ** 2;
    const xnorm = scale * Math.sqrt(ss);
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    tau[j] = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) a[i * n + j] = a[i * n + j]! * inv;
    a[j * n + j] = beta;
    // Apply H = I − τ·v·vᵀ to the trailing columns.
    for (let c = j + 1; c < n; c++) {
      let dot = a[j * n + c]!;
      for (let i = j + 1; i < m; i++) dot += a[i * n + j]! * a[i * n + c]!;
      const f = tau[j]! * dot;
      if (f === 0) continue;
      a[j * n + c] = a[j * n + c]! - f;
      for (let i = j + 1; i < m; i++) a[i * n + c] = a[i * n + c]! - f * a[i * n + j]!;
    }
  }
}

/**
 * Q's first k columns (m×k row-major, into `q`) from the first `count` reflectors stored in
 * `a` (m×n) and `tau`: H₀·H₁·…·I[:, :k], accumulated backwards (dorg2r).
 */
export function householderQ(
  a: Float64Array,
  m: number,
  n: number,
  tau: ArrayLike<number>,
  q: Float64Array,
  k: number,
  count = Math.min(m, n),
): void {
  q.fill(0, 0, m * k);
  for (let i = 0; i < Math.min(m, k); i++) q[i * k + i] = 1;
  for (let j = count - 1; j >= 0; j--) {
    const t = Number(tau[j]!);
    if (t === 0) continue;
    for (let c = j; c < k; c++) {
      let dot = q[j * k + c]!;
      for (let i = j + 1; i < m; i++) dot += a[i * n + j]! * q[i * k + c]!;
      const f = t * dot;
      if (f === 0) continue;
      q[j * k + c] = q[j * k + c]! - f;
      for (let i = j + 1; i < m; i++) q[i * k + c] = q[i * k + c]! - f * a[i * n + j]!;
    }
  }
}

/** qr: outs = [q (m×k), r (k×n)] or, with pivoting, [q, r, p (int32 n)]. */
export function qrKernel(ins: TypedArray[], outs: TypedArray[], p: QrKernelParams): void {
  const { batch, m, n } = p;
  const k = p.fullMatrices ? m : Math.min(m, n);
  const src = ins[0]!;
  const [qOut, rOut] = outs as [TypedArray, TypedArray];
  const pOut = p.pivoting ? (outs[2] as Int32Array) : null;
  const work = new Float64Array(m * n);
  const tau = new Float64Array(Math.min(m, n));
  const q = new Float64Array(m * k);
  const perm = p.pivoting ? new Int32Array(n) : null;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < m * n; i++) work[i] = Number(src[b * m * n + i]!);
    householderQr(work, m, n, tau, perm);
    householderQ(work, m, n, tau, q, k);
    const qo = b * m * k;
    for (let i = 0; i < m * k; i++) qOut[qo + i] = q[i]!;
    const ro = b * k * n;
    for (let i = 0; i < k; i++)
      for (let c = 0; c < n; c++) rOut[ro + i * n + c] = c >= i && i < m ? work[i * n + c]! : 0;
    if (pOut && perm) pOut.set(perm, b * n);
  }
}

export interface GeqrfKernelParams {
  batch: number;
  m: number;
  n: number;
}

/** geqrf: outs = [a (R above the diagonal, reflectors below), taus (min(m, n))]. */
export function geqrfKernel(ins: TypedArray[], outs: TypedArray[], p: GeqrfKernelParams): void {
  const { batch, m, n } = p;
  const k = Math.min(m, n);
  const [aOut, tauOut] = outs as [TypedArray, TypedArray];
  const work = new Float64Array(m * n);
  const tau = new Float64Array(k);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < m * n; i++) work[i] = Number(ins[0]![b * m * n + i]!);
    householderQr(work, m, n, tau, null);
    for (let i = 0; i < m * n; i++) aOut[b * m * n + i] = work[i]!;
    for (let i = 0; i < k; i++) tauOut[b * k + i] = tau[i]!;
  }
}

export interface HouseholderProductKernelParams {
  batch: number;
  m: number;
  n: number;
  /** Number of reflectors (taus per matrix). */
  k: number;
  /** Complex reflectors (interleaved storage): zungqr's product. */
  complex?: boolean;
}

/** householder_product: outs = [q (m×n)], the product of the k reflectors of `a` and `taus`. */
export function householderProductKernel(
  ins: TypedArray[],
  outs: TypedArray[],
  p: HouseholderProductKernelParams,
): void {
  if (p.complex) return complexHouseholderProductKernel(ins, outs, p);
  const { batch, m, n, k } = p;
  const work = new Float64Array(m * n);
  const tau = new Float64Array(k);
  const q = new Float64Array(m * n);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < m * n; i++) work[i] = Number(ins[0]![b * m * n + i]!);
    for (let i = 0; i < k; i++) tau[i] = Number(ins[1]![b * k + i]!);
    householderQ(work, m, n, tau, q, n, k);
    for (let i = 0; i < m * n; i++) outs[0]![b * m * n + i] = q[i]!;
  }
}
