/**
 * Shape-parameter distributions of jax.scipy.stats (JAX's function sets and formulas,
 * jax/_src/scipy/stats/<name>.py): gamma, chi2, beta, t, pareto, gennorm, vonmises,
 * wrapcauchy. The CDFs use the regularized incomplete gamma / beta functions.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import * as lax from "../../primitives/index.js";
import {
  abs,
  clip,
  cos,
  exp,
  isnan,
  log,
  log1p,
  logicalAnd,
  logicalOr,
  power,
  sign,
  where,
} from "../../numpy/namespace.js";
import { xlog1py, xlogy } from "../special/namespace.js";
import { betaln } from "../special/basic.js";
import { igamma, igammac } from "../../lax/special/igamma.js";
import { betainc } from "../../lax/special/betainc.js";
import { besselI0e } from "../../lax/special/bessel.js";
import { distribution, inexact } from "./common.js";

type A = ArrayLike;

function gammaLogpdf(x: A, a: A, loc: A = 0, scale: A = 1): Array {
  const [v, k, m, s] = inexact(x, a, loc, scale);
  const ok = v!.ge(m!);
  const y = where(ok, v!.sub(m!).div(s!), 1);
  const logProb = xlogy(k!.sub(1), y)
    .sub(y)
    .sub(lax.lgamma(k!).add(log(s!)));
  return where(ok, logProb, -Infinity);
}
function gammaCdf(x: A, a: A, loc: A = 0, scale: A = 1): Array {
  const [v, k, m, s] = inexact(x, a, loc, scale);
  return igamma(k!, clip(v!.sub(m!).div(s!), 0, Infinity));
}
function gammaSf(x: A, a: A, loc: A = 0, scale: A = 1): Array {
  const [v, k, m, s] = inexact(x, a, loc, scale);
  const y = v!.sub(m!).div(s!);
  return where(y.lt(0), 1, igammac(k!, y));
}

/** The gamma distribution (`jax.scipy.stats.gamma`). */
export const gamma = distribution({
  logpdf: gammaLogpdf,
  pdf: (x: A, a: A, loc: A = 0, scale: A = 1): Array => exp(gammaLogpdf(x, a, loc, scale)),
  cdf: gammaCdf,
  logcdf: (x: A, a: A, loc: A = 0, scale: A = 1): Array => log(gammaCdf(x, a, loc, scale)),
  sf: gammaSf,
  logsf: (x: A, a: A, loc: A = 0, scale: A = 1): Array => log(gammaSf(x, a, loc, scale)),
});

function chi2Logpdf(x: A, df: A, loc: A = 0, scale: A = 1): Array {
  const [v, k, m, s] = inexact(x, df, loc, scale);
  const y = v!.sub(m!).div(s!);
  const half = k!.div(2);
  const kernel = half.sub(1).mul(log(y)).sub(y.div(2));
  const norm = lax
    .lgamma(half)
    .add(k!.mul(Math.LN2 / 2))
    .neg();
  return where(v!.lt(m!), -Infinity, norm.sub(log(s!)).add(kernel));
}
function chi2Arg(x: A, df: A, loc: A, scale: A): [Array, Array] {
  const [v, k, m, s] = inexact(x, df, loc, scale);
  return [k!.div(2), clip(v!.sub(m!).div(s!.mul(2)), 0, Infinity)];
}
const chi2Cdf = (x: A, df: A, loc: A = 0, scale: A = 1): Array =>
  igamma(...chi2Arg(x, df, loc, scale));
const chi2Sf = (x: A, df: A, loc: A = 0, scale: A = 1): Array =>
  igammac(...chi2Arg(x, df, loc, scale));

/** The chi-squared distribution (`jax.scipy.stats.chi2`). */
export const chi2 = distribution({
  logpdf: chi2Logpdf,
  pdf: (x: A, df: A, loc: A = 0, scale: A = 1): Array => exp(chi2Logpdf(x, df, loc, scale)),
  cdf: chi2Cdf,
  logcdf: (x: A, df: A, loc: A = 0, scale: A = 1): Array => log(chi2Cdf(x, df, loc, scale)),
  sf: chi2Sf,
  logsf: (x: A, df: A, loc: A = 0, scale: A = 1): Array => log(chi2Sf(x, df, loc, scale)),
});

