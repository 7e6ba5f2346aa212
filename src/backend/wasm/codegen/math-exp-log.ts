/**
 * SIMD math emitters: exponentials, logarithms and the sigmoids (tanh, logistic), with the
 * building blocks other families share (scaled exp, log splitting, special values).
 */
import type { FunctionBuilder } from "./function-builder.js";
import {
  add,
  and,
  div,
  type Emit,
  fabs,
  feq,
  fgt,
  flt,
  fmin,
  horner,
  iadd,
  imin,
  isub,
  K,
  KI,
  L,
  madd,
  mul,
  nearest,
  nmadd,
  or,
  pmax,
  pmin,
  pow2i,
  scratch,
  sel,
  set,
  shl,
  shrs,
  SIGN,
  sub,
  toF32,
  toInt,
  withSignOf,
} from "./math-dsl.js";
import {
  EXP2_Q,
  EXPM1_P,
  INF,
  LN2_HI,
  LN2_LO,
  LOG1P_P,
  LOG2E,
  MIN_NORMAL,
  SQRT_HALF_BITS,
  TANH_SMALL,
  TANH_T,
} from "./math-constants.js";

/** r + r^2 (1/2 + r P(r)) ~= expm1(r) for |r| <= ln2/2 (r: a local). */
export const expm1Poly = (r: Emit): Emit => madd(mul(r, r), horner(r, [0.5, ...EXPM1_P]), r);

/** p * 2^n with a single rounding, for i32x4 n in [-160, 130] (n: local holding i32 lanes). */
export function scale2n(f: FunctionBuilder, p: Emit, n: number): void {
  scratch(f, 1, (n1) => {
    set(f, n1, shrs(L(n), 1));
    mul(mul(p, pow2i(L(n1))), pow2i(isub(L(n), L(n1))))(f);
  });
}

/** Stack: [x] -> [exp(x) * 2^scaleExp]. */
export function expScaled(f: FunctionBuilder, scaleExp: number): void {
  // Lanes whose result rounds to +0 are computed at x = 0 and zeroed at the end: producing
  // underflowing results costs a microcode assist per lane on x86, a 2× slowdown on inputs
  // like -arange(n).
  const zeroBelow = (-150 - scaleExp) * Math.LN2 - 0.01;
  scratch(f, 4, (x, n, r, tiny) => {
    f.localSet(x);
    set(f, x, pmin(pmax(L(x), K(-110)), K(90))); // NaN propagates: pmax/pmin return the first operand when comparisons fail
    set(f, tiny, flt(L(x), K(zeroBelow)));
    set(f, x, sel(L(tiny), K(0), L(x)));
    set(f, n, nearest(mul(L(x), K(LOG2E))));
    set(f, r, nmadd(L(n), K(LN2_LO), nmadd(L(n), K(LN2_HI), L(x))));
    set(f, n, iadd(toInt(L(n)), KI(scaleExp)));
    scale2n(f, add(K(1), expm1Poly(L(r))), n);
    f.localSet(r);
    sel(L(tiny), K(0), L(r))(f);
  });
}

/**
 * Splits a positive float32 (normal or denormal) as x = 2^k * (1 + fr) with 1 + fr in
 * [sqrt(1/2), sqrt(2)); writes k (as f32) and fr to locals. Garbage for x <= 0, inf, NaN.
 */
export function logSplit(
  f: FunctionBuilder,
  x: number,
  k: number,
  fr: number,
  denormals: boolean,
): void {
  scratch(f, 1, (den) => {
    if (denormals) {
      set(f, den, flt(L(x), K(MIN_NORMAL)));
      set(f, fr, isub(sel(L(den), mul(L(x), K(2 ** 23)), L(x)), KI(SQRT_HALF_BITS)));
      set(f, k, toF32(iadd(shrs(L(fr), 23), and(L(den), KI(-23)))));
    } else {
      set(f, fr, isub(L(x), KI(SQRT_HALF_BITS)));
      set(f, k, toF32(shrs(L(fr), 23)));
    }
    set(f, fr, sub(iadd(and(L(fr), KI(0x7fffff)), KI(SQRT_HALF_BITS)), K(1)));
  });
}

/** -fr^2/2 + fr^3 P(fr): log1p(fr) - fr. */
export const log1pTail = (fr: Emit): Emit => mul(mul(fr, fr), horner(fr, [-0.5, ...LOG1P_P]));

