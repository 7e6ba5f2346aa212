/**
 * Real Schur form of a real upper Hessenberg matrix by the Francis implicit double-shift QR
 * iteration (the algorithm of LAPACK's dlahqr, written from Golub & Van Loan §7.5): the whole
 * matrix T and the Schur vectors Z are updated (A = Z·T·Zᵀ), small subdiagonal entries
 * deflate, exceptional shifts every tenth iteration break cycles, and each converged 2×2 block
 * is brought to LAPACK's standard form (dlanv2): equal diagonal with b·c < 0 for a complex pair,
 * upper triangular for two real eigenvalues. Returns false when the iteration does not
 * converge (callers write NaNs, as JAX does for a failed LAPACK call).
 */

const EPS = 2 ** -52;
const SAFE_MIN = 2 ** -1022;

/** Rotation [x; y] ← [c·x + s·y; c·y − s·x] of rows r1, r2 of T over columns c0…c1−1. */
function rotRows(
  t: Float64Array,
  n: number,
  r1: number,
  r2: number,
  c0: number,
  c1: number,
  c: number,
  s: number,
): void {
  for (let j = c0; j < c1; j++) {
    const x = t[r1 * n + j]!;
    const y = t[r2 * n + j]!;
    t[r1 * n + j] = c * x + s * y;
    t[r2 * n + j] = c * y - s * x;
  }
}

/** The same rotation of columns k1, k2 over rows r0…r1−1. */
function rotCols(
  t: Float64Array,
  n: number,
  k1: number,
  k2: number,
  r0: number,
  r1: number,
  c: number,
  s: number,
): void {
  for (let i = r0; i < r1; i++) {
    const x = t[i * n + k1]!;
    const y = t[i * n + k2]!;
    t[i * n + k1] = c * x + s * y;
    t[i * n + k2] = c * y - s * x;
  }
}

const sign = (a: number, b: number): number => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/**
 * Standardizes the 2×2 block [a b; c d] (dlanv2's algorithm): returns the new block and the
 * rotation (cs, sn) with [a b; c d]_old = [cs −sn; sn cs]·new·[cs sn; −sn cs].
 */
export function standardize2x2(
  a0: number,
  b0: number,
  c0: number,
  d0: number,
): [number, number, number, number, number, number] {
  let a = a0;
  let b = b0;
  let c = c0;
  let d = d0;
  let cs = 1;
  let sn = 0;
  if (c === 0) {
    // already upper triangular
  } else if (b === 0) {
    cs = 0;
    sn = 1;
    const t = d;
    d = a;
    a = t;
    b = -c;
    c = 0;
  } else if (a - d === 0 && Math.sign(b) !== Math.sign(c)) {
    // already standard
  } else {
    const temp = a - d;
    let p = 0.5 * temp;
    const bcmax = Math.max(Math.abs(b), Math.abs(c));
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * Math.sign(b) * Math.sign(c);
    const scale = Math.max(Math.abs(p), bcmax);
    let z = (p / scale) * p + (bcmax / scale) * bcmis;
    if (z >= 4 * EPS) {
      // Real eigenvalues: make the block upper triangular.
      z = p + sign(Math.sqrt(scale) * Math.sqrt(z), p);
      a = d + z;
      d = d - (bcmax / z) * bcmis;
      const tau = Math.hypot(c, z);
      cs = z / tau;
      sn = c / tau;
      b = b - c;
      c = 0;
    } else {
      // Complex or nearly equal real eigenvalues: make the diagonal equal.
      const sigma = b + c;
      const tau = Math.hypot(sigma, temp);
      cs = Math.sqrt(0.5 * (1 + Math.abs(sigma) / tau));
      sn = -(p / (tau * cs)) * (sigma >= 0 ? 1 : -1);
      const aa = a * cs + b * sn;
      const bb = -a * sn + b * cs;
      const cc = c * cs + d * sn;
      const dd = -c * sn + d * cs;
      a = aa * cs + cc * sn;
      b = bb * cs + dd * sn;
      c = -aa * sn + cc * cs;
      d = -bb * sn + dd * cs;
      const mid = 0.5 * (a + d);
      a = mid;
      d = mid;
      if (c !== 0) {
        if (b !== 0) {
          if (Math.sign(b) === Math.sign(c)) {
            // Real eigenvalues after all: reduce to upper triangular.
            const sab = Math.sqrt(Math.abs(b));
            const sac = Math.sqrt(Math.abs(c));
            p = sign(sab * sac, c);
            const t = 1 / Math.sqrt(Math.abs(b + c));
            a = mid + p;
            d = mid - p;
            b = b - c;
            c = 0;
            const cs1 = sab * t;
            const sn1 = sac * t;
            const ncs = cs * cs1 - sn * sn1;
            sn = cs * sn1 + sn * cs1;
            cs = ncs;
          }
        } else {
          b = -c;
          c = 0;
          const t = cs;
          cs = -sn;
          sn = t;
        }
      }
    }
  }
  return [a, b, c, d, cs, sn];
}

