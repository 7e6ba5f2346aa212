/**
 * SIMD math emitters: the error function and its inverse.
 */
import type { FunctionBuilder } from "./function-builder.js";
import {
  add,
  fabs,
  feq,
  flt,
  fmin,
  fneg,
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
import { ERF_E, ERF_ONE, ERFC_G, ERFINV_YA, ERFINV_YB, ERFINV_YC, INF } from "./math-constants.js";
import { emitExp, emitLog, keepZero } from "./math-exp-log.js";

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
