/**
 * jax.scipy.special's gamma-function family and the functions JAX computes with its special
 * lax primitives (jax/_src/scipy/special.py): gamma, gammasgn, loggamma (real), beta, comb,
 * poch, multigammaln, gammainc, gammaincc, betainc, polygamma, zeta, i0/i0e/i1/i1e, bernoulli,
 * boxcox, boxcox1p. Inputs promote to inexact types as JAX's; complex inputs are not supported
 * (ValueError where JAX raises one).
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { ConcretizationTypeError, NotImplementedError, ValueError } from "../../core/errors.js";
import * as lax from "../../primitives/index.js";
import { type CustomJvpFunction, customJvp } from "../../transforms/custom-jvp.js";
import {
  arange,
  array,
  exp,
  expandDims,
  expm1,
  floor,
  fullLike,
  isnan,
  log,
  log1p,
  logicalAnd,
  logicalOr,
  signbit,
  sum,
  where,
} from "../../numpy/namespace.js";
import { dtypeOf, promoteArgsInexact, promoteShapes } from "../../numpy/coerce.js";
import { igamma, igammac } from "../../lax/special/igamma.js";
import { betainc as laxBetainc } from "../../lax/special/betainc.js";
import { besselI0e, besselI1e } from "../../lax/special/bessel.js";
import { polygamma as laxPolygamma, zeta as laxZeta } from "../../lax/special/zeta.js";
import { betaln } from "./basic.js";

const inexact1 = (x: ArrayLike): Array => promoteArgsInexact(x)[0]!;
const inexact2 = (x: ArrayLike, y: ArrayLike): [Array, Array] =>
  promoteShapes(...promoteArgsInexact(x, y)) as [Array, Array];

function realOnly(name: string, x: Array): void {
  if (String(x.dtype).startsWith("complex"))
    throw new ValueError(`${name} does not support complex-valued inputs.`);
}

/** The sign of Γ(x): NaN at poles and NaN, −1 on (−2k−1, −2k) and at −0, else 1 (`gammasgn`). */
export function gammasgn(x: ArrayLike): Array {
  const a = inexact1(x);
  realOnly("gammasgn", a);
  const fl = floor(a);
  const neg = a.lt(0);
  const nan = logicalOr(logicalAnd(neg, a.eq(fl)), isnan(a));
  const odd = fl.sub(floor(fl.div(2)).mul(2)).ne(0);
  const minus = logicalOr(logicalAnd(neg, odd), logicalAnd(a.eq(0), signbit(a)));
  return where(nan, fullLike(a, NaN), where(minus, fullLike(a, -1), fullLike(a, 1)));
}

/** Γ(x) = gammasgn(x)·exp(gammaln(x)) (`gamma`; real inputs). */
export function gamma(x: ArrayLike): Array {
  const a = inexact1(x);
  realOnly("gamma", a);
  return gammasgn(a).mul(exp(lax.lgamma(a)));
}

/** log Γ(x) for x > 0, NaN elsewhere (`loggamma`; real inputs). */
export function loggamma(x: ArrayLike): Array {
  const a = inexact1(x);
  if (String(a.dtype).startsWith("complex"))
    throw new NotImplementedError("loggamma of complex inputs is not supported in jaxts");
  return where(a.gt(0), lax.lgamma(a), fullLike(a, NaN));
}

/** B(a, b) = Γ(a)Γ(b)/Γ(a+b), signed (`beta`). */
export function beta(a: ArrayLike, b: ArrayLike): Array {
  const [x, y] = inexact2(a, b);
  realOnly("beta", x);
  const sign = gammasgn(x)
    .mul(gammasgn(y))
    .mul(gammasgn(x.add(y)));
  return sign.mul(exp(betaln(x, y)));
}

/** Options of `comb`. */
export interface CombOptions {
  /** Count combinations with repetition: C(N + k − 1, k). */
  repetition?: boolean;
}

/** The binomial coefficient C(N, k) through gammaln; 0 outside 0 ≤ k ≤ N (`comb`). */
export function comb(N: ArrayLike, k: ArrayLike, opts: CombOptions = {}): Array {
  const [n, kk] = inexact2(N, k);
  if (opts.repetition) {
    const one = kk.eq(0).and(n.ge(0));
    return where(one, fullLike(n, 1), comb(n.add(kk).sub(1), kk));
  }
  const ok = logicalAnd(logicalAnd(kk.le(n), n.ge(0)), kk.ge(0));
  const sn = where(ok, n, fullLike(n, 0));
  const sk = where(ok, kk, fullLike(kk, 0));
  const lg = lax
    .lgamma(sn.add(1))
    .sub(lax.lgamma(sk.add(1)))
    .sub(lax.lgamma(sn.add(1).sub(sk)));
  return where(ok, exp(lg), fullLike(n, 0));
}

type Binary = (a: Array, b: Array) => Array;
const pochValue: Binary = (z, m) => where(m.eq(0), fullLike(z, 1), gamma(z.add(m)).div(gamma(z)));
Object.defineProperty(pochValue, "name", { value: "poch" });
const pochCustom: CustomJvpFunction<Binary> = customJvp(pochValue);
pochCustom.defjvp(([z, m]: Array[], [zd, md]: Array[]) => {
  const y = pochCustom(z!, m!);
  const psiZm = lax.digamma(z!.add(m!));
  const dz = psiZm.sub(lax.digamma(z!)).mul(y);
  return [y, zd!.mul(dz).add(md!.mul(psiZm.mul(y)))];
});

