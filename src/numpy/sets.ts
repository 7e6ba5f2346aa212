/**
 * jnp set operations on flattened arrays, as JAX's setops.py: unique (returnIndex,
 * returnInverse, returnCounts, equalNan; a static `size` with `fillValue` makes the output
 * shape fixed, so it works under jit — without it the count must be concrete), the array-API
 * unique_all/counts/inverse/values, union1d, intersect1d, setdiff1d, setxor1d and isin.
 * Without `fillValue` the padding is the smallest value (JAX pads with index 0 of the sorted
 * values). `axis` other than null is not implemented (NotImplementedError).
 */
import { NotImplementedError, ValueError } from "../core/errors.js";
import { bool, defaultInt } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgs } from "./coerce.js";
import { any, argmax } from "./reductions.js";
import { argsort, nonzero } from "./sorting.js";
import { concatenate, ravel } from "./shape.js";
import { take } from "./take.js";
import { cumsum } from "./cumulative.js";
import { isnan, logicalNot, where } from "./ufuncs.js";

/** Keyword arguments of `jnp.unique` (`returnIndex`, `returnInverse`, `returnCounts`, `equalNan`, `size`, `fillValue`). */
export interface UniqueOptions {
  returnIndex?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  axis?: number | null;
  equalNan?: boolean;
  size?: number | null;
  fillValue?: ArrayLike | null;
}

interface Sorted {
  aux: Array;
  mask: Array;
  perm: Array;
}

function sortedMask(flat: Array, equalNan: boolean): Sorted {
  const n = flat.shape[0]!;
  const perm = argsort(flat, { stable: true });
  const aux = take(flat, perm);
  if (n === 0) return { aux, mask: lax.full([0], false, bool), perm };
  const hi = lax.slice(aux, [1], [n]);
  const lo = lax.slice(aux, [0], [n - 1]);
  let neq = lax.ne(hi, lo);
  if (aux.dtype.isFloat && equalNan) neq = lax.and(neq, logicalNot(lax.and(isnan(hi), isnan(lo))));
  return { aux, mask: concatenate([lax.full([1], true, bool), neq], 0), perm };
}

const nz = (mask: Array, size: number | null | undefined): Array =>
  size === undefined || size === null ? nonzero(mask)[0]! : nonzero(mask, { size })[0]!;

function fillTail(
  result: Array,
  mask: Array,
  size: number | null | undefined,
  fill: ArrayLike | null | undefined,
): Array {
  if (size === undefined || size === null || fill === undefined || fill === null) return result;
  const f = lax.convertElementType(asarray(fill), result.dtype);
  if (result.shape[0] === 0) return lax.broadcastInDim(f, [size], []);
  const count = lax.reduceSum(lax.convertElementType(mask, defaultInt()), [0]);
  const valid = lax.lt(lax.iota(defaultInt(), [size], 0), count);
  return where(valid, result, f);
}

/** The sorted unique values, and optionally indices, inverse and counts (`jnp.unique`). */
export function unique(ar: ArrayLike, options: UniqueOptions = {}): Array | Array[] {
  if (options.axis !== undefined && options.axis !== null) {
    throw new NotImplementedError(
      "jnp.unique with axis is not implemented; flatten the input or pass axis: null",
    );
  }
  const flat = ravel(asarray(ar));
  const n = flat.shape[0]!;
  const size = options.size;
  if (n === 0 && size && (options.fillValue === undefined || options.fillValue === null)) {
    throw new ValueError(
      "jnp.unique: for zero-sized input with nonzero size argument, fill_value must be specified",
    );
  }
  const { aux, mask, perm } = sortedMask(flat, options.equalNan ?? true);
  const ind = nz(mask, size);
  const result = fillTail(n ? take(aux, ind) : aux, mask, size, options.fillValue);
  const ret: Array[] = [result];
  if (options.returnIndex) ret.push(n ? take(perm, ind) : perm);
  if (options.returnInverse) {
    if (n) {
      const imask = lax.sub(cumsum(mask, 0, defaultInt()), lax.scalarConstantOf(1, defaultInt()));
      ret.push(lax.full([n], 0, defaultInt()).at(perm).set(imask));
    } else ret.push(lax.full([0], 0, defaultInt()));
  }
  if (options.returnCounts) {
    if (n) {
      let idx: Array;
      if (size === undefined || size === null)
        idx = concatenate([nz(mask, null), lax.full([1], n, defaultInt())], 0);
      else {
        idx = nz(mask, size + 1);
        const tail = lax.slice(idx, [1], [size + 1]);
        idx = concatenate(
          [lax.slice(idx, [0], [1]), where(lax.ne(tail, lax.scalarLike(tail, 0)), tail, n)],
          0,
        );
      }
      const m = idx.shape[0]!;
      ret.push(lax.sub(lax.slice(idx, [1], [m]), lax.slice(idx, [0], [m - 1])));
    } else ret.push(lax.full([0], 0, defaultInt()));
  }
  return ret.length === 1 ? ret[0]! : ret;
}

type SizeOptions = { size?: number | null; fillValue?: ArrayLike | null };

