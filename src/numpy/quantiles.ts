/**
 * jnp.quantile / percentile / median and their NaN-ignoring forms, as JAX's `_quantile`:
 * the reduced axes go last (several are merged into one), each slice is sorted (NaNs last),
 * and the value at position q·(n−1) is read from the two neighbouring order statistics and
 * combined by `method` ("linear", "lower", "higher", "midpoint", "nearest"). Without NaN
 * squashing a slice containing NaN gives NaN; with it (nan*), n is the slice's count of
 * non-NaN values (an all-NaN slice gives NaN). `q` may be a scalar or 1-d; its dims lead the
 * result. `median` is the 0.5 quantile by "midpoint", as JAX's.
 */
import { NotImplementedError, ValueError } from "../core/errors.js";
import { normalizeAxes } from "../core/shape.js";
import { int32 } from "../core/dtype.js";
import type { Array, ArrayLike, Axis } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "./coerce.js";
import { type AxisArg, axisOptions } from "./axis-args.js";
import { any, sum } from "./reductions.js";
import { sort } from "./sorting.js";
import { takeAlongAxis } from "./take.js";
import { floor, ceil, isnan, where } from "./ufuncs.js";
import { moveaxis, reshape, transpose } from "./shape.js";

/** The interpolation methods of `jnp.quantile` / `percentile` that jaxts has. */
export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest";
/** Keyword arguments of `jnp.quantile` / `percentile` / `median` (`axis`, `method`, `keepdims`). */
export interface QuantileOptions {
  axis?: Axis;
  method?: QuantileMethod;
  keepdims?: boolean;
  /** Only "inverted_cdf" takes weights in JAX; not supported here. */
  weights?: ArrayLike | null;
}

const METHODS = ["linear", "lower", "higher", "midpoint", "nearest"];

function quantileImpl(
  name: string,
  x: ArrayLike,
  qIn: ArrayLike,
  o: QuantileOptions,
  squashNans: boolean,
): Array {
  const method = o.method ?? "linear";
  if ((method as string) === "inverted_cdf" || (o.weights !== undefined && o.weights !== null)) {
    throw new NotImplementedError(
      `jnp.${name}: method 'inverted_cdf' and weights are not implemented`,
    );
  }
  if (!METHODS.includes(method)) {
    throw new ValueError(
      "method can only be 'linear', 'lower', 'higher', 'midpoint', 'nearest' or 'inverted_cdf'",
    );
  }
  const [a0] = promoteArgsInexact(x);
  let a = a0!;
  let q = asarray(qIn);
  if (q.ndim > 1)
    throw new ValueError(`q must be have rank <= 1, got shape (${q.shape.join(", ")})`);
  if (!q.dtype.isFloat) q = lax.convertElementType(q, a.dtype);
  const axes = normalizeAxes(o.axis ?? null, a.ndim);
  if (new Set(axes).size !== axes.length) throw new ValueError("repeated axis");
  const keptShape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const rest = a.shape.filter((_, i) => !axes.includes(i));
  // The reduced axes last, merged into one of size n.
  const perm = [...a.shape.keys()].filter((i) => !axes.includes(i)).concat(axes);
  const n = axes.reduce((s, ax) => s * a.shape[ax]!, 1);
  a = reshape(transpose(a, perm), [...rest, n]);
  if (!squashNans) a = where(any(isnan(a), -1, { keepdims: true }), NaN, a);
  a = sort(a, -1);
  const k = q.ndim === 0 ? 1 : q.shape[0]!;
  // Positions, shaped rest + [k].
  const qRow = lax.broadcastInDim(lax.reshape(q, [k]), [...rest, k], [rest.length]);
  const count = squashNans
    ? lax.convertElementType(sum(lax.not(isnan(a)), -1, { keepdims: true }), qRow.dtype)
    : lax.fullLike(qRow, n);
  const last = lax.sub(count, lax.scalarLike(count, 1));
  const pos = lax.mul(
    qRow,
    squashNans ? lax.broadcastInDim(last, [...rest, k], [...rest.keys(), rest.length]) : last,
  );
  const lo = floor(pos);
  const hi = ceil(pos);
  const hiWeight = lax.sub(pos, lo);
  const loWeight = lax.sub(lax.scalarLike(hiWeight, 1), hiWeight);
  const clampIdx = (p: Array): Array => {
    const lim = squashNans
      ? lax.broadcastInDim(last, [...rest, k], [...rest.keys(), rest.length])
      : last;
    return lax.convertElementType(lax.max(lax.scalarLike(p, 0), lax.min(p, lim)), int32);
  };
  const loVal = takeAlongAxis(a, clampIdx(lo), -1);
  const hiVal = takeAlongAxis(a, clampIdx(hi), -1);
  const cast = (w: Array): Array => lax.convertElementType(w, a.dtype);
  let r: Array;
  switch (method) {
    case "linear":
      r = lax.add(lax.mul(loVal, cast(loWeight)), lax.mul(hiVal, cast(hiWeight)));
      break;
    case "lower":
      r = loVal;
      break;
    case "higher":
      r = hiVal;
      break;
    case "nearest":
      r = where(lax.le(hiWeight, lax.scalarLike(hiWeight, 0.5)), loVal, hiVal);
      break;
    default:
      r = lax.mul(lax.add(loVal, hiVal), lax.scalarLike(loVal, 0.5));
  }
  // rest + [k] → q dims first, then the kept (or size-1) dims.
  r = moveaxis(r, -1, 0);
  const tail = o.keepdims ? keptShape : rest;
  return reshape(r, q.ndim === 0 ? tail : [k, ...tail]);
}