/** Standardizes the 2×2 block at rows/columns (i, i+1) of T and applies its rotation to T and Z. */
function standardizeBlock(t: Float64Array, z: Float64Array | null, n: number, i: number): void {
  const j = i + 1;
  const [a, b, c, d, cs, sn] = standardize2x2(
    t[i * n + i]!,
    t[i * n + j]!,
    t[j * n + i]!,
    t[j * n + j]!,
  );
  t[i * n + i] = a;
  t[i * n + j] = b;
  t[j * n + i] = c;
  t[j * n + j] = d;
  rotRows(t, n, i, j, j + 1, n, cs, sn);
  rotCols(t, n, i, j, 0, i, cs, sn);
  if (z) rotCols(z, n, i, j, 0, n, cs, sn);
}

/** The double shift (sum s and product p of two shifts) from a 2×2 matrix [h11 h12; h21 h22]. */
function shiftPair(h11: number, h12: number, h21: number, h22: number): [number, number] {
  const tr = 0.5 * (h11 + h22);
  const det = (h11 - tr) * (h22 - tr) - h12 * h21;
  const rt = Math.sqrt(Math.abs(det));
  if (det >= 0) return [2 * tr, tr * tr + det]; // complex pair tr ± i·rt
  // Two real shifts: use the one closer to h22 twice.
  const r1 = tr + rt;
  const r2 = tr - rt;
  const r = Math.abs(r1 - h22) <= Math.abs(r2 - h22) ? r1 : r2;
  return [2 * r, r * r];
}

/**
 * Reduces the real upper Hessenberg `t` (n×n, row-major) to real Schur form in place,
 * accumulating the transformations into `z` (which holds the Hessenberg reduction's Q on
 * entry) when given. Entries below the subdiagonal are ignored and set to zero.
 */
