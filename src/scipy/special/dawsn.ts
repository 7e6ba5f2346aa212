/**
 * Dawson's integral F(x) = e^{−x²} ∫₀ˣ e^{t²} dt (`dawsn`): for |x| below 4 (6 for float64)
 * e^{−x²} Σₙ x^{2n+1}/(n!(2n+1)) — all terms positive, so no cancellation — in one elementwise
 * `whileLoop`; above, the asymptotic series Σₙ (2n−1)!!/(2^{n+1} x^{2n+1}) cut at its smallest
 * term (error ≈ e^{−x²}). F is odd. `custom_jvp` as JAX's: F′ = 1 − 2x·F.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { type CustomJvpFunction, customJvp } from "../../transforms/custom-jvp.js";
import { abs, exp, fullLike, logicalNot, square, where } from "../../numpy/namespace.js";
import { broadcastInexact, epsOf, isF64, iterateElementwise } from "../../lax/special/iterate.js";

function dawsnValue(x: Array): Array {
  const eps = epsOf(x);
  const threshold = isF64(x) ? 6 : 4;
  const ax = abs(x);
  const useSeries = ax.lt(threshold);
  const xs = where(useSeries, ax, fullLike(x, 1));
  const x2 = square(xs);
  // term_n = x^{2n+1}/n!, sum of term_n/(2n+1).
  const [, sum] = iterateElementwise(
    useSeries,
    [xs, xs],
    ([term, s], i) => {
      const n = i.add(1).astype(x.dtype);
      const t1 = term!.mul(x2).div(n);
      const add = t1.div(n.mul(2).add(1));
      const s1 = s!.add(add);
      return [[t1, s1], add.ge(s1.mul(eps))];
    },
    1000,
  );
  const series = exp(x2.neg()).mul(sum!);
  // Asymptotic: 1/(2x) Σ (2n−1)!!/(2x²)ⁿ, up to the smallest term.
  const xa = where(useSeries, fullLike(x, threshold), ax);
  const inv = fullLike(x, 0.5).div(square(xa));
  let term = fullLike(x, 1);
  let total = fullLike(x, 1);
  const terms = Math.floor(threshold * threshold);
  for (let n = 1; n <= terms; n++) {
    term = term.mul(inv).mul(2 * n - 1);
    total = total.add(term);
  }
  const asymptotic = total.div(xa.mul(2));
  const magnitude = where(useSeries, series, asymptotic);
  return where(x.lt(0), magnitude.neg(), where(logicalNot(x.eq(x)), x, magnitude));
}
Object.defineProperty(dawsnValue, "name", { value: "dawsn" });

const dawsnCustom: CustomJvpFunction<(x: Array) => Array> = customJvp(dawsnValue);
dawsnCustom.defjvp(([x]: Array[], [t]: Array[]) => {
  const y = dawsnCustom(x!);
  return [y, t!.mul(fullLike(x!, 1).sub(x!.mul(2).mul(y)))];
});

/** Dawson's integral e^{−x²} ∫₀ˣ e^{t²} dt (`dawsn`). */
export function dawsn(x: ArrayLike): Array {
  const [xx] = broadcastInexact("dawsn", x) as [Array];
  return dawsnCustom(xx);
}
