/**
 * Complex Schur form of a complex upper Hessenberg matrix by the implicit single-shift QR
 * iteration (the algorithm of LAPACK's zlahqr, from Golub & Van Loan §7.5.6): Wilkinson shifts
 * (the trailing 2×2 block's eigenvalue nearer the corner), exceptional shifts every tenth
 * iteration, 2-vector complex reflectors chased down the active block, the whole of T and the
 * Schur vectors Z updated (A = Z·T·Zᴴ). On return T is upper triangular (entries below the
 * diagonal set to zero) with the eigenvalues on its diagonal. Returns false on no convergence.
 */
import type { SplitComplex } from "./linalg-hessenberg.js";

const EPS = 2 ** -52;
const SAFE_MIN = 2 ** -1022;

/** Principal square root of x + iy as [re, im]. */
export function csqrt(x: number, y: number): [number, number] {
  if (x === 0 && y === 0) return [0, 0];
  const r = Math.hypot(x, y);
  if (x >= 0) {
    const s = Math.sqrt(0.5 * (r + x));
    return [s, y / (2 * s)];
  }
  const s = Math.sqrt(0.5 * (r - x));
  return [Math.abs(y) / (2 * s), y >= 0 ? s : -s];
}

const cabs1 = (re: number, im: number): number => Math.abs(re) + Math.abs(im);

/**
 * The eigenvalue of [a b; c d] (complex, as re/im pairs) nearer d: the Wilkinson shift.
 */
function wilkinson(
  ar: number,
  ai: number,
  br: number,
  bi: number,
  cr: number,
  ci: number,
  dr: number,
  di: number,
): [number, number] {
  // μ = m ± sqrt(h² + b·c) with m = (a + d)/2, h = (a − d)/2
  const mr = 0.5 * (ar + dr);
  const mi = 0.5 * (ai + di);
  const hr = 0.5 * (ar - dr);
  const hi = 0.5 * (ai - di);
  const [sr, si] = csqrt(hr * hr - hi * hi + br * cr - bi * ci, 2 * hr * hi + br * ci + bi * cr);
  const d1 = cabs1(mr + sr - dr, mi + si - di);
  const d2 = cabs1(mr - sr - dr, mi - si - di);
  return d1 <= d2 ? [mr + sr, mi + si] : [mr - sr, mi - si];
}

/**
 * Reduces the complex upper Hessenberg `t` (n×n) to upper triangular Schur form in place,
 * accumulating into `z` (the Hessenberg Q on entry) when given.
 */
