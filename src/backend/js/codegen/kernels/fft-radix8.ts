/**
 * The radix-8 Stockham pass of fft-stockham.ts (its largest butterfly, kept in its own file):
 * two radix-4 butterflies over the even and odd inputs joined by the eighth roots of unity.
 */
import type { Stage } from "./fft-stage.js";

/** 1/√2: ω_8 = (1 − i)/√2. */
const SQRT_HALF = Math.SQRT1_2;

/**
 * Radix 8 as two radix-4 butterflies (even and odd inputs) joined by ω_8^k:
 * b_k = e_k + ω_8^k·o_k, b_{k+4} = e_k − ω_8^k·o_k.
 */
export function radix8(st: Stage, x: Float64Array, y: Float64Array): void {
  const s = st.stride;
  const m = st.len / 8;
  const tw = st.twiddles;
  const sm2 = 2 * s * m;
  const s2 = 2 * s;
  for (let p = 0; p < m; p++) {
    const tp = 14 * p;
    for (let q = 0; q < s; q++) {
      const i0 = 2 * (q + s * p);
      // Even inputs a0, a2, a4, a6.
      const a0r = x[i0]!;
      const a0i = x[i0 + 1]!;
      const a2r = x[i0 + 2 * sm2]!;
      const a2i = x[i0 + 2 * sm2 + 1]!;
      const a4r = x[i0 + 4 * sm2]!;
      const a4i = x[i0 + 4 * sm2 + 1]!;
      const a6r = x[i0 + 6 * sm2]!;
      const a6i = x[i0 + 6 * sm2 + 1]!;
      const u0r = a0r + a4r;
      const u0i = a0i + a4i;
      const u1r = a0r - a4r;
      const u1i = a0i - a4i;
      const u2r = a2r + a6r;
      const u2i = a2i + a6i;
      const u3r = a2r - a6r;
      const u3i = a2i - a6i;
      const e0r = u0r + u2r;
      const e0i = u0i + u2i;
      const e2r = u0r - u2r;
      const e2i = u0i - u2i;
      const e1r = u1r + u3i;
      const e1i = u1i - u3r;
      const e3r = u1r - u3i;
      const e3i = u1i + u3r;
      // Odd inputs a1, a3, a5, a7.
      const a1r = x[i0 + sm2]!;
      const a1i = x[i0 + sm2 + 1]!;
      const a3r = x[i0 + 3 * sm2]!;
      const a3i = x[i0 + 3 * sm2 + 1]!;
      const a5r = x[i0 + 5 * sm2]!;
      const a5i = x[i0 + 5 * sm2 + 1]!;
      const a7r = x[i0 + 7 * sm2]!;
      const a7i = x[i0 + 7 * sm2 + 1]!;
      const v0r = a1r + a5r;
      const v0i = a1i + a5i;
      const v1r = a1r - a5r;
      const v1i = a1i - a5i;
      const v2r = a3r + a7r;
      const v2i = a3i + a7i;
      const v3r = a3r - a7r;
      const v3i = a3i - a7i;
      const o0r = v0r + v2r;
      const o0i = v0i + v2i;
      const o2r = v0r - v2r;
      const o2i = v0i - v2i;
      const o1r = v1r + v3i;
      const o1i = v1i - v3r;
      const o3r = v1r - v3i;
      const o3i = v1i + v3r;
      // ω_8·o1, −i·o2, ω_8³·o3.
      const w1r = SQRT_HALF * (o1r + o1i);
      const w1i = SQRT_HALF * (o1i - o1r);
      const w2r = o2i;
      const w2i = -o2r;
      const w3r = SQRT_HALF * (o3i - o3r);
      const w3i = -SQRT_HALF * (o3r + o3i);
      const o = 2 * (q + s * 8 * p);
      y[o] = e0r + o0r;
      y[o + 1] = e0i + o0i;
      store(y, o + s2, e1r + w1r, e1i + w1i, tw, tp);
      store(y, o + 2 * s2, e2r + w2r, e2i + w2i, tw, tp + 2);
      store(y, o + 3 * s2, e3r + w3r, e3i + w3i, tw, tp + 4);
      store(y, o + 4 * s2, e0r - o0r, e0i - o0i, tw, tp + 6);
      store(y, o + 5 * s2, e1r - w1r, e1i - w1i, tw, tp + 8);
      store(y, o + 6 * s2, e2r - w2r, e2i - w2i, tw, tp + 10);
      store(y, o + 7 * s2, e3r - w3r, e3i - w3i, tw, tp + 12);
    }
  }
}

/** y[o] = (vr + i·vi) · twiddle at `t`. */
function store(
  y: Float64Array,
  o: number,
  vr: number,
  vi: number,
  tw: Float64Array,
  t: number,
): void {
  const wr = tw[t]!;
  const wi = tw[t + 1]!;
  y[o] = vr * wr - vi * wi;
  y[o + 1] = vr * wi + vi * wr;
}
