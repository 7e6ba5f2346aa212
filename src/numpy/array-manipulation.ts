/**
 * jnp array manipulation as jax/_src/numpy/lax_numpy.py defines it: append, insert, delete,
 * fliplr, flipud, rot90, rollaxis, permute_dims, matrix_transpose, hsplit/vsplit/dsplit,
 * resize, trim_zeros, unstack, concat, broadcast_arrays, broadcast_shapes, astype, copy and the
 * shape queries (shape, size, ndim, isscalar, iterable), array_equiv.
 * insert/delete/trim_zeros need concrete index values (as JAX's, which raise
 * ConcretizationTypeError for traced ones).
 */
import { ConcretizationTypeError, IndexError, ValueError } from "../core/errors.js";
import { type DTypeLike, toDType } from "../core/dtype.js";
import { broadcastShapes as broadcastShapesOf, normalizeAxis } from "../core/shape.js";
import { Array, type ArrayLike } from "../trace/array.js";
import { isConcreteArray } from "../runtime/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgs } from "./coerce.js";
import { concatenate, flip, moveaxis, ravel, reshape, swapaxes, transpose } from "./shape.js";
import { broadcastTo, equal } from "./ufuncs.js";
import { all } from "./reductions.js";
import { split } from "./splitting.js";
import { take } from "./take.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** Concrete integer values of an index argument (a tracer is a ConcretizationTypeError). */
export function concreteInts(x: ArrayLike | readonly number[], what: string): number[] {
  if (typeof x === "number") return [x];
  if (globalThis.Array.isArray(x)) return (x as number[]).map(Number);
  if (x instanceof Array && !isConcreteArray(x))
    throw new ConcretizationTypeError(
      `${what} requires concrete index values; got a traced array of shape ${x.aval.str()}.`,
    );
  const a = asarray(x as ArrayLike);
  if (!a.dtype.isInt && !a.dtype.isBool)
    throw new TypeError(`${what}: index arrays must be integers, got ${a.dtype.name}`);
  return [...a.toTypedArray()].map(Number);
}

/** `jnp.append(arr, values, axis=None)`: flattened when axis is null. */
export function append(arr: ArrayLike, values: ArrayLike, axis: number | null = null): Array {
  if (axis === null) return concatenate([ravel(arr), ravel(values)], 0);
  return concatenate([arr, values], axis);
}