/** Array-API `unique_values`. */
export function uniqueValues(x: ArrayLike, options: SizeOptions = {}): Array {
  return unique(x, options) as Array;
}
/** Array-API `unique_counts`: `{ values, counts }`. */
export function uniqueCounts(
  x: ArrayLike,
  options: SizeOptions = {},
): { values: Array; counts: Array } {
  const [values, counts] = unique(x, { ...options, returnCounts: true }) as Array[];
  return { values: values!, counts: counts! };
}
/** Array-API `unique_inverse`: `{ values, inverseIndices }` (inverse shaped as x). */
export function uniqueInverse(
  x: ArrayLike,
  options: SizeOptions = {},
): { values: Array; inverseIndices: Array } {
  const a = asarray(x);
  const [values, inv] = unique(a, { ...options, returnInverse: true }) as Array[];
  return { values: values!, inverseIndices: lax.reshape(inv!, a.shape) };
}
/** Array-API `unique_all`: `{ values, indices, inverseIndices, counts }`. */
export function uniqueAll(
  x: ArrayLike,
  options: SizeOptions = {},
): { values: Array; indices: Array; inverseIndices: Array; counts: Array } {
  const a = asarray(x);
  const [values, indices, inv, counts] = unique(a, {
    ...options,
    returnIndex: true,
    returnInverse: true,
    returnCounts: true,
  }) as Array[];
  return {
    values: values!,
    indices: indices!,
    inverseIndices: lax.reshape(inv!, a.shape),
    counts: counts!,
  };
}

/** Whether each element of `element` is in `testElements` (`jnp.isin(element, test, invert)`). */
export function isin(
  element: ArrayLike,
  testElements: ArrayLike,
  options: { assumeUnique?: boolean; invert?: boolean } = {},
): Array {
  const [e, t] = promoteArgs(element, testElements) as [Array, Array];
  const tf = ravel(t);
  const eq = lax.eq(
    lax.broadcastInDim(e, [...e.shape, tf.shape[0]!], [...e.shape.keys()]),
    lax.broadcastInDim(tf, [...e.shape, tf.shape[0]!], [e.ndim]),
  );
  const r = tf.shape[0] === 0 ? lax.full(e.shape, false, bool) : any(eq, -1);
  return options.invert ? logicalNot(r) : r;
}

/** The sorted union of the values (`jnp.union1d(ar1, ar2, { size, fillValue })`). */
export function union1d(ar1: ArrayLike, ar2: ArrayLike, options: SizeOptions = {}): Array {
  const [a, b] = promoteArgs(ar1, ar2) as [Array, Array];
  return unique(concatenate([ravel(a), ravel(b)], 0), options) as Array;
}

/** Sorted values in `ar1` not in `ar2` (`jnp.setdiff1d(ar1, ar2, assumeUnique, { size, fillValue })`). */
export function setdiff1d(
  ar1: ArrayLike,
  ar2: ArrayLike,
  assumeUnique = false,
  options: SizeOptions = {},
): Array {
  const [a, b] = promoteArgs(ar1, ar2) as [Array, Array];
  const ua = assumeUnique ? ravel(a) : (unique(a) as Array);
  const keep = isin(ua, b, { invert: true });
  const ind = nz(keep, options.size);
  const out = ua.shape[0] ? take(ua, ind) : ua;
  return fillTail(out, keep, options.size, options.fillValue);
}

/** Sorted values in exactly one of the inputs (`jnp.setxor1d(ar1, ar2, assumeUnique, { size, fillValue })`). */
export function setxor1d(
  ar1: ArrayLike,
  ar2: ArrayLike,
  assumeUnique = false,
  options: SizeOptions = {},
): Array {
  const [a, b] = promoteArgs(ar1, ar2) as [Array, Array];
  const ua = assumeUnique ? ravel(a) : (unique(a) as Array);
  const ub = assumeUnique ? ravel(b) : (unique(b) as Array);
  const both = concatenate([ua, ub], 0);
  const keep = logicalNot(lax.and(isin(both, ua), isin(both, ub)));
  const ind = nz(keep, null);
  const vals = both.shape[0] ? take(both, ind) : both;
  return unique(vals, options) as Array;
}

/**
 * Sorted values in both inputs (`jnp.intersect1d(ar1, ar2, assumeUnique, returnIndices,
 * { size, fillValue })`); with returnIndices `[values, indices1, indices2]`.
 */
export function intersect1d(
  ar1: ArrayLike,
  ar2: ArrayLike,
  assumeUnique = false,
  returnIndices = false,
  options: SizeOptions = {},
): Array | Array[] {
  const [a, b] = promoteArgs(ar1, ar2) as [Array, Array];
  const ua = assumeUnique ? ravel(a) : (unique(a) as Array);
  const keep = isin(ua, b);
  const ind = nz(keep, options.size);
  const vals = fillTail(ua.shape[0] ? take(ua, ind) : ua, keep, options.size, options.fillValue);
  if (!returnIndices) return vals;
  const firstIndex = (src: Array): Array => {
    const flat = ravel(src);
    const eq = lax.eq(
      lax.broadcastInDim(vals, [vals.shape[0]!, flat.shape[0]!], [0]),
      lax.broadcastInDim(flat, [vals.shape[0]!, flat.shape[0]!], [1]),
    );
    return argmax(lax.convertElementType(eq, defaultInt()), 1);
  };
  return [vals, firstIndex(a), firstIndex(b)];
}