/** The Pochhammer symbol (z)ₘ = Γ(z+m)/Γ(z) (`poch`; JAX's custom_jvp). */
export function poch(z: ArrayLike, m: ArrayLike): Array {
  const [a, b] = inexact2(z, m);
  realOnly("jnp.poch", a);
  return pochCustom(a, b);
}

/** log of the multivariate gamma function Γ_d(a) (`multigammaln`; `d` a concrete integer). */
export function multigammaln(a: ArrayLike, d: number): Array {
  if (typeof d !== "number" || !Number.isInteger(d))
    throw new ConcretizationTypeError(
      "The d argument of multigammaln must be a concrete Python integer.",
    );
  const x = inexact1(a);
  const constant = 0.25 * d * (d - 1) * Math.log(Math.PI);
  const b = arange(d, { dtype: x.dtype }).div(2);
  const shifted = expandDims(x, -1).sub(b);
  return sum(lax.lgamma(shifted), -1).add(constant);
}

/** The regularized lower incomplete gamma function P(a, x) (`gammainc`). */
export function gammainc(a: ArrayLike, x: ArrayLike): Array {
  return igamma(...inexact2(a, x));
}

/** The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x) (`gammaincc`). */
export function gammaincc(a: ArrayLike, x: ArrayLike): Array {
  return igammac(...inexact2(a, x));
}

/** The regularized incomplete beta function I_x(a, b) (`betainc`). */
export function betainc(a: ArrayLike, b: ArrayLike, x: ArrayLike): Array {
  const [pa, pb, px] = promoteShapes(...promoteArgsInexact(a, b, x)) as [Array, Array, Array];
  realOnly("betainc", px);
  return laxBetainc(pa, pb, px);
}

/** ψ⁽ⁿ⁾(x), the n-th derivative of digamma; `n` of integer type (`polygamma`). */
export function polygamma(n: ArrayLike, x: ArrayLike): Array {
  const kind = String(dtypeOf(n));
  if (!/^u?int/.test(kind))
    throw new ValueError(`Argument \`n\` to polygamma must be of integer type. Got dtype ${kind}.`);
  const [nn, xx] = inexact2(n, x);
  realOnly("polygamma", xx);
  return laxPolygamma(nn, xx);
}

/** The Hurwitz zeta function ζ(x, q); the Riemann ζ(x) (q omitted) raises as JAX (`zeta`). */
export function zeta(x: ArrayLike, q?: ArrayLike | null): Array {
  if (q === undefined || q === null)
    throw new NotImplementedError(
      "Riemann zeta function not implemented; pass q != None to compute the Hurwitz Zeta function.",
    );
  return laxZeta(...inexact2(x, q));
}

/** e^{−|x|} I₀(x) (`i0e`). */
export const i0e = (x: ArrayLike): Array => besselI0e(inexact1(x));
/** The modified Bessel function of the first kind of order 0 (`i0`). */
export function i0(x: ArrayLike): Array {
  const a = inexact1(x);
  return exp(lax.abs(a)).mul(besselI0e(a));
}
/** e^{−|x|} I₁(x) (`i1e`). */
export const i1e = (x: ArrayLike): Array => besselI1e(inexact1(x));
/** The modified Bessel function of the first kind of order 1 (`i1`). */
export function i1(x: ArrayLike): Array {
  const a = inexact1(x);
  return exp(lax.abs(a)).mul(besselI1e(a));
}

/** The Bernoulli numbers B₀ … Bₙ (B₁ = −½), `n` a concrete non-negative integer (`bernoulli`). */
export function bernoulli(n: number): Array {
  if (typeof n !== "number" || !Number.isInteger(n))
    throw new ConcretizationTypeError("Argument n of bernoulli must be a concrete integer.");
  if (n < 0) throw new ValueError("n must be a non-negative integer.");
  // B₂ₖ = (−1)^{k+1} 2 (2k)! ζ(2k) / (2π)^{2k}; odd ones beyond B₁ are 0.
  const out: number[] = [];
  for (let i = 0; i <= n; i++) {
    if (i === 0) out.push(1);
    else if (i === 1) out.push(-0.5);
    else if (i % 2 === 1) out.push(0);
    else {
      // ζ(i) by 60 terms and the Euler–Maclaurin tail ∫ + ½ end term + first correction.
      const N = 60;
      let zeta2k = 0;
      for (let j = 1; j < N; j++) zeta2k += Math.pow(j, -i);
      zeta2k += Math.pow(N, 1 - i) / (i - 1) + Math.pow(N, -i) / 2 + (i * Math.pow(N, -i - 1)) / 12;
      let f = 2 * zeta2k;
      for (let k = 1; k <= i; k++) f *= k / (2 * Math.PI);
      out.push((i / 2) % 2 === 1 ? f : -f);
    }
  }
  return array(out);
}

/** The Box-Cox transform (x^λ − 1)/λ, log x at λ = 0 (`boxcox`). */
export function boxcox(x: ArrayLike, lmbda: ArrayLike): Array {
  const [a, l] = inexact2(x, lmbda);
  return boxcoxOf(log(a), l);
}

/** The Box-Cox transform of 1 + x: ((1+x)^λ − 1)/λ, log1p x at λ = 0 (`boxcox1p`). */
export function boxcox1p(x: ArrayLike, lmbda: ArrayLike): Array {
  const [a, l] = inexact2(x, lmbda);
  return boxcoxOf(log1p(a), l);
}

function boxcoxOf(logX: Array, l: Array): Array {
  const zero = l.eq(0);
  const safe = where(zero, fullLike(l, 1), l);
  return where(zero, logX, expm1(safe.mul(logX)).div(safe));
}
