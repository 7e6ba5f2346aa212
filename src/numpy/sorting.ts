/** jax.numpy sorting and searching: sort, argsort, searchsorted, nonzero. */
import { type DType, bool, defaultInt, int32 } from "../core/dtype.js";
import { normalizeAxis } from "../core/shape.js";
import { ConcretizationTypeError, ValueError } from "../core/errors.js";
import type { Array, ArrayLike } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import { isConcreteArray } from "../runtime/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgs } from "./coerce.js";
import { type AxisArg, axisOptions } from "./axis-args.js";
import { nonzeroHost } from "./advanced-index-items.js";

export interface SortOptions {
  axis?: number | null;
  stable?: boolean;
  descending?: boolean;
}

function flattenFor(a: Array, axis: number | null | undefined): [Array, number] {
  if (axis === null) return [lax.reshape(a, [a.size]), 0];
  return [a, normalizeAxis(axis ?? -1, a.ndim)];
}

/** `jnp.sort(a, axis=-1)`: NaNs last; `descending` reverses. */
export function sort(x: ArrayLike, axis?: AxisArg<SortOptions>, options?: SortOptions): Array {
  const opts = axisOptions("sort", axis, options) as SortOptions;
  const [a, ax] = flattenFor(asarray(x), opts.axis);
  if (a.ndim === 0) return a;
  const [r] = lax.sort([a], ax, opts.stable ?? true, 1);
  return opts.descending ? bind1(lax.revP, [r!], { dimensions: [ax] }) : r!;
}

/** `jnp.argsort(a, axis=-1)`: indices that sort `a` (stable), as JAX's sort of (a, iota). */
export function argsort(
  x: ArrayLike,
  axisArg?: AxisArg<SortOptions>,
  options?: SortOptions,
): Array {
  const opts = axisOptions("argsort", axisArg, options) as SortOptions;
  const flat = flattenFor(asarray(x), opts.axis);
  let a = flat[0];
  const axis = flat[1];
  if (a.ndim === 0) return lax.full([], 0, defaultInt());
  let ids = lax.iota(int32, a.shape, axis);
  const stable = opts.stable ?? true;
  if (opts.descending && stable) {
    a = bind1(lax.revP, [a], { dimensions: [axis] });
    ids = bind1(lax.revP, [ids], { dimensions: [axis] });
  }
  const [, perm] = lax.sort([a, ids], axis, stable, 1);
  return opts.descending ? bind1(lax.revP, [perm!], { dimensions: [axis] }) : perm!;
}

/**
 * `jnp.searchsorted(a, v, side)`: insertion points of `v` in the sorted 1-d `a`, computed as
 * counts of comparisons (O(len(a)·len(v)), fine for moderate sizes).
 */
export function searchsorted(
  a: ArrayLike,
  v: ArrayLike,
  opts: { side?: "left" | "right" } = {},
): Array {
  const [sa, sv] = promoteArgs(a, v) as [Array, Array];
  if (sa.ndim !== 1)
    throw new ValueError(
      `searchsorted: a must be 1-dimensional, got shape (${sa.shape.join(", ")})`,
    );
  const side = opts.side ?? "left";
  if (side !== "left" && side !== "right")
    throw new ValueError(`searchsorted: side must be 'left' or 'right', got '${String(side)}'`);
  const n = sa.shape[0]!;
  const vshape = sv.shape;
  const aB = lax.broadcastInDim(sa, [...vshape, n], [vshape.length]);
  const vB = lax.broadcastInDim(
    sv,
    [...vshape, n],
    vshape.map((_, k) => k),
  );
  // NaNs sort last: a value v goes after every a[i] that compares below it.
  const below = side === "left" ? lessNanLast(aB, vB) : lax.not(lessNanLast(vB, aB));
  return lax.reduceSum(lax.convertElementType(below, int32), [vshape.length]);
}

/** a < b in the sort order (NaN greater than everything, NaN == NaN). */
function lessNanLast(a: Array, b: Array): Array {
  if (!a.dtype.isFloat) return lax.lt(a, b);
  const aNan = lax.ne(a, a);
  const bNan = lax.ne(b, b);
  return lax.or(lax.and(lax.not(aNan), bNan), lax.lt(a, b));
}

/**
 * `jnp.nonzero(a, { size, fillValue })`: index arrays of the non-zero elements. Under a
 * transformation the count is data-dependent, so a static `size` is required (as in JAX).
 */
export function nonzero(x: ArrayLike, opts: { size?: number; fillValue?: number } = {}): Array[] {
  const a = asarray(x);
  if (a.ndim === 0)
    throw new ValueError(
      "Calling nonzero on 0d arrays is not allowed. Use jnp.atleast_1d(scalar).nonzero() instead.",
    );
  const mask = a.dtype === bool ? a : lax.ne(a, lax.scalarLike(a, 0));
  if (opts.size === undefined) {
    if (!isConcreteArray(mask)) {
      throw new ConcretizationTypeError(
        `Abstract tracer value encountered where concrete value is expected: traced array with shape ${mask.aval.str()}.\n` +
          `The size argument of jnp.nonzero must be statically specified to use jnp.nonzero within JAX transformations.\n` +
          `Pass a static size: jnp.nonzero(x, { size: n, fillValue: 0 }).`,
      );
    }
    return nonzeroHost(mask);
  }
  const size = opts.size;
  const flat = lax.reshape(lax.convertElementType(mask, int32), [a.size]);
  const c = lax.cumsum(flat, 0);
  // bincount(c, length=size): how many elements have exactly k non-zeros up to and including them.
  const sdn = lax.ScatterDimensionNumbers.of({
    update_window_dims: [],
    inserted_window_dims: [0],
    scatter_dims_to_operand_dims: [0],
  });
  const counts = lax.scatterAdd(
    lax.full([size], 0, int32),
    lax.reshape(c, [a.size, 1]),
    lax.full([a.size], 1, int32),
    sdn,
  );
  const flatIdx = lax.cumsum(counts, 0);
  const strides = a.shape.map((_, k) => a.shape.slice(k + 1).reduce((p, d) => p * d, 1));
  let outs = a.shape.map((d, k) => {
    let q = strides[k] === 1 ? flatIdx : lax.div(flatIdx, lax.scalarConstantOf(strides[k]!, int32));
    q = lax.rem(q, lax.scalarConstantOf(d, int32));
    return q;
  });
  if (opts.fillValue !== undefined) {
    const total = lax.reduceSum(flat, [0]);
    const valid = lax.lt(lax.iota(int32, [size], 0), lax.broadcastInDim(total, [size], []));
    outs = outs.map((o) => lax.selectN(valid, lax.full([size], opts.fillValue!, int32), o));
  }
  return outs;
}

export type { DType };