export function realSchur(t: Float64Array, z: Float64Array | null, n: number): boolean {
  for (let i = 0; i < n; i++) for (let j = 0; j < i - 1; j++) t[i * n + j] = 0;
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm = Math.max(norm, Math.abs(t[i]!));
  const v = [0, 0, 0];
  let hi = n - 1;
  let iter = 0;
  const maxIter = 30 * Math.max(n, 10);
  let total = 0;
  while (hi >= 0) {
    let l = hi;
    for (; l > 0; l--) {
      let s = Math.abs(t[(l - 1) * n + l - 1]!) + Math.abs(t[l * n + l]!);
      if (s === 0) s = norm;
      if (Math.abs(t[l * n + l - 1]!) <= Math.max(EPS * s, SAFE_MIN)) {
        t[l * n + l - 1] = 0;
        break;
      }
    }
    if (l === hi) {
      hi -= 1;
      iter = 0;
      continue;
    }
    if (l === hi - 1) {
      standardizeBlock(t, z, n, hi - 1);
      hi -= 2;
      iter = 0;
      continue;
    }
    if (++total > maxIter) return false;
    iter++;
    const at = (i: number, j: number): number => t[i * n + j]!;
    let s: number;
    let p: number;
    if (iter % 10 === 0) {
      // Exceptional shifts (dlahqr's): from the top of the block, then from the bottom.
      const e =
        iter % 20 === 0
          ? Math.abs(at(hi, hi - 1)) + Math.abs(at(hi - 1, hi - 2))
          : Math.abs(at(l + 1, l)) + Math.abs(at(l + 2, l + 1));
      const h11 = 0.75 * e + (iter % 20 === 0 ? at(hi, hi) : at(l, l));
      [s, p] = shiftPair(h11, -0.4375 * e, e, h11);
    } else {
      [s, p] = shiftPair(at(hi - 1, hi - 1), at(hi - 1, hi), at(hi, hi - 1), at(hi, hi));
    }
    // Find where the bulge starts: two consecutive small subdiagonals.
    let m = hi - 2;
    for (; ; m--) {
      const hmm = at(m, m);
      const h21 = at(m + 1, m);
      let v0 = hmm * (hmm - s) + at(m, m + 1) * h21 + p;
      let v1 = h21 * (hmm + at(m + 1, m + 1) - s);
      let v2 = h21 * at(m + 2, m + 1);
      const sc = Math.abs(v0) + Math.abs(v1) + Math.abs(v2);
      if (sc !== 0) {
        v0 /= sc;
        v1 /= sc;
        v2 /= sc;
      }
      v[0] = v0;
      v[1] = v1;
      v[2] = v2;
      if (m === l) break;
      const lhs = Math.abs(at(m, m - 1)) * (Math.abs(v1) + Math.abs(v2));
      const rhs =
        EPS *
        Math.abs(v0) *
        (Math.abs(at(m - 1, m - 1)) + Math.abs(hmm) + Math.abs(at(m + 1, m + 1)));
      if (lhs <= rhs) break;
    }
    // Chase the bulge down with 3×3 (last: 2×2) reflectors.
    for (let k = m; k < hi; k++) {
      const nr = Math.min(3, hi - k + 1);
      if (k > m) {
        v[0] = at(k, k - 1);
        v[1] = at(k + 1, k - 1);
        v[2] = nr === 3 ? at(k + 2, k - 1) : 0;
      }
      const alpha = v[0]!;
      const xnorm = Math.hypot(v[1]!, nr === 3 ? v[2]! : 0);
      if (xnorm === 0) {
        if (k > m) {
          t[(k + 1) * n + k - 1] = 0;
          if (nr === 3) t[(k + 2) * n + k - 1] = 0;
        }
        continue;
      }
      const beta = -sign(Math.hypot(alpha, xnorm), alpha);
      const tau = (beta - alpha) / beta;
      const v1 = v[1]! / (alpha - beta);
      const v2 = nr === 3 ? v[2]! / (alpha - beta) : 0;
      if (k > m) {
        t[k * n + k - 1] = beta;
        t[(k + 1) * n + k - 1] = 0;
        if (nr === 3) t[(k + 2) * n + k - 1] = 0;
      } else if (m > l) {
        t[k * n + k - 1] *= 1 - tau;
      }
      // Left: rows k…k+nr−1, columns k…n−1.
      for (let j = k; j < n; j++) {
        let d = t[k * n + j]! + v1 * t[(k + 1) * n + j]!;
        if (nr === 3) d += v2 * t[(k + 2) * n + j]!;
        d *= tau;
        t[k * n + j] = t[k * n + j]! - d;
        t[(k + 1) * n + j] = t[(k + 1) * n + j]! - d * v1;
        if (nr === 3) t[(k + 2) * n + j] = t[(k + 2) * n + j]! - d * v2;
      }
      // Right: columns k…k+nr−1, rows 0…min(k+3, hi).
      const rows = Math.min(k + 3, hi);
      const applyRight = (mat: Float64Array, r1: number): void => {
        for (let i = 0; i <= r1; i++) {
          let d = mat[i * n + k]! + v1 * mat[i * n + k + 1]!;
          if (nr === 3) d += v2 * mat[i * n + k + 2]!;
          d *= tau;
          mat[i * n + k] = mat[i * n + k]! - d;
          mat[i * n + k + 1] = mat[i * n + k + 1]! - d * v1;
          if (nr === 3) mat[i * n + k + 2] = mat[i * n + k + 2]! - d * v2;
        }
      };
      applyRight(t, rows);
      if (z) applyRight(z, n - 1);
    }
  }
  return true;
}
