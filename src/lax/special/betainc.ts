/**
 * The regularized incomplete beta function I_x(a, b) (`lax.betainc`), as JAX's lax primitive
 * computes it: the continued fraction of DLMF 8.17.22,
 *
 *   I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · 1/(1+ d₁/(1+ d₂/(1+ …))),
 *   d₂ₘ₊₁ = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)),  d₂ₘ = m(b−m)x / ((a+2m−1)(a+2m)),
 *
 * evaluated by the modified Lentz method in one elementwise `whileLoop` (≤ 200 passes for
 * float32, 600 for float64), on the side where it converges fast: for x > (a+1)/(a+b+2) it
 * computes 1 − I_{1−x}(b, a). Limits as JAX: a = 0 or b = ∞ gives 1 for x > 0 (0 at x = 0);
 * b = 0 or a = ∞ gives 0 for x < 1 (1 at x = 1); NaN for a < 0, b < 0, x ∉ [0, 1], a = b = 0 or
 * NaN inputs. A `custom_jvp`: ∂/∂x = x^{a−1}(1−x)^{b−1}/B(a, b); a tangent for a or b raises
 * JAX's ValueError ("Betainc gradient with respect to a and b not supported.").
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { ValueError } from "../../core/errors.js";
import { isConcreteArray } from "../../runtime/array.js";
import { type CustomJvpFunction, customJvp } from "../../transforms/custom-jvp.js";
import * as P from "../../primitives/index.js";
import {
  abs,
  exp,
  fullLike,
  isnan,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  where,
} from "../../numpy/namespace.js";
import { broadcastInexact, epsOf, isF64, iterateElementwise, laxOperands } from "./iterate.js";

const or = (...xs: Array[]): Array => xs.reduce((p, q) => logicalOr(p, q));

/** The continued fraction's value 1/(1+ d₁/(1+ …)): g = 1 + d₁/(1+ …) by modified Lentz. */
function lentz(a: Array, b: Array, x: Array): Array {
  const eps = epsOf(x);
  const tiny = eps / 2;
  const guard = (v: Array): Array => where(abs(v).lt(tiny), fullLike(v, tiny), v);
  // g₀ = 1, C₀ = 1, D₀ = 0; pass n applies the partial numerator dₙ.
  const one = fullLike(x, 1);
  const [, , f] = iterateElementwise(
    fullLike(x, 1).astype("bool"),
    [one, fullLike(x, 0), one],
    ([c, d, h], i) => {
      // dₙ with n = i + 1: n = 2m+1 (odd) or n = 2m (even), m = ⌊n/2⌋.
      const n = i.add(1).astype(x.dtype);
      const m = P.floor(n.div(2));
      const odd = n.sub(m.mul(2)).eq(1);
      const a2m = a.add(m.mul(2));
      const dOdd = a
        .add(m)
        .mul(a.add(b).add(m))
        .mul(x)
        .neg()
        .div(a2m.mul(a2m.add(1)));
      const dEven = m.mul(b.sub(m)).mul(x).div(a2m.sub(1).mul(a2m));
      const num = where(odd, dOdd, dEven);
      const d1 = P.div(fullLike(x, 1), guard(num.mul(d!).add(1)));
      const c1 = guard(num.div(c!).add(1));
      const delta = c1.mul(d1);
      return [[c1, d1, h!.mul(delta)], abs(delta.sub(1)).ge(eps)];
    },
    isF64(x) ? 600 : 200,
  );
  return P.div(one, f!);
}

function betaincValue(a: Array, b: Array, x: Array): Array {
  const aZero = logicalOr(a.eq(0), b.eq(Infinity));
  const bZero = logicalOr(b.eq(0), a.eq(Infinity));
  const xZero = x.eq(0);
  const xOne = x.eq(1);
  const isZero = logicalOr(logicalAnd(bZero, logicalNot(xOne)), logicalAnd(aZero, xZero));
  const isOne = logicalOr(logicalAnd(aZero, logicalNot(xZero)), logicalAnd(bZero, xOne));
  const isNan = or(
    a.lt(0),
    b.lt(0),
    x.lt(0),
    x.gt(1),
    logicalAnd(aZero, bZero),
    isnan(a),
    isnan(b),
    isnan(x),
  );
  // The fraction converges fast for x < (a+1)/(a+b+2); otherwise use 1 − I_{1−x}(b, a).
  const direct = x.lt(a.add(1).div(a.add(b).add(2)));
  const aa = where(direct, a, b);
  const bb = where(direct, b, a);
  const xx = where(direct, x, fullLike(x, 1).sub(x));
  const cf = lentz(aa, bb, xx);
  // x^a (1−x)^b / (a B(a, b)); for a below the smallest normal, a Γ(a) → 1.
  const lbetaNoA = P.lgamma(bb).sub(P.lgamma(aa.add(bb)));
  const factor = where(
    aa.lt(2 * (isF64(x) ? 2.2250738585072014e-308 : 1.1754943508222875e-38)),
    exp(log1p(xx.neg()).mul(bb).sub(lbetaNoA)),
    exp(log(xx).mul(aa).add(log1p(xx.neg()).mul(bb)).sub(P.lgamma(aa)).sub(lbetaNoA)).div(aa),
  );
  let out = cf.mul(factor);
  out = where(direct, out, fullLike(out, 1).sub(out));
  out = where(isZero, fullLike(out, 0), out);
  out = where(isOne, fullLike(out, 1), out);
  return where(isNan, fullLike(out, NaN), out);
}

type Ternary = (a: Array, b: Array, x: Array) => Array;
const valueFn: Ternary = (a, b, x) => betaincValue(a, b, x);
Object.defineProperty(valueFn, "name", { value: "betainc" });

/** Whether a tangent is a known all-zero constant (an argument not being differentiated). */
function knownZero(t: Array): boolean {
  return (
    isConcreteArray(t) && globalThis.Array.from(t.toTypedArray(), Number).every((v) => v === 0)
  );
}

const betaincCustom: CustomJvpFunction<Ternary> = customJvp(valueFn);
betaincCustom.defjvp(([a, b, x]: Array[], [ad, bd, xd]: Array[]) => {
  if (!knownZero(ad!) || !knownZero(bd!))
    throw new ValueError("Betainc gradient with respect to a and b not supported.");
  const lbeta = P.lgamma(a!)
    .add(P.lgamma(b!))
    .sub(P.lgamma(a!.add(b!)));
  const dx = exp(
    b!
      .sub(1)
      .mul(log1p(x!.neg()))
      .add(a!.sub(1).mul(log(x!)))
      .sub(lbeta),
  );
  return [betaincCustom(a!, b!, x!), xd!.mul(dx)];
});

/** The regularized incomplete beta function I_x(a, b) (`lax.betainc`). */
export function betainc(a: ArrayLike, b: ArrayLike, x: ArrayLike): Array {
  const [pa, pb, px] = broadcastInexact("betainc", ...laxOperands("betainc", a, b, x)) as [
    Array,
    Array,
    Array,
  ];
  return betaincCustom(pa, pb, px);
}