type QArgs = [axis?: AxisArg<QuantileOptions>, options?: QuantileOptions];

/** The q-th quantiles (q in [0, 1]) along `axis` (`jnp.quantile`). */
export function quantile(a: ArrayLike, q: ArrayLike, ...args: QArgs): Array {
  return quantileImpl("quantile", a, q, axisOptions("quantile", args[0], args[1]), false);
}
/** As `quantile`, ignoring NaNs (`jnp.nanquantile`). */
export function nanquantile(a: ArrayLike, q: ArrayLike, ...args: QArgs): Array {
  return quantileImpl("nanquantile", a, q, axisOptions("nanquantile", args[0], args[1]), true);
}

const hundredth = (q: ArrayLike): Array => {
  const [qq] = promoteArgsInexact(q);
  return lax.div(qq!, lax.scalarLike(qq!, 100));
};
/** The q-th percentiles (q in [0, 100]) (`jnp.percentile`). */
export function percentile(a: ArrayLike, q: ArrayLike, ...args: QArgs): Array {
  return quantileImpl(
    "percentile",
    a,
    hundredth(q),
    axisOptions("percentile", args[0], args[1]),
    false,
  );
}
/** As `percentile`, ignoring NaNs (`jnp.nanpercentile`). */
export function nanpercentile(a: ArrayLike, q: ArrayLike, ...args: QArgs): Array {
  return quantileImpl(
    "nanpercentile",
    a,
    hundredth(q),
    axisOptions("nanpercentile", args[0], args[1]),
    true,
  );
}

type MedianOptions = Omit<QuantileOptions, "method" | "weights">;
/** The median along `axis` (`jnp.median`: the 0.5 quantile by "midpoint"). */
export function median(
  a: ArrayLike,
  axis?: AxisArg<MedianOptions>,
  options?: MedianOptions,
): Array {
  const o = axisOptions("median", axis, options);
  return quantileImpl("median", a, 0.5, { ...o, method: "midpoint" }, false);
}
/** The median ignoring NaNs (`jnp.nanmedian`). */
export function nanmedian(
  a: ArrayLike,
  axis?: AxisArg<MedianOptions>,
  options?: MedianOptions,
): Array {
  const o = axisOptions("nanmedian", axis, options);
  return quantileImpl("nanmedian", a, 0.5, { ...o, method: "midpoint" }, true);
}
