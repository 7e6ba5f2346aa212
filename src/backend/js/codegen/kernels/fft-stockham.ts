/**
 * Stockham autosort FFT over interleaved (re, im) Float64Array lines, for lengths whose prime
 * factors are 2, 3, 5 and 7: radix-8 and radix-4 stages (a radix-2 one for 2·4^k), then
 * radix-3, -5 and -7. Each stage reads one buffer and writes the other in natural order (no
 * bit reversal); twiddles are precomputed per stage in double precision. Forward only
 * (e^{-2πi jk/n}); inverses conjugate on the way in and out (see fft-plan.ts).
 *
 * Stage with current length L, stride s, radix P, m = L/P (indices in complex elements):
 *   y[q + s·(P·p + k)] = ω_L^{p·k} · Σ_t x[q + s·(p + t·m)] · ω_P^{t·k},  p < m, q < s
 * and the next stage has L' = m, s' = s·P.
 */

import { radix8 } from "./fft-radix8.js";
import type { Stage } from "./fft-stage.js";

/** A plan for the forward transform of one smooth length (prime factors 2, 3, 5, 7). */
export interface StockhamPlan {
  readonly n: number;
  readonly stages: readonly Stage[];
}

/** The radices of a Stockham plan for n, or undefined when n has a prime factor above 7. */
export function smoothRadices(n: number): number[] | undefined {
  const radices: number[] = [];
  let r = n;
  while (r % 8 === 0) {
    radices.push(8);
    r /= 8;
  }
  while (r % 4 === 0) {
    radices.push(4);
    r /= 4;
  }
  if (r % 2 === 0) {
    radices.push(2);
    r /= 2;
  }
  for (const p of [3, 5, 7]) {
    while (r % p === 0) {
      radices.push(p);
      r /= p;
    }
  }
  return r === 1 ? radices : undefined;
}

/** Build the plan for a smooth length (its radices from `smoothRadices`). */
export function stockhamPlan(n: number, radices: readonly number[]): StockhamPlan {
  const stages: Stage[] = [];
  let len = n;
  let stride = 1;
  for (const radix of radices) {
    const m = len / radix;
    const twiddles = new Float64Array(2 * m * (radix - 1));
    for (let p = 0; p < m; p++) {
      for (let k = 1; k < radix; k++) {
        // Reduce p·k modulo L exactly (integers) before the angle: accurate for large L.
        const e = (p * k) % len;
        const angle = (-2 * Math.PI * e) / len;
        const at = 2 * (p * (radix - 1) + k - 1);
        twiddles[at] = Math.cos(angle);
        twiddles[at + 1] = Math.sin(angle);
      }
    }
    stages.push({ radix, len, stride, twiddles });
    stride *= radix;
    len = m;
  }
  return { n, stages };
}

/**
 * Forward transform of `x` (2n doubles, clobbered) using `y` (2n doubles) as the other
 * buffer; returns whichever of the two holds the result.
 */
