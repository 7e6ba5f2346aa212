/**
 * jnp indexing helpers as jax/_src/numpy defines them: argwhere, flatnonzero, compress,
 * extract, choose, select, piecewise, place, put, put_along_axis, diag, diagflat,
 * diag_indices(_from), fill_diagonal, tri, tril/triu_indices(_from), mask_indices and
 * count_nonzero. The in-place numpy functions (place, put, put_along_axis, fill_diagonal)
 * return the updated array and, as JAX's, require `inplace: false`.
 */
import { ConcretizationTypeError, NotImplementedError, ValueError } from "../core/errors.js";
import { type DTypeLike, bool, defaultFloat, defaultInt, int32, toDType } from "../core/dtype.js";
import { normalizeAxis } from "../core/shape.js";
import { Array, type ArrayLike } from "../trace/array.js";
import { isConcreteArray } from "../runtime/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgs } from "./coerce.js";
import { atleast1d, moveaxis, ravel, reshape, stack, transpose } from "./shape.js";
import { broadcastTo, clip, remainder, where } from "./ufuncs.js";
import { any, sum } from "./reductions.js";
import { nonzero } from "./sorting.js";
import { cumsum } from "./cumulative.js";
import { take } from "./take.js";
import { diagonal } from "./diagonal.js";
import { broadcastArrays, concreteInts } from "./array-manipulation.js";
import { scatterUpdate } from "./advanced-indexing.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);
type SizeFill = { size?: number; fillValue?: number };
const toBoolArr = (x: ArrayLike): Array => {
  const a = asarray(x);
  return a.dtype === bool ? a : lax.ne(a, lax.scalarLike(a, 0));
};

/** Indices of the non-zero elements, one row per element (`jnp.argwhere`). */
export function argwhere(a: ArrayLike, options: SizeFill = {}): Array {
  const x = asarray(a);
  if (x.ndim === 0) {
    const r = argwhere(atleast1d(x), options);
    return lax.slice(r, [0, 0], [r.shape[0]!, 0]);
  }
  return transpose(stack(nonzero(x, options), 0));
}

/** Flat indices of the non-zero elements (`jnp.flatnonzero`). */
export function flatnonzero(a: ArrayLike, options: SizeFill = {}): Array {
  return nonzero(ravel(a), options)[0]!;
}

/** Slices along an axis where a 1-d condition holds (`jnp.compress`). */
export function compress(
  condition: ArrayLike,
  a: ArrayLike,
  axis: number | null = null,
  options: SizeFill = {},
): Array {
  const c = toBoolArr(condition);
  if (c.ndim !== 1) throw new ValueError("condition must be a 1D array");
  let arr = asarray(a);
  if (axis === null) {
    arr = ravel(arr);
    axis = 0;
  }
  const ax = normalizeAxis(axis, arr.ndim);
  arr = moveaxis(arr, ax, 0);
  const n = Math.min(arr.shape[0]!, c.shape[0]!);
  if (c.shape[0]! > n) {
    const extra = lax.slice(c, [n], [c.shape[0]!]);
    if (!isConcreteArray(extra))
      throw new ConcretizationTypeError(
        "compress: a condition longer than the axis must be concrete",
      );
    if (any(extra).item())
      throw new ValueError("condition contains entries that are out of bounds");
  }
  const cond = lax.slice(c, [0], [n]);
  arr = lax.slice(
    arr,
    arr.shape.map(() => 0),
    [n, ...arr.shape.slice(1)],
  );
  const idx = nonzero(cond, options.size === undefined ? {} : { size: options.size })[0]!;
  let out = take(arr, idx, 0);
  if (options.size !== undefined) {
    const count = sum(lax.convertElementType(cond, int32));
    const valid = lax.lt(lax.iota(int32, [options.size], 0), count);
    const shaped = reshape(valid, [options.size, ...out.shape.slice(1).map(() => 1)]);
    out = where(shaped, out, lax.scalarLike(out, options.fillValue ?? 0));
  }
  return moveaxis(out, 0, ax);
}

/** Elements where the condition holds, flattened (`jnp.extract`). */
export function extract(condition: ArrayLike, arr: ArrayLike, options: SizeFill = {}): Array {
  return compress(ravel(condition), ravel(arr), 0, options);
}

