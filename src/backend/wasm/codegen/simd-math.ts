/**
 * Vectorised float32 math as inline WebAssembly SIMD code generators.
 *
 * Each emitter appends code to a {@link FunctionBuilder} that computes one function on the four
 * f32 lanes of a v128 value.
 *
 * Stack convention
 * - Unary emitters (`emitExp`, `emitSin`, ...) pop one f32x4 from the wasm value stack and push
 *   the f32x4 result: `[..., x] -> [..., f(x)]`. To apply one to a local, `local.get` it first.
 * - Binary emitters pop two operands in argument order: `emitAtan2`: `[..., y, x] ->
 *   [..., atan2(y, x)]`; `emitPow`: `[..., x, y] -> [..., pow(x, y)]`.
 * - Emitters take their scratch v128 locals from the builder's pool
 *   ({@link FunctionBuilder.acquireLocal}) and give them back before returning, so a kernel that
 *   calls `emitExp` ten times declares the scratch locals of one call only. Emitters never touch
 *   memory, globals or other locals, and never branch out of the surrounding code.
 *
 * Numerics
 * - Branch-free range reduction + minimax polynomials (coefficients fitted offline with a Remez
 *   exchange and rounded to float32; the f64 ones used by `pow` to float64). No FMA (wasm has no
 *   fused multiply-add outside relaxed-simd), so reductions use Cody-Waite constant splitting
 *   (sin/cos/tan reduce in f64 on two lanes at a time). The only branch is in sin/cos/tan: when
 *   some lane of a pair has |x| > 1e6 (or is infinite) a vectorised Payne-Hanek style reduction
 *   in f64 runs for that pair (an `if` on `v128.any_true`).
 * - Special values follow C / XLA-CPU: NaN in -> NaN out; exp(-inf)=0, exp(inf)=inf, overflow ->
 *   inf, log(0)=-inf, log(x<0)=NaN, log(inf)=inf; tanh(+-inf)=+-1; logistic(-inf)=0;
 *   erf_inv(+-1)=+-inf; pow follows C99 Annex F (pow(x,+-0)=1, pow(1,y)=1, pow(-1,+-inf)=1,
 *   negative base with non-integer exponent -> NaN, odd-integer exponents keep the base's sign);
 *   the sign of zero is preserved where C preserves it (sin, tan, tanh, expm1, log1p, atan, asin,
 *   sinh, asinh, atanh, erf, erf_inv, cbrt: f(-0) = -0). Denormal inputs are handled exactly
 *   (wasm does not flush denormals); results are exact subnormals too, except where
 *   {@link FLUSHES_SUBNORMAL_RESULTS} flushes them to 0 as XLA:CPU does (logistic).
 * - Accuracy: max error in float32 ulps against a float64 reference, measured over every 101st
 *   float32 bit pattern (4.3e7 inputs, whole range incl. denormals/inf/NaN) plus dense samples of
 *   each function's interesting range (pairs for atan2/pow). Asserted bounds:
 *   {@link MATH_ULP_BOUNDS}.
 *
 *     exp      0.95    log    0.84    tanh     1.49    sin   1.38    asin  0.66    sinh  1.61
 *     exp2     1.20    log2   1.01    logistic 2.29    cos   1.37    acos  1.06    cosh  1.38
 *     expm1    1.37    log1p  1.45    erf      1.42    tan   0.55    atan  1.35    asinh 1.77
 *     pow      0.50    cbrt   0.80    erf_inv  1.78    atan2 2.25    rsqrt 1.49    acosh 1.95
 *     atanh    1.80
 *
 *   sin/cos/tan hold over the whole float32 range: |x| <= 1e6 uses an f64 Cody-Waite reduction,
 *   larger |x| an exact chunked 2/pi reduction (Payne-Hanek style) in f64; +-inf -> NaN.
 *   pow and tan evaluate in f64 internally and round once.
 */

import type { FunctionBuilder } from "./function-builder.js";
import type { PlainOp } from "./opcodes.js";

// ---------------------------------------------------------------------------------------------
// A tiny expression DSL over the builder: an Emit pushes exactly one v128 value.
// ---------------------------------------------------------------------------------------------

type Emit = (f: FunctionBuilder) => void;

const L =
  (i: number): Emit =>
  (f) =>
    void f.localGet(i);
/** f32x4 splat constant */
const K =
  (c: number): Emit =>
  (f) =>
    void f.f32x4Const(c);
/** i32x4 splat constant */
const KI =
  (c: number): Emit =>
  (f) =>
    void f.i32x4Const(c);
/** f64x2 splat constant */
const KD =
  (c: number): Emit =>
  (f) =>
    void f.f64x2Const(c);

const op1 =
  (name: PlainOp) =>
  (a: Emit): Emit =>
  (f) => {
    a(f);
    f.op(name);
  };
const op2 =
  (name: PlainOp) =>
  (a: Emit, b: Emit): Emit =>
  (f) => {
    a(f);
    b(f);
    f.op(name);
  };

// f32x4
const add = op2("f32x4.add");
const sub = op2("f32x4.sub");
const mul = op2("f32x4.mul");
const div = op2("f32x4.div");
const fmin = op2("f32x4.min");
const fmax = op2("f32x4.max");
/** Clamps to constants: pmin/pmax keep NaN from the first operand and are cheaper than min/max. */
const pmin = op2("f32x4.pmin");
const pmax = op2("f32x4.pmax");
const feq = op2("f32x4.eq");
const flt = op2("f32x4.lt");
const fgt = op2("f32x4.gt");
const fabs = op1("f32x4.abs");
const fneg = op1("f32x4.neg");
const fsqrt = op1("f32x4.sqrt");
const nearest = op1("f32x4.nearest");
const ftrunc = op1("f32x4.trunc");
const toInt = op1("i32x4.trunc_sat_f32x4_s");
const toF32 = op1("f32x4.convert_i32x4_s");
// i32x4 / bitwise
const iadd = op2("i32x4.add");
const isub = op2("i32x4.sub");
const imul = op2("i32x4.mul");
const ilt = op2("i32x4.lt_s");
const ieq = op2("i32x4.eq");
const imin = op2("i32x4.min_s");
const and = op2("v128.and");
const or = op2("v128.or");
const xor = op2("v128.xor");
const andnot = op2("v128.andnot");
const shift =
  (name: "i32x4.shl" | "i32x4.shr_s" | "i32x4.shr_u") =>
  (a: Emit, k: number): Emit =>
  (f) => {
    a(f);
    f.i32Const(k).op(name);
  };
