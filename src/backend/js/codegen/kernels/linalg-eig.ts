/**
 * The `schur` and `eig` custom kernels of the js device (the wasm device runs them over its
 * memory). Both start with the Householder Hessenberg reduction and its Q; a real input then
 * goes through the real double-shift QR (real quasi-triangular T, exact conjugate eigenvalue
 * pairs as LAPACK's dgees/dgeev), a complex input through the complex single-shift QR. eig's
 * eigenvectors come from back substitution on the Schur form (block-wise where T has 2×2
 * blocks, as dtrevc), x = Z·y, normalized as LAPACK's geev: unit 2-norm, the component of
 * largest modulus made real (the first one on a tie). Left eigenvectors (uᴴ·A = λ·uᴴ) solve
 * Tᴴ·y = λ̄·y, which is the same back substitution on the index-reversed Tᴴ. All arithmetic is
 * float64; a batch element whose iteration does not converge is written as NaNs (JAX's rule
 * for a failed LAPACK call).
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { complexSchur } from "./linalg-complex-schur.js";
import {
  type SplitComplex,
  formQ,
  hessenbergReduce,
  loadSplit,
  splitComplex,
  storeSplit,
} from "./linalg-hessenberg.js";
import { realSchur } from "./linalg-real-schur.js";

const EPS = 2 ** -52;
const SAFE_MIN = 2 ** -1022;

/**
 * Schur form of the n×n matrix in `t` (in place) with Schur vectors into `z`: real
 * quasi-triangular (imaginary parts zero) for a real input, triangular for a complex one.
 */
function schurForm(t: SplitComplex, z: SplitComplex, n: number, complex: boolean): boolean {
  // A non-finite entry has no Schur form to converge to: NaNs, as a failed LAPACK call.
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(t.re[i]! + t.im[i]!)) return false;
  const tau = splitComplex(Math.max(n - 1, 0));
  hessenbergReduce(t, n, tau);
  // Z = [1 0; 0 Q'] with Q' from the reflectors stored one row below the subdiagonal.
  const m = n - 1;
  const q = splitComplex(m * m);
  formQ(t, n, m, 1, tau, m, q, m);
  z.re.fill(0, 0, n * n);
  z.im.fill(0, 0, n * n);
  if (n > 0) z.re[0] = 1;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      z.re[(i + 1) * n + j + 1] = q.re[i * m + j]!;
      z.im[(i + 1) * n + j + 1] = q.im[i * m + j]!;
    }
  if (complex) return complexSchur(t, z, n);
  t.im.fill(0, 0, n * n);
  z.im.fill(0, 0, n * n);
  return realSchur(t.re, z.re, n);
}

/** Eigenvalues from the diagonal (and standardized 2×2 blocks) of a Schur form. */
function schurEigenvalues(t: SplitComplex, n: number, w: SplitComplex): void {
  for (let i = 0; i < n; i++) {
    w.re[i] = t.re[i * n + i]!;
    w.im[i] = t.im[i * n + i]!;
  }
  for (let i = 0; i + 1 < n; i++) {
    const c = t.re[(i + 1) * n + i]!;
    if (c !== 0) {
      const b = t.re[i * n + i + 1]!;
      const wi = Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c));
      w.im[i] = wi;
      w.im[i + 1] = -wi;
      i++;
    }
  }
}

/** Complex division (a / b) as [re, im]. */
function cdiv(ar: number, ai: number, br: number, bi: number): [number, number] {
  if (Math.abs(br) >= Math.abs(bi)) {
    const r = bi / br;
    const d = br + bi * r;
    return [(ar + ai * r) / d, (ai - ar * r) / d];
  }
  const r = br / bi;
  const d = br * r + bi;
  return [(ar * r + ai) / d, (ai * r - ar) / d];
}

/**
 * Solves (M − λI)·x = 0 for the eigenvector of the upper quasi-triangular M (accessor
 * `mr`/`mi`; 2×2 blocks where the subdiagonal is nonzero) whose eigenvalue λ sits at index j,
 * by back substitution; pivots smaller than `smin` (from λ and `scale`, M's largest entry) are
 * replaced by it (dtrevc's rule).
 */