/** log special cases: 0 -> -inf, x < 0 or NaN -> NaN, inf -> inf (x: local). */
export const logSpecial = (x: Emit, res: Emit): Emit =>
  sel(
    and(fgt(x, K(0)), flt(x, K(INF))),
    res,
    sel(feq(x, K(0)), K(-INF), sel(fgt(x, K(0)), x, K(NaN))),
  );

/** Keeps lanes where x == +-0 equal to x (restores the sign of zero). */
export const keepZero = (x: Emit, res: Emit): Emit => sel(feq(x, K(0)), x, res);

/** [x] -> [e^x] */
export function emitExp(f: FunctionBuilder): void {
  expScaled(f, 0);
}

/** [x] -> [2^x] */
export function emitExp2(f: FunctionBuilder): void {
  scratch(f, 3, (x, n, r) => {
    f.localSet(x);
    set(f, x, pmin(pmax(L(x), K(-160)), K(130)));
    set(f, n, nearest(L(x)));
    set(f, r, sub(L(x), L(n))); // exact
    set(f, n, toInt(L(n)));
    scale2n(f, add(K(1), mul(L(r), horner(L(r), EXP2_Q))), n);
  });
}

/** [x] -> [e^x - 1] */
export function emitExpm1(f: FunctionBuilder): void {
  scratch(f, 5, (x0, x, k, kf, r) => {
    f.localSet(x0);
    set(f, x, pmin(pmax(L(x0), K(-30)), K(90)));
    set(f, k, toInt(nearest(mul(L(x), K(LOG2E)))));
    set(f, kf, toF32(L(k))); // +0 for k = 0, so x - kf*LN2 keeps -0
    set(f, r, nmadd(L(kf), K(LN2_LO), nmadd(L(kf), K(LN2_HI), L(x))));
    set(f, r, expm1Poly(L(r)));
    // t = 2^min(k,127); result = (e*t + (t - 1)) * 2^(k - min(k,127))
    set(f, kf, imin(L(k), KI(127)));
    set(f, x, pow2i(L(kf))); // t
    const res = mul(add(mul(L(r), L(x)), sub(L(x), K(1))), pow2i(isub(L(k), L(kf))));
    keepZero(L(x0), res)(f);
  });
}

/** [x] -> [ln x] */
export function emitLog(f: FunctionBuilder): void {
  scratch(f, 3, (x, k, fr) => {
    f.localSet(x);
    logSplit(f, x, k, fr, true);
    const res = add(mul(L(k), K(LN2_HI)), add(L(fr), add(log1pTail(L(fr)), mul(L(k), K(LN2_LO)))));
    logSpecial(L(x), res)(f);
  });
}

/** [x] -> [log2 x] */
export function emitLog2(f: FunctionBuilder): void {
  const LOG2E_HI = 1.4423828125; // 12 significant bits
  const LOG2E_LO = LOG2E - LOG2E_HI;
  scratch(f, 5, (x, k, fr, hi, lo) => {
    f.localSet(x);
    logSplit(f, x, k, fr, true);
    // log2 = k + fr*LOG2E + tail*LOG2E, with fr = hi + (fr - hi) split so that hi*LOG2E_HI
    // (12 x 12 bits) is exact; the rest is small and summed last.
    set(f, hi, and(L(fr), KI(0xfffff000 | 0)));
    set(
      f,
      lo,
      add(
        add(mul(sub(L(fr), L(hi)), K(LOG2E)), mul(L(hi), K(LOG2E_LO))),
        mul(log1pTail(L(fr)), K(LOG2E)),
      ),
    );
    set(f, hi, mul(L(hi), K(LOG2E_HI)));
    // s = k + hi with its rounding error recovered (Fast2Sum: |k| >= |hi| whenever k != 0)
    set(f, fr, add(L(k), L(hi)));
    const err = add(sub(L(k), L(fr)), L(hi));
    logSpecial(L(x), add(L(fr), add(err, L(lo))))(f);
  });
}

/** [x] -> [ln(1 + x)] */
export function emitLog1p(f: FunctionBuilder): void {
  scratch(f, 4, (x, u, k, fr) => {
    f.localSet(x);
    set(f, u, add(K(1), L(x)));
    logSplit(f, u, k, fr, false);
    // c = x - (u - 1) is the rounding error of u; log(u + c) = k ln2 + log1p(fr + c 2^-k).
    const c = sub(L(x), sub(L(u), K(1)));
    const scale = pow2i(isub(KI(0), imin(toInt(L(k)), KI(126))));
    set(f, fr, add(L(fr), mul(c, scale)));
    const res = add(mul(L(k), K(LN2_HI)), add(L(fr), add(log1pTail(L(fr)), mul(L(k), K(LN2_LO)))));
    keepZero(L(x), logSpecial(L(u), res))(f);
  });
}

