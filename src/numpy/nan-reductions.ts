/**
 * jax.numpy's NaN-ignoring reductions, as JAX defines them (jax/_src/numpy/reductions.py):
 * NaNs are replaced by the reduction's identity (0 for sums, 1 for products, −inf / +inf for
 * max / min) before reducing; nanmax/nanmin give NaN where a slice is all NaN, nanargmax/
 * nanargmin −1. Integer and bool inputs reduce as the plain functions. nanmean divides by the
 * count of non-NaN elements; nanvar/nanstd center on nanmean and return NaN where that count
 * minus `ddof` is ≤ 0.
 */
import { normalizeAxes } from "../core/shape.js";
import { type DTypeLike, canonicalize, toDType } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { type AxisArg, axisOptions } from "./axis-args.js";
import {
  type ArgReduceOpts,
  type ReduceOpts,
  type VarOpts,
  all,
  argmax,
  argmin,
  max,
  mean,
  min,
  prod,
  std,
  sum,
  variance,
} from "./reductions.js";
import { cumprod, cumsum } from "./cumulative.js";
import { isnan, where } from "./ufuncs.js";
import { type CumOpts } from "./cumulative.js";

type Reducer = (x: ArrayLike, axis?: AxisArg<ReduceOpts>, opts?: ReduceOpts) => Array;

function nanReduction(
  name: string,
  reduce: Reducer,
  init: number,
  nanIfAllNan: boolean,
): (x: ArrayLike, axis?: AxisArg<ReduceOpts>, opts?: ReduceOpts) => Array {
  return (x, axis, options) => {
    const o = axisOptions(name, axis, options);
    const a = asarray(x);
    if (!a.dtype.isFloat) return reduce(a, o);
    const nan = isnan(a);
    const out = reduce(where(nan, lax.fullLike(a, init), a), o);
    if (!nanIfAllNan) return out;
    return where(all(nan, { axis: o.axis ?? null, keepdims: o.keepdims ?? false }), NaN, out);
  };
}

/** Sum ignoring NaNs (`jnp.nansum`). */
export const nansum = nanReduction("nansum", sum, 0, false);
/** Product ignoring NaNs (`jnp.nanprod`). */
export const nanprod = nanReduction("nanprod", prod, 1, false);
/** Maximum ignoring NaNs; NaN where all are NaN (`jnp.nanmax`). */
export const nanmax = nanReduction("nanmax", max, -Infinity, true);
/** Minimum ignoring NaNs; NaN where all are NaN (`jnp.nanmin`). */
export const nanmin = nanReduction("nanmin", min, Infinity, true);

/** Mean of the non-NaN elements (`jnp.nanmean`). */
export function nanmean(x: ArrayLike, axis?: AxisArg<ReduceOpts>, options?: ReduceOpts): Array {
  const o = axisOptions("nanmean", axis, options);
  const a = asarray(x);
  if (!a.dtype.isFloat) return mean(a, o);
  const dt = o.dtype ? canonicalize(toDType(o.dtype)) : a.dtype;
  const count = sum(lax.not(isnan(a)), { ...o, dtype: dt });
  return lax.div(nansum(a, { ...o, dtype: dt }), count);
}

/** Variance of the non-NaN elements, `ddof` subtracted from their count (`jnp.nanvar`). */
export function nanvar(x: ArrayLike, axis?: AxisArg<VarOpts>, options?: VarOpts): Array {
  const o = axisOptions("nanvar", axis, options);
  const a = asarray(x);
  if (!a.dtype.isFloat) return variance(a, o);
  const dt = o.dtype ? canonicalize(toDType(o.dtype)) : a.dtype;
  const af = lax.convertElementType(a, dt);
  const axes = normalizeAxes(o.axis, a.ndim);
  const keepdims = o.keepdims ?? false;
  const mu = nanmean(af, { axis: axes, keepdims: true, where: o.where ?? null });
  const nan = isnan(af);
  const centered = where(nan, 0, lax.sub(af, mu)); // the double where keeps gradients finite
  const sq = lax.mul(centered, centered);
  const count = sum(lax.not(nan), { axis: axes, keepdims, where: o.where ?? null });
  const normalizer = lax.sub(count, lax.scalarLike(count, o.ddof ?? 0));
  const bad = lax.le(normalizer, lax.scalarLike(normalizer, 0));
  const total = where(bad, NaN, sum(sq, { axis: axes, keepdims, where: o.where ?? null }));
  return lax.div(total, lax.convertElementType(where(bad, 1, normalizer), dt));
}

/** Standard deviation of the non-NaN elements (`jnp.nanstd`). */
export function nanstd(x: ArrayLike, axis?: AxisArg<VarOpts>, options?: VarOpts): Array {
  const o = axisOptions("nanstd", axis, options);
  const a = asarray(x);
  if (!a.dtype.isFloat) return std(a, o);
  return lax.sqrt(nanvar(a, o));
}

function nanArg(name: "nanargmax" | "nanargmin") {
  const plain = name === "nanargmax" ? argmax : argmin;
  const fill = name === "nanargmax" ? -Infinity : Infinity;
  return (x: ArrayLike, axis?: AxisArg<ArgReduceOpts>, options?: ArgReduceOpts): Array => {
    const o = axisOptions(name, axis, options);
    const a = asarray(x);
    if (!a.dtype.isFloat) return plain(a, o);
    const nan = isnan(a);
    const res = plain(where(nan, lax.fullLike(a, fill), a), o);
    const allNan = all(nan, { axis: o.axis ?? null, keepdims: o.keepdims ?? false });
    return where(allNan, lax.scalarLike(res, -1), res);
  };
}

/** Index of the maximum ignoring NaNs; −1 where all are NaN (`jnp.nanargmax`). */
export const nanargmax = nanArg("nanargmax");
/** Index of the minimum ignoring NaNs; −1 where all are NaN (`jnp.nanargmin`). */
export const nanargmin = nanArg("nanargmin");

/** Cumulative sum treating NaNs as 0 (`jnp.nancumsum`). */
export function nancumsum(x: ArrayLike, axis?: AxisArg<CumOpts>, dtype?: DTypeLike | null): Array {
  const a = asarray(x);
  return cumsum(a.dtype.isFloat ? where(isnan(a), lax.fullLike(a, 0), a) : a, axis, dtype);
}

/** Cumulative product treating NaNs as 1 (`jnp.nancumprod`). */
export function nancumprod(x: ArrayLike, axis?: AxisArg<CumOpts>, dtype?: DTypeLike | null): Array {
  const a = asarray(x);
  return cumprod(a.dtype.isFloat ? where(isnan(a), lax.fullLike(a, 1), a) : a, axis, dtype);
}