export function stockhamForward(
  plan: StockhamPlan,
  x: Float64Array,
  y: Float64Array,
): Float64Array {
  let src = x;
  let dst = y;
  for (const st of plan.stages) {
    switch (st.radix) {
      case 8:
        radix8(st, src, dst);
        break;
      case 4:
        radix4(st, src, dst);
        break;
      case 2:
        radix2(st, src, dst);
        break;
      case 3:
        radix3(st, src, dst);
        break;
      default:
        radixOdd(st, src, dst);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

function radix2(st: Stage, x: Float64Array, y: Float64Array): void {
  const s = st.stride;
  const m = st.len / 2;
  const tw = st.twiddles;
  for (let p = 0; p < m; p++) {
    const wr = tw[2 * p]!;
    const wi = tw[2 * p + 1]!;
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * p);
      const i1 = i0 + 2 * s * m;
      const ar = x[i0]!;
      const ai = x[i0 + 1]!;
      const br = x[i1]!;
      const bi = x[i1 + 1]!;
      const o0 = 2 * (q + s * 2 * p);
      const o1 = o0 + 2 * s;
      y[o0] = ar + br;
      y[o0 + 1] = ai + bi;
      const dr = ar - br;
      const di = ai - bi;
      y[o1] = dr * wr - di * wi;
      y[o1 + 1] = dr * wi + di * wr;
    }
  }
}

function radix4(st: Stage, x: Float64Array, y: Float64Array): void {
  const s = st.stride;
  const m = st.len / 4;
  const tw = st.twiddles;
  const sm2 = 2 * s * m;
  for (let p = 0; p < m; p++) {
    const w1r = tw[6 * p]!;
    const w1i = tw[6 * p + 1]!;
    const w2r = tw[6 * p + 2]!;
    const w2i = tw[6 * p + 3]!;
    const w3r = tw[6 * p + 4]!;
    const w3i = tw[6 * p + 5]!;
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * p);
      const i1 = i0 + sm2;
      const i2 = i1 + sm2;
      const i3 = i2 + sm2;
      const a0r = x[i0]!;
      const a0i = x[i0 + 1]!;
      const a1r = x[i1]!;
      const a1i = x[i1 + 1]!;
      const a2r = x[i2]!;
      const a2i = x[i2 + 1]!;
      const a3r = x[i3]!;
      const a3i = x[i3 + 1]!;
      const t0r = a0r + a2r;
      const t0i = a0i + a2i;
      const t1r = a0r - a2r;
      const t1i = a0i - a2i;
      const t2r = a1r + a3r;
      const t2i = a1i + a3i;
      const t3r = a1r - a3r;
      const t3i = a1i - a3i;
      // b1 = t1 - i·t3, b3 = t1 + i·t3.
      const b1r = t1r + t3i;
      const b1i = t1i - t3r;
      const b2r = t0r - t2r;
      const b2i = t0i - t2i;
      const b3r = t1r - t3i;
      const b3i = t1i + t3r;
      const o0 = 2 * (q + s * 4 * p);
      const o1 = o0 + 2 * s;
      const o2 = o1 + 2 * s;
      const o3 = o2 + 2 * s;
      y[o0] = t0r + t2r;
      y[o0 + 1] = t0i + t2i;
      y[o1] = b1r * w1r - b1i * w1i;
      y[o1 + 1] = b1r * w1i + b1i * w1r;
      y[o2] = b2r * w2r - b2i * w2i;
      y[o2 + 1] = b2r * w2i + b2i * w2r;
      y[o3] = b3r * w3r - b3i * w3i;
      y[o3 + 1] = b3r * w3i + b3i * w3r;
    }
  }
}

/** √3/2: the imaginary part of ω_3 (up to sign). */
const SIN_60 = Math.sqrt(3) / 2;

function radix3(st: Stage, x: Float64Array, y: Float64Array): void {
  const s = st.stride;
  const m = st.len / 3;
  const tw = st.twiddles;
  const sm2 = 2 * s * m;
  for (let p = 0; p < m; p++) {
    const w1r = tw[4 * p]!;
    const w1i = tw[4 * p + 1]!;
    const w2r = tw[4 * p + 2]!;
    const w2i = tw[4 * p + 3]!;
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * p);
      const i1 = i0 + sm2;
      const i2 = i1 + sm2;
      const a0r = x[i0]!;
      const a0i = x[i0 + 1]!;
      const sr = x[i1]! + x[i2]!;
      const si = x[i1 + 1]! + x[i2 + 1]!;
      const dr = SIN_60 * (x[i1]! - x[i2]!);
      const di = SIN_60 * (x[i1 + 1]! - x[i2 + 1]!);
      const cr = a0r - 0.5 * sr;
      const ci = a0i - 0.5 * si;
      // b1 = c - i·d, b2 = c + i·d.
      const b1r = cr + di;
      const b1i = ci - dr;
      const b2r = cr - di;
      const b2i = ci + dr;
      const o0 = 2 * (q + s * 3 * p);
      const o1 = o0 + 2 * s;
      const o2 = o1 + 2 * s;
      y[o0] = a0r + sr;
      y[o0 + 1] = a0i + si;
      y[o1] = b1r * w1r - b1i * w1i;
      y[o1 + 1] = b1r * w1i + b1i * w1r;
      y[o2] = b2r * w2r - b2i * w2i;
      y[o2 + 1] = b2r * w2i + b2i * w2r;
    }
  }
}

