/** jax.numpy cumulative reductions: cumsum, cumprod, cumulative_sum, cumulative_prod. */
import { ValueError } from "../core/errors.js";
import {
  type DType,
  type DTypeLike,
  canonicalize,
  defaultInt,
  toDType,
  uint32,
} from "../core/dtype.js";
import { normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike, CumOptions } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { type AxisArg, axisOptions } from "./axis-args.js";

/** numpy upcasts bool and small integers to the default int for sums and products. */
function accumDtype(d: DType): DType {
  if (d.isBool) return defaultInt();
  if (d.isInt && d.itemsize < defaultInt().itemsize) return d.isSigned ? defaultInt() : uint32;
  return d;
}

type Cum = (x: Array, axis?: number, reverse?: boolean) => Array;

function cumulative(
  f: Cum,
  x: ArrayLike,
  axis: number | null | undefined,
  dtype: DTypeLike | null | undefined,
): Array {
  let a = asarray(x);
  if (axis === null || axis === undefined) {
    a = lax.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const target = dtype ? canonicalize(toDType(dtype)) : accumDtype(a.dtype);
  if (target !== a.dtype) a = lax.convertElementType(a, target);
  return f(a, ax, false);
}

export type CumOpts = CumOptions;

/** `cumsum(x, 1)`, `cumsum(x, 1, "float32")` or `cumsum(x, { axis: 1, dtype })`. */
function cumOptions(
  fn: string,
  axis: AxisArg<CumOpts>,
  dtype: DTypeLike | null | undefined,
): CumOpts {
  const o = axisOptions(fn, axis, dtype === undefined ? undefined : {}) as CumOpts;
  if (dtype !== undefined && dtype !== null) return { ...o, dtype };
  return o;
}

/** `jnp.cumsum(a, axis=None, dtype=None)`: axis null flattens. */
export function cumsum(x: ArrayLike, axis?: AxisArg<CumOpts>, dtype?: DTypeLike | null): Array {
  const o = cumOptions("cumsum", axis, dtype);
  return cumulative(lax.cumsum, x, o.axis, o.dtype);
}

/** `jnp.cumprod(a, axis=None, dtype=None)`. */
export function cumprod(x: ArrayLike, axis?: AxisArg<CumOpts>, dtype?: DTypeLike | null): Array {
  const o = cumOptions("cumprod", axis, dtype);
  return cumulative(lax.cumprod, x, o.axis, o.dtype);
}

/** `jnp.cumulative_sum(x, axis, dtype, include_initial)` (the array-API spelling). */
export function cumulativeSum(
  x: ArrayLike,
  opts: { axis?: number | null; dtype?: DTypeLike | null; includeInitial?: boolean } = {},
): Array {
  return withInitial(cumsumStrict(x, opts.axis, opts.dtype), opts.includeInitial, 0);
}

export function cumulativeProd(
  x: ArrayLike,
  opts: { axis?: number | null; dtype?: DTypeLike | null; includeInitial?: boolean } = {},
): Array {
  return withInitial(
    cumulativeStrict(lax.cumprod, x, opts.axis, opts.dtype),
    opts.includeInitial,
    1,
  );
}

/** The array API requires `axis` for arrays of more than one dimension. */
function cumulativeStrict(
  f: Cum,
  x: ArrayLike,
  axis: number | null | undefined,
  dtype: DTypeLike | null | undefined,
): [Array, number] {
  const a = asarray(x);
  if ((axis === null || axis === undefined) && a.ndim > 1) {
    throw new ValueError(
      `The input array has rank ${a.ndim}, however axis was not set to an explicit value. The axis argument is only optional for one-dimensional arrays.`,
    );
  }
  const ax = a.ndim === 0 ? 0 : normalizeAxis(axis ?? 0, a.ndim);
  const b = a.ndim === 0 ? lax.reshape(a, [1]) : a;
  return [cumulative(f, b, ax, dtype), ax];
}
const cumsumStrict = (
  x: ArrayLike,
  axis: number | null | undefined,
  dtype: DTypeLike | null | undefined,
) => cumulativeStrict(lax.cumsum, x, axis, dtype);

function withInitial(
  [r, axis]: [Array, number],
  include: boolean | undefined,
  init: number,
): Array {
  if (!include) return r;
  const cfg = r.shape.map((_, k) => [k === axis ? 1 : 0, 0, 0] as [number, number, number]);
  return lax.pad(r, lax.scalarConstantOf(init, r.dtype), cfg);
}

export const cumulative_sum = cumulativeSum;
export const cumulative_prod = cumulativeProd;
