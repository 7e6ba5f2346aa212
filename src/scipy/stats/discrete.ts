/**
 * Discrete distributions of jax.scipy.stats with JAX's function sets and formulas
 * (jax/_src/scipy/stats/<name>.py): bernoulli, binom, betabinom, geom, nbinom, poisson
 * (with `entropy`). Counts are promoted to an inexact dtype as JAX does.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import * as lax from "../../primitives/index.js";
import {
  arange,
  broadcastTo,
  ceil,
  exp,
  expandDims,
  floor,
  isnan,
  log,
  log1p,
  logicalAnd,
  logicalOr,
  reshape,
  round,
  sqrt,
  sum,
  where,
} from "../../numpy/namespace.js";
import { broadcastShapes } from "../../core/shape.js";
import { entr } from "../special/basic.js";
import { betaln } from "../special/basic.js";
import { xlog1py, xlogy } from "../special/namespace.js";
import { igammac } from "../../lax/special/igamma.js";
import { distribution, inexact } from "./common.js";

type A = ArrayLike;

function bernoulliLogpmf(k: A, p: A, loc: A = 0): Array {
  const [kk, pp, m] = inexact(k, p, loc);
  const x = kk!.sub(m!);
  const logProb = xlogy(x, pp!).add(xlog1py(x.neg().add(1), pp!.neg()));
  return where(logicalOr(x.lt(0), x.gt(1)), -Infinity, logProb);
}

/** The Bernoulli distribution (`jax.scipy.stats.bernoulli`). */
export const bernoulli = distribution({
  logpmf: bernoulliLogpmf,
  pmf: (k: A, p: A, loc: A = 0): Array => exp(bernoulliLogpmf(k, p, loc)),
  cdf: (k: A, p: A): Array => {
    const [kk, pp] = inexact(k, p);
    const bad = logicalOr(logicalOr(isnan(kk!), isnan(pp!)), logicalOr(pp!.lt(0), pp!.gt(1)));
    const inside = where(kk!.ge(1), 1, where(kk!.ge(0), pp!.neg().add(1), 0));
    return where(bad, NaN, where(kk!.lt(0), 0, inside));
  },
  ppf: (q: A, p: A): Array => {
    const [qq, pp] = inexact(q, p);
    const bad = logicalOr(
      logicalOr(logicalOr(isnan(qq!), isnan(pp!)), logicalOr(pp!.lt(0), pp!.gt(1))),
      logicalOr(qq!.lt(0), qq!.gt(1)),
    );
    return where(bad, NaN, where(qq!.le(pp!.neg().add(1)), 0, 1));
  },
});

function binomLogpmf(k: A, n: A, p: A, loc: A = 0): Array {
  const [kk, nn, pp, m] = inexact(k, n, p, loc);
  const y = kk!.sub(m!);
  const comb = lax.lgamma(nn!.add(1)).sub(lax.lgamma(y.add(1)).add(lax.lgamma(nn!.sub(y).add(1))));
  const linear = xlogy(y, pp!).add(xlog1py(nn!.sub(y), pp!.neg()));
  const degenerate = logicalOr(logicalAnd(y.eq(0), nn!.eq(0)), linear.eq(0));
  const logProb = where(degenerate, 0, comb.add(linear));
  return where(logicalAnd(kk!.ge(m!), kk!.lt(m!.add(nn!).add(1))), logProb, -Infinity);
}

/** The binomial distribution (`jax.scipy.stats.binom`). */
export const binom = distribution({
  logpmf: binomLogpmf,
  pmf: (k: A, n: A, p: A, loc: A = 0): Array => exp(binomLogpmf(k, n, p, loc)),
});

function betabinomLogpmf(k: A, n: A, a: A, b: A, loc: A = 0): Array {
  const [kk, nn, aa, bb, m] = inexact(k, n, a, b, loc);
  const y = floor(kk!).sub(m!);
  const combln = log1p(nn!)
    .add(betaln(nn!.sub(y).add(1), y.add(1)))
    .neg();
  const betas = betaln(y.add(aa!), nn!.sub(y).add(bb!)).sub(betaln(aa!, bb!));
  let logProb = where(logicalAnd(y.eq(0), nn!.eq(0)), 0, combln.add(betas));
  const yBad = logicalOr(logicalOr(y.lt(m!.neg()), y.gt(nn!)), y.add(aa!).le(0));
  logProb = where(yBad, -Infinity, logProb);
  return where(logicalOr(logicalOr(nn!.lt(0), aa!.le(0)), bb!.le(0)), NaN, logProb);
}

