/**
 * Location-scale distributions of jax.scipy.stats, each a namespace object with JAX's function
 * set (jax/_src/scipy/stats/<name>.py): norm, cauchy, laplace, logistic, uniform, expon,
 * gumbel_l, gumbel_r. Arguments `(x, loc = 0, scale = 1)`, promoted to one inexact dtype and
 * broadcast; formulas and out-of-support values as JAX's.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import * as lax from "../../primitives/index.js";
import {
  arctan,
  exp,
  expm1,
  isnan,
  log,
  log1p,
  logaddexp,
  logicalAnd,
  logicalOr,
  square,
  tan,
  where,
} from "../../numpy/namespace.js";
import { expit, logit, ndtr } from "../special/basic.js";
import { logNdtr, ndtri } from "../special/normal.js";
import { distribution, inexact } from "./common.js";

type A = ArrayLike;
const outside01 = (q: Array): Array => logicalOr(logicalOr(isnan(q), q.lt(0)), q.gt(1));

function normLogpdf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  const s2 = square(s!);
  return log(s2.mul(2 * Math.PI))
    .add(square(v!.sub(m!)).div(s2))
    .div(-2);
}
function normCdf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  return ndtr(v!.sub(m!).div(s!));
}
function normLogcdf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  return logNdtr(v!.sub(m!).div(s!));
}
function normPpf(q: A, loc: A = 0, scale: A = 1): Array {
  const [p, m, s] = inexact(q, loc, scale);
  return ndtri(p!).mul(s!).add(m!);
}

/** The normal distribution (`jax.scipy.stats.norm`). */
export const norm = distribution({
  logpdf: normLogpdf,
  pdf: (x: A, loc: A = 0, scale: A = 1): Array => exp(normLogpdf(x, loc, scale)),
  cdf: normCdf,
  logcdf: normLogcdf,
  ppf: normPpf,
  sf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    return normCdf(v!.neg(), m!.neg(), s!);
  },
  logsf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    return normLogcdf(v!.neg(), m!.neg(), s!);
  },
  isf: (q: A, loc: A = 0, scale: A = 1): Array => {
    const [p, m, s] = inexact(q, loc, scale);
    return normPpf(p!.neg().add(1), m!, s!);
  },
});

function cauchyLogpdf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  const z = v!.sub(m!).div(s!);
  return log(s!.mul(Math.PI))
    .add(log1p(z.mul(z)))
    .neg();
}
function cauchyCdf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  return arctan(v!.sub(m!).div(s!))
    .mul(1 / Math.PI)
    .add(0.5);
}
function cauchyQuantile(q: A, loc: A, scale: A, upper: boolean): Array {
  const [p, m, s] = inexact(q, loc, scale);
  const angle = upper ? p!.mul(-Math.PI).add(Math.PI / 2) : p!.mul(Math.PI).sub(Math.PI / 2);
  return tan(angle).mul(s!).add(m!);
}

/** The Cauchy distribution (`jax.scipy.stats.cauchy`). */
export const cauchy = distribution({
  logpdf: cauchyLogpdf,
  pdf: (x: A, loc: A = 0, scale: A = 1): Array => exp(cauchyLogpdf(x, loc, scale)),
  cdf: cauchyCdf,
  logcdf: (x: A, loc: A = 0, scale: A = 1): Array => log(cauchyCdf(x, loc, scale)),
  sf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    return cauchyCdf(v!.neg(), m!.neg(), s!);
  },
  logsf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    return log(cauchyCdf(v!.neg(), m!.neg(), s!));
  },
  ppf: (q: A, loc: A = 0, scale: A = 1): Array => cauchyQuantile(q, loc, scale, false),
  isf: (q: A, loc: A = 0, scale: A = 1): Array => cauchyQuantile(q, loc, scale, true),
});

function laplaceLogpdf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  return v!
    .sub(m!)
    .abs()
    .div(s!)
    .add(log(s!.mul(2)))
    .neg();
}

/** The Laplace distribution (`jax.scipy.stats.laplace`). */
export const laplace = distribution({
  logpdf: laplaceLogpdf,
  pdf: (x: A, loc: A = 0, scale: A = 1): Array => exp(laplaceLogpdf(x, loc, scale)),
  cdf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    const d = v!.sub(m!).div(s!);
    // JAX's equations: select(d ≤ 0, ½·e^d, 1 − ½·e^{−d}).
    const half = lax.scalarLike(d, 0.5);
    const below = d.le(0);
    const lower = lax.mul(half, exp(d));
    const upper = lax.sub(lax.scalarLike(d, 1), lax.mul(half, exp(d.neg())));
    return lax.selectN(below, upper, lower);
  },
});

function logisticLogpdf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  const half = v!.sub(m!).div(s!).div(2);
  return logaddexp(half, half.neg()).mul(-2).sub(log(s!));
}

/** The logistic distribution (`jax.scipy.stats.logistic`). */
export const logistic = distribution({
  logpdf: logisticLogpdf,
  pdf: (x: A, loc: A = 0, scale: A = 1): Array => exp(logisticLogpdf(x, loc, scale)),
  cdf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    return expit(v!.sub(m!).div(s!));
  },
  sf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    return expit(v!.sub(m!).div(s!).neg());
  },
  ppf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [q, m, s] = inexact(x, loc, scale);
    return logit(q!).mul(s!).add(m!);
  },
  isf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [q, m, s] = inexact(x, loc, scale);
    return logit(q!).neg().mul(s!).add(m!);
  },
});