/** Pick from `choices` by the integer index array `a` (`jnp.choose(a, choices, out, mode)`). */
export function choose(
  a: ArrayLike,
  choices: readonly ArrayLike[],
  out: null = null,
  mode: "raise" | "wrap" | "clip" = "raise",
): Array {
  if (out !== null)
    throw new NotImplementedError("The 'out' argument to jnp.choose is not supported.");
  const n = choices.length;
  let idx = asarray(a);
  if (!idx.dtype.isInt)
    throw new TypeError(`choose: index array must be integers, got ${idx.dtype.name}`);
  idx = lax.convertElementType(idx, int32);
  if (mode === "raise") {
    if (!isConcreteArray(idx))
      throw new ConcretizationTypeError(
        "The error occurred in jnp.choose(): mode='raise' needs a concrete index; use mode='wrap' or 'clip' under jit.",
      );
    const vals = concreteInts(idx, "jnp.choose");
    if (vals.some((v) => v < 0 || v >= n)) throw new ValueError("invalid entry in choice array");
  } else if (mode === "wrap") idx = remainder(idx, n);
  else if (mode === "clip") idx = clip(idx, 0, n - 1);
  else
    throw new ValueError(`mode=${String(mode)} not understood. Must be 'raise', 'wrap', or 'clip'`);
  const all = broadcastArrays(idx, ...promoteArgs(...choices));
  return lax.selectN(all[0]!, ...all.slice(1));
}

/** The first choice whose condition holds, else `default` (`jnp.select`). */
export function select(
  condlist: readonly ArrayLike[],
  choicelist: readonly ArrayLike[],
  default_: ArrayLike = 0,
): Array {
  if (condlist.length !== choicelist.length)
    throw new ValueError(
      `condlist must have length equal to choicelist (${condlist.length} vs ${choicelist.length})`,
    );
  if (condlist.length === 0) throw new ValueError("condlist must be non-empty");
  const conds = condlist.map((c) => {
    const b = asarray(c);
    if (!b.dtype.isBool)
      throw new TypeError(`condlist must be boolean arrays, got ${b.dtype.name}`);
    return b;
  });
  const [def, ...choices] = promoteArgs(default_, ...choicelist);
  let out: Array = def!;
  for (let i = conds.length - 1; i >= 0; i--) out = where(conds[i]!, choices[i]!, out);
  return out;
}

/** A function or constant applied where each condition holds (`jnp.piecewise`). */
export function piecewise(
  x: ArrayLike,
  condlist: ArrayLike | readonly ArrayLike[],
  funclist: readonly (((x: Array) => ArrayLike) | number)[],
): Array {
  const xa = asarray(x);
  let conds = globalThis.Array.isArray(condlist)
    ? condlist.map(toBoolArr)
    : [toBoolArr(condlist as ArrayLike)];
  if (conds.length === 1 && conds[0]!.ndim > xa.ndim)
    conds = range(conds[0]!.shape[0]!).map((i) => take(conds[0]!, i, 0));
  const n = conds.length;
  if (funclist.length !== n && funclist.length !== n + 1)
    throw new ValueError(
      `with ${n} condition(s), either ${n} or ${n + 1} functions are expected; got ${funclist.length}`,
    );
  const apply = (f: ((x: Array) => ArrayLike) | number): Array =>
    broadcastTo(
      lax.convertElementType(asarray(typeof f === "function" ? f(xa) : f), xa.dtype),
      xa.shape,
    );
  let out = funclist.length === n + 1 ? apply(funclist[n]!) : lax.fullLike(xa, 0);
  for (let i = 0; i < n; i++) out = where(conds[i]!, apply(funclist[i]!), out);
  return out;
}

function requireNotInplace(name: string, inplace: boolean | undefined): void {
  if (inplace !== false)
    throw new ValueError(
      `jax.numpy.${name} cannot modify arrays in-place, because JAX arrays are immutable. Pass inplace=False to instead return an updated array.`,
    );
}

/** Values placed (cycled) where the mask is true (`jnp.place(arr, mask, vals, { inplace: false })`). */
export function place(
  arr: ArrayLike,
  mask: ArrayLike,
  vals: ArrayLike,
  options: { inplace?: boolean } = {},
): Array {
  requireNotInplace("place", options.inplace);
  const data = asarray(arr);
  const m = ravel(toBoolArr(mask));
  const v = lax.convertElementType(ravel(vals), data.dtype);
  if (m.shape[0] !== data.size) throw new ValueError("place: mask and data must be the same size");
  if (v.shape[0] === 0) throw new ValueError("Cannot place values from an empty array");
  if (data.size === 0) return data;
  const idx = remainder(lax.sub(cumsum(m, 0, int32), lax.scalarConstantOf(1, int32)), v.shape[0]!);
  const flat = where(m, take(v, clip(idx, 0, v.shape[0]! - 1)), ravel(data));
  return reshape(flat, data.shape);
}

