/**
 * Spence's function (`spence`), scipy's convention spence(z) = ∫₁^z log t/(1 − t) dt =
 * Li₂(1 − z) for z ≥ 0 (NaN below). Li₂(y) for y ∈ [−1, ½] by its Bernoulli series in
 * u = −log(1 − y), Σ Bₙ u^{n+1}/(n+1)! (|u| ≤ log 2: 16 terms reach float64 precision); z < ½
 * by the reflection Li₂(1 − z) = π²/6 − log z·log(1 − z) − Li₂(z); z > 2 by the inversion
 * Li₂(y) = −π²/6 − ½ log²(−y) − Li₂(1/y). Built from lax ops, so its derivative
 * log z/(1 − z) comes from differentiating the series.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { fullLike, log, log1p, square, where } from "../../numpy/namespace.js";
import { BERNOULLI_EVEN } from "../../lax/special/zeta.js";
import { broadcastInexact } from "../../lax/special/iterate.js";

const PI2_6 = (Math.PI * Math.PI) / 6;

/** Bₙ/(n+1)! for n = 2, 4, …, 32 (the odd ones beyond B₁ vanish). */
const COEFFICIENTS: readonly number[] = BERNOULLI_EVEN.map((b, i) => {
  let f = 1;
  for (let k = 2; k <= 2 * (i + 1) + 1; k++) f *= k;
  return b / f;
});

/** Li₂(y) for y ∈ [−1, ½]. */
function li2Central(y: Array): Array {
  const u = log1p(y.neg()).neg();
  const u2 = square(u);
  // u − u²/4 + Σₖ B₂ₖ u^{2k+1}/(2k+1)!
  let sum = fullLike(u, 0);
  for (let k = COEFFICIENTS.length - 1; k >= 0; k--) sum = sum.mul(u2).add(COEFFICIENTS[k]!);
  return u.sub(u2.div(4)).add(sum.mul(u2).mul(u));
}

/** Spence's function Li₂(1 − z) for real z ≥ 0 (`spence`). */
export function spence(z: ArrayLike): Array {
  const [x] = broadcastInexact("spence", z) as [Array];
  const small = x.lt(0.5);
  const large = x.gt(2);
  // Central: y = 1 − z ∈ [−1, ½].
  const xc = where(small, fullLike(x, 1), where(large, fullLike(x, 1), x));
  const central = li2Central(fullLike(x, 1).sub(xc));
  // Reflection for z ∈ (0, ½): π²/6 − log z·log(1 − z) − Li₂(z).
  const xs = where(small, x, fullLike(x, 0.25));
  const reflected = fullLike(x, PI2_6)
    .sub(log(xs).mul(log1p(xs.neg())))
    .sub(li2Central(xs));
  // Inversion for z > 2: y = 1 − z < −1, Li₂(y) = −π²/6 − ½ log²(z − 1) − Li₂(1/(1 − z)).
  const xl = where(large, x, fullLike(x, 3));
  const inverted = fullLike(x, -PI2_6)
    .sub(square(log(xl.sub(1))).mul(0.5))
    .sub(li2Central(fullLike(x, 1).div(fullLike(x, 1).sub(xl))));
  let out = where(small, reflected, where(large, inverted, central));
  out = where(x.eq(0), fullLike(x, PI2_6), out);
  return where(x.lt(0), fullLike(x, NaN), out);
}