const shl = shift("i32x4.shl");
const shrs = shift("i32x4.shr_s");
// f64x2
const dadd = op2("f64x2.add");
const dsub = op2("f64x2.sub");
const dmul = op2("f64x2.mul");
const ddiv = op2("f64x2.div");
const dmin = op2("f64x2.min");
const dmax = op2("f64x2.max");
const dnearest = op1("f64x2.nearest");

/**
 * `mask ? t : e`, lane-wise. Every mask here is a whole-lane one (all-ones or all-zeros: a
 * comparison, or logic and arithmetic shifts of comparisons), so with relaxed SIMD the select
 * is `i32x4.relaxed_laneselect` (one `blendvps`; V8 expands `v128.bitselect` to three ops).
 */
const sel =
  (mask: Emit, t: Emit, e: Emit): Emit =>
  (f) => {
    t(f);
    e(f);
    mask(f);
    f.op(f.relaxedSimd ? "i32x4.relaxed_laneselect" : "v128.bitselect");
  };

/**
 * a·b + c, and c − a·b: one fused `relaxed_madd` / `relaxed_nmadd` where relaxed SIMD is
 * allowed, else a multiply and an add (the plain code computes exactly what it always did).
 * Used where a fused result is at least as accurate: polynomials and Cody-Waite reductions.
 */
function fusedOps(addOp: typeof add, subOp: typeof sub, mulOp: typeof mul, w: "f32x4" | "f64x2") {
  const fused =
    (name: "madd" | "nmadd", plain: (a: Emit, b: Emit, c: Emit) => Emit) =>
    (a: Emit, b: Emit, c: Emit): Emit =>
    (f) => {
      if (!f.relaxedSimd) return plain(a, b, c)(f);
      a(f);
      b(f);
      c(f);
      f.op(`${w}.relaxed_${name}`);
    };
  return {
    madd: fused("madd", (a, b, c) => addOp(mulOp(a, b), c)),
    nmadd: fused("nmadd", (a, b, c) => subOp(c, mulOp(a, b))),
  };
}
const { madd, nmadd } = fusedOps(add, sub, mul, "f32x4");
const { madd: dmadd } = fusedOps(dadd, dsub, dmul, "f64x2");

/** Horner evaluation of c[0] + c[1] x + ... + c[n] x^n with f32x4 (or f64x2) arithmetic. */
function hornerWith(maddOp: typeof madd, konst: typeof K) {
  return (x: Emit, c: readonly number[]): Emit =>
    (f) => {
      let acc: Emit = konst(c[c.length - 1]!);
      for (let i = c.length - 2; i >= 0; i--) acc = maddOp(acc, x, konst(c[i]!));
      acc(f);
    };
}
const horner = hornerWith(madd, K);
const dhorner = hornerWith(dmadd, KD);

const SIGN = 0x80000000 | 0;
/** Sets the sign of a non-negative value to the sign of `s`. */
const withSignOf = (mag: Emit, s: Emit): Emit => or(mag, and(s, KI(SIGN)));
/** 2^n for an i32x4 n in [-126, 127] as f32x4. */
const pow2i = (n: Emit): Emit => shl(iadd(n, KI(127)), 23);

/** Scratch-local helper: acquires n v128 locals, runs body, releases them. */
function scratch<T>(f: FunctionBuilder, n: number, body: (...locals: number[]) => T): T {
  const locals = Array.from({ length: n }, () => f.acquireLocal("v128"));
  const out = body(...locals);
  f.releaseLocal(...locals);
  return out;
}
const set = (f: FunctionBuilder, local: number, e: Emit): void => {
  e(f);
  f.localSet(local);
};

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const INF = Infinity;
const LOG2E = 1.4426950408889634;
/** ln 2 split for Cody-Waite: HI has 16 significant bits, so k*HI is exact for |k| < 256. */
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.428606765330187e-6;
const LN2 = 0.6931471805599453;
const SQRT_HALF_BITS = 0x3f3504f3;
const MIN_NORMAL = 1.1754943508222875e-38;
/** pi/4, pi/2, pi split as HI (21 significant bits, so k*HI is exact for k <= 7) + LO. */
const PIO4_HI = 0.785398006439209;
const PIO4_LO = 1.5695823663008923e-7;
const PIO2_HI = 1.5707963705062866; // float32(pi/2)
const PIO2_LO = -4.371138828673793e-8;
const PI_HI = 3.1415927410125732; // float32(pi)
const PI_LO = -8.742277657347586e-8;