/** Values written at flat indices (`jnp.put(a, ind, v, mode, { inplace: false })`). */
export function put(
  a: ArrayLike,
  ind: ArrayLike,
  v: ArrayLike,
  mode: "clip" | "wrap" | null = null,
  options: { inplace?: boolean } = {},
): Array {
  requireNotInplace("put", options.inplace);
  const arr = asarray(a);
  let idx = ravel(ind);
  if (!idx.dtype.isInt) throw new TypeError(`put: indices must be integers, got ${idx.dtype.name}`);
  const vals = lax.convertElementType(ravel(v), arr.dtype);
  const n = arr.size;
  if (n === 0 || idx.shape[0] === 0 || vals.shape[0] === 0) return arr;
  if (mode === "clip") idx = clip(idx, 0, n - 1);
  else if (mode === "wrap") idx = remainder(idx, n);
  else if (mode !== null)
    throw new NotImplementedError(
      `jnp.put: mode=${String(mode)} is not supported; use 'clip', 'wrap' or None`,
    );
  const k = idx.shape[0]!;
  const cycled = take(
    vals,
    asarray(
      range(k).map((i) => i % vals.shape[0]!),
      "int32",
    ),
  );
  const flat = scatterUpdate(ravel(arr), [idx], cycled, lax.scatter, {
    mode: mode === null ? "drop" : "clip",
  });
  return reshape(flat, arr.shape);
}

