/**
 * Real-input transforms of one line over Float64Array, built on the complex plans
 * (fft-plan.ts). For even n the n reals are read as n/2 complex values z_k = x_2k + i·x_2k+1,
 * transformed at half length, and split (E: spectrum of the evens, O: of the odds):
 *   E_k = (Z_k + conj(Z_{h−k}))/2,  O_k = −i·(Z_k − conj(Z_{h−k}))/2,  X_k = E_k + ω_n^k·O_k,
 * with h = n/2; the inverse runs the same identities backwards. Odd n uses the full-length
 * complex transform. The inverse reads the first n//2+1 coefficients (zeros past the input),
 * treats the imaginary parts of X_0 (and X_{n/2} for even n) as zero, as numpy's irfft does,
 * and is normalized by 1/n.
 */
import { complexTransform, planFor } from "./fft-plan.js";

/** ω_n^k = e^{−2πi k/n} for k ≤ n/2, interleaved, per even n (a few kept). */
const halfTwiddles = new Map<number, Float64Array>();

function twiddlesFor(n: number): Float64Array {
  let t = halfTwiddles.get(n);
  if (!t) {
    const h = n / 2;
    t = new Float64Array(2 * (h + 1));
    for (let k = 0; k <= h; k++) {
      const a = (-2 * Math.PI * k) / n;
      t[2 * k] = Math.cos(a);
      t[2 * k + 1] = Math.sin(a);
    }
    if (halfTwiddles.size >= 16) halfTwiddles.delete(halfTwiddles.keys().next().value!);
    halfTwiddles.set(n, t);
  }
  return t;
}

/** Scratch lines grown on demand (one pair per thread). */
let scratchA = new Float64Array(0);
let scratchB = new Float64Array(0);

function scratch(len: number): [Float64Array, Float64Array] {
  if (scratchA.length < len) {
    scratchA = new Float64Array(len);
    scratchB = new Float64Array(len);
  }
  return [scratchA.subarray(0, len), scratchB.subarray(0, len)];
}

/**
 * rfft: `x` holds n reals; writes n//2+1 interleaved coefficients to `out`.
 */
export function realForward(x: Float64Array, n: number, out: Float64Array): void {
  if (n % 2 === 1) {
    const [a, b] = scratch(2 * n);
    for (let i = 0; i < n; i++) {
      a[2 * i] = x[i]!;
      a[2 * i + 1] = 0;
    }
    const r = complexTransform(planFor(n), a, b, false);
    for (let i = 0; i < n + 1; i++) out[i] = r[i]!;
    return;
  }
  const h = n / 2;
  const [a, b] = scratch(n);
  for (let i = 0; i < n; i++) a[i] = x[i]!;
  const z = complexTransform(planFor(h), a, b, false);
  const w = twiddlesFor(n);
  for (let k = 0; k <= h; k++) {
    const j = k === h ? 0 : k;
    const c = k === 0 ? 0 : h - k;
    const zr = z[2 * j]!;
    const zi = z[2 * j + 1]!;
    const cr = z[2 * c]!;
    const ci = -z[2 * c + 1]!;
    const er = 0.5 * (zr + cr);
    const ei = 0.5 * (zi + ci);
    // O = −i·(Z − Zc)/2 = ((zi − ci)/2, −(zr − cr)/2).
    const or = 0.5 * (zi - ci);
    const oi = -0.5 * (zr - cr);
    const wr = w[2 * k]!;
    const wi = w[2 * k + 1]!;
    out[2 * k] = er + or * wr - oi * wi;
    out[2 * k + 1] = ei + or * wi + oi * wr;
  }
}

/**
 * irfft: `spec` holds `m` interleaved coefficients (m may differ from n//2+1); writes n reals
 * to `out`, normalized by 1/n.
 */
export function realInverse(spec: Float64Array, m: number, n: number, out: Float64Array): void {
  const half = Math.floor(n / 2);
  const coef = (k: number, part: 0 | 1): number => {
    if (k >= m) return 0;
    if (part === 1 && (k === 0 || 2 * k === n)) return 0;
    return spec[2 * k + part]!;
  };
  if (n % 2 === 1) {
    const [a, b] = scratch(2 * n);
    a[0] = coef(0, 0);
    a[1] = 0;
    for (let k = 1; k <= half; k++) {
      const re = coef(k, 0);
      const im = coef(k, 1);
      a[2 * k] = re;
      a[2 * k + 1] = im;
      a[2 * (n - k)] = re;
      a[2 * (n - k) + 1] = -im;
    }
    const r = complexTransform(planFor(n), a, b, true);
    for (let i = 0; i < n; i++) out[i] = r[2 * i]! / n;
    return;
  }
  const h = half;
  const [a, b] = scratch(n);
  const w = twiddlesFor(n);
  for (let k = 0; k < h; k++) {
    const xr = coef(k, 0);
    const xi = coef(k, 1);
    const cr = coef(h - k, 0);
    const ci = -coef(h - k, 1);
    const er = 0.5 * (xr + cr);
    const ei = 0.5 * (xi + ci);
    const dr = 0.5 * (xr - cr);
    const di = 0.5 * (xi - ci);
    // O = D · conj(ω^k); Z = E + i·O.
    const wr = w[2 * k]!;
    const wi = -w[2 * k + 1]!;
    const or = dr * wr - di * wi;
    const oi = dr * wi + di * wr;
    a[2 * k] = er - oi;
    a[2 * k + 1] = ei + or;
  }
  const z = complexTransform(planFor(h), a, b, true);
  for (let i = 0; i < n; i++) out[i] = z[i]! / h;
}