/** cos/sin(2π j k / P) for j, k < P, per odd radix (row-major [j][k]). */
const rootTables = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function rootsOf(radix: number): { cos: Float64Array; sin: Float64Array } {
  let t = rootTables.get(radix);
  if (!t) {
    const cos = new Float64Array(radix * radix);
    const sin = new Float64Array(radix * radix);
    for (let j = 0; j < radix; j++) {
      for (let k = 0; k < radix; k++) {
        const a = (2 * Math.PI * ((j * k) % radix)) / radix;
        cos[j * radix + k] = Math.cos(a);
        sin[j * radix + k] = Math.sin(a);
      }
    }
    t = { cos, sin };
    rootTables.set(radix, t);
  }
  return t;
}

/**
 * An odd prime radix (5, 7) by the symmetric pairs a_j ± a_{P-j}:
 *   b_k = a_0 + Σ_j (a_j + a_{P-j})·cos(2πjk/P) − i·Σ_j (a_j − a_{P-j})·sin(2πjk/P),
 * and b_{P-k} the same with +i.
 */
function radixOdd(st: Stage, x: Float64Array, y: Float64Array): void {
  const P = st.radix;
  const h = (P - 1) / 2;
  const s = st.stride;
  const m = st.len / P;
  const tw = st.twiddles;
  const { cos, sin } = rootsOf(P);
  const sum = new Float64Array(2 * (h + 1));
  const dif = new Float64Array(2 * (h + 1));
  const b = new Float64Array(2 * P);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < s; q++) {
      const base = 2 * (q + s * p);
      const step = 2 * s * m;
      const a0r = x[base]!;
      const a0i = x[base + 1]!;
      for (let j = 1; j <= h; j++) {
        const ij = base + j * step;
        const ik = base + (P - j) * step;
        sum[2 * j] = x[ij]! + x[ik]!;
        sum[2 * j + 1] = x[ij + 1]! + x[ik + 1]!;
        dif[2 * j] = x[ij]! - x[ik]!;
        dif[2 * j + 1] = x[ij + 1]! - x[ik + 1]!;
      }
      let r0 = a0r;
      let i0 = a0i;
      for (let j = 1; j <= h; j++) {
        r0 += sum[2 * j]!;
        i0 += sum[2 * j + 1]!;
      }
      b[0] = r0;
      b[1] = i0;
      for (let k = 1; k <= h; k++) {
        let ar = a0r;
        let ai = a0i;
        let br = 0;
        let bi = 0;
        for (let j = 1; j <= h; j++) {
          const c = cos[j * P + k]!;
          const sn = sin[j * P + k]!;
          ar += sum[2 * j]! * c;
          ai += sum[2 * j + 1]! * c;
          br += dif[2 * j]! * sn;
          bi += dif[2 * j + 1]! * sn;
        }
        // −i·B = (Bi, −Br).
        b[2 * k] = ar + bi;
        b[2 * k + 1] = ai - br;
        b[2 * (P - k)] = ar - bi;
        b[2 * (P - k) + 1] = ai + br;
      }
      const o = 2 * (q + s * P * p);
      y[o] = b[0];
      y[o + 1] = b[1];
      for (let k = 1; k < P; k++) {
        const at = 2 * (p * (P - 1) + k - 1);
        const wr = tw[at]!;
        const wi = tw[at + 1]!;
        const vr = b[2 * k]!;
        const vi = b[2 * k + 1]!;
        y[o + 2 * s * k] = vr * wr - vi * wi;
        y[o + 2 * s * k + 1] = vr * wi + vi * wr;
      }
    }
  }
}
