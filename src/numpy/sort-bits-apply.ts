/**
 * jnp lexsort, partition, argpartition (JAX's values: the k+1 smallest ascending, then the
 * rest — partition's in descending order as JAX's top_k gives them, argpartition's in
 * ascending index order), packbits/unpackbits, histogram2d/histogramdd, and the function
 * appliers fromfunction, apply_along_axis, apply_over_axes (built on vmap as JAX's), plus
 * fromiter/frombuffer/fromstring.
 */
import { NotImplementedError, ValueError } from "../core/errors.js";
import {
  type DTypeLike,
  canonicalize,
  defaultFloat,
  int32,
  toDType,
  uint8,
} from "../core/dtype.js";
import { normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { bind1 } from "../trace/trace.js";
import { vmap } from "../transforms/vmap.js";
import { asarray } from "./coerce.js";
import { concatenate, expandDims, moveaxis, ravel, reshape, swapaxes } from "./shape.js";
import { where } from "./ufuncs.js";
import { sum } from "./reductions.js";
import { argsort, searchsorted, sort } from "./sorting.js";
import { bincount, histogramBinEdges } from "./histograms.js";
import { ravelMultiIndex } from "./shape-tools.js";
import { diff } from "./calculus.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);
const rev = (x: Array, dim: number): Array => bind1(lax.revP, [x], { dimensions: [dim] });
const sliceLast = (x: Array, start: number, stop: number): Array =>
  lax.slice(
    x,
    x.shape.map((_, i) => (i === x.ndim - 1 ? start : 0)),
    x.shape.map((d, i) => (i === x.ndim - 1 ? stop : d)),
  );

/** Indices sorting by several keys, the last key primary (`jnp.lexsort(keys, axis=-1)`). */
export function lexsort(keys: readonly ArrayLike[] | ArrayLike, axis = -1): Array {
  const ks = (globalThis.Array.isArray(keys) ? keys : [keys]).map((k) => asarray(k as ArrayLike));
  if (ks.length === 0) throw new TypeError("need sequence of keys with len > 0 in lexsort");
  const shape = ks[0]!.shape;
  if (ks.some((k) => k.shape.join() !== shape.join()))
    throw new ValueError("all keys need to be the same shape");
  if (ks[0]!.ndim === 0) return lax.full([], 0, int32);
  const ax = normalizeAxis(axis, ks[0]!.ndim);
  const iota = lax.iota(int32, shape, ax);
  const out = lax.sort([...ks.reverse(), iota], ax, true, ks.length);
  return out[out.length - 1]!;
}

/** Partially sorted: the kth element in place, smaller before, larger after (`jnp.partition`). */
export function partition(a: ArrayLike, kth: number, axis = -1): Array {
  const x = asarray(a);
  const ax = normalizeAxis(axis, x.ndim);
  const arr = swapaxes(x, ax, -1);
  const n = arr.shape[arr.ndim - 1]!;
  const k = kth < 0 ? kth + n : kth;
  if (k < 0 || k >= n) throw new ValueError(`kth=${kth} out of bounds for axis of size ${n}`);
  const s = sort(arr, -1);
  const bottom = sliceLast(s, 0, k + 1);
  const top = rev(sliceLast(s, k + 1, n), arr.ndim - 1);
  return swapaxes(concatenate([bottom, top], -1), ax, -1);
}

/** Indices that partition the array (`jnp.argpartition(a, kth, axis=-1)`). */
export function argpartition(a: ArrayLike, kth: number, axis = -1): Array {
  const x = asarray(a);
  const ax = normalizeAxis(axis, x.ndim);
  const arr = swapaxes(x, ax, -1);
  const n = arr.shape[arr.ndim - 1]!;
  const k = kth < 0 ? kth + n : kth;
  if (k < 0 || k >= n) throw new ValueError(`kth=${kth} out of bounds for axis of size ${n}`);
  const order = argsort(arr, -1);
  const bottom = sliceLast(order, 0, k + 1);
  const top = sort(sliceLast(order, k + 1, n), -1);
  return swapaxes(concatenate([bottom, top], -1), ax, -1);
}

/** Pack boolean-ish values into uint8 bits along an axis (`jnp.packbits(a, axis, bitorder)`). */
export function packbits(
  a: ArrayLike,
  axis: number | null = null,
  bitorder: "big" | "little" = "big",
): Array {
  let x = asarray(a);
  if (!x.dtype.isInt && !x.dtype.isBool)
    throw new TypeError("Expected an input array of integer or boolean data type");
  if (bitorder !== "big" && bitorder !== "little")
    throw new ValueError("'order' must be either 'little' or 'big'");
  x = lax.convertElementType(lax.ne(x, lax.scalarLike(x, 0)), uint8);
  if (axis === null) {
    x = ravel(x);
    axis = 0;
  }
  x = moveaxis(x, axis, -1);
  const n = x.shape[x.ndim - 1]!;
  const pad = (8 - (n % 8)) % 8;
  x = lax.pad(
    x,
    lax.scalarLike(x, 0),
    x.shape.map((_, i) => [0, i === x.ndim - 1 ? pad : 0, 0] as [number, number, number]),
  );
  const groups = (n + pad) / 8;
  x = reshape(x, [...x.shape.slice(0, -1), groups, 8]);
  const shifts = asarray(
    range(8).map((i) => (bitorder === "big" ? 7 - i : i)),
    "uint8",
  );
  const shifted = lax.shiftLeft(x, lax.broadcastInDim(shifts, x.shape, [x.ndim - 1]));
  const packed = sum(shifted, -1, { dtype: uint8 });
  return moveaxis(packed, -1, axis);
}

/** Unpack uint8 values into bits along an axis (`jnp.unpackbits(a, axis, count, bitorder)`). */
export function unpackbits(
  a: ArrayLike,
  axis: number | null = null,
  count: number | null = null,
  bitorder: "big" | "little" = "big",
): Array {
  const x = asarray(a);
  if (x.dtype !== uint8) throw new TypeError("Expected an input array of unsigned byte data type");
  if (bitorder !== "big" && bitorder !== "little")
    throw new ValueError("'order' must be either 'little' or 'big'");
  const shifts = asarray(
    range(8).map((i) => (bitorder === "big" ? 7 - i : i)),
    "uint8",
  );
  const full = [...x.shape, 8];
  let bits = lax.and(
    lax.shiftRightLogical(
      lax.broadcastInDim(x, full, range(x.ndim)),
      lax.broadcastInDim(shifts, full, [x.ndim]),
    ),
    lax.full(full, 1, uint8),
  );
  if (axis === null) {
    bits = ravel(bits);
    axis = 0;
  } else {
    bits = moveaxis(bits, axis, -2);
    bits = reshape(bits, [...bits.shape.slice(0, -2), bits.shape[bits.ndim - 2]! * 8]);
    bits = moveaxis(bits, -1, axis);
  }
  if (count !== null) {
    const ax = normalizeAxis(axis, bits.ndim);
    const n = bits.shape[ax]!;
    const c = count < 0 ? Math.max(n + count, 0) : count;
    if (c <= n)
      bits = lax.slice(
        bits,
        bits.shape.map(() => 0),
        bits.shape.map((d, i) => (i === ax ? c : d)),
      );
    else
      bits = lax.pad(
        bits,
        lax.scalarLike(bits, 0),
        bits.shape.map((_, i) => [0, i === ax ? c - n : 0, 0] as [number, number, number]),
      );
  }
  return bits;
}

/** Options of histogram2d/histogramdd. */
export interface HistogramddOptions {
  range?: readonly (readonly [number, number] | null)[] | null;
  weights?: ArrayLike | null;
  density?: boolean | null;
}

/** A D-dimensional histogram of N points (`jnp.histogramdd(sample, bins, range, weights, density)`). */
export function histogramdd(
  sample: ArrayLike,
  bins: number | readonly (number | ArrayLike)[] = 10,
  options: HistogramddOptions = {},
): [Array, Array[]] {
  let s = asarray(sample);
  if (!s.dtype.isFloat) s = lax.convertElementType(s, defaultFloat());
  if (s.ndim !== 2)
    throw new ValueError(`histogramdd: sample must be 2-d (N, D), got ndim=${s.ndim}`);
  const [N, D] = [s.shape[0]!, s.shape[1]!];
  const binList = typeof bins === "number" ? range(D).map(() => bins) : [...bins];
  if (binList.length !== D) throw new ValueError("should be a bin for each dimension.");
  const ranges = options.range ?? range(D).map(() => null);
  if (ranges.length !== D) throw new ValueError("should be a range for each dimension.");
  const idxs: Array[] = [];
  const edges: Array[] = [];
  const nbins: number[] = [];
  for (let i = 0; i < D; i++) {
    const col = lax.reshape(lax.slice(s, [0, i], [N, i + 1]), [N]);
    const e = histogramBinEdges(col, binList[i]!, ranges[i] ? asarray([...ranges[i]!]) : null);
    const ne = e.shape[0]!;
    let idx = searchsorted(e, col, { side: "right" });
    const last = lax.reshape(lax.slice(e, [ne - 1], [ne]), []);
    idx = where(lax.eq(col, last), lax.sub(idx, lax.scalarLike(idx, 1)), idx);
    idxs.push(idx);
    edges.push(e);
    nbins.push(ne + 1);
  }
  const flat = ravelMultiIndex(idxs, nbins, "clip");
  const total = nbins.reduce((p, d) => p * d, 1);
  const w =
    options.weights === undefined || options.weights === null ? null : asarray(options.weights);
  let hist = reshape(bincount(flat, w, 0, { length: total }), nbins);
  hist = lax.slice(
    hist,
    nbins.map(() => 1),
    nbins.map((d) => d - 1),
  );
  if (options.density) {
    if (!hist.dtype.isFloat) hist = lax.convertElementType(hist, s.dtype);
    hist = lax.div(hist, lax.broadcastInDim(sum(hist), hist.shape, []));
    for (let i = 0; i < D; i++) {
      const widths = diff(edges[i]!);
      hist = lax.div(hist, lax.broadcastInDim(widths, hist.shape, [i]));
    }
  }
  return [hist, edges];
}

/** A 2-D histogram (`jnp.histogram2d(x, y, bins, range, weights, density)`). */
export function histogram2d(
  x: ArrayLike,
  y: ArrayLike,
  bins: number | readonly (number | ArrayLike)[] = 10,
  options: HistogramddOptions = {},
): [Array, Array, Array] {
  const xa = ravel(x);
  const ya = ravel(y);
  if (xa.shape[0] !== ya.shape[0]) throw new ValueError("x and y must have the same length.");
  const [a, b] = [xa, ya].map((v) =>
    v.dtype.isFloat ? v : lax.convertElementType(v, defaultFloat()),
  );
  const sample = concatenate(
    [reshape(a!, [-1, 1]), reshape(lax.convertElementType(b!, a!.dtype), [-1, 1])],
    1,
  );
  const [hist, [ex, ey]] = histogramdd(
    sample,
    typeof bins === "number" ? [bins, bins] : bins,
    options,
  );
  return [hist, ex!, ey!];
}

/** An array built by calling `fn` on index grids, batched with vmap (`jnp.fromfunction`). */
export function fromfunction(
  fn: (...idx: Array[]) => ArrayLike,
  shape: readonly number[],
  options: { dtype?: DTypeLike } = {},
): Array {
  const d = canonicalize(toDType(options.dtype ?? "float32"));
  let f = (...args: Array[]): Array => asarray(fn(...args));
  for (let i = 0; i < shape.length; i++) {
    const inAxes = range(shape.length)
      .map((j) => (i === j ? 0 : null))
      .reverse();
    f = vmap(f, { inAxes });
  }
  return f(...shape.map((n) => lax.iota(d, [n], 0)));
}

/** Apply a 1-d function along one axis (`jnp.apply_along_axis(func1d, axis, arr, ...args)`). */
export function applyAlongAxis(
  func1d: (a: Array, ...args: unknown[]) => ArrayLike,
  axis: number,
  arr: ArrayLike,
  ...args: unknown[]
): Array {
  const x = asarray(arr);
  const nd = x.ndim;
  const ax = normalizeAxis(axis, nd);
  let f = (a: Array): Array => asarray(func1d(a, ...args));
  for (let i = 1; i < nd - ax; i++) f = vmap(f, { inAxes: i, outAxes: -1 });
  for (let i = 0; i < ax; i++) f = vmap(f, { inAxes: 0, outAxes: 0 });
  return f(x);
}

/** Apply `func(a, axis)` over several axes, keeping dimensions (`jnp.apply_over_axes`). */
export function applyOverAxes(
  func: (a: Array, axis: number) => ArrayLike,
  a: ArrayLike,
  axes: readonly number[],
): Array {
  let x = asarray(a);
  for (const axis of axes) {
    const b = asarray(func(x, axis));
    if (b.ndim === x.ndim) x = b;
    else if (b.ndim === x.ndim - 1) x = expandDims(b, axis);
    else throw new ValueError("function is not returning an array of the correct shape");
  }
  return x;
}

/** A 1-d array from an iterable of numbers (`jnp.fromiter(iterable, dtype, count=-1)`). */
export function fromiter(iterable: Iterable<number>, dtype: DTypeLike, count = -1): Array {
  const vals: number[] = [];
  for (const v of iterable) {
    if (count >= 0 && vals.length >= count) break;
    vals.push(v);
  }
  if (count >= 0 && vals.length < count)
    throw new ValueError(
      `iterator too short: Expected ${count} but iterator had only ${vals.length} items.`,
    );
  return asarray(vals, toDType(dtype));
}

/** A 1-d array viewing a buffer's bytes as `dtype` (`jnp.frombuffer(buffer, dtype, count, offset)`). */
export function frombuffer(
  buffer: ArrayBufferLike | ArrayBufferView,
  dtype: DTypeLike = "float32",
  count = -1,
  offset = 0,
): Array {
  const d = toDType(dtype);
  const bytes = ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
  const avail = bytes.byteLength - offset;
  if (avail < 0 || (avail % d.itemsize !== 0 && count < 0))
    throw new ValueError("buffer size must be a multiple of element size");
  const n = count < 0 ? avail / d.itemsize : count;
  if (n * d.itemsize > avail) throw new ValueError("buffer is smaller than requested size");
  const copyBytes = bytes.slice(offset, offset + n * d.itemsize);
  if (d.name === "float16" || d.isComplex)
    throw new NotImplementedError(`jnp.frombuffer: dtype ${d.name} is not supported`);
  const view = new d.storage(copyBytes.buffer, 0, n);
  return asarray(view as never, d);
}

/** A 1-d array parsed from text separated by `sep` (`jnp.fromstring(string, dtype, count, { sep })`). */
export function fromstring(
  string: string,
  dtype: DTypeLike = "float32",
  count = -1,
  options: { sep?: string } = {},
): Array {
  const sep = options.sep ?? "";
  if (sep === "")
    throw new ValueError("jnp.fromstring: binary mode (sep='') is not supported; use frombuffer");
  const parts = string
    .split(sep.trim() === "" ? /\s+/ : sep)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const vals = parts.map(Number);
  if (vals.some((v) => Number.isNaN(v)))
    throw new ValueError("string is not a valid list of numbers");
  return asarray(count >= 0 ? vals.slice(0, count) : vals, toDType(dtype));
}
