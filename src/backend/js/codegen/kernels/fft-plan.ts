/**
 * FFT plans per length: Stockham (fft-stockham.ts) for lengths with prime factors 2, 3, 5, 7,
 * and Bluestein's chirp-z algorithm for every other length (large primes included): the
 * length-n DFT as a circular convolution of length M = 2^⌈log2(2n−1)⌉ computed with the
 * power-of-two Stockham plan,
 *   X_k = w_k · Σ_j (x_j · w_j) · conj(w_{k−j}),  w_k = e^{−πi k²/n}
 * (k² reduced mod 2n in integers, so the chirp is exact to a rounding for any n < 2^26).
 * Plans are cached per length (per thread: each wasm worker holds its own cache).
 * `complexTransform` computes the forward or inverse (unnormalized) transform of one line.
 */
import { type StockhamPlan, smoothRadices, stockhamForward, stockhamPlan } from "./fft-stockham.js";

interface BluesteinPlan {
  readonly m: number;
  readonly inner: StockhamPlan;
  /** The chirp w_k = e^{−πi k²/n}, k < n, interleaved. */
  readonly chirp: Float64Array;
  /** FFT_M of the conjugate chirp sequence b (b_k = conj(w_k), b_{M−k} = conj(w_k)), / M. */
  readonly chirpSpectrum: Float64Array;
  /** Two scratch lines of 2M doubles. */
  readonly scratchA: Float64Array;
  readonly scratchB: Float64Array;
}

/** A transform plan for one length: `stockham` for smooth lengths, else `bluestein`. */
export interface FftPlan {
  readonly n: number;
  readonly stockham?: StockhamPlan;
  readonly bluestein?: BluesteinPlan;
}

/** Most plans kept, and most doubles their tables may hold together (256 MiB). */
const CACHE_LIMIT = 32;
const CACHE_DOUBLES = 2 ** 25;
const plans = new Map<number, FftPlan>();
let cachedDoubles = 0;

/** Doubles held by a plan's tables and scratch lines. */
function planDoubles(p: FftPlan): number {
  const stages = (sp: StockhamPlan) => sp.stages.reduce((a, st) => a + st.twiddles.length, 0);
  if (p.stockham) return stages(p.stockham);
  const b = p.bluestein!;
  return stages(b.inner) + b.chirp.length + 3 * b.chirpSpectrum.length;
}

/** The (cached) plan for length n ≥ 1. */
export function planFor(n: number): FftPlan {
  const hit = plans.get(n);
  if (hit) {
    // Refresh its position (least recently used goes first).
    plans.delete(n);
    plans.set(n, hit);
    return hit;
  }
  const plan = buildPlan(n);
  const size = planDoubles(plan);
  // Evict least recently used plans while over either limit (a plan alone is always kept).
  while (plans.size > 0 && (plans.size >= CACHE_LIMIT || cachedDoubles + size > CACHE_DOUBLES)) {
    const [oldest, old] = plans.entries().next().value!;
    plans.delete(oldest);
    cachedDoubles -= planDoubles(old);
  }
  plans.set(n, plan);
  cachedDoubles += size;
  return plan;
}

function buildPlan(n: number): FftPlan {
  const radices = smoothRadices(n);
  if (radices) return { n, stockham: stockhamPlan(n, radices) };
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const inner = stockhamPlan(m, smoothRadices(m)!);
  const chirp = new Float64Array(2 * n);
  const twoN = 2 * n;
  for (let k = 0; k < n; k++) {
    // k² mod 2n without overflow: k < 2^26 keeps k·k < 2^52, exact in a double.
    const e = (k * k) % twoN;
    const angle = (-Math.PI * e) / n;
    chirp[2 * k] = Math.cos(angle);
    chirp[2 * k + 1] = Math.sin(angle);
  }
  const b = new Float64Array(2 * m);
  for (let k = 0; k < n; k++) {
    b[2 * k] = chirp[2 * k]!;
    b[2 * k + 1] = -chirp[2 * k + 1]!;
    if (k > 0) {
      b[2 * (m - k)] = chirp[2 * k]!;
      b[2 * (m - k) + 1] = -chirp[2 * k + 1]!;
    }
  }
  const spectrum = stockhamForward(inner, b, new Float64Array(2 * m));
  const chirpSpectrum = new Float64Array(2 * m);
  for (let i = 0; i < 2 * m; i++) chirpSpectrum[i] = spectrum[i]! / m;
  return {
    n,
    bluestein: {
      m,
      inner,
      chirp,
      chirpSpectrum,
      scratchA: new Float64Array(2 * m),
      scratchB: new Float64Array(2 * m),
    },
  };
}

/**
 * The unnormalized DFT of one line: forward (e^{−2πi jk/n}) or, with `inverse`, the conjugate
 * kernel (e^{+2πi jk/n}, no 1/n). `x` holds 2n doubles and is clobbered; `y` is a second
 * buffer of 2n doubles; returns whichever holds the result (or a plan-owned scratch line,
 * valid until the next call with this plan).
 */
export function complexTransform(
  plan: FftPlan,
  x: Float64Array,
  y: Float64Array,
  inverse: boolean,
): Float64Array {
  const n2 = 2 * plan.n;
  // The inverse is conj(F(conj(x))).
  if (inverse) for (let i = 1; i < n2; i += 2) x[i] = -x[i]!;
  const out = plan.stockham
    ? stockhamForward(plan.stockham, x, y)
    : bluestein(plan.bluestein!, x, plan.n);
  if (inverse) for (let i = 1; i < n2; i += 2) out[i] = -out[i]!;
  return out;
}

/** Bluestein's algorithm: returns a scratch line holding the result's first 2n doubles. */
function bluestein(bp: BluesteinPlan, x: Float64Array, n: number): Float64Array {
  const { m, chirp, chirpSpectrum: bh } = bp;
  const a = bp.scratchA;
  for (let k = 0; k < n; k++) {
    const xr = x[2 * k]!;
    const xi = x[2 * k + 1]!;
    const wr = chirp[2 * k]!;
    const wi = chirp[2 * k + 1]!;
    a[2 * k] = xr * wr - xi * wi;
    a[2 * k + 1] = xr * wi + xi * wr;
  }
  a.fill(0, 2 * n);
  const fa = stockhamForward(bp.inner, a, bp.scratchB);
  // Pointwise product with the chirp's spectrum, conjugated: the inverse transform is
  // conj(F(conj(·))), and 1/M is already in the spectrum.
  for (let i = 0; i < m; i++) {
    const ar = fa[2 * i]!;
    const ai = fa[2 * i + 1]!;
    const br = bh[2 * i]!;
    const bi = bh[2 * i + 1]!;
    fa[2 * i] = ar * br - ai * bi;
    fa[2 * i + 1] = -(ar * bi + ai * br);
  }
  const other = fa === a ? bp.scratchB : a;
  const conv = stockhamForward(bp.inner, fa, other);
  // conv holds conj(c); X_k = w_k · c_k.
  for (let k = 0; k < n; k++) {
    const cr = conv[2 * k]!;
    const ci = -conv[2 * k + 1]!;
    const wr = chirp[2 * k]!;
    const wi = chirp[2 * k + 1]!;
    conv[2 * k] = cr * wr - ci * wi;
    conv[2 * k + 1] = cr * wi + ci * wr;
  }
  return conv;
}