function quasiTriangularEigvec(
  mr: (i: number, j: number) => number,
  mi: (i: number, j: number) => number,
  n: number,
  j: number,
  lr: number,
  li: number,
  scale: number,
  x: SplitComplex,
): void {
  x.re.fill(0, 0, n);
  x.im.fill(0, 0, n);
  const inBlock = (i: number): boolean => i + 1 < n && (mr(i + 1, i) !== 0 || mi(i + 1, i) !== 0);
  // The block containing j: j alone, or (j−1, j), or (j, j+1).
  let top = j;
  let bottom = j;
  if (j > 0 && inBlock(j - 1)) top = j - 1;
  else if (inBlock(j)) bottom = j + 1;
  const smin = Math.max(EPS * (Math.abs(lr) + Math.abs(li)), EPS * scale, SAFE_MIN);
  if (top === bottom) {
    x.re[j] = 1;
  } else {
    // Null vector of the 2×2 block [a b; c d] − λI: (b, λ − a) or (λ − d, c), the larger.
    const a0r = mr(top, top) - lr,
      a0i = mi(top, top) - li;
    const br = mr(top, bottom),
      bi = mi(top, bottom);
    const cr = mr(bottom, top),
      ci = mi(bottom, top);
    const d0r = mr(bottom, bottom) - lr,
      d0i = mi(bottom, bottom) - li;
    if (Math.hypot(br, bi, a0r, a0i) >= Math.hypot(cr, ci, d0r, d0i)) {
      x.re[top] = br;
      x.im[top] = bi;
      x.re[bottom] = -a0r;
      x.im[bottom] = -a0i;
    } else {
      x.re[top] = -d0r;
      x.im[top] = -d0i;
      x.re[bottom] = cr;
      x.im[bottom] = ci;
    }
  }
  let i = top - 1;
  while (i >= 0) {
    const first = i > 0 && inBlock(i - 1) ? i - 1 : i;
    // rhs_r = −Σ_{p > i} M[r][p]·x[p]
    const rhs: number[] = [];
    for (let r = first; r <= i; r++) {
      let sr = 0,
        si = 0;
      for (let p = i + 1; p <= bottom; p++) {
        const ar = mr(r, p),
          ai = mi(r, p);
        sr += ar * x.re[p]! - ai * x.im[p]!;
        si += ar * x.im[p]! + ai * x.re[p]!;
      }
      rhs.push(-sr, -si);
    }
    if (first === i) {
      let pr = mr(i, i) - lr,
        pi = mi(i, i) - li;
      if (Math.abs(pr) + Math.abs(pi) < smin) {
        pr = smin;
        pi = 0;
      }
      [x.re[i], x.im[i]] = cdiv(rhs[0]!, rhs[1]!, pr, pi);
    } else {
      // 2×2 complex solve by Cramer's rule.
      const ar = mr(first, first) - lr,
        ai = mi(first, first) - li;
      const br = mr(first, i),
        bi = mi(first, i);
      const cr = mr(i, first),
        ci = mi(i, first);
      const dr = mr(i, i) - lr,
        di = mi(i, i) - li;
      let detr = ar * dr - ai * di - (br * cr - bi * ci);
      let deti = ar * di + ai * dr - (br * ci + bi * cr);
      if (Math.abs(detr) + Math.abs(deti) < smin * smin) {
        detr = smin * smin;
        deti = 0;
      }
      const [r0r, r0i, r1r, r1i] = rhs as [number, number, number, number];
      // x0 = (d·r0 − b·r1)/det, x1 = (a·r1 − c·r0)/det
      const n0r = dr * r0r - di * r0i - (br * r1r - bi * r1i);
      const n0i = dr * r0i + di * r0r - (br * r1i + bi * r1r);
      const n1r = ar * r1r - ai * r1i - (cr * r0r - ci * r0i);
      const n1i = ar * r1i + ai * r1r - (cr * r0i + ci * r0r);
      [x.re[first], x.im[first]] = cdiv(n0r, n0i, detr, deti);
      [x.re[i], x.im[i]] = cdiv(n1r, n1i, detr, deti);
    }
    // Rescale when the solution grows large (keeps later sums finite).
    let big = 0;
    for (let p = first; p <= bottom; p++)
      big = Math.max(big, Math.abs(x.re[p]!) + Math.abs(x.im[p]!));
    if (big > 1e100)
      for (let p = first; p <= bottom; p++) {
        x.re[p] = x.re[p]! / big;
        x.im[p] = x.im[p]! / big;
      }
    i = first - 1;
  }
}