/** `jnp.delete(arr, obj, axis=None)`: remove entries at concrete indices along an axis. */
export function delete_(
  arr: ArrayLike,
  obj: ArrayLike | readonly number[],
  axis: number | null = null,
): Array {
  let a = asarray(arr);
  if (axis === null) {
    a = ravel(a);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  const drop = new Set<number>();
  for (const i of concreteInts(obj, "jnp.delete")) {
    if (i < -n || i >= n)
      throw new ValueError(`index ${i} is out of bounds for axis ${ax} with size ${n}`);
    drop.add(i < 0 ? i + n : i);
  }
  const keep = range(n).filter((i) => !drop.has(i));
  return take(a, asarray(keep, "int32"), ax);
}

/** `jnp.insert(arr, obj, values, axis=None)`: insert values before concrete indices. */
export function insert(
  arr: ArrayLike,
  obj: ArrayLike | readonly number[],
  values: ArrayLike,
  axis: number | null = null,
): Array {
  let a = asarray(arr);
  if (axis === null) {
    a = ravel(a);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  const scalarObj = typeof obj === "number" || (obj instanceof Array && obj.ndim === 0);
  const idx = concreteInts(obj, "jnp.insert").map((i) => {
    if (i < -n || i > n)
      throw new IndexError(`index ${i} is out of bounds for axis ${ax} with size ${n}`);
    return i < 0 ? i + n : i;
  });
  let v = lax.convertElementType(asarray(values), a.dtype);
  let numnew: number;
  if (scalarObj) {
    // numpy: values get ndmin=arr.ndim leading dims, then their first axis moves to `axis`.
    while (v.ndim < a.ndim) v = reshape(v, [1, ...v.shape]);
    v = moveaxis(v, 0, ax);
    numnew = v.shape[ax]!;
  } else numnew = idx.length;
  const vshape = a.shape.map((d, i) => (i === ax ? numnew : d));
  v = broadcastTo(v, vshape);
  // Positions in the result: insertion points shifted by the entries inserted before them.
  const order = scalarObj
    ? range(numnew)
    : range(numnew).sort((p, q) => idx[p]! - idx[q]! || p - q);
  const newPos = new globalThis.Array<number>(numnew);
  order.forEach((k, rank) => (newPos[k] = (scalarObj ? idx[0]! : idx[k]!) + rank));
  const total = n + numnew;
  const isNew = new globalThis.Array<boolean>(total).fill(false);
  for (const p of newPos) isNew[p] = true;
  // Gather from concatenate([a, v]) along the axis.
  const source: number[] = [];
  let old = 0;
  const newAt = new Map(newPos.map((p, k) => [p, k]));
  for (let p = 0; p < total; p++) source.push(isNew[p] ? n + newAt.get(p)! : old++);
  return take(concatenate([a, v], ax), asarray(source, "int32"), ax);
}

/** Reverse the second axis (`jnp.fliplr`). */
export function fliplr(m: ArrayLike): Array {
  const a = asarray(m);
  if (a.ndim < 2) throw new ValueError("fliplr requires an array with at least 2 dimensions");
  return flip(a, 1);
}

/** Reverse the first axis (`jnp.flipud`). */
export function flipud(m: ArrayLike): Array {
  const a = asarray(m);
  if (a.ndim < 1) throw new ValueError("flipud requires an array with at least 1 dimension");
  return flip(a, 0);
}

/** Rotate by 90° `k` times in the plane of `axes` (`jnp.rot90(m, k=1, axes=(0, 1))`). */
export function rot90(m: ArrayLike, k = 1, axes: readonly [number, number] = [0, 1]): Array {
  const a = asarray(m);
  if (axes.length !== 2) throw new ValueError("len(axes) must be 2.");
  const [a0, a1] = [normalizeAxis(axes[0], a.ndim), normalizeAxis(axes[1], a.ndim)];
  if (a0 === a1) throw new ValueError("Axes must be different.");
  const r = ((k % 4) + 4) % 4;
  if (r === 0) return a;
  if (r === 2) return flip(flip(a, a0), a1);
  if (r === 1) return swapaxes(flip(a, a1), a0, a1);
  return flip(swapaxes(a, a0, a1), a1);
}

/** Move `axis` to before position `start` (`jnp.rollaxis`, numpy's older moveaxis). */
export function rollaxis(a: ArrayLike, axis: number, start = 0): Array {
  const x = asarray(a);
  const n = x.ndim;
  const ax = normalizeAxis(axis, n);
  if (start < -n || start > n)
    throw new ValueError(`start=${start} must satisfy ${-n} <= start < ${n + 1}`);
  let s = start < 0 ? start + n : start;
  if (ax < s) s -= 1;
  if (ax === s) return x;
  return moveaxis(x, ax, s);
}

/** The array-API name of transpose with explicit axes (`jnp.permute_dims(a, axes)`). */
export function permuteDims(a: ArrayLike, axes: readonly number[]): Array {
  return transpose(a, axes);
}

/** Swap the last two axes (`jnp.matrix_transpose`). */
export function matrixTranspose(x: ArrayLike): Array {
  const a = asarray(x);
  if (a.ndim < 2)
    throw new ValueError(
      `x must be at least two-dimensional for matrix_transpose; got ndim=${a.ndim}`,
    );
  return swapaxes(a, -1, -2);
}

function splitAlong(name: string, axis: number, minDim: number) {
  return (ary: ArrayLike, indicesOrSections: number | readonly number[]): Array[] => {
    const a = asarray(ary);
    if (a.ndim < minDim)
      throw new ValueError(`${name} only works on arrays of ${minDim} or more dimensions`);
    return split(a, indicesOrSections, a.ndim === 1 && name === "hsplit" ? 0 : axis);
  };
}
/** Split along the second axis (the first for 1-d input) (`jnp.hsplit`). */
export const hsplit = splitAlong("hsplit", 1, 1);
/** Split along the first axis (`jnp.vsplit`). */
export const vsplit = splitAlong("vsplit", 0, 2);
/** Split along the third axis (`jnp.dsplit`). */
export const dsplit = splitAlong("dsplit", 2, 3);

/** A new shape filled with the flattened input repeated (`jnp.resize`). */
export function resize(a: ArrayLike, newShape: number | readonly number[]): Array {
  const x = ravel(a);
  const shape = typeof newShape === "number" ? [newShape] : [...newShape];
  if (shape.some((d) => d < 0))
    throw new ValueError("all elements of `new_shape` must be non-negative");
  const size = shape.reduce((p, d) => p * d, 1);
  const n = x.shape[0]!;
  if (n === 0 || size === 0) return lax.full(shape, 0, x.dtype);
  const reps = Math.ceil(size / n);
  const tiled = concatenate(new globalThis.Array<Array>(reps).fill(x), 0);
  return reshape(lax.slice(tiled, [0], [size]), shape);
}

/** Drop leading ("f") and/or trailing ("b") zeros of a 1-d array (`jnp.trim_zeros`). */
export function trimZeros(filt: ArrayLike, trim = "fb"): Array {
  const a = asarray(filt);
  if (a.ndim !== 1) throw new ValueError(`trim_zeros requires a 1-D array, got ndim=${a.ndim}`);
  const nz = concreteInts(lax.ne(a, lax.scalarLike(a, 0)), "jnp.trim_zeros");
  const t = trim.toLowerCase();
  let start = 0;
  let stop = nz.length;
  if (t.includes("f")) while (start < stop && !nz[start]) start++;
  if (t.includes("b")) while (stop > start && !nz[stop - 1]) stop--;
  return lax.slice(a, [start], [stop]);
}

/** The slices along an axis as a list (`jnp.unstack(x, axis=0)`). */
export function unstack(x: ArrayLike, axis = 0): Array[] {
  const a = asarray(x);
  if (a.ndim === 0)
    throw new ValueError(
      "Unstack requires arrays with rank > 0, however a scalar array was passed.",
    );
  const ax = normalizeAxis(axis, a.ndim);
  return range(a.shape[ax]!).map((i) => take(a, i, ax));
}

/** The array-API name of concatenate (`jnp.concat(arrays, axis=0)`). */
export function concat(arrays: readonly ArrayLike[], axis: number | null = 0): Array {
  return concatenate(arrays, axis);
}

/** The broadcast shape of several shapes (`jnp.broadcast_shapes`). */
export function broadcastShapes(...shapes: (number | readonly number[])[]): number[] {
  const ss = shapes.map((s) => (typeof s === "number" ? [s] : [...s]));
  const out = broadcastShapesOf(...ss);
  if (!out)
    throw new ValueError(
      `Incompatible shapes for broadcasting: shapes=[${ss.map((s) => `(${s.join(", ")})`).join(", ")}]`,
    );
  return out;
}

/** Every argument broadcast to their common shape (`jnp.broadcast_arrays`). */
export function broadcastArrays(...args: ArrayLike[]): Array[] {
  const xs = args.map((a) => asarray(a));
  const shape = broadcastShapes(...xs.map((x) => x.shape));
  return xs.map((x) => broadcastTo(x, shape));
}

/** Convert to a dtype (`jnp.astype(x, dtype, copy=False)`). */
export function astype(x: ArrayLike, dtype: DTypeLike, _opts: { copy?: boolean } = {}): Array {
  return lax.convertElementType(asarray(x), toDType(dtype));
}

/** A copy of the array (`jnp.copy`; arrays are immutable, so the values are shared). */
export function copy(a: ArrayLike): Array {
  return lax.convertElementType(asarray(a), asarray(a).dtype);
}

/** The shape of an array or value (`jnp.shape`). */
export function shape(a: ArrayLike): number[] {
  return [...asarray(a).shape];
}

/** The number of elements, or the length along an axis (`jnp.size(a, axis=None)`). */
export function size(a: ArrayLike, axis: number | null = null): number {
  const x = asarray(a);
  if (axis === null) return x.size;
  return x.shape[normalizeAxis(axis, x.ndim)]!;
}

/** The number of dimensions (`jnp.ndim`). */
export function ndim(a: ArrayLike): number {
  return asarray(a).ndim;
}

/** Whether a value is a scalar: a JS number/boolean/bigint or a 0-d array (`jnp.isscalar`). */
export function isscalar(element: unknown): boolean {
  if (typeof element === "number" || typeof element === "boolean" || typeof element === "bigint")
    return true;
  return element instanceof Array && element.ndim === 0;
}

/** Whether a value can be iterated (`jnp.iterable`): JS iterables and arrays of rank ≥ 1. */
export function iterable(y: unknown): boolean {
  if (y instanceof Array) return y.ndim > 0;
  return (
    y !== null &&
    y !== undefined &&
    typeof (y as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function"
  );
}

/** Whether two arrays are equal after broadcasting (`jnp.array_equiv`). */
export function arrayEquiv(a1: ArrayLike, a2: ArrayLike): Array {
  const [a, b] = promoteArgs(a1, a2);
  if (!broadcastShapesOf(a!.shape, b!.shape)) return asarray(false);
  return all(equal(a!, b!));
}
