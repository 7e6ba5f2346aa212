/**
 * Exponential integrals and erfcx (jax.scipy.special): `expn(n, x)` = ∫₁^∞ e^{−xt}/tⁿ dt,
 * `exp1(x)` = E₁(x), `expi(x)` = Ei(x), and `erfcx(x)` = e^{x²} erfc(x). Eₙ by its power series
 * for x ≤ 1 and its continued fraction (modified Lentz) above, each one elementwise
 * `whileLoop` to machine precision; Ei(x > 0) by its power series up to −log(eps) and the
 * asymptotic series above; Ei(x < 0) = −E₁(−x). erfcx directly below 5 (12 for float64), by its
 * asymptotic series above. `custom_jvp` as JAX's: Eₙ′ = −Eₙ₋₁ (E₀ = e^{−x}/x), Ei′ = eˣ/x,
 * erfcx′ = 2x·erfcx − 2/√π. Domain as scipy: NaN for x < 0 (Eₙ) or n < 0; Eₙ(0) = 1/(n−1)
 * for n > 1, ∞ for n ≤ 1; Ei(0) = −∞.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import * as lax from "../../primitives/index.js";
import { type CustomJvpFunction, customJvp } from "../../transforms/custom-jvp.js";
import {
  abs,
  exp,
  floor,
  fullLike,
  log,
  logicalAnd,
  logicalNot,
  logicalOr,
  square,
  where,
} from "../../numpy/namespace.js";
import { broadcastInexact, epsOf, isF64, iterateElementwise } from "../../lax/special/iterate.js";

const EULER = 0.5772156649015329;
const MAX_ITER = 1000;

/** Eₙ(x) for n ≥ 1, x > 0 (other elements are computed on safe stand-ins and replaced). */
function expnPositive(n: Array, x: Array): Array {
  const eps = epsOf(x);
  const big = 1 / (eps * 1e-4);
  const useCf = x.gt(1);
  // Continued fraction: b = x + n, c = big, d = 1/b, h = d; aᵢ = −i(n − 1 + i), b += 2.
  const xc = where(useCf, x, fullLike(x, 2));
  const b0 = xc.add(n);
  const d0 = lax.div(fullLike(x, 1), b0);
  const [, , , h] = iterateElementwise(
    useCf,
    [b0, fullLike(x, big), d0, d0],
    ([b, c, d, hh], i) => {
      const k = i.add(1).astype(x.dtype);
      const an = k.neg().mul(n.sub(1).add(k));
      const b1 = b!.add(2);
      const d1 = lax.div(fullLike(x, 1), an.mul(d!).add(b1));
      const c1 = b1.add(an.div(c!));
      const del = c1.mul(d1);
      return [[b1, c1, d1, hh!.mul(del)], abs(del.sub(1)).ge(eps)];
    },
    MAX_ITER,
  );
  const cf = h!.mul(exp(xc.neg()));
  // Series: 1/(n−1) (or −log x − γ at n = 1) + Σᵢ terms; at i = n−1 the log term.
  const xs = where(useCf, fullLike(x, 0.5), x);
  const psi = lax.digamma(n);
  const start = where(n.eq(1), log(xs).neg().sub(EULER), lax.div(fullLike(x, 1), n.sub(1)));
  const [, series] = iterateElementwise(
    logicalNot(useCf),
    [fullLike(x, 1), start],
    ([fact, ans], i) => {
      const k = i.add(1).astype(x.dtype);
      const f1 = fact!.mul(xs.neg().div(k));
      const atPole = k.eq(n.sub(1));
      const safeDen = where(atPole, fullLike(x, 1), k.sub(n).add(1));
      const del = where(atPole, f1.mul(log(xs).neg().add(psi)), f1.neg().div(safeDen));
      const a1 = ans!.add(del);
      return [[f1, a1], abs(del).ge(abs(a1).mul(eps))];
    },
    MAX_ITER,
  );
  return where(useCf, cf, series!);
}

function expnValue(n: Array, x: Array): Array {
  const bad = logicalOr(logicalOr(n.lt(0), x.lt(0)), floor(n).ne(n));
  const n1 = where(n.lt(1), fullLike(n, 1), n);
  const xp = where(x.le(0), fullLike(x, 1), x);
  let out = expnPositive(n1, xp);
  out = where(n.eq(0), exp(xp.neg()).div(xp), out);
  const atZero = where(n.gt(1), lax.div(fullLike(x, 1), n.sub(1)), fullLike(x, Infinity));
  out = where(x.eq(0), atZero, out);
  return where(logicalOr(bad, logicalOr(lax.ne(x, x), lax.ne(n, n))), fullLike(x, NaN), out);
}

type Binary = (n: Array, x: Array) => Array;
const expnFn: Binary = (n, x) => expnValue(n, x);
Object.defineProperty(expnFn, "name", { value: "expn" });
const expnCustom: CustomJvpFunction<Binary> = customJvp(expnFn, { nondiffArgnums: [0] });
// Eₙ′ = −Eₙ₋₁; for n = 0, d/dx e^{−x}/x = −e^{−x}(x + 1)/x² (JAX's rule gives E₋₁ = NaN there).
expnCustom.defjvp((n: Array, [x]: Array[], [t]: Array[]) => {
  const e0 = exp(x!.neg()).mul(x!.add(1)).div(square(x!)).neg();
  const d = where(n.eq(0), e0, expnValue(where(n.eq(0), fullLike(n, 1), n).sub(1), x!).neg());
  return [expnCustom(n, x!), t!.mul(d)];
});