/** v = Z·y (columns of `out` at column j), then geev's normalization. */
function storeEigvec(
  z: SplitComplex,
  y: SplitComplex,
  n: number,
  out: SplitComplex,
  j: number,
  reverse: boolean,
): void {
  let ss = 0;
  let best = -1;
  let bestAbs = -1;
  for (let r = 0; r < n; r++) {
    let sr = 0,
      si = 0;
    for (let p = 0; p < n; p++) {
      const q = reverse ? n - 1 - p : p;
      const zr = z.re[r * n + p]!,
        zi = z.im[r * n + p]!;
      sr += zr * y.re[q]! - zi * y.im[q]!;
      si += zr * y.im[q]! + zi * y.re[q]!;
    }
    out.re[r * n + j] = sr;
    out.im[r * n + j] = si;
    const a2 = sr * sr + si * si;
    ss += a2;
    if (a2 > bestAbs) {
      bestAbs = a2;
      best = r;
    }
  }
  const norm = Math.sqrt(ss);
  if (norm === 0 || best < 0) return;
  // Multiply by conj(v_best)/(|v_best|·‖v‖): unit norm, v_best real and positive.
  const br = out.re[best * n + j]!,
    bi = out.im[best * n + j]!;
  const babs = Math.hypot(br, bi);
  const fr = br / (babs * norm),
    fi = -bi / (babs * norm);
  for (let r = 0; r < n; r++) {
    const vr = out.re[r * n + j]!,
      vi = out.im[r * n + j]!;
    out.re[r * n + j] = vr * fr - vi * fi;
    out.im[r * n + j] = vr * fi + vi * fr;
  }
  out.im[best * n + j] = 0;
}

export interface SchurKernelParams {
  batch: number;
  n: number;
  complex: boolean;
  computeSchurVectors: boolean;
}

/** schur: outs = [t] or [t, z] (dtype of the input). */
export function schurKernel(ins: TypedArray[], outs: TypedArray[], p: SchurKernelParams): void {
  const { batch, n, complex } = p;
  const t = splitComplex(n * n);
  const z = splitComplex(n * n);
  for (let b = 0; b < batch; b++) {
    loadSplit(ins[0]!, b * n * n, n * n, complex, t);
    if (!schurForm(t, z, n, complex)) {
      t.re.fill(NaN);
      t.im.fill(NaN);
      z.re.fill(NaN);
      z.im.fill(NaN);
    }
    storeSplit(t, outs[0]!, b * n * n, n * n, complex);
    if (p.computeSchurVectors) storeSplit(z, outs[1]!, b * n * n, n * n, complex);
  }
}

export interface EigKernelParams {
  batch: number;
  n: number;
  complex: boolean;
  left: boolean;
  right: boolean;
}

/** eig: outs = [w, vl?, vr?], all complex (interleaved). */
export function eigKernel(ins: TypedArray[], outs: TypedArray[], p: EigKernelParams): void {
  const { batch, n, complex, left, right } = p;
  const t = splitComplex(n * n);
  const z = splitComplex(n * n);
  const w = splitComplex(n);
  const y = splitComplex(n);
  const vl = splitComplex(n * n);
  const vr = splitComplex(n * n);
  for (let b = 0; b < batch; b++) {
    loadSplit(ins[0]!, b * n * n, n * n, complex, t);
    const ok = schurForm(t, z, n, complex);
    if (ok) {
      schurEigenvalues(t, n, w);
      let scale = 0;
      for (let i = 0; i < n * n; i++)
        scale = Math.max(scale, Math.abs(t.re[i]!) + Math.abs(t.im[i]!));
      for (let j = 0; j < n && (left || right); j++) {
        const lr = w.re[j]!,
          li = w.im[j]!;
        if (right) {
          quasiTriangularEigvec(
            (i, k) => t.re[i * n + k]!,
            (i, k) => t.im[i * n + k]!,
            n,
            j,
            lr,
            li,
            scale,
            y,
          );
          storeEigvec(z, y, n, vr, j, false);
        }
        if (left) {
          // Tᴴ reversed: M[i][k] = conj(T[n−1−k][n−1−i]), eigenvalue λ̄ at n−1−j.
          const at = (i: number, k: number): number => (n - 1 - k) * n + (n - 1 - i);
          quasiTriangularEigvec(
            (i, k) => t.re[at(i, k)]!,
            (i, k) => -t.im[at(i, k)]!,
            n,
            n - 1 - j,
            lr,
            -li,
            scale,
            y,
          );
          storeEigvec(z, y, n, vl, j, true);
        }
      }
    } else {
      for (const m of [w, vl, vr]) {
        m.re.fill(NaN);
        m.im.fill(NaN);
      }
    }
    let o = 0;
    storeSplit(w, outs[o++]!, b * n, n, true);
    if (left) storeSplit(vl, outs[o++]!, b * n * n, n * n, true);
    if (right) storeSplit(vr, outs[o++]!, b * n * n, n * n, true);
  }
}