function uniformLogpdf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  const out = logicalOr(v!.gt(m!.add(s!)), v!.lt(m!));
  return where(out, -Infinity, log(s!).neg());
}

/** The uniform distribution on [loc, loc + scale] (`jax.scipy.stats.uniform`). */
export const uniform = distribution({
  logpdf: uniformLogpdf,
  pdf: (x: A, loc: A = 0, scale: A = 1): Array => exp(uniformLogpdf(x, loc, scale)),
  cdf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    const hi = m!.add(s!);
    const inside = logicalAnd(v!.ge(m!), v!.le(hi));
    const mid = where(inside, v!.sub(m!).div(s!), 0);
    // JAX's select: below → 0, above → 1, inside → (x−loc)/scale, else (NaN inputs) → 0.
    return where(v!.lt(m!), 0, where(v!.gt(hi), 1, mid));
  },
  ppf: (q: A, loc: A = 0, scale: A = 1): Array => {
    const [p, m, s] = inexact(q, loc, scale);
    return where(outside01(p!), NaN, m!.add(s!.mul(p!)));
  },
});

function exponLogsf(x: A, loc: A = 0, scale: A = 1): Array {
  const [v, m, s] = inexact(x, loc, scale);
  const z = m!.sub(v!).div(s!);
  return where(v!.lt(m!), 0, z);
}
function exponSf(x: A, loc: A = 0, scale: A = 1): Array {
  return exp(exponLogsf(x, loc, scale));
}

/** The exponential distribution (`jax.scipy.stats.expon`). */
export const expon = distribution({
  logpdf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    return where(v!.lt(m!), -Infinity, v!.sub(m!).div(s!).add(log(s!)).neg());
  },
  pdf: (x: A, loc: A = 0, scale: A = 1): Array => exp(expon.logpdf(x, loc, scale)),
  cdf: (x: A, loc: A = 0, scale: A = 1): Array => {
    const [v, m, s] = inexact(x, loc, scale);
    return where(v!.lt(m!), 0, expm1(m!.sub(v!).div(s!)).neg());
  },
  logcdf: (x: A, loc: A = 0, scale: A = 1): Array => log1p(exponSf(x, loc, scale).neg()),
  sf: exponSf,
  logsf: exponLogsf,
  ppf: (q: A, loc: A = 0, scale: A = 1): Array => {
    const [p, m, s] = inexact(q, loc, scale);
    return where(outside01(p!), NaN, m!.sub(s!.mul(log1p(p!.neg()))));
  },
});

/** Gumbel distributions: z = (x − loc)/scale, NaN where scale ≤ 0 (JAX's `ok` mask). */
function gumbel(left: boolean) {
  const z = (x: A, loc: A, scale: A): [Array, Array] => {
    const [v, m, s] = inexact(x, loc, scale);
    return [v!.sub(m!).div(s!), s!];
  };
  const okOr = (s: Array, value: Array): Array => where(s.gt(0), value, NaN);
  const logpdf = (x: A, loc: A = 0, scale: A = 1): Array => {
    const [u, s] = z(x, loc, scale);
    const t = left ? u.sub(exp(u)) : u.add(exp(u.neg())).neg();
    return okOr(s, t.sub(log(s)));
  };
  const logcdf = (x: A, loc: A = 0, scale: A = 1): Array => {
    const [u, s] = z(x, loc, scale);
    return okOr(s, left ? log(expm1(exp(u).neg()).neg()) : exp(u.neg()).neg());
  };
  const logsf = (x: A, loc: A = 0, scale: A = 1): Array => {
    const [u, s] = z(x, loc, scale);
    // log(1 − e^{−e^{−u}}) for gumbel_r, through log(−expm1(−t)) (JAX's log1mexp).
    return okOr(s, left ? exp(u).neg() : log(expm1(exp(u.neg()).neg()).neg()));
  };
  return distribution({
    logpdf,
    pdf: (x: A, loc: A = 0, scale: A = 1): Array => exp(logpdf(x, loc, scale)),
    logcdf,
    cdf: (x: A, loc: A = 0, scale: A = 1): Array => exp(logcdf(x, loc, scale)),
    logsf,
    sf: left
      ? (x: A, loc: A = 0, scale: A = 1): Array => exp(logsf(x, loc, scale))
      : (x: A, loc: A = 0, scale: A = 1): Array => {
          const [u, s] = z(x, loc, scale);
          return okOr(s, exp(exp(u.neg()).neg()).neg().add(1));
        },
    ppf: (p: A, loc: A = 0, scale: A = 1): Array => {
      const [q, m, s] = inexact(p, loc, scale);
      const ok = logicalAnd(q!.gt(0), q!.lt(1));
      const t = left ? log(log1p(q!.neg()).neg()) : log(log(q!).neg());
      const quantile = left ? m!.add(s!.mul(t)) : m!.sub(s!.mul(t));
      return where(ok, quantile, NaN);
    },
  });
}

/** The left-skewed Gumbel distribution (`jax.scipy.stats.gumbel_l`). */
export const gumbelL = gumbel(true);
/** The right-skewed Gumbel distribution (`jax.scipy.stats.gumbel_r`). */
export const gumbelR = gumbel(false);