export function complexSchur(t: SplitComplex, z: SplitComplex | null, n: number): boolean {
  const { re, im } = t;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i - 1; j++) {
      re[i * n + j] = 0;
      im[i * n + j] = 0;
    }
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm = Math.max(norm, cabs1(re[i]!, im[i]!));
  let hi = n - 1;
  let iter = 0;
  let total = 0;
  const maxIter = 30 * Math.max(n, 10);
  while (hi >= 0) {
    let l = hi;
    for (; l > 0; l--) {
      const d0 = (l - 1) * n + l - 1;
      const d1 = l * n + l;
      let s = cabs1(re[d0]!, im[d0]!) + cabs1(re[d1]!, im[d1]!);
      if (s === 0) s = norm;
      const sub = l * n + l - 1;
      if (cabs1(re[sub]!, im[sub]!) <= Math.max(EPS * s, SAFE_MIN)) {
        re[sub] = 0;
        im[sub] = 0;
        break;
      }
    }
    if (l === hi) {
      hi -= 1;
      iter = 0;
      continue;
    }
    if (++total > maxIter) return false;
    iter++;
    let sr: number;
    let si: number;
    const at = (i: number, j: number): number => i * n + j;
    if (iter % 10 === 0) {
      // Exceptional shift (zlahqr's): perturb by a multiple of the subdiagonal.
      const e =
        0.75 * Math.abs(re[at(iter % 20 === 0 ? hi : l + 1, iter % 20 === 0 ? hi - 1 : l)]!);
      const base = iter % 20 === 0 ? at(hi, hi) : at(l, l);
      sr = e + re[base]!;
      si = im[base]!;
    } else {
      const a = at(hi - 1, hi - 1);
      const b = at(hi - 1, hi);
      const c = at(hi, hi - 1);
      const d = at(hi, hi);
      [sr, si] = wilkinson(re[a]!, im[a]!, re[b]!, im[b]!, re[c]!, im[c]!, re[d]!, im[d]!);
    }
    for (let k = l; k < hi; k++) {
      // The 2-vector to annihilate: first column of H − σI, then the bulge.
      let v0r: number;
      let v0i: number;
      let v1r: number;
      let v1i: number;
      if (k === l) {
        v0r = re[at(l, l)]! - sr;
        v0i = im[at(l, l)]! - si;
        v1r = re[at(l + 1, l)]!;
        v1i = im[at(l + 1, l)]!;
      } else {
        v0r = re[at(k, k - 1)]!;
        v0i = im[at(k, k - 1)]!;
        v1r = re[at(k + 1, k - 1)]!;
        v1i = im[at(k + 1, k - 1)]!;
      }
      // zlarfg on (v0; v1): β real, τ, v = [1, w].
      const xnorm = Math.hypot(v1r, v1i);
      if (xnorm === 0 && v0i === 0) {
        if (k > l) {
          re[at(k + 1, k - 1)] = 0;
          im[at(k + 1, k - 1)] = 0;
        }
        continue;
      }
      const beta = -(v0r >= 0 ? 1 : -1) * Math.hypot(v0r, v0i, xnorm);
      const tr = (beta - v0r) / beta;
      const ti = -v0i / beta;
      const dr = v0r - beta;
      const di = v0i;
      const dd = dr * dr + di * di;
      const wr = (v1r * dr + v1i * di) / dd;
      const wi = (v1i * dr - v1r * di) / dd;
      if (k > l) {
        re[at(k, k - 1)] = beta;
        im[at(k, k - 1)] = 0;
        re[at(k + 1, k - 1)] = 0;
        im[at(k + 1, k - 1)] = 0;
      }
      // Left, Hᴴ = I − conj(τ)·v·vᴴ on rows k, k+1, columns k…n−1.
      for (let j = k; j < n; j++) {
        const xr = re[at(k, j)]!;
        const xi = im[at(k, j)]!;
        const yr = re[at(k + 1, j)]!;
        const yi = im[at(k + 1, j)]!;
        // s = x + conj(w)·y
        const s_r = xr + wr * yr + wi * yi;
        const s_i = xi + wr * yi - wi * yr;
        // f = conj(τ)·s
        const fr = tr * s_r + ti * s_i;
        const fi = tr * s_i - ti * s_r;
        re[at(k, j)] = xr - fr;
        im[at(k, j)] = xi - fi;
        re[at(k + 1, j)] = yr - (wr * fr - wi * fi);
        im[at(k + 1, j)] = yi - (wr * fi + wi * fr);
      }
      // Right, H = I − τ·v·vᴴ on columns k, k+1.
      const applyRight = (mre: Float64Array, mim: Float64Array, last: number): void => {
        for (let i = 0; i <= last; i++) {
          const xr = mre[at(i, k)]!;
          const xi = mim[at(i, k)]!;
          const yr = mre[at(i, k + 1)]!;
          const yi = mim[at(i, k + 1)]!;
          // s = x + y·w
          const s_r = xr + yr * wr - yi * wi;
          const s_i = xi + yr * wi + yi * wr;
          const fr = tr * s_r - ti * s_i;
          const fi = tr * s_i + ti * s_r;
          mre[at(i, k)] = xr - fr;
          mim[at(i, k)] = xi - fi;
          // y −= f·conj(w)
          mre[at(i, k + 1)] = yr - (fr * wr + fi * wi);
          mim[at(i, k + 1)] = yi - (fi * wr - fr * wi);
        }
      };
      applyRight(re, im, Math.min(k + 2, hi));
      if (z) applyRight(z.re, z.im, n - 1);
    }
  }
  for (let i = 1; i < n; i++)
    for (let j = 0; j < i; j++) {
      re[i * n + j] = 0;
      im[i * n + j] = 0;
    }
  return true;
}
