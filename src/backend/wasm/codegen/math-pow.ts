/**
 * SIMD math emitters: powers and roots (rsqrt, cbrt, pow).
 */
import type { FunctionBuilder } from "./function-builder.js";
import {
  and,
  andnot,
  dadd,
  ddiv,
  dhorner,
  div,
  dmax,
  dmin,
  dmul,
  dnearest,
  dsub,
  type Emit,
  fabs,
  feq,
  fgt,
  flt,
  ftrunc,
  horner,
  iadd,
  ieq,
  ilt,
  imul,
  isub,
  K,
  KD,
  KI,
  L,
  mul,
  op1,
  or,
  pow2i,
  scratch,
  sel,
  set,
  shl,
  shrs,
  SIGN,
  sub,
  toInt,
  withSignOf,
  xor,
} from "./math-dsl.js";
import { CBRT2, CBRT4, CBRT_P, INF, MIN_NORMAL, POW_EXP2_Q, POW_LOG2_L } from "./math-constants.js";
import { logSplit } from "./math-exp-log.js";
import { HIGH_HALF, LOW_HALF_TO_HIGH } from "./math-trig.js";

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
