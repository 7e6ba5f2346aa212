/**
 * jax.scipy.special functions built from lax primitives, as JAX defines them
 * (jax/_src/scipy/special.py): gammaln, digamma, erf, erfc, erfinv, expit, logit, ndtr,
 * entr, rel_entr, kl_div, betaln, factorial, and logsumexp / softmax / log_softmax (the
 * jax.nn functions, which JAX also re-exports here). Inputs promote to inexact types.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import * as lax from "../../primitives/index.js";
import { ValueError } from "../../core/errors.js";
import { promoteArgsInexact, promoteShapes } from "../../numpy/coerce.js";
import { where } from "../../numpy/ufuncs.js";

export { logsumexp, softmax, logSoftmax } from "../../nn/softmax.js";

const inexact1 = (x: ArrayLike): Array => promoteArgsInexact(x)[0]!;
const inexact2 = (x: ArrayLike, y: ArrayLike): [Array, Array] =>
  promoteShapes(...promoteArgsInexact(x, y)) as [Array, Array];
const c = (x: Array, v: number): Array => lax.scalarLike(x, v);

/** log|Γ(x)| (`gammaln`). */
export const gammaln = (x: ArrayLike): Array => lax.lgamma(inexact1(x));
/** ψ(x) = d/dx log Γ(x) (`digamma`). */
export const digamma = (x: ArrayLike): Array => lax.digamma(inexact1(x));
/** The error function (`erf`). */
export const erf = (x: ArrayLike): Array => lax.erf(inexact1(x));
/** 1 − erf(x) (`erfc`). */
export const erfc = (x: ArrayLike): Array => lax.erfc(inexact1(x));
/** The inverse error function (`erfinv`). */
export const erfinv = (x: ArrayLike): Array => lax.erfInv(inexact1(x));
/** The logistic sigmoid 1/(1+e^−x) (`expit`). */
export const expit = (x: ArrayLike): Array => lax.logistic(inexact1(x));

/** log(p/(1−p)) (`logit`). */
export function logit(x: ArrayLike): Array {
  const p = inexact1(x);
  return lax.log(lax.div(p, lax.sub(c(p, 1), p)));
}

/** The standard normal CDF, through erf near 0 and erfc in the tails (`ndtr`). */
export function ndtr(x: ArrayLike): Array {
  const a = inexact1(x);
  const w = lax.mul(a, c(a, Math.SQRT1_2));
  const z = lax.abs(w);
  const y = where(
    lax.lt(z, c(z, Math.SQRT1_2)),
    lax.add(c(w, 1), lax.erf(w)),
    where(lax.gt(w, c(w, 0)), lax.sub(c(w, 2), lax.erfc(z)), lax.erfc(z)),
  );
  return lax.mul(c(y, 0.5), y);
}

/** Elementwise entropy −x·log x (0 at 0, −inf below) (`entr`). */
export function entr(x: ArrayLike): Array {
  const a = inexact1(x);
  const safe = where(lax.gt(a, c(a, 0)), a, c(a, 1));
  return where(
    lax.gt(a, c(a, 0)),
    lax.neg(lax.mul(safe, lax.log(safe))),
    where(lax.eq(a, c(a, 0)), c(a, 0), c(a, -Infinity)),
  );
}

/** p·log(p/q) for p, q > 0; 0 where p = 0 ≤ q; inf otherwise (`rel_entr`). */
export function relEntr(p: ArrayLike, q: ArrayLike): Array {
  const [a, b] = inexact2(p, q);
  const pos = lax.and(lax.gt(a, c(a, 0)), lax.gt(b, c(b, 0)));
  const sa = where(pos, a, c(a, 1));
  const sb = where(pos, b, c(b, 1));
  const v = lax.mul(sa, lax.log(lax.div(sa, sb)));
  const zero = lax.and(lax.eq(a, c(a, 0)), lax.ge(b, c(b, 0)));
  return where(pos, v, where(zero, c(a, 0), c(a, Infinity)));
}

/** p·log(p/q) − p + q for p, q > 0; q where p = 0 ≤ q; inf otherwise (`kl_div`). */
export function klDiv(p: ArrayLike, q: ArrayLike): Array {
  const [a, b] = inexact2(p, q);
  const pos = lax.and(lax.gt(a, c(a, 0)), lax.gt(b, c(b, 0)));
  const sa = where(pos, a, c(a, 1));
  const sb = where(pos, b, c(b, 1));
  const v = lax.add(lax.sub(lax.mul(sa, lax.log(lax.div(sa, sb))), sa), sb);
  const zero = lax.and(lax.eq(a, c(a, 0)), lax.ge(b, c(b, 0)));
  return where(pos, v, where(zero, b, c(a, Infinity)));
}

/** log|B(a, b)| = gammaln(a) + gammaln(b) − gammaln(a + b) (`betaln`). */
export function betaln(a: ArrayLike, b: ArrayLike): Array {
  const [x, y] = inexact2(a, b);
  return lax.sub(lax.add(lax.lgamma(x), lax.lgamma(y)), lax.lgamma(lax.add(x, y)));
}

/** n! as Γ(n + 1), 0 for n < 0 (`factorial(n, exact=False)`; exact=True is not supported). */
export function factorial(n: ArrayLike, exact = false): Array {
  if (exact) throw new ValueError("factorial with exact=True is not supported in JAX");
  const x = inexact1(n);
  return where(lax.lt(x, c(x, 0)), c(x, 0), lax.exp(lax.lgamma(lax.add(x, c(x, 1)))));
}