/** Values written along an axis at indices (`jnp.put_along_axis(..., { inplace: false })`). */
export function putAlongAxis(
  arr: ArrayLike,
  indices: ArrayLike,
  values: ArrayLike,
  axis: number | null,
  options: { inplace?: boolean; mode?: "clip" | "drop" | "fill" | "promise_in_bounds" } = {},
): Array {
  requireNotInplace("put_along_axis", options.inplace);
  let a = asarray(arr);
  let ind = asarray(indices);
  if (axis === null) {
    a = ravel(a);
    ind = ravel(ind);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  if (ind.ndim !== a.ndim)
    throw new ValueError(
      `put_along_axis: indices and arr must have the same number of dimensions; ${ind.ndim} vs. ${a.ndim}`,
    );
  const shape = ind.shape.map((d, i) => (i === ax ? d : Math.max(d, a.shape[i]!)));
  const idxs = a.shape.map((_, i) =>
    i === ax
      ? broadcastTo(ind, shape)
      : lax.broadcastInDim(lax.iota(int32, [shape[i]!], 0), shape, [i]),
  );
  const v = broadcastTo(lax.convertElementType(asarray(values), a.dtype), shape);
  return scatterUpdate(a, idxs, v, lax.scatter, options.mode ? { mode: options.mode } : {});
}

/** The k-th diagonal of a 2-d array, or a 2-d array with a 1-d input on it (`jnp.diag`). */
export function diag(v: ArrayLike, k = 0): Array {
  const a = asarray(v);
  if (a.ndim === 2) return diagonal(a, k);
  if (a.ndim !== 1) throw new ValueError("diag input must be 1d or 2d");
  const n = a.shape[0]! + Math.abs(k);
  const rows = lax.broadcastInDim(lax.iota(int32, [n], 0), [n, n], [0]);
  const cols = lax.broadcastInDim(lax.iota(int32, [n], 0), [n, n], [1]);
  const onDiag = lax.eq(lax.sub(cols, rows), lax.full([n, n], k, int32));
  const src = lax.pad(a, lax.scalarLike(a, 0), [[0, Math.abs(k), 0]]);
  const spread = lax.broadcastInDim(src, [n, n], k >= 0 ? [0] : [1]);
  return where(onDiag, spread, lax.scalarLike(a, 0));
}

/** `diag` of the flattened input (`jnp.diagflat(v, k=0)`). */
export function diagflat(v: ArrayLike, k = 0): Array {
  return diag(ravel(v), k);
}

/** Index arrays of the main diagonal of an n×…×n array (`jnp.diag_indices(n, ndim=2)`). */
export function diagIndices(n: number, ndim = 2): Array[] {
  if (n < 0) throw new ValueError("n argument to diag_indices must be nonnegative, got " + n);
  if (ndim < 0)
    throw new ValueError("ndim argument to diag_indices must be nonnegative, got " + ndim);
  return range(ndim).map(() => lax.iota(defaultInt(), [n], 0));
}

/** `diag_indices` for an array whose dimensions are all equal (`jnp.diag_indices_from`). */
export function diagIndicesFrom(arr: ArrayLike): Array[] {
  const a = asarray(arr);
  if (a.ndim < 2) throw new ValueError("input array must be at least 2-d");
  if (a.shape.some((d) => d !== a.shape[0]))
    throw new ValueError("All dimensions of input must be of equal length");
  return diagIndices(a.shape[0]!, a.ndim);
}

/** The main diagonal set to `val` (`jnp.fill_diagonal(a, val, wrap, { inplace: false })`). */
export function fillDiagonal(
  a: ArrayLike,
  val: ArrayLike,
  wrap = false,
  options: { inplace?: boolean } = {},
): Array {
  requireNotInplace("fill_diagonal", options.inplace);
  const arr = asarray(a);
  if (arr.ndim < 2) throw new ValueError("array must be at least 2-d");
  if (arr.ndim > 2 && arr.shape.some((d) => d !== arr.shape[0]))
    throw new ValueError("All dimensions of input must be of equal length");
  const [n, m] = [arr.shape[0]!, arr.shape[arr.ndim - 1]!];
  const step =
    arr.ndim === 2
      ? m + 1
      : arr.shape.reduce((s, _, i) => s + arr.shape.slice(i + 1).reduce((p, d) => p * d, 1), 0);
  const end = arr.ndim === 2 ? (wrap ? n * m : Math.min(n, m) * m) : arr.size;
  const pos: number[] = [];
  for (let p = 0; p < end; p += step) pos.push(p);
  const v = ravel(lax.convertElementType(asarray(val), arr.dtype));
  if (pos.length === 0 || v.shape[0] === 0) return arr;
  const cycled = take(
    v,
    asarray(
      pos.map((_, i) => i % v.shape[0]!),
      "int32",
    ),
  );
  return reshape(ravel(arr).at(asarray(pos, "int32")).set(cycled), arr.shape);
}

/** Ones at and below the k-th diagonal (`jnp.tri(N, M=None, k=0, dtype=None)`). */
export function tri(
  N: number,
  M: number | null = null,
  k = 0,
  dtype: DTypeLike | null = null,
): Array {
  const m = M ?? N;
  const rows = lax.broadcastInDim(lax.iota(int32, [N], 0), [N, m], [0]);
  const cols = lax.broadcastInDim(lax.iota(int32, [m], 0), [N, m], [1]);
  const mask = lax.ge(lax.add(rows, lax.full([N, m], k, int32)), cols);
  return lax.convertElementType(mask, dtype ? toDType(dtype) : defaultFloat());
}

function triIndices(n: number, k: number, m: number | null, lower: boolean): [Array, Array] {
  const cols = m ?? n;
  const rs: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < cols; j++)
      if (lower ? j - i <= k : j - i >= k) {
        rs.push(i);
        cs.push(j);
      }
  return [asarray(rs, defaultInt()), asarray(cs, defaultInt())];
}
/** Row and column indices of the lower triangle (`jnp.tril_indices(n, k=0, m=None)`). */
export function trilIndices(n: number, k = 0, m: number | null = null): [Array, Array] {
  return triIndices(n, k, m, true);
}
/** Row and column indices of the upper triangle (`jnp.triu_indices(n, k=0, m=None)`). */
export function triuIndices(n: number, k = 0, m: number | null = null): [Array, Array] {
  return triIndices(n, k, m, false);
}
function from2d(arr: ArrayLike, name: string): [number, number] {
  const a = asarray(arr);
  if (a.ndim !== 2) throw new ValueError(`${name} only supports 2D arrays, got ndim=${a.ndim}`);
  return [a.shape[0]!, a.shape[1]!];
}
/** `tril_indices` of a 2-d array's shape (`jnp.tril_indices_from(arr, k=0)`). */
export function trilIndicesFrom(arr: ArrayLike, k = 0): [Array, Array] {
  const [n, m] = from2d(arr, "tril_indices_from");
  return triIndices(n, k, m, true);
}
/** `triu_indices` of a 2-d array's shape (`jnp.triu_indices_from(arr, k=0)`). */
export function triuIndicesFrom(arr: ArrayLike, k = 0): [Array, Array] {
  const [n, m] = from2d(arr, "triu_indices_from");
  return triIndices(n, k, m, false);
}