/** The generalized exponential integral Eₙ(x) = ∫₁^∞ e^{−xt}/tⁿ dt (`expn`). */
export function expn(n: ArrayLike, x: ArrayLike): Array {
  const [nn, xx] = broadcastInexact("expn", n, x) as [Array, Array];
  return expnCustom(nn, xx);
}

/** The exponential integral E₁(x) = ∫₁^∞ e^{−xt}/t dt (`exp1`). */
export function exp1(x: ArrayLike): Array {
  const [xx] = broadcastInexact("exp1", x) as [Array];
  return expnCustom(fullLike(xx, 1), xx);
}

/** Ei(x) for x > 0: series up to −log(eps), asymptotic above. */
function eiPositive(x: Array): Array {
  const eps = epsOf(x);
  const useSeries = x.lt(-Math.log(eps));
  const xs = where(useSeries, x, fullLike(x, 1));
  const [, sum] = iterateElementwise(
    useSeries,
    [fullLike(x, 1), fullLike(x, 0)],
    ([fact, s], i) => {
      const k = i.add(1).astype(x.dtype);
      const f1 = fact!.mul(xs.div(k));
      const term = f1.div(k);
      const s1 = s!.add(term);
      return [[f1, s1], term.ge(s1.mul(eps))];
    },
    MAX_ITER,
  );
  const series = sum!.add(log(xs)).add(EULER);
  // Asymptotic: eˣ/x · Σ k!/xᵏ while the terms decrease.
  const xa = where(useSeries, fullLike(x, 100), x);
  const [, , asum] = iterateElementwise(
    logicalNot(useSeries),
    [fullLike(x, 1), fullLike(x, 1), fullLike(x, 1)],
    ([term, prev, s], i) => {
      const k = i.add(1).astype(x.dtype);
      const t1 = term!.mul(k).div(xa);
      const grows = t1.ge(prev!);
      const s1 = where(grows, s!, s!.add(t1));
      return [[t1, t1, s1], logicalAnd(logicalNot(grows), t1.ge(s1.mul(eps)))];
    },
    MAX_ITER,
  );
  const asymptotic = exp(xa).div(xa).mul(asum!);
  return where(useSeries, series, asymptotic);
}

function expiValue(x: Array): Array {
  const pos = x.gt(0);
  const xp = where(pos, x, fullLike(x, 1));
  const xn = where(pos, fullLike(x, 1), x.neg());
  const negative = expnPositive(fullLike(x, 1), where(x.lt(0), xn, fullLike(x, 1))).neg();
  const out = where(pos, eiPositive(xp), negative);
  return where(x.eq(0), fullLike(x, -Infinity), out);
}
Object.defineProperty(expiValue, "name", { value: "expi" });
const expiCustom: CustomJvpFunction<(x: Array) => Array> = customJvp(expiValue);
expiCustom.defjvp(([x]: Array[], [t]: Array[]) => [expiCustom(x!), t!.mul(exp(x!).div(x!))]);

/** The exponential integral Ei(x) = −PV∫_{−x}^∞ e^{−t}/t dt (`expi`). */
export function expi(x: ArrayLike): Array {
  const [xx] = broadcastInexact("expi", x) as [Array];
  return expiCustom(xx);
}

function erfcxValue(x: Array): Array {
  const threshold = isF64(x) ? 12 : 5;
  const direct = x.lt(threshold);
  const xd = where(direct, x, fullLike(x, 0));
  const viaErfc = exp(square(xd)).mul(lax.erfc(xd));
  // 1/(x√π) · Σₖ (−1)ᵏ (2k−1)!!/(2x²)ᵏ, 12 (float32) or 40 (float64) terms.
  const xa = where(direct, fullLike(x, threshold), x);
  const inv2x2 = lax.div(fullLike(x, 0.5), square(xa));
  let term = fullLike(x, 1);
  let sum = fullLike(x, 1);
  for (let k = 1; k <= (isF64(x) ? 40 : 12); k++) {
    term = term.mul(inv2x2).mul(-(2 * k - 1));
    sum = sum.add(term);
  }
  const asymptotic = sum.div(xa.mul(Math.sqrt(Math.PI)));
  return where(direct, viaErfc, asymptotic);
}
Object.defineProperty(erfcxValue, "name", { value: "erfcx" });
const erfcxCustom: CustomJvpFunction<(x: Array) => Array> = customJvp(erfcxValue);
erfcxCustom.defjvp(([x]: Array[], [t]: Array[]) => {
  const y = erfcxCustom(x!);
  return [
    y,
    t!.mul(
      x!
        .mul(2)
        .mul(y)
        .sub(2 / Math.sqrt(Math.PI)),
    ),
  ];
});

/** The scaled complementary error function e^{x²} erfc(x) (`erfcx`). */
export function erfcx(x: ArrayLike): Array {
  const [xx] = broadcastInexact("erfcx", x) as [Array];
  return erfcxCustom(xx);
}