/** [x] -> [tanh x] */
export function emitTanh(f: FunctionBuilder): void {
  scratch(f, 3, (x, x2, e) => {
    f.localSet(x);
    // |x| >= 0.55: tanh|x| = e / (e + 2), e = expm1(2|x|); tanh(9.1) rounds to 1.
    fmin(add(fabs(L(x)), fabs(L(x))), K(18.2))(f);
    emitExpm1(f);
    f.localSet(e);
    set(f, e, withSignOf(div(L(e), add(L(e), K(2))), L(x)));
    set(f, x2, mul(L(x), L(x)));
    const small = add(L(x), mul(mul(L(x), L(x2)), horner(L(x2), TANH_T)));
    keepZero(L(x), sel(flt(fabs(L(x)), K(TANH_SMALL)), small, L(e)))(f);
  });
}

/** 1.5·2^23 + 127: z·log2 e + EXP_BIAS rounds to an integer k held in the low bits as k + 127. */
export const EXP_BIAS = 12583039;
/**
 * Clamp for z in logistic: k = round(z·log2 e) stays >= -127, and k = -127 (z < -87.68) gives
 * 2^k = +0 through the exponent-field shift, so those lanes flush to 0 without arithmetic on
 * subnormals.
 */
export const LOGISTIC_MIN_ARG = -88.37;
// e^t = Σ EXP_P[i] t^i, |t| <= ln2/2 (rel. error 2^-29; c0 = c1 = 1 exactly, so e^0 = 1)
export const EXP_P = [
  1, 1, 0.49999991059303284, 0.16666419804096222, 0.041668228805065155, 0.00837484560906887,
  0.0013836808502674103,
];

/**
 * [x] -> [1 / (1 + e^-x)], as f = e / (1 + e) with e = exp(-|x|): the result is f for x < 0
 * and 1 - f otherwise (so logistic(2) and logistic(4) round as JAX prints them). e comes from
 * one Cody-Waite reduction of z = -|x|, a degree-6 polynomial and 2^k built by the magic-bias
 * trick (the low bits of z·log2 e + EXP_BIAS shifted into the exponent field), in float32.
 * Results below exp(-87.68) are flushed to +0, as XLA:CPU flushes subnormals (it runs with
 * flush-to-zero): 2^k is +0 for them, so no lane of ordinary data computes with subnormals
 * (a microcode assist per lane on x86); the few subnormal results for x in [-87.68, -87.34)
 * come out exact. Branch-free, ~30 instructions per vector.
 */
export function emitLogistic(f: FunctionBuilder): void {
  scratch(f, 5, (x, z, n, t, x2) => {
    f.localSet(x);
    set(f, z, pmax(or(L(x), KI(SIGN)), K(LOGISTIC_MIN_ARG))); // -|x|, clamped; NaN stays NaN
    set(f, n, madd(L(z), K(LOG2E), K(EXP_BIAS)));
    set(f, t, sub(L(n), K(EXP_BIAS))); // k
    set(f, t, nmadd(L(t), K(LN2_LO), nmadd(L(t), K(LN2_HI), L(z))));
    // e^t = 1 + (t + t²((c2 + c3 t) + t²(c4 + c5 t + c6 t²))): Estrin-like, short dependency
    // chains, the terms summed smallest first and 1 added last (one rounding at its scale).
    const [, , c2, c3, c4, c5, c6] = EXP_P as readonly number[] as [
      0,
      0,
      number,
      number,
      number,
      number,
      number,
    ];
    set(f, x2, mul(L(t), L(t)));
    const hi = madd(K(c6), L(x2), madd(K(c5), L(t), K(c4)));
    const lo = madd(K(c3), L(t), K(c2));
    const p = add(K(1), madd(L(x2), madd(L(x2), hi, lo), L(t)));
    set(f, z, mul(p, shl(L(n), 23))); // e
    set(f, t, div(L(z), add(L(z), K(1))));
    sel(shrs(L(x), 31), L(t), sub(K(1), L(t)))(f);
  });
}