// expm1(r) = r + r^2/2 + r^3 * P(r), |r| <= ln2/2 (rel. error 2^-31)
const EXPM1_P = [0.16666666, 0.04166648, 0.008333419, 0.0013933253, 0.00019824127];
// 2^r = 1 + r * Q(r), |r| <= 1/2 (rel. error 2^-28)
const EXP2_Q = [0.69314724, 0.2402265, 0.055502973, 0.009618031, 0.0013410031, 0.00015469758];
// log1p(f) = f - f^2/2 + f^3 * P(f), f in [sqrt(1/2)-1, sqrt(2)-1] (rel. error 2^-30)
const LOG1P_P = [
  0.33333313, -0.2500001, 0.2000212, -0.16667996, 0.1421952, -0.12405544, 0.11888378, -0.11676052,
  0.06746638,
];
// tanh(x) = x + x^3 * T(x^2), |x| <= 0.55 (rel. error 2^-27)
const TANH_T = [-0.33333334, 0.13333227, -0.0539258, 0.02138266, -0.0067116832];
const TANH_SMALL = 0.55;
// sin(r) = r + r^3 S(r^2), cos(r) = 1 - r^2/2 + r^4 C(r^2), |r| <= 0.7875 (rel. 2^-35, 2^-39)
const SIN_S = [-0.16666667, 0.008333332, -0.00019840119, 2.7248316e-6];
const COS_C = [0.041666668, -0.0013888888, 2.4800627e-5, -2.7299615e-7];
// atan(t) = t + t^3 A(t^2), |t| <= 1/2 (rel. error 2^-28.7)
const ATAN_A = [-0.33333334, 0.19999969, -0.14282878, 0.110405415, -0.08382063, 0.044464715];
const TAN_3PI_8 = 2.414213562373095;
// asin(x) = x + x^3 B(x^2), |x| <= 1/2 (rel. error 2^-29)
const ASIN_B = [0.16666667, 0.07500022, 0.044623792, 0.030832557, 0.018315686, 0.031941596];
// sinh(x) = x + x^3 H(x^2), |x| <= 1 (rel. error 2^-32)
const SINH_H = [0.16666667, 0.008333338, 0.00019838219, 2.8062982e-6];
// erf(x) = x + x E(x^2), |x| <= 1 (rel. error 2^-29.6)
const ERF_E = [
  0.12837917, -0.37612626, 0.112835854, -0.026853813, 0.0051883277, -0.00080101937, 7.8538615e-5,
];
// erfc(x) = exp(-x^2) G(x), 1 <= x <= 3.95 (absolute error of erf 2^-28.6)
const ERFC_G = [
  0.99225885, -1.0798448, 0.8627212, -0.5188609, 0.2305712, -0.07275935, 0.015302316, -0.0019118068,
  0.000106843574,
];
const ERF_ONE = 3.95; // erf(x) rounds to 1 in float32 for x >= 3.8325
// erf_inv(x) = x + x (Y(w) - 1), w = -log((1-x)(1+x)) with Y = YA(w) for w < 2, YB(w - 3.5) for
// w < 5, YC(sqrt(w) - 3) otherwise (rel. error 2^-26.9, 2^-28, 2^-27.3). Constant terms have
// the 1 already subtracted.
const ERFINV_YA = [
  0.8862269 - 1,
  0.23201406,
  0.011545942,
  -0.002323937,
  -0.00014556713,
  6.0930288e-5,
  -3.949522e-6,
];
const ERFINV_YB = [
  1.7428299 - 1,
  0.2353584,
  -0.006717161,
  -0.0004812704,
  0.00015877516,
  -1.5806216e-5,
  -5.3754906e-7,
  3.2100584e-7,
];
const ERFINV_YC = [
  2.8329768 - 1,
  1.0016751,
  0.009445681,
  -0.0076393406,
  0.0056832107,
  -0.0035873216,
  0.0014957441,
  -7.60351e-5,
  -0.00031863255,
  0.00012862877,
];
// cbrt(m), m in [1, 2] (rel. error 2^-13.7; refined by one Newton step)
const CBRT_P = [0.5528234, 0.5871143, -0.16296968, 0.023104964];
const CBRT2 = 1.2599210498948732;
const CBRT4 = 1.5874010519681994;
// float64 polynomials for pow: log2(m) = s L(s^2), s = (m-1)/(m+1) (rel. 2^-45);
// 2^r = 1 + r Q(r), |r| <= 1/2 (rel. 2^-39)
const POW_LOG2_L = [
  2.8853900817778495, 0.9617966941142602, 0.5770779420745977, 0.41220928388576755,
  0.3199043219674005, 0.2829209060778464,
];
const POW_EXP2_Q = [
  0.6931471805349886, 0.24022650695737163, 0.05550410976236751, 0.009618129183671114,
  0.0013333422538534746, 0.0001540343643445961, 1.531648711186218e-5, 1.3259663924335724e-6,
];

// Trigonometric reduction.
const TWO_OVER_PI_F64 = 0.6366197723675814;
/** pi/2 = P1 + P2 with P1 having 33 significant bits (j*P1 exact for j < 2^20). */
const PIO2_P1 = 1.5707963267341256;
const PIO2_P2 = 6.077100506506192e-11;
/** Cody-Waite limit: |x| <= 1e6 keeps j < 2^20; beyond, the chunked reduction is used. */
const TRIG_FAST_MAX = 1e6;
/** 2/pi in hex (the first 56 digits = 224 bits are used). */
export const TWO_OVER_PI_HEX = "A2F9836E4E441529FC2757D1F534DDC0DB6295993C439041FE5163ABDEBB";
/** 2/pi as 8 chunks of 28 bits each: chunk i = digits(7i..7i+7) * 2^-(28(i+1)), exact doubles. */
const TWO_OVER_PI_CHUNKS = Array.from(
  { length: 8 },
  (_, i) => parseInt(TWO_OVER_PI_HEX.slice(7 * i, 7 * i + 7), 16) * 2 ** (-28 * (i + 1)),
);
const PIO2_F64 = 1.5707963267948966;

// ---------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------

/** r + r^2 (1/2 + r P(r)) ~= expm1(r) for |r| <= ln2/2 (r: a local). */
const expm1Poly = (r: Emit): Emit => madd(mul(r, r), horner(r, [0.5, ...EXPM1_P]), r);

/** p * 2^n with a single rounding, for i32x4 n in [-160, 130] (n: local holding i32 lanes). */
function scale2n(f: FunctionBuilder, p: Emit, n: number): void {
  scratch(f, 1, (n1) => {
    set(f, n1, shrs(L(n), 1));
    mul(mul(p, pow2i(L(n1))), pow2i(isub(L(n), L(n1))))(f);
  });
}

