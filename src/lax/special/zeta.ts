/**
 * The Hurwitz zeta function ζ(s, q) = Σₖ (q + k)^{−s} (`lax.zeta`) and the polygamma function
 * ψ⁽ⁿ⁾(x) (`lax.polygamma`), by the Euler–Maclaurin formula: N direct terms, the integral
 * (q+N)^{1−s}/(s−1), and M Bernoulli corrections (q+N)^{−s} [½ + Σⱼ B₂ⱼ/(2j)! ·
 * s(s+1)…(s+2j−2)/(q+N)^{2j−1}] — N = M = 8 for float32, 16 for float64. Written in lax ops,
 * so its derivatives in s and q are those of the formula. Domain as scipy/Cephes: ∞ at s = 1
 * and at non-positive integer q; NaN for s < 1 or for q < 0 with non-integer s.
 * ψ⁽⁰⁾ = digamma; ψ⁽ⁿ⁾(x) = (−1)ⁿ⁺¹ n! ζ(n+1, x) for n ≥ 1.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import * as P from "../../primitives/index.js";
import {
  exp,
  floor,
  fullLike,
  logicalAnd,
  logicalOr,
  power,
  where,
} from "../../numpy/namespace.js";
import { promoteArgsInexact, promoteShapes } from "../../numpy/coerce.js";
import { isF64, laxOperands } from "./iterate.js";

/** B₂ⱼ for j = 1…16 (exact rationals). */
export const BERNOULLI_EVEN: readonly number[] = [
  1 / 6,
  -1 / 30,
  1 / 42,
  -1 / 30,
  5 / 66,
  -691 / 2730,
  7 / 6,
  -3617 / 510,
  43867 / 798,
  -174611 / 330,
  854513 / 138,
  -236364091 / 2730,
  8553103 / 6,
  -23749461029 / 870,
  8615841276005 / 14322,
  -7709321041217 / 510,
];

/** B₂ⱼ/(2j)! for j = 1…16. */
const CORRECTIONS: readonly number[] = BERNOULLI_EVEN.map((b, i) => {
  let f = 1;
  for (let k = 2; k <= 2 * (i + 1); k++) f *= k;
  return b / f;
});

function hurwitz(s: Array, q: Array): Array {
  const terms = isF64(s) ? 16 : 8;
  // Valid arguments only; the domain is patched in afterwards.
  let sum = fullLike(s, 0);
  for (let k = 0; k < terms; k++) sum = sum.add(power(q.add(k), s.neg()));
  const w = q.add(terms);
  const integral = power(w, fullLike(s, 1).sub(s)).div(s.sub(1));
  // Σⱼ B₂ⱼ/(2j)! · s(s+1)…(s+2j−2) / w^{2j−1}.
  let rising = s;
  let wPow = w;
  let tail = fullLike(s, 0.5);
  const w2 = w.mul(w);
  for (let j = 0; j < terms; j++) {
    tail = tail.add(rising.div(wPow).mul(CORRECTIONS[j]!));
    rising = rising.mul(s.add(2 * j + 1)).mul(s.add(2 * j + 2));
    wPow = wPow.mul(w2);
  }
  return sum.add(integral).add(power(w, s.neg()).mul(tail));
}

/** ζ(s, q) of promoted, broadcast operands. */
export function zetaOf(s: Array, q: Array): Array {
  const qPole = logicalAnd(q.le(0), floor(q).eq(q));
  const nan = logicalOr(s.lt(1), logicalAnd(q.lt(0), floor(s).ne(s)));
  const safeQ = where(logicalOr(qPole, nan), fullLike(q, 1), q);
  const safeS = where(logicalOr(nan, s.eq(1)), fullLike(s, 2), s);
  let out = hurwitz(safeS, safeQ);
  out = where(logicalOr(s.eq(1), qPole), fullLike(out, Infinity), out);
  return where(nan, fullLike(out, NaN), out);
}

/** The Hurwitz zeta function ζ(x, q) = Σ_{k≥0} (q + k)^{−x} (`lax.zeta`). */
export function zeta(x: ArrayLike, q: ArrayLike): Array {
  const [s, a] = promoteShapes(...promoteArgsInexact(...laxOperands("zeta", x, q))) as [
    Array,
    Array,
  ];
  return zetaOf(s, a);
}

/**
 * The polygamma function ψ⁽ᵐ⁾(x), the m-th derivative of digamma (`lax.polygamma`; m and x
 * promoted to one float dtype, m integer-valued: NaN for m < 0 or non-integer m).
 */
export function polygamma(m: ArrayLike, x: ArrayLike): Array {
  const [n, y] = promoteShapes(...promoteArgsInexact(...laxOperands("polygamma", m, x))) as [
    Array,
    Array,
  ];
  const safeN = where(n.lt(1), fullLike(n, 1), n);
  // (−1)^{n+1} n! with n! = exp(lgamma(n+1)).
  const signed = where(floor(safeN.div(2)).mul(2).eq(safeN), fullLike(n, -1), fullLike(n, 1)).mul(
    exp(P.lgamma(safeN.add(1))),
  );
  const higher = signed.mul(zetaOf(safeN.add(1), y));
  const bad = logicalOr(n.lt(0), floor(n).ne(n));
  return where(n.eq(0), P.digamma(y), where(bad, fullLike(y, NaN), higher));
}
