/**
 * Householder reduction to upper Hessenberg form (the js device's `hessenberg` custom kernel;
 * the wasm device runs it over its memory), in complex arithmetic on split real/imaginary
 * float64 arrays so one routine serves real and complex inputs: a real matrix (zero imaginary
 * part) gets exactly LAPACK dgehd2's real reflectors. Conventions are LAPACK's zgehd2/zlarfg:
 * H(k) = I − τ·v·vᴴ with v = [1, x] acting on rows/columns k+1…n−1, β real, A = Q·H·Qᴴ with
 * Q = H(0)·H(1)·…·H(n−2). The reflector tails are stored below the first subdiagonal and the
 * n−1 scales τ returned beside them. `formQ` accumulates the reflectors into Q (zungqr), which
 * the Schur and eig kernels start from.
 */
import type { TypedArray } from "../../../../core/dtype.js";

/** A complex n×n (or vector) work area: split real and imaginary parts, row-major. */
export interface SplitComplex {
  re: Float64Array;
  im: Float64Array;
}

export const splitComplex = (size: number): SplitComplex => ({
  re: new Float64Array(size),
  im: new Float64Array(size),
});

/** Reads `count` values at `offset` (interleaved pairs when `complex`) into `dst`. */
export function loadSplit(
  src: TypedArray,
  offset: number,
  count: number,
  complex: boolean,
  dst: SplitComplex,
): void {
  if (complex) {
    for (let i = 0; i < count; i++) {
      dst.re[i] = Number(src[2 * (offset + i)]!);
      dst.im[i] = Number(src[2 * (offset + i) + 1]!);
    }
  } else {
    for (let i = 0; i < count; i++) dst.re[i] = Number(src[offset + i]!);
    dst.im.fill(0, 0, count);
  }
}

/** Writes `count` values to `dst` at `offset` (interleaved pairs when `complex`, else real parts). */
export function storeSplit(
  src: SplitComplex,
  dst: TypedArray,
  offset: number,
  count: number,
  complex: boolean,
): void {
  if (complex) {
    for (let i = 0; i < count; i++) {
      dst[2 * (offset + i)] = src.re[i]!;
      dst[2 * (offset + i) + 1] = src.im[i]!;
    }
  } else for (let i = 0; i < count; i++) dst[offset + i] = src.re[i]!;
}

/**
 * Reduces the n×n complex matrix `a` in place to upper Hessenberg form; the reflector tails go
 * below the subdiagonal and the n−1 scales into `tau` (zgehd2). Returns nothing; never fails.
 */
export function hessenbergReduce(a: SplitComplex, n: number, tau: SplitComplex): void {
  const { re, im } = a;
  for (let k = 0; k < n - 1; k++) {
    // zlarfg on alpha = a[k+1][k], x = a[k+2:, k].
    const ai = (k + 1) * n + k;
    const alphr = re[ai]!;
    const alphi = im[ai]!;
    let scale = 0;
    for (let i = k + 2; i < n; i++)
      scale = Math.max(scale, Math.abs(re[i * n + k]!), Math.abs(im[i * n + k]!));
    let xnorm = 0;
    if (scale > 0) {
      let ss = 0;
      for (let i = k + 2; i < n; i++)
        ss += (re[i * n + k]! / scale) ** 2 + (im[i * n + k]! / scale) ** 2;
      xnorm = scale * Math.sqrt(ss);
    }
    if (xnorm === 0 && alphi === 0) {
      tau.re[k] = 0;
      tau.im[k] = 0;
      continue;
    }
    const beta = -(alphr >= 0 ? 1 : -1) * Math.hypot(alphr, alphi, xnorm);
    const tr = (beta - alphr) / beta;
    const ti = -alphi / beta;
    tau.re[k] = tr;
    tau.im[k] = ti;
    // x *= 1 / (alpha − β)
    const dr = alphr - beta;
    const di = alphi;
    // 1 / (alpha − β): a plain reciprocal when real (dlarfg's scaling, so a real input gets
    // exactly LAPACK's reflectors), Smith's division otherwise.
    let sr: number;
    let si: number;
    if (di === 0) {
      sr = 1 / dr;
      si = 0;
    } else if (Math.abs(dr) >= Math.abs(di)) {
      const r = di / dr;
      const d = dr + di * r;
      sr = 1 / d;
      si = -r / d;
    } else {
      const r = dr / di;
      const d = dr * r + di;
      sr = r / d;
      si = -1 / d;
    }
    for (let i = k + 2; i < n; i++) {
      const xr = re[i * n + k]!;
      const xi = im[i * n + k]!;
      re[i * n + k] = xr * sr - xi * si;
      im[i * n + k] = xr * si + xi * sr;
    }
    re[ai] = beta;
    im[ai] = 0;
    // v = [1, a[k+2:, k]] on rows k+1…n−1.
    const vr = (i: number): number => (i === k + 1 ? 1 : re[i * n + k]!);
    const vi = (i: number): number => (i === k + 1 ? 0 : im[i * n + k]!);
    // Right: A[:, k+1:] −= τ·(A·v)·vᴴ.
    for (let r = 0; r < n; r++) {
      let s_r = 0;
      let s_i = 0;
      for (let p = k + 1; p < n; p++) {
        const x = re[r * n + p]!;
        const y = im[r * n + p]!;
        s_r += x * vr(p) - y * vi(p);
        s_i += x * vi(p) + y * vr(p);
      }
      const fr = tr * s_r - ti * s_i;
      const fi = tr * s_i + ti * s_r;
      for (let p = k + 1; p < n; p++) {
        // f·conj(v_p)
        re[r * n + p] = re[r * n + p]! - (fr * vr(p) + fi * vi(p));
        im[r * n + p] = im[r * n + p]! - (fi * vr(p) - fr * vi(p));
      }
    }
    // Left: A[k+1:, k+1:] −= conj(τ)·v·(vᴴ·A).
    for (let c = k + 1; c < n; c++) {
      let s_r = 0;
      let s_i = 0;
      for (let p = k + 1; p < n; p++) {
        const x = re[p * n + c]!;
        const y = im[p * n + c]!;
        s_r += vr(p) * x + vi(p) * y;
        s_i += vr(p) * y - vi(p) * x;
      }
      const fr = tr * s_r + ti * s_i;
      const fi = tr * s_i - ti * s_r;
      for (let p = k + 1; p < n; p++) {
        re[p * n + c] = re[p * n + c]! - (vr(p) * fr - vi(p) * fi);
        im[p * n + c] = im[p * n + c]! - (vr(p) * fi + vi(p) * fr);
      }
    }
  }
}

