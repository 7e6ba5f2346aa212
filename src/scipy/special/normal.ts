/**
 * The normal distribution's special functions beyond ndtr (jax.scipy.special): `ndtri`, the
 * inverse of the standard normal CDF, and `log_ndtr`, log Φ(x) accurate in both tails (JAX's
 * segments: log(ndtr(x)) in the middle, −ndtr(−x) above 5 (8 for float64), the asymptotic
 * series below −10 (−20)). `ndtri` starts from Abramowitz & Stegun 26.2.23 on the smaller tail
 * q = min(p, 1 − p) and takes four Newton steps on log Φ(x) = log q (quadratic convergence from
 * a 4.5e-4 start reaches float64 precision); ±∞ at p = 1 / 0, NaN outside [0, 1]. Both are
 * `custom_jvp`: ndtri′(p) = 1/φ(ndtri(p)), log_ndtr′(x) = φ(x)/Φ(x) (JAX's rule).
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { ValueError } from "../../core/errors.js";
import { type CustomJvpFunction, customJvp } from "../../transforms/custom-jvp.js";
import {
  exp,
  fullLike,
  log,
  logicalOr,
  maximum,
  minimum,
  sqrt,
  square,
  where,
} from "../../numpy/namespace.js";
import { promoteArgsInexact } from "../../numpy/coerce.js";
import { ndtr } from "./basic.js";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const isF64 = (x: Array): boolean => String(x.dtype) === "float64";

/** log φ(x), the standard normal log density. */
const normLogpdf = (x: Array): Array => square(x).mul(-0.5).sub(LOG_SQRT_2PI);

/** 1 − 1/x² + 3/x⁴ − 15/x⁶ … (the first `order` terms of the asymptotic series). */
function asymptoticSeries(x: Array, order: number): Array {
  const x2 = square(x);
  let sum = fullLike(x, 1);
  let xPow = x2;
  let doubleFactorial = 1;
  for (let n = 1; n <= order; n++) {
    const term = fullLike(x, doubleFactorial).div(xPow);
    sum = n % 2 === 1 ? sum.sub(term) : sum.add(term);
    doubleFactorial *= 2 * n + 1;
    xPow = xPow.mul(x2);
  }
  return sum;
}

function logNdtrValue(x: Array, order: number): Array {
  const [lower, upper] = isF64(x) ? [-20, 8] : [-10, 5];
  const above = x.gt(upper);
  const mid = ndtr(where(above, x.neg(), maximum(x, lower)));
  const xl = minimum(x, lower);
  const tail = square(xl)
    .mul(-0.5)
    .sub(log(xl.neg()))
    .sub(LOG_SQRT_2PI)
    .add(log(asymptoticSeries(xl, order)));
  return where(above, mid.neg(), where(x.gt(lower), log(mid), tail));
}

const logNdtrs = new Map<number, CustomJvpFunction<(x: Array) => Array>>();
function logNdtrFor(order: number): CustomJvpFunction<(x: Array) => Array> {
  let f = logNdtrs.get(order);
  if (f) return f;
  const value = (x: Array): Array => logNdtrValue(x, order);
  Object.defineProperty(value, "name", { value: "log_ndtr" });
  const g = customJvp(value);
  g.defjvp(([x]: Array[], [t]: Array[]) => {
    const y = g(x!);
    return [y, t!.mul(exp(normLogpdf(x!).sub(y)))];
  });
  logNdtrs.set(order, g);
  return (f = g);
}

/** log Φ(x), the log of the standard normal CDF, accurate for large |x| (`log_ndtr`). */
export function logNdtr(x: ArrayLike, seriesOrder = 3): Array {
  if (!Number.isInteger(seriesOrder)) throw new TypeError("series_order must be a Python integer.");
  if (seriesOrder < 0) throw new ValueError("series_order must be non-negative.");
  if (seriesOrder > 30) throw new ValueError("series_order must be <= 30.");
  return logNdtrFor(seriesOrder)(floatArg(x));
}

/** x as a float32/float64 array (JAX's TypeError for other dtypes). */
function floatArg(x: ArrayLike): Array {
  const a = promoteArgsInexact(x)[0]!;
  const d = String(a.dtype);
  if (d !== "float32" && d !== "float64")
    throw new TypeError(`x.dtype=${d} is not supported, see docstring for supported types.`);
  return a;
}

function ndtriValue(p: Array): Array {
  const upper = p.gt(0.5);
  const q = where(upper, fullLike(p, 1).sub(p), p);
  const safeQ = where(logicalOr(q.le(0), q.gt(0.5)), fullLike(q, 0.25), q);
  // Abramowitz & Stegun 26.2.23 for the lower tail (|error| < 4.5e-4).
  const t = sqrt(log(safeQ).mul(-2));
  const num = t.mul(0.010328).add(0.802853).mul(t).add(2.515517);
  const den = t.mul(0.001308).add(0.189269).mul(t).add(1.432788).mul(t).add(1);
  let x = num.div(den).sub(t);
  const logQ = log(safeQ);
  for (let k = 0; k < 4; k++) {
    const ln = logNdtrValue(x, 3);
    x = x.sub(ln.sub(logQ).div(exp(normLogpdf(x).sub(ln))));
  }
  x = where(upper, x.neg(), x);
  x = where(p.eq(0), fullLike(x, -Infinity), where(p.eq(1), fullLike(x, Infinity), x));
  return where(logicalOr(p.lt(0), p.gt(1)), fullLike(x, NaN), x);
}
Object.defineProperty(ndtriValue, "name", { value: "ndtri" });

const ndtriCustom: CustomJvpFunction<(p: Array) => Array> = customJvp(ndtriValue);
ndtriCustom.defjvp(([p]: Array[], [t]: Array[]) => {
  const x = ndtriCustom(p!);
  return [x, t!.mul(exp(normLogpdf(x).neg()))];
});

/** The inverse of the standard normal CDF: x with ndtr(x) = p (`ndtri`). */
export function ndtri(p: ArrayLike): Array {
  return ndtriCustom(floatArg(p));
}
