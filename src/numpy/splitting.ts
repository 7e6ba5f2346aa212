/** jax.numpy split, array_split, tile, repeat, roll: static slicing and broadcasting. */
import { NotImplementedError, ValueError } from "../core/errors.js";
import { int32 } from "../core/dtype.js";
import { normalizeAxis, shapeStr } from "../core/shape.js";
import { Array, type ArrayLike } from "../trace/array.js";
import { isConcreteArray } from "../runtime/array.js";
import * as lax from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { take } from "./take.js";

function sliceAlong(a: Array, axis: number, start: number, stop: number): Array {
  const st = a.shape.map((_, k) => (k === axis ? start : 0));
  const lim = a.shape.map((d, k) => (k === axis ? stop : d));
  return lax.slice(a, st, lim);
}

function splitAt(a: Array, axis: number, points: number[]): Array[] {
  const n = a.shape[axis]!;
  const bounds = [0, ...points.map((p) => Math.min(Math.max(p < 0 ? p + n : p, 0), n)), n];
  const out: Array[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const lo = bounds[k]!;
    const hi = Math.max(lo, bounds[k + 1]!);
    out.push(sliceAlong(a, axis, lo, hi));
  }
  return out;
}

/** `jnp.split(a, sections | indices, axis=0)`: equal sections must divide the axis. */
export function split(
  x: ArrayLike,
  indicesOrSections: number | readonly number[],
  axis = 0,
): Array[] {
  const a = asarray(x);
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  if (typeof indicesOrSections === "number") {
    const s = indicesOrSections;
    if (!Number.isInteger(s) || s <= 0)
      throw new ValueError(`number sections must be larger than 0.`);
    if (n % s !== 0) throw new ValueError("array split does not result in an equal division");
    return splitAt(
      a,
      ax,
      Array_range(s - 1).map((i) => ((i + 1) * n) / s),
    );
  }
  return splitAt(a, ax, [...indicesOrSections]);
}

/** `jnp.array_split`: like split, but sections need not divide the axis evenly. */
export function arraySplit(
  x: ArrayLike,
  indicesOrSections: number | readonly number[],
  axis = 0,
): Array[] {
  const a = asarray(x);
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  if (typeof indicesOrSections !== "number") return splitAt(a, ax, [...indicesOrSections]);
  const s = indicesOrSections;
  if (!Number.isInteger(s) || s <= 0)
    throw new ValueError(`number sections must be larger than 0.`);
  const q = Math.floor(n / s);
  const r = n % s;
  const points: number[] = [];
  let acc = 0;
  for (let i = 0; i < s - 1; i++) {
    acc += q + (i < r ? 1 : 0);
    points.push(acc);
  }
  return splitAt(a, ax, points);
}
export const array_split = arraySplit;

/** `jnp.tile(A, reps)`. */
export function tile(x: ArrayLike, reps: number | readonly number[]): Array {
  const a = asarray(x);
  const r0 = typeof reps === "number" ? [reps] : [...reps];
  if (r0.some((r) => !Number.isInteger(r) || r < 0))
    throw new ValueError(`tile: reps must be non-negative integers, got ${shapeStr(r0)}`);
  const aShape = [...Array_fill(Math.max(0, r0.length - a.ndim), 1), ...a.shape];
  const r = [...Array_fill(aShape.length - r0.length, 1), ...r0];
  const inter = aShape.flatMap((d) => [1, d]);
  const b = lax.reshape(a, inter);
  const target = aShape.flatMap((d, k) => [r[k]!, d]);
  const bc = lax.broadcastInDim(
    b,
    target,
    target.map((_, k) => k),
  );
  return lax.reshape(
    bc,
    aShape.map((d, k) => d * r[k]!),
  );
}