/**
 * Q (m×k, row-major, into `q`) = H(0)·…·H(count−1)·I[:, :k] from reflectors stored below the
 * diagonal of the m×cols matrix `a` (unit head implied) with scales `tau` (zung2r: backwards).
 * `rowOffset`/`colOffset` select a submatrix of `a` (a Hessenberg reduction's reflectors sit
 * one row down).
 */
export function formQ(
  a: SplitComplex,
  cols: number,
  m: number,
  rowOffset: number,
  tau: SplitComplex,
  count: number,
  q: SplitComplex,
  k: number,
): void {
  q.re.fill(0, 0, m * k);
  q.im.fill(0, 0, m * k);
  for (let i = 0; i < Math.min(m, k); i++) q.re[i * k + i] = 1;
  const vAt = (i: number, j: number): number => (i + rowOffset) * cols + j;
  for (let j = count - 1; j >= 0; j--) {
    const tr = tau.re[j]!;
    const ti = tau.im[j]!;
    if (tr === 0 && ti === 0) continue;
    for (let c = j; c < k; c++) {
      // s = vᴴ·q[:, c]
      let s_r = q.re[j * k + c]!;
      let s_i = q.im[j * k + c]!;
      for (let i = j + 1; i < m; i++) {
        const vr = a.re[vAt(i, j)]!;
        const vi = a.im[vAt(i, j)]!;
        s_r += vr * q.re[i * k + c]! + vi * q.im[i * k + c]!;
        s_i += vr * q.im[i * k + c]! - vi * q.re[i * k + c]!;
      }
      const fr = tr * s_r - ti * s_i;
      const fi = tr * s_i + ti * s_r;
      q.re[j * k + c] = q.re[j * k + c]! - fr;
      q.im[j * k + c] = q.im[j * k + c]! - fi;
      for (let i = j + 1; i < m; i++) {
        const vr = a.re[vAt(i, j)]!;
        const vi = a.im[vAt(i, j)]!;
        q.re[i * k + c] = q.re[i * k + c]! - (vr * fr - vi * fi);
        q.im[i * k + c] = q.im[i * k + c]! - (vr * fi + vi * fr);
      }
    }
  }
}

export interface HessenbergKernelParams {
  batch: number;
  n: number;
  complex: boolean;
}

/** hessenberg: outs = [a (H on and above the subdiagonal, reflectors below), taus (n−1)]. */
export function hessenbergKernel(
  ins: TypedArray[],
  outs: TypedArray[],
  p: HessenbergKernelParams,
): void {
  const { batch, n, complex } = p;
  const a = splitComplex(n * n);
  const tau = splitComplex(Math.max(n - 1, 0));
  for (let b = 0; b < batch; b++) {
    loadSplit(ins[0]!, b * n * n, n * n, complex, a);
    hessenbergReduce(a, n, tau);
    storeSplit(a, outs[0]!, b * n * n, n * n, complex);
    storeSplit(tau, outs[1]!, b * (n - 1), n - 1, complex);
  }
}

export interface ComplexHouseholderProductParams {
  batch: number;
  m: number;
  n: number;
  k: number;
}

/** householder_product of complex reflectors: outs = [q (m×n)] (zungqr). */
export function complexHouseholderProductKernel(
  ins: TypedArray[],
  outs: TypedArray[],
  p: ComplexHouseholderProductParams,
): void {
  const { batch, m, n, k } = p;
  const a = splitComplex(m * n);
  const tau = splitComplex(k);
  const q = splitComplex(m * n);
  for (let b = 0; b < batch; b++) {
    loadSplit(ins[0]!, b * m * n, m * n, true, a);
    loadSplit(ins[1]!, b * k, k, true, tau);
    formQ(a, n, m, 0, tau, k, q, n);
    storeSplit(q, outs[0]!, b * m * n, m * n, true);
  }
}
