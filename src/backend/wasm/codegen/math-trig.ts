/**
 * SIMD math emitters: sin, cos, tan (f64 Cody-Waite reduction, Payne-Hanek style for huge
 * arguments) and the inverse trigonometric functions (atan, atan2, asin, acos).
 */
import type { FunctionBuilder } from "./function-builder.js";
import {
  add,
  and,
  dadd,
  ddiv,
  dhorner,
  div,
  dmul,
  dnearest,
  dsub,
  type Emit,
  fabs,
  feq,
  fgt,
  flt,
  fmax,
  fmin,
  fsqrt,
  horner,
  iadd,
  ilt,
  K,
  KD,
  KI,
  L,
  mul,
  op1,
  op2,
  scratch,
  sel,
  set,
  shl,
  shrs,
  SIGN,
  sub,
  withSignOf,
  xor,
} from "./math-dsl.js";
import {
  ASIN_B,
  ATAN_A,
  COS_C,
  MIN_NORMAL,
  PI_HI,
  PI_LO,
  PIO2_F64,
  PIO2_HI,
  PIO2_LO,
  PIO2_P1,
  PIO2_P2,
  PIO4_HI,
  PIO4_LO,
  SIN_S,
  TAN_3PI_8,
  TRIG_FAST_MAX,
  TWO_OVER_PI_CHUNKS,
  TWO_OVER_PI_F64,
} from "./math-constants.js";
import { keepZero } from "./math-exp-log.js";

/** Double-double accumulation (hi, lo) += s (Knuth TwoSum), f64x2. */
export function twoSumInto(f: FunctionBuilder, hi: number, lo: number, s: number): void {
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
export function reduceHugeHalf(f: FunctionBuilder, X: number, r: number, j: number): void {
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

export const LOW_HALF_TO_HIGH = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
export const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

/**
 * Reduces two lanes X (f64x2 local, exact promotion of the f32 inputs) to R = X - J*pi/2 in
 * [-pi/4, pi/4] and J (both f64x2 locals; R accurate to ~2^-50 relative even for the float32
 * values closest to multiples of pi/2).
 * |x| <= 1e6: Cody-Waite with pi/2 = P1 + P2 (P1 has 33 bits, so J*P1 is exact for J < 2^20).
 * Larger lanes (and infinities) take the chunked 2/pi reduction when present in the pair.
 */
export function reducePair(f: FunctionBuilder, X: number, R: number, J: number): void {
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

export const promoteLow = op1("f64x2.promote_low_f32x4");
/** Low (h = 0) or high (h = 1) two f32 lanes of local v, promoted to f64x2. */
export const promoteHalf = (v: number, h: number): Emit =>
  promoteLow(h === 0 ? L(v) : (g) => void g.localGet(v).localGet(v).shuffle(HIGH_HALF));

/**
 * Reduces x (local) to r in [-pi/4, pi/4] (f32x4, correctly rounded from the f64 remainder),
 * its rounding error rlo (f32x4) and quadrant j (i32x4) with x = j*pi/2 + r + rlo.
 */
export function trigReduce(f: FunctionBuilder, x: number, r: number, rlo: number, j: number): void {
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
export function sinCosPoly(f: FunctionBuilder, r: number, rlo: number, s: number, c: number): void {
  scratch(f, 1, (r2) => {
    set(f, r2, mul(L(r), L(r)));
    set(f, c, add(K(1), sub(mul(L(r2), horner(L(r2), [-0.5, ...COS_C])), mul(L(rlo), L(r)))));
    set(f, s, add(L(r), add(mul(mul(L(r), L(r2)), horner(L(r2), SIN_S)), mul(L(rlo), L(c)))));
  });
}

/** Lane mask of bit 0 of j (odd quadrant). */
export const oddMask = (j: Emit): Emit => shrs(shl(j, 31), 31);
/** Sign bit from bit 1 of j. */
export const bit1Sign = (j: Emit): Emit => shl(and(j, KI(2)), 30);

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

/** atan(t) - t = t^3 A(t^2) for |t| <= 1/2. */
export const atanTail = (t: Emit, t2: Emit): Emit => mul(mul(t, t2), horner(t2, ATAN_A));

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
export const asinPoly = (s: Emit, z: Emit): Emit => add(s, mul(mul(s, z), horner(z, ASIN_B)));

/** Shared asin/acos reduction: a = |x|, big = a > 1/2, z, s, p = asin(s). */
export function asinCore(f: FunctionBuilder, x: number, big: number, p: number): void {
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