/** Stack: [x] -> [exp(x) * 2^scaleExp]. */
function expScaled(f: FunctionBuilder, scaleExp: number): void {
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
function logSplit(f: FunctionBuilder, x: number, k: number, fr: number, denormals: boolean): void {
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
const log1pTail = (fr: Emit): Emit => mul(mul(fr, fr), horner(fr, [-0.5, ...LOG1P_P]));

/** log special cases: 0 -> -inf, x < 0 or NaN -> NaN, inf -> inf (x: local). */
const logSpecial = (x: Emit, res: Emit): Emit =>
  sel(
    and(fgt(x, K(0)), flt(x, K(INF))),
    res,
    sel(feq(x, K(0)), K(-INF), sel(fgt(x, K(0)), x, K(NaN))),
  );

/** Keeps lanes where x == +-0 equal to x (restores the sign of zero). */
const keepZero = (x: Emit, res: Emit): Emit => sel(feq(x, K(0)), x, res);

// ---------------------------------------------------------------------------------------------
// Exponentials and logarithms
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Sigmoids
// ---------------------------------------------------------------------------------------------

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
const EXP_BIAS = 12583039;
/**
 * Clamp for z in logistic: k = round(z·log2 e) stays >= -127, and k = -127 (z < -87.68) gives
 * 2^k = +0 through the exponent-field shift, so those lanes flush to 0 without arithmetic on
 * subnormals.
 */
const LOGISTIC_MIN_ARG = -88.37;
// e^t = Σ EXP_P[i] t^i, |t| <= ln2/2 (rel. error 2^-29; c0 = c1 = 1 exactly, so e^0 = 1)
const EXP_P = [
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

// ---------------------------------------------------------------------------------------------
// Trigonometric functions
// ---------------------------------------------------------------------------------------------

/** Double-double accumulation (hi, lo) += s (Knuth TwoSum), f64x2. */
function twoSumInto(f: FunctionBuilder, hi: number, lo: number, s: number): void {
  scratch(f, 2, (sum, bb) => {
    set(f, sum, dadd(L(hi), L(s)));
    set(f, bb, dsub(L(sum), L(hi)));
    set(f, lo, dadd(L(lo), dadd(dsub(L(hi), dsub(L(sum), L(bb))), dsub(L(s), L(bb)))));
    set(f, hi, L(sum));
  });
}

/**
 * Payne-Hanek style reduction in f64 for two lanes: X (f64x2 local, exact promotion of the f32
 * input). x*(2/pi) mod 4 is summed chunk by chunk: each x*C_i is exact (24 + 28 bits), and its
 * multiple of 4 is removed exactly, so only the low bits that matter survive. Writes
 * r = (x - j*pi/2) as f64 and j.
 */
function reduceHugeHalf(f: FunctionBuilder, X: number, r: number, j: number): void {
  scratch(f, 3, (hi, lo, s) => {
    TWO_OVER_PI_CHUNKS.forEach((c, i) => {
      set(f, s, dmul(L(X), KD(c)));
      set(f, i === 0 ? hi : s, dsub(L(s), dmul(dnearest(dmul(L(s), KD(0.25))), KD(4))));
      if (i === 0) set(f, lo, KD(0));
      else twoSumInto(f, hi, lo, s);
    });
    set(f, j, dnearest(L(hi)));
    set(f, r, dmul(dadd(dsub(L(hi), L(j)), L(lo)), KD(PIO2_F64)));
  });
}

const LOW_HALF_TO_HIGH = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

/**
 * Reduces two lanes X (f64x2 local, exact promotion of the f32 inputs) to R = X - J*pi/2 in
 * [-pi/4, pi/4] and J (both f64x2 locals; R accurate to ~2^-50 relative even for the float32
 * values closest to multiples of pi/2).
 * |x| <= 1e6: Cody-Waite with pi/2 = P1 + P2 (P1 has 33 bits, so J*P1 is exact for J < 2^20).
 * Larger lanes (and infinities) take the chunked 2/pi reduction when present in the pair.
 */
function reducePair(f: FunctionBuilder, X: number, R: number, J: number): void {
  set(f, J, dnearest(dmul(L(X), KD(TWO_OVER_PI_F64))));
  set(f, R, dsub(dsub(L(X), dmul(L(J), KD(PIO2_P1))), dmul(L(J), KD(PIO2_P2))));
  scratch(f, 3, (big, R1, J1) => {
    set(f, big, op2("f64x2.gt")(op1("f64x2.abs")(L(X)), KD(TRIG_FAST_MAX)));
    f.localGet(big).op("v128.any_true");
    f.if();
    reduceHugeHalf(f, X, R1, J1);
    set(f, R, sel(L(big), L(R1), L(R)));
    set(f, J, sel(L(big), L(J1), L(J)));
    f.end();
  });
}

const promoteLow = op1("f64x2.promote_low_f32x4");
/** Low (h = 0) or high (h = 1) two f32 lanes of local v, promoted to f64x2. */
const promoteHalf = (v: number, h: number): Emit =>
  promoteLow(h === 0 ? L(v) : (g) => void g.localGet(v).localGet(v).shuffle(HIGH_HALF));

/**
 * Reduces x (local) to r in [-pi/4, pi/4] (f32x4, correctly rounded from the f64 remainder),
 * its rounding error rlo (f32x4) and quadrant j (i32x4) with x = j*pi/2 + r + rlo.
 */
function trigReduce(f: FunctionBuilder, x: number, r: number, rlo: number, j: number): void {
  const demote = op1("f32x4.demote_f64x2_zero");
  scratch(f, 6, (X, R, J, R0, J0, LO0) => {
    for (let h = 0; h < 2; h++) {
      set(f, X, promoteHalf(x, h));
      reducePair(f, X, h === 0 ? R0 : R, h === 0 ? J0 : J);
      // low part R - f64(f32(R)), rounded to f32 (for h = 1 kept in X, no longer needed)
      const Rh = h === 0 ? R0 : R;
      set(f, h === 0 ? LO0 : X, demote(dsub(L(Rh), promoteLow(demote(L(Rh))))));
    }
    set(f, rlo, (g) => {
      g.localGet(LO0).localGet(X);
      g.shuffle(LOW_HALF_TO_HIGH);
    });
    set(f, r, (g) => {
      g.localGet(R0).op("f32x4.demote_f64x2_zero");
      g.localGet(R).op("f32x4.demote_f64x2_zero");
      g.shuffle(LOW_HALF_TO_HIGH);
    });
    set(f, j, (g) => {
      g.localGet(J0).op("i32x4.trunc_sat_f64x2_s_zero");
      g.localGet(J).op("i32x4.trunc_sat_f64x2_s_zero");
      g.shuffle(LOW_HALF_TO_HIGH);
    });
  });
}

/**
 * sin and cos of the reduced argument r + rlo (locals) into locals s and c. The low part enters
 * to first order (sin(r + d) = s + d c, cos(r + d) = c - d r) inside the small terms, before the
 * final rounding.
 */
function sinCosPoly(f: FunctionBuilder, r: number, rlo: number, s: number, c: number): void {
  scratch(f, 1, (r2) => {
    set(f, r2, mul(L(r), L(r)));
    set(f, c, add(K(1), sub(mul(L(r2), horner(L(r2), [-0.5, ...COS_C])), mul(L(rlo), L(r)))));
    set(f, s, add(L(r), add(mul(mul(L(r), L(r2)), horner(L(r2), SIN_S)), mul(L(rlo), L(c)))));
  });
}

/** Lane mask of bit 0 of j (odd quadrant). */
const oddMask = (j: Emit): Emit => shrs(shl(j, 31), 31);
/** Sign bit from bit 1 of j. */
const bit1Sign = (j: Emit): Emit => shl(and(j, KI(2)), 30);

/** [x] -> [sin x]. Full float32 range. */
export function emitSin(f: FunctionBuilder): void {
  scratch(f, 6, (x, r, rlo, j, s, c) => {
    f.localSet(x);
    trigReduce(f, x, r, rlo, j);
    sinCosPoly(f, r, rlo, s, c);
    keepZero(L(x), xor(sel(oddMask(L(j)), L(c), L(s)), bit1Sign(L(j))))(f);
  });
}

/** [x] -> [cos x]. Full float32 range. */
export function emitCos(f: FunctionBuilder): void {
  scratch(f, 6, (x, r, rlo, j, s, c) => {
    f.localSet(x);
    trigReduce(f, x, r, rlo, j);
    sinCosPoly(f, r, rlo, s, c);
    xor(sel(oddMask(L(j)), L(s), L(c)), bit1Sign(iadd(L(j), KI(1))))(f);
  });
}

/**
 * [x] -> [tan x]. Full float32 range. Evaluated in f64 from the f64 remainder (tan = s/c or
 * -c/s amplifies float32 rounding errors), then rounded once.
 */
export function emitTan(f: FunctionBuilder): void {
  scratch(f, 7, (x, X, R, J, r2, s, lo) => {
    f.localSet(x);
    for (let h = 0; h < 2; h++) {
      set(f, X, promoteHalf(x, h));
      reducePair(f, X, R, J);
      set(f, r2, dmul(L(R), L(R)));
      set(f, s, dadd(L(R), dmul(dmul(L(R), L(r2)), dhorner(L(r2), SIN_S))));
      set(f, r2, dadd(KD(1), dmul(L(r2), dhorner(L(r2), [-0.5, ...COS_C])))); // cos
      // odd J: tan = -c/s
      set(f, J, op2("f64x2.ne")(op1("f64x2.floor")(dmul(L(J), KD(0.5))), dmul(L(J), KD(0.5))));
      set(f, R, ddiv(sel(L(J), L(r2), L(s)), sel(L(J), op1("f64x2.neg")(L(s)), L(r2))));
      if (h === 0) set(f, lo, op1("f32x4.demote_f64x2_zero")(L(R)));
    }
    set(f, s, (g) => {
      g.localGet(lo);
      g.localGet(R).op("f32x4.demote_f64x2_zero");
      g.shuffle(LOW_HALF_TO_HIGH);
    });
    keepZero(L(x), L(s))(f);
  });
}

// ---------------------------------------------------------------------------------------------
// Inverse trigonometric functions
// ---------------------------------------------------------------------------------------------

/** atan(t) - t = t^3 A(t^2) for |t| <= 1/2. */
const atanTail = (t: Emit, t2: Emit): Emit => mul(mul(t, t2), horner(t2, ATAN_A));

/** [x] -> [atan x] */
export function emitAtan(f: FunctionBuilder): void {
  scratch(f, 5, (x, a, big, mid, t) => {
    f.localSet(x);
    set(f, a, fabs(L(x)));
    set(f, big, fgt(L(a), K(TAN_3PI_8)));
    set(f, mid, fgt(L(a), K(0.5)));
    // t = a, (a-1)/(a+1) (a - 1 is exact for a >= 1/2) or -1/a; atan(a) = k*pi/4 + atan(t)
    const num = sel(L(big), K(-1), sel(L(mid), sub(L(a), K(1)), L(a)));
    const den = sel(L(big), L(a), sel(L(mid), add(L(a), K(1)), K(1)));
    set(f, t, div(num, den));
    set(f, a, add(and(L(big), K(1)), and(L(mid), K(1)))); // k = 0, 1, 2 (mask & 1.0f)
    scratch(f, 1, (t2) => {
      set(f, t2, mul(L(t), L(t)));
      const res = add(
        mul(L(a), K(PIO4_HI)),
        add(L(t), add(atanTail(L(t), L(t2)), mul(L(a), K(PIO4_LO)))),
      );
      withSignOf(res, L(x))(f);
    });
  });
}

/** [y, x] -> [atan2(y, x)] */
export function emitAtan2(f: FunctionBuilder): void {
  scratch(f, 7, (y, x, ax, ay, a, m, sg) => {
    f.localSet(x);
    f.localSet(y);
    set(f, ax, fabs(L(x)));
    set(f, ay, fabs(L(y)));
    // a = min/max in [0, 1]; 0/0 -> 0, inf/inf -> 1. NaN propagates through min/max.
    const q = div(fmin(L(ax), L(ay)), fmax(L(ax), L(ay)));
    set(f, a, sel(feq(fmin(L(ax), L(ay)), K(0)), K(0), sel(feq(L(ax), L(ay)), K(1), q)));
    // atan(a) = k0*pi/4 + atan(t): t = a or (a-1)/(a+1)
    set(f, m, fgt(L(a), K(0.5)));
    set(f, a, sel(L(m), div(sub(L(a), K(1)), add(L(a), K(1))), L(a)));
    set(f, m, and(L(m), K(1))); // k0 = 0 or 1
    // Work with integer masks: swap = |y| > |x|, xneg = sign bit of x.
    scratch(f, 2, (swap, xneg) => {
      set(f, swap, fgt(L(ay), L(ax)));
      set(f, xneg, ilt(L(x), KI(0)));
      // m (multiple of pi/4): k0 -> swap ? 2 - k0 : k0 -> xneg ? 4 - m : m
      set(f, m, sel(L(swap), sub(K(2), L(m)), L(m)));
      set(f, m, sel(L(xneg), sub(K(4), L(m)), L(m)));
      set(f, sg, and(xor(L(swap), L(xneg)), KI(SIGN)));
    });
    scratch(f, 1, (t2) => {
      set(f, t2, mul(L(a), L(a)));
      const p = xor(add(L(a), atanTail(L(a), L(t2))), L(sg));
      const theta = add(mul(L(m), K(PIO4_HI)), add(p, mul(L(m), K(PIO4_LO))));
      withSignOf(fabs(theta), L(y))(f);
    });
  });
}

/** asin of s in [0, 1/2] given z = s^2 (locals): s + s z B(z). */
const asinPoly = (s: Emit, z: Emit): Emit => add(s, mul(mul(s, z), horner(z, ASIN_B)));

/** Shared asin/acos reduction: a = |x|, big = a > 1/2, z, s, p = asin(s). */
function asinCore(f: FunctionBuilder, x: number, big: number, p: number): void {
  scratch(f, 3, (a, z, s) => {
    set(f, a, fabs(L(x)));
    set(f, big, fgt(L(a), K(0.5)));
    set(f, z, sel(L(big), mul(K(0.5), sub(K(1), L(a))), mul(L(a), L(a))));
    set(f, s, sel(L(big), fsqrt(L(z)), L(a)));
    set(f, p, asinPoly(L(s), L(z)));
  });
}

/** [x] -> [asin x] */
export function emitAsin(f: FunctionBuilder): void {
  scratch(f, 5, (x, a, z, s, t) => {
    f.localSet(x);
    set(f, a, fabs(L(x)));
    set(f, z, sel(fgt(L(a), K(0.5)), mul(K(0.5), sub(K(1), L(a))), mul(L(a), L(a))));
    set(f, s, fsqrt(L(z)));
    // small: p = a + a z B(z)
    set(f, t, add(L(a), mul(mul(L(a), L(z)), horner(L(z), ASIN_B))));
    // big: pi/2 - 2 asin(s), s = sqrt((1-a)/2) = sh + c exactly to first order with sh the
    // 12-bit head of s (so pi/2 - 2 sh and z - sh^2 are exact): c = (z - sh^2) / (s + sh).
    scratch(f, 1, (sh) => {
      set(f, sh, and(L(s), KI(0xfffff000 | 0)));
      const c = div(sub(L(z), mul(L(sh), L(sh))), fmax(add(L(s), L(sh)), K(MIN_NORMAL)));
      const tail = add(add(c, c), mul(mul(add(L(s), L(s)), L(z)), horner(L(z), ASIN_B)));
      const big = add(sub(K(PIO2_HI), add(L(sh), L(sh))), sub(K(PIO2_LO), tail));
      withSignOf(sel(fgt(L(a), K(0.5)), big, L(t)), L(x))(f);
    });
  });
}

/** [x] -> [acos x] */
export function emitAcos(f: FunctionBuilder): void {
  scratch(f, 3, (x, big, p) => {
    f.localSet(x);
    asinCore(f, x, big, p);
    const small = sub(K(PIO2_HI), sub(withSignOf(L(p), L(x)), K(PIO2_LO)));
    const pos = add(L(p), L(p));
    const neg = sub(K(PI_HI), sub(add(L(p), L(p)), K(PI_LO)));
    sel(L(big), sel(flt(L(x), K(0)), neg, pos), small)(f);
  });
}

// ---------------------------------------------------------------------------------------------
// Hyperbolic functions
// ---------------------------------------------------------------------------------------------

/** [x] -> [sinh x] */
export function emitSinh(f: FunctionBuilder): void {
  scratch(f, 3, (x, h, x2) => {
    f.localSet(x);
    // |x| >= 1: h = e^|x| / 2, sinh = h - 1/(4h)
    fabs(L(x))(f);
    expScaled(f, -1);
    f.localSet(h);
    set(f, h, withSignOf(sub(L(h), div(K(0.25), L(h))), L(x)));
    set(f, x2, mul(L(x), L(x)));
    const small = add(L(x), mul(mul(L(x), L(x2)), horner(L(x2), SINH_H)));
    sel(flt(fabs(L(x)), K(1)), small, L(h))(f);
  });
}

/** [x] -> [cosh x] */
export function emitCosh(f: FunctionBuilder): void {
  scratch(f, 1, (h) => {
    f.op("f32x4.abs");
    expScaled(f, -1);
    f.localSet(h);
    add(L(h), div(K(0.25), L(h)))(f);
  });
}

/** [x] -> [asinh x] */
export function emitAsinh(f: FunctionBuilder): void {
  scratch(f, 3, (x, a, a2) => {
    f.localSet(x);
    set(f, a, fabs(L(x)));
    set(f, a2, mul(L(a), L(a)));
    // log1p argument: small a <= 2: a + a^2 / (1 + sqrt(1 + a^2));
    // 2 < a <= 2^12: 2a + 1/(sqrt(a^2+1) + a) - 1; larger: a - 1 (result + ln2).
    const wSmall = add(L(a), div(L(a2), add(K(1), fsqrt(add(K(1), L(a2))))));
    const wMid = sub(add(add(L(a), L(a)), div(K(1), add(fsqrt(add(L(a2), K(1))), L(a)))), K(1));
    const huge = fgt(L(a), K(4096));
    sel(huge, sub(L(a), K(1)), sel(fgt(L(a), K(2)), wMid, wSmall))(f);
    emitLog1p(f);
    f.localSet(a2);
    withSignOf(add(L(a2), and(fgt(L(a), K(4096)), K(LN2))), L(x))(f);
  });
}

/** [x] -> [acosh x] */
export function emitAcosh(f: FunctionBuilder): void {
  scratch(f, 3, (x, t, r) => {
    f.localSet(x);
    set(f, t, sub(L(x), K(1)));
    // x <= 2: t + sqrt(2t + t^2); 2 < x <= 2^12: 2x - 1/(x + sqrt(x^2 - 1)) - 1; larger: x - 1.
    const wSmall = add(L(t), fsqrt(add(add(L(t), L(t)), mul(L(t), L(t)))));
    const wMid = sub(
      sub(add(L(x), L(x)), div(K(1), add(L(x), fsqrt(sub(mul(L(x), L(x)), K(1)))))),
      K(1),
    );
    sel(fgt(L(x), K(4096)), L(t), sel(fgt(L(x), K(2)), wMid, wSmall))(f);
    emitLog1p(f);
    f.localSet(r);
    const res = add(L(r), and(fgt(L(x), K(4096)), K(LN2)));
    sel(flt(L(x), K(1)), K(NaN), res)(f);
  });
}

/** [x] -> [atanh x] */
export function emitAtanh(f: FunctionBuilder): void {
  scratch(f, 2, (x, a) => {
    f.localSet(x);
    set(f, a, fabs(L(x)));
    // atanh a = log1p(2a + 2a^2/(1-a)) / 2
    add(add(L(a), L(a)), div(mul(add(L(a), L(a)), L(a)), sub(K(1), L(a))))(f);
    emitLog1p(f);
    f.localSet(a);
    // |x| > 1 -> NaN (the log1p argument may round to exactly -1 there)
    sel(fgt(fabs(L(x)), K(1)), K(NaN), withSignOf(mul(L(a), K(0.5)), L(x)))(f);
  });
}

// ---------------------------------------------------------------------------------------------
// Error function and inverse
// ---------------------------------------------------------------------------------------------

/** [x] -> [erf x] */
export function emitErf(f: FunctionBuilder): void {
  scratch(f, 3, (x, a, e) => {
    f.localSet(x);
    set(f, a, fmin(fabs(L(x)), K(ERF_ONE)));
    fneg(mul(L(a), L(a)))(f);
    emitExp(f);
    f.localSet(e);
    set(f, e, withSignOf(sub(K(1), mul(L(e), horner(L(a), ERFC_G))), L(x)));
    set(f, a, mul(L(x), L(x)));
    sel(flt(fabs(L(x)), K(1)), add(L(x), mul(L(x), horner(L(a), ERF_E))), L(e))(f);
  });
}

/** [x] -> [erf^-1 x] */
export function emitErfInv(f: FunctionBuilder): void {
  scratch(f, 2, (x, w) => {
    f.localSet(x);
    mul(sub(K(1), L(x)), add(K(1), L(x)))(f);
    emitLog(f);
    f.localSet(w);
    set(f, w, fneg(L(w)));
    const y = sel(
      flt(L(w), K(2)),
      horner(L(w), ERFINV_YA),
      sel(
        flt(L(w), K(5)),
        horner(sub(L(w), K(3.5)), ERFINV_YB),
        horner(sub(fsqrt(L(w)), K(3)), ERFINV_YC),
      ),
    );
    keepZero(L(x), sel(feq(fabs(L(x)), K(1)), mul(L(x), K(INF)), add(L(x), mul(L(x), y))))(f);
  });
}

// ---------------------------------------------------------------------------------------------
// Powers and roots
// ---------------------------------------------------------------------------------------------

/** [x] -> [1 / sqrt(x)] (sqrt then divide, both correctly rounded: < 1.5 ulp). */
export function emitRsqrt(f: FunctionBuilder): void {
  scratch(f, 1, (s) => {
    f.op("f32x4.sqrt").localSet(s);
    div(K(1), L(s))(f);
  });
}

/** [x] -> [cbrt x] */
export function emitCbrt(f: FunctionBuilder): void {
  scratch(f, 5, (x, m, q, y, a) => {
    f.localSet(x);
    // |x| = m * 2^e, m in [1, 2) (denormals pre-scaled by 2^24)
    set(f, a, fabs(L(x)));
    set(f, q, flt(L(a), K(MIN_NORMAL)));
    set(f, m, sel(L(q), mul(L(a), K(2 ** 24)), L(a)));
    set(f, q, iadd(isub(shrs(L(m), 23), KI(127)), and(L(q), KI(-24)))); // e in [-150, 127]
    set(f, m, or(and(L(m), KI(0x7fffff)), KI(0x3f800000)));
    // e + 150 = 3 (q + 50) + rem, computed as floor(t * 21846 / 65536) (exact for t < 32768)
    set(f, q, iadd(L(q), KI(150)));
    set(f, y, shrs(imul(L(q), KI(21846)), 16));
    set(f, q, isub(L(q), imul(L(y), KI(3)))); // rem in {0, 1, 2}
    // a = m * 2^rem (exact), y0 = P(m) * cbrt(2^rem)
    set(f, a, iadd(L(m), shl(L(q), 23)));
    const c = sel(ieq(L(q), KI(0)), K(1), sel(ieq(L(q), KI(1)), K(CBRT2), K(CBRT4)));
    set(f, m, mul(horner(L(m), CBRT_P), c));
    // one Newton step: y1 = y0 - (y0 - a / y0^2) / 3
    set(f, m, sub(L(m), mul(sub(L(m), div(L(a), mul(L(m), L(m)))), K(1 / 3))));
    // scale by 2^(q) with q = floor((e+150)/3) - 50
    const res = withSignOf(mul(L(m), pow2i(isub(L(y), KI(50)))), L(x));
    // 0, inf, NaN: cbrt(x) = x
    set(f, a, fabs(L(x)));
    sel(and(fgt(L(a), K(0)), flt(L(a), K(INF))), res, L(x))(f);
  });
}

/** [x, y] -> [x^y] (C99 pow semantics; computed in float64 internally, <= 1 ulp). */
export function emitPow(f: FunctionBuilder): void {
  scratch(f, 6, (x, y, ax, k, fr, res) => {
    f.localSet(y);
    f.localSet(x);
    set(f, ax, fabs(L(x)));
    logSplit(f, ax, k, fr, true); // |x| = 2^k (1 + fr)
    // Special |x| (0, inf, NaN) replace log2|x| by -inf, inf, NaN (computed as f32, promoted).
    scratch(f, 2, (sp, spMask) => {
      set(f, sp, fabs(L(x)));
      set(f, spMask, op1("v128.not")(and(fgt(L(sp), K(0)), flt(L(sp), K(INF)))));
      set(f, sp, sel(feq(L(sp), K(0)), K(-INF), L(sp)));
      scratch(f, 6, (K64, M, Y, l2, n, h0) => {
        for (let h = 0; h < 2; h++) {
          const half = (v: number): Emit =>
            h === 0 ? L(v) : (g) => void g.localGet(v).localGet(v).shuffle(HIGH_HALF);
          const ext = (mask: number): Emit => op1("i64x2.extend_low_i32x4_s")(half(mask));
          set(f, M, op1("f64x2.promote_low_f32x4")(half(fr))); // m - 1, exact
          set(f, K64, op1("f64x2.promote_low_f32x4")(half(k)));
          set(f, Y, op1("f64x2.promote_low_f32x4")(half(y)));
          // log2(m) = s L(s^2), s = (m - 1) / (m + 1)
          set(f, M, ddiv(L(M), dadd(L(M), KD(2))));
          set(f, l2, dadd(L(K64), dmul(L(M), dhorner(dmul(L(M), L(M)), POW_LOG2_L))));
          set(f, l2, sel(ext(spMask), op1("f64x2.promote_low_f32x4")(half(sp)), L(l2)));
          // P = y log2|x|, clamped so 2^P stays a finite, normal double; NaN propagates.
          set(f, l2, dmin(dmax(dmul(L(Y), L(l2)), KD(-200)), KD(200)));
          set(f, n, dnearest(L(l2)));
          set(f, l2, dsub(L(l2), L(n))); // r in [-1/2, 1/2], exact
          set(f, l2, dadd(KD(1), dmul(L(l2), dhorner(L(l2), POW_EXP2_Q))));
          // 2^n via the exponent field
          set(f, n, (g) => {
            g.localGet(n).op("i32x4.trunc_sat_f64x2_s_zero").op("i64x2.extend_low_i32x4_s");
            g.i64x2Const(1023n).op("i64x2.add").i32Const(52).op("i64x2.shl");
          });
          set(f, l2, dmul(L(l2), L(n)));
          if (h === 0) set(f, h0, op1("f32x4.demote_f64x2_zero")(L(l2)));
          else
            set(f, res, (g) => {
              g.localGet(h0).localGet(l2).op("f32x4.demote_f64x2_zero");
              g.shuffle(LOW_HALF_TO_HIGH);
            });
        }
      });
    });
    // Sign and special cases.
    scratch(f, 2, (yInt, yOdd) => {
      set(f, yInt, feq(L(y), ftrunc(L(y))));
      set(f, yOdd, and(L(yInt), flt(fabs(L(y)), K(2 ** 24))));
      set(f, yOdd, and(L(yOdd), shrs(shl(toInt(L(y)), 31), 31)));
      // negative base (sign bit) with odd integer exponent: negate
      set(f, res, xor(L(res), and(and(L(yOdd), ilt(L(x), KI(0))), KI(SIGN))));
      // finite x < 0 with non-integer y: NaN
      const nan = andnot(and(flt(L(x), K(0)), fgt(L(x), K(-INF))), L(yInt));
      set(f, res, sel(nan, K(NaN), L(res)));
    });
    // pow(x, +-0) = 1, pow(1, y) = 1, pow(-1, +-inf) = 1
    const one = or(
      or(feq(L(y), K(0)), feq(L(x), K(1))),
      and(feq(fabs(L(x)), K(1)), feq(fabs(L(y)), K(INF))),
    );
    sel(one, K(1), L(res))(f);
  });
}

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

export type UnaryMathFn =
  | "exp"
  | "exp2"
  | "expm1"
  | "log"
  | "log2"
  | "log1p"
  | "tanh"
  | "logistic"
  | "sin"
  | "cos"
  | "tan"
  | "atan"
  | "asin"
  | "acos"
  | "sinh"
  | "cosh"
  | "asinh"
  | "acosh"
  | "atanh"
  | "erf"
  | "erf_inv"
  | "cbrt"
  | "rsqrt";
export type BinaryMathFn = "atan2" | "pow";
export type MathFn = UnaryMathFn | BinaryMathFn;

export const UNARY_MATH: Readonly<Record<UnaryMathFn, (f: FunctionBuilder) => void>> = {
  exp: emitExp,
  exp2: emitExp2,
  expm1: emitExpm1,
  log: emitLog,
  log2: emitLog2,
  log1p: emitLog1p,
  tanh: emitTanh,
  logistic: emitLogistic,
  sin: emitSin,
  cos: emitCos,
  tan: emitTan,
  atan: emitAtan,
  asin: emitAsin,
  acos: emitAcos,
  sinh: emitSinh,
  cosh: emitCosh,
  asinh: emitAsinh,
  acosh: emitAcosh,
  atanh: emitAtanh,
  erf: emitErf,
  erf_inv: emitErfInv,
  cbrt: emitCbrt,
  rsqrt: emitRsqrt,
};

/** Binary emitters; operands are pushed in argument order (atan2: y then x; pow: x then y). */
export const BINARY_MATH: Readonly<Record<BinaryMathFn, (f: FunctionBuilder) => void>> = {
  atan2: emitAtan2,
  pow: emitPow,
};

/**
 * Functions whose results below the smallest normal float32 (2^-126) are flushed to +0, as
 * XLA:CPU flushes them (it runs with flush-to-zero); the others round subnormals exactly.
 */
export const FLUSHES_SUBNORMAL_RESULTS: ReadonlySet<MathFn> = new Set<MathFn>(["logistic"]);

/**
 * Max error in float32 ulps asserted by the tests (test/backend/wasm/simd-math.test.ts) over
 * every 997th float32 bit pattern plus ~1e5+ samples of each function's interesting range and
 * the special values. The measured maxima (also over every 101st bit pattern, 4.3e7 samples) are
 * listed in the file header; each bound leaves >= 0.5 ulp of headroom over them.
 */
export const MATH_ULP_BOUNDS: Readonly<Record<MathFn, number>> = {
  exp: 2,
  exp2: 2,
  expm1: 2,
  log: 2,
  log2: 2,
  log1p: 2,
  tanh: 2,
  logistic: 3,
  sin: 2,
  cos: 2,
  tan: 1,
  atan: 2,
  atan2: 3,
  asin: 2,
  acos: 2,
  sinh: 2.5,
  cosh: 2,
  asinh: 2.5,
  acosh: 3,
  atanh: 2.5,
  erf: 2,
  erf_inv: 3,
  pow: 1,
  cbrt: 2,
  rsqrt: 2,
};