function betaLogpdf(x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array {
  const [v, p, q, m, s] = inexact(x, a, b, loc, scale);
  const y = v!.sub(m!).div(s!);
  const linear = xlogy(p!.sub(1), y).add(xlog1py(q!.sub(1), y.neg()));
  const logProb = betaln(p!, q!).neg().add(linear).sub(log(s!));
  const out = where(logicalOr(v!.gt(m!.add(s!)), v!.lt(m!)), -Infinity, logProb);
  return where(logicalOr(logicalOr(p!.le(0), q!.le(0)), s!.le(0)), NaN, out);
}
function betaCdf(x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array {
  const [v, p, q, m, s] = inexact(x, a, b, loc, scale);
  return betainc(p!, q!, clip(v!.sub(m!).div(s!), 0, 1));
}
function betaSf(x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array {
  const [v, p, q, m, s] = inexact(x, a, b, loc, scale);
  return betainc(q!, p!, clip(v!.sub(m!).div(s!), 0, 1).neg().add(1));
}

/** The beta distribution (`jax.scipy.stats.beta`). */
export const beta = distribution({
  logpdf: betaLogpdf,
  pdf: (x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array => exp(betaLogpdf(x, a, b, loc, scale)),
  cdf: betaCdf,
  logcdf: (x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array => log(betaCdf(x, a, b, loc, scale)),
  sf: betaSf,
  logsf: (x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array => log(betaSf(x, a, b, loc, scale)),
});

function tLogpdf(x: A, df: A, loc: A = 0, scale: A = 1): Array {
  const [v, k, m, s] = inexact(x, df, loc, scale);
  const z = v!.sub(m!).div(s!);
  const half = k!.div(2);
  const halfPlus = half.add(0.5);
  const normTmp = log(s!.mul(s!).mul(Math.PI).mul(k!)).div(2);
  const norm = lax.lgamma(half).add(normTmp).sub(lax.lgamma(halfPlus));
  return norm.add(halfPlus.mul(log1p(z.mul(z).div(k!)))).neg();
}

/** Student's t distribution (`jax.scipy.stats.t`). */
export const t = distribution({
  logpdf: tLogpdf,
  pdf: (x: A, df: A, loc: A = 0, scale: A = 1): Array => exp(tLogpdf(x, df, loc, scale)),
});

function paretoParts(x: A, b: A, loc: A, scale: A): [Array, Array, Array, Array] {
  const [v, k, m, s] = inexact(x, b, loc, scale);
  return [v!.sub(m!).div(s!), k!, s!, v!.lt(m!.add(s!))];
}
function paretoLogpdf(x: A, b: A, loc: A = 0, scale: A = 1): Array {
  const [z, k, s, below] = paretoParts(x, b, loc, scale);
  const logProb = log(s.div(k))
    .add(k.add(1).mul(log(z)))
    .neg();
  return where(below, -Infinity, logProb);
}
function paretoLogsf(x: A, b: A, loc: A = 0, scale: A = 1): Array {
  const [z, k, , below] = paretoParts(x, b, loc, scale);
  return where(below, 0, k.mul(log(z)).neg());
}

/** The Pareto distribution (`jax.scipy.stats.pareto`). */
export const pareto = distribution({
  logpdf: paretoLogpdf,
  pdf: (x: A, b: A, loc: A = 0, scale: A = 1): Array => exp(paretoLogpdf(x, b, loc, scale)),
  cdf: (x: A, b: A, loc: A = 0, scale: A = 1): Array => {
    const [z, k, , below] = paretoParts(x, b, loc, scale);
    return where(below, 0, power(z, k.neg()).neg().add(1));
  },
  logcdf: (x: A, b: A, loc: A = 0, scale: A = 1): Array => {
    const [z, k, , below] = paretoParts(x, b, loc, scale);
    return where(below, -Infinity, log1p(power(z, k.neg()).neg()));
  },
  logsf: paretoLogsf,
  sf: (x: A, b: A, loc: A = 0, scale: A = 1): Array => exp(paretoLogsf(x, b, loc, scale)),
  ppf: (q: A, b: A, loc: A = 0, scale: A = 1): Array => {
    const [p, k, m, s] = inexact(q, b, loc, scale);
    const value = m!.add(s!.mul(power(p!.neg().add(1), k!.pow(-1).neg())));
    const bad = logicalOr(logicalOr(isnan(p!), p!.lt(0)), p!.gt(1));
    return where(bad, NaN, value);
  },
});

function gennormLogpdf(x: A, beta_: A): Array {
  const [v, b] = inexact(x, beta_);
  return log(b!.mul(0.5))
    .sub(lax.lgamma(b!.pow(-1)))
    .sub(power(abs(v!), b!));
}

/** The generalized normal distribution (`jax.scipy.stats.gennorm`). */
export const gennorm = distribution({
  logpdf: gennormLogpdf,
  pdf: (x: A, beta_: A): Array => exp(gennormLogpdf(x, beta_)),
  cdf: (x: A, beta_: A): Array => {
    const [v, b] = inexact(x, beta_);
    return sign(v!)
      .mul(igamma(b!.pow(-1), power(abs(v!), b!)))
      .add(1)
      .mul(0.5);
  },
});

function vonmisesLogpdf(x: A, kappa: A): Array {
  const [v, k] = inexact(x, kappa);
  const value = k!.mul(cos(v!).sub(1)).sub(log(besselI0e(k!).mul(2 * Math.PI)));
  return where(k!.gt(0), value, NaN);
}

/** The von Mises distribution (`jax.scipy.stats.vonmises`). */
export const vonmises = distribution({
  logpdf: vonmisesLogpdf,
  pdf: (x: A, kappa: A): Array => exp(vonmisesLogpdf(x, kappa)),
});

function wrapcauchyLogpdf(x: A, c: A): Array {
  const [v, r] = inexact(x, c);
  const c2 = r!.mul(r!);
  const value = log(c2.neg().add(1))
    .sub(Math.log(2 * Math.PI))
    .sub(log(c2.add(1).sub(r!.mul(2).mul(cos(v!)))));
  const inRange = logicalAnd(v!.ge(0), v!.le(2 * Math.PI));
  return where(logicalAnd(r!.gt(0), r!.lt(1)), where(inRange, value, -Infinity), NaN);
}

/** The wrapped Cauchy distribution (`jax.scipy.stats.wrapcauchy`). */
export const wrapcauchy = distribution({
  logpdf: wrapcauchyLogpdf,
  pdf: (x: A, c: A): Array => exp(wrapcauchyLogpdf(x, c)),
});