/** The beta-binomial distribution (`jax.scipy.stats.betabinom`). */
export const betabinom = distribution({
  logpmf: betabinomLogpmf,
  pmf: (k: A, n: A, a: A, b: A, loc: A = 0): Array => exp(betabinomLogpmf(k, n, a, b, loc)),
});

function geomLogpmf(k: A, p: A, loc: A = 0): Array {
  const [kk, pp, m] = inexact(k, p, loc);
  const x = kk!.sub(m!);
  return where(x.le(0), -Infinity, xlog1py(x.sub(1), pp!.neg()).add(log(pp!)));
}

/** The geometric distribution (`jax.scipy.stats.geom`). */
export const geom = distribution({
  logpmf: geomLogpmf,
  pmf: (k: A, p: A, loc: A = 0): Array => exp(geomLogpmf(k, p, loc)),
});

function nbinomLogpmf(k: A, n: A, p: A, loc: A = 0): Array {
  const [kk, nn, pp, m] = inexact(k, n, p, loc);
  const y = kk!.sub(m!);
  const comb = lax
    .lgamma(y.add(nn!))
    .sub(lax.lgamma(nn!))
    .sub(lax.lgamma(y.add(1)));
  const linear = xlogy(nn!, pp!).add(xlogy(y, pp!.neg().add(1)));
  return where(kk!.lt(m!), -Infinity, comb.add(linear));
}

/** The negative binomial distribution (`jax.scipy.stats.nbinom`). */
export const nbinom = distribution({
  logpmf: nbinomLogpmf,
  pmf: (k: A, n: A, p: A, loc: A = 0): Array => exp(nbinomLogpmf(k, n, p, loc)),
});

function poissonLogpmf(k: A, mu: A, loc: A = 0): Array {
  const [kk, mm, l] = inexact(k, mu, loc);
  const x = kk!.sub(l!);
  const logProb = xlogy(x, mm!)
    .sub(lax.lgamma(x.add(1)))
    .sub(mm!);
  return where(logicalOr(x.lt(0), round(kk!).ne(kk!)), -Infinity, logProb);
}
const poissonPmf = (k: A, mu: A, loc: A = 0): Array => exp(poissonLogpmf(k, mu, loc));

/** −Σ p log p over k < maxK (k below `bound(mu)`), one column per mu. */
function entropySum(mu: Array, maxK: number, bound: (mu: Array) => Array): Array {
  const k = expandDims(arange(maxK, { dtype: mu.dtype }), 1);
  const probs = poissonPmf(k, mu);
  const mask = k.lt(expandDims(ceil(bound(mu)), 0));
  return sum(entr(where(mask, probs, 0)), 0);
}

/** The Poisson distribution's entropy, as JAX: sums for mu < 100, asymptotic above. */
function poissonEntropy(mu: A, loc: A = 0): Array {
  const [m, l] = inexact(mu, loc);
  const shape = broadcastShapes(m!.shape, l!.shape)!;
  const flat = reshape(m!, [-1]);
  const small = entropySum(flat, 35, (x) => x.add(20));
  const medium = entropySum(flat, 250, (x) => x.add(sqrt(x).mul(10)).add(20));
  const large = log(flat.mul(2 * Math.PI * Math.E))
    .mul(0.5)
    .sub(flat.mul(12).pow(-1));
  const out = where(flat.eq(0), 0, where(flat.lt(10), small, where(flat.lt(100), medium, large)));
  return broadcastTo(reshape(out, m!.shape), shape);
}

/** The Poisson distribution (`jax.scipy.stats.poisson`). */
export const poisson = distribution({
  logpmf: poissonLogpmf,
  pmf: poissonPmf,
  cdf: (k: A, mu: A, loc: A = 0): Array => {
    const [kk, mm, l] = inexact(k, mu, loc);
    const x = kk!.sub(l!);
    return where(x.lt(0), 0, igammac(floor(x.add(1)), mm!));
  },
  entropy: poissonEntropy,
});
