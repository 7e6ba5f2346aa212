/**
 * The truncated normal distribution (`jax.scipy.stats.truncnorm`) as JAX computes it: the log
 * of the normal mass between the bounds through log_ndtr differences in the tails and log1p in
 * the middle; logcdf switches to log1p(−sf) near 1. Arguments `(x, a, b, loc = 0, scale = 1)`
 * with a, b in standard units; NaN where a ≥ b.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { exp, log1p, logicalNot, logicalOr, where } from "../../numpy/namespace.js";
import { broadcastInexact } from "../../lax/special/iterate.js";
import { ndtr } from "../special/basic.js";
import { logNdtr } from "../special/normal.js";
import { logsumexp } from "../../nn/softmax.js";
import { stack } from "../../numpy/namespace.js";
import { norm } from "./location-scale.js";
import { distribution } from "./common.js";

type A = ArrayLike;

/** log(e^x − e^y) for x ≥ y. */
function logDiff(x: Array, y: Array): Array {
  return logsumexp(stack([x, y]), { axis: 0, b: stack([x.mul(0).add(1), y.mul(0).sub(1)]) });
}

/** log(Φ(b) − Φ(a)). */
function logGaussMass(a: Array, b: Array): Array {
  const left = b.le(0);
  const right = a.gt(0);
  const central = logicalNot(logicalOr(left, right));
  const aTail = where(right, b.neg(), a);
  const bTail = where(right, a.neg(), b);
  const tail = logDiff(logNdtr(bTail), logNdtr(aTail));
  const mid = log1p(ndtr(a).neg().sub(ndtr(b.neg())));
  return where(central, mid, tail);
}

function logpdf(x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array {
  const [v, lo, hi, m, s] = broadcastInexact("truncnorm.logpdf", x, a, b, loc, scale);
  const z = v!.sub(m!).div(s!);
  let out = norm.logpdf(v!, m!, s!).sub(logGaussMass(lo!, hi!));
  out = where(logicalOr(z.lt(lo!), z.gt(hi!)), -Infinity, out);
  return where(lo!.ge(hi!), NaN, out);
}

function logcdf(x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array {
  const [v, lo, hi, m, s] = broadcastInexact("truncnorm.logcdf", x, a, b, loc, scale);
  const z = v!.sub(m!).div(s!);
  const mass = logGaussMass(lo!, hi!);
  const lcdf = logGaussMass(lo!, z).sub(mass);
  const lsf = logGaussMass(z, hi!).sub(mass);
  // JAX's select, first match wins: x ≥ b → 0, x ≤ a → −∞, near 1 → log1p(−sf), else logcdf.
  const nearOne = log1p(exp(lsf).neg());
  let out = where(z.gt(lo!), where(lcdf.gt(-0.1), nearOne, lcdf), lcdf);
  out = where(z.le(lo!), -Infinity, out);
  out = where(z.ge(hi!), 0, out);
  return where(lo!.ge(hi!), NaN, out);
}

function logsf(x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array {
  const [v, lo, hi, m, s] = broadcastInexact("truncnorm.logsf", x, a, b, loc, scale);
  return logcdf(v!.neg(), hi!.neg(), lo!.neg(), m!.neg(), s!);
}

/** The truncated normal distribution (`jax.scipy.stats.truncnorm`). */
export const truncnorm = distribution({
  logpdf,
  pdf: (x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array => exp(logpdf(x, a, b, loc, scale)),
  logcdf,
  cdf: (x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array => exp(logcdf(x, a, b, loc, scale)),
  logsf,
  sf: (x: A, a: A, b: A, loc: A = 0, scale: A = 1): Array => exp(logsf(x, a, b, loc, scale)),
});