/** `jnp.repeat(a, repeats, axis=None)`: an int, or a concrete array of per-element counts. */
export function repeat(
  x: ArrayLike,
  repeats: number | ArrayLike,
  axis: number | null = null,
  totalRepeatLength?: number,
): Array {
  let a = asarray(x);
  if (axis === null) {
    a = lax.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  if (typeof repeats === "number") {
    if (!Number.isInteger(repeats) || repeats < 0)
      throw new ValueError(`repeat: repeats must be a non-negative integer, got ${repeats}`);
    const shape = [...a.shape.slice(0, ax + 1), repeats, ...a.shape.slice(ax + 1)];
    const dims = a.shape.map((_, k) => (k <= ax ? k : k + 1));
    const b = lax.broadcastInDim(a, shape, dims);
    const out = a.shape.map((d, k) => (k === ax ? d * repeats : d));
    return lax.reshape(b, out);
  }
  const r = repeats instanceof Array ? repeats : asarray(repeats);
  if (!isConcreteArray(r)) {
    throw new NotImplementedError(
      "jnp.repeat with traced (non-concrete) repeats is not supported in jaxts yet; pass an int or a concrete array of repeats.",
    );
  }
  const counts = Array_from(r.toTypedArray()).map(Number);
  const n = a.shape[ax]!;
  const per = counts.length === 1 ? Array_fill(n, counts[0]!) : counts;
  if (per.length !== n)
    throw new ValueError(`repeat: repeats has ${per.length} entries for an axis of size ${n}`);
  const src: number[] = [];
  per.forEach((c, i) => {
    for (let j = 0; j < c; j++) src.push(i);
  });
  if (totalRepeatLength !== undefined) {
    while (src.length < totalRepeatLength) src.push(n - 1);
    src.length = totalRepeatLength;
  }
  return take(a, asarray(Int32Array.from(src)), ax, { mode: "promise_in_bounds" });
}

/** `jnp.roll(a, shift, axis=None)`: static shifts slice and concatenate; traced shifts dynamic_slice. */
export function roll(
  x: ArrayLike,
  shift: number | readonly number[] | Array,
  axis: number | readonly number[] | null = null,
): Array {
  const a0 = asarray(x);
  if (axis === null) return lax.reshape(roll(lax.reshape(a0, [a0.size]), shift, 0), a0.shape);
  const axes = (typeof axis === "number" ? [axis] : [...axis]).map((d) =>
    normalizeAxis(d, a0.ndim),
  );
  if (shift instanceof Array) {
    if (shift.ndim !== 0 || axes.length !== 1)
      throw new ValueError("roll with an array shift supports a scalar shift and one axis");
    const ax = axes[0]!;
    const n = a0.shape[ax]!;
    if (n === 0) return a0;
    const both = lax.concatenate([a0, a0], ax);
    const s = lax.convertElementType(shift, int32);
    const nc = lax.scalarConstantOf(n, int32);
    const start = lax.rem(lax.add(lax.rem(lax.neg(s), nc), nc), nc);
    const zero = lax.scalarConstantOf(0, int32);
    return lax.dynamicSlice(
      both,
      a0.shape.map((_, k) => (k === ax ? start : zero)),
      a0.shape,
    );
  }
  const shifts = typeof shift === "number" ? [shift] : [...shift];
  const m = Math.max(shifts.length, axes.length);
  if (shifts.length !== m && shifts.length !== 1)
    throw new ValueError("roll: shift and axis must broadcast together");
  if (axes.length !== m && axes.length !== 1)
    throw new ValueError("roll: shift and axis must broadcast together");
  let a = a0;
  for (let k = 0; k < m; k++) {
    const ax = axes[axes.length === 1 ? 0 : k]!;
    const s = shifts[shifts.length === 1 ? 0 : k]!;
    const n = a.shape[ax]!;
    if (n === 0) continue;
    const i = ((-s % n) + n) % n;
    if (i === 0) continue;
    a = lax.concatenate([sliceAlong(a, ax, i, n), sliceAlong(a, ax, 0, i)], ax);
  }
  return a;
}

function Array_range(n: number): number[] {
  return globalThis.Array.from({ length: Math.max(0, n) }, (_, i) => i);
}
function Array_fill(n: number, v: number): number[] {
  return globalThis.Array.from({ length: Math.max(0, n) }, () => v);
}
function Array_from(t: ArrayLike & { length: number }): unknown[] {
  return globalThis.Array.from(t as unknown as globalThis.ArrayLike<unknown>);
}
