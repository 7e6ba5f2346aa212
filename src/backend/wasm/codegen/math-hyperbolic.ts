/**
 * SIMD math emitters: the hyperbolic functions and their inverses.
 */
import type { FunctionBuilder } from "./function-builder.js";
import {
  add,
  and,
  div,
  fabs,
  fgt,
  flt,
  fsqrt,
  horner,
  K,
  L,
  mul,
  scratch,
  sel,
  set,
  sub,
  withSignOf,
} from "./math-dsl.js";
import { LN2, SINH_H } from "./math-constants.js";
import { emitLog1p, expScaled } from "./math-exp-log.js";

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
