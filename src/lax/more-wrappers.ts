/**
 * lax's convenience functions that JAX builds from other primitives (jax/_src/lax/lax.py and
 * slicing.py): broadcast, broadcast_shapes, broadcast_to_rank, collapse, the *_in_dim slicing
 * helpers, full_like, reciprocal, dot, batch_matmul, sort_key_val, tile, stack, unstack, and
 * the Precision / RoundingMethod enums.
 */
import { type DTypeLike, canonicalize, toDType } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { broadcastShapes as broadcastShapesOf, normalizeAxis } from "../core/shape.js";
import type { Array } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { type Operand, operand } from "./operands.js";
import {
  broadcastInDim,
  dynamicSlice,
  dynamicUpdateSlice,
  reshape,
  slice,
  squeeze,
} from "./shape.js";
import { dotGeneral, integerPow, sort } from "./wrappers.js";

const range = (a: number, b: number): number[] =>
  globalThis.Array.from({ length: b - a }, (_, i) => a + i);

/** Leading dimensions `sizes` added by broadcasting (`lax.broadcast(operand, sizes)`). */
export function broadcast(x: Operand, sizes: readonly number[]): Array {
  const a = operand("broadcast", x);
  if (sizes.length === 0) return a;
  return broadcastInDim(a, [...sizes, ...a.shape], range(sizes.length, sizes.length + a.ndim));
}

/** The broadcast shape of shapes (`lax.broadcast_shapes(*shapes)`). */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const out = broadcastShapesOf(...shapes);
  if (!out)
    throw new ValueError(
      `Incompatible shapes for broadcasting: shapes=[${shapes.map((s) => `(${s.join(", ")})`).join(", ")}]`,
    );
  return out;
}

/** Leading size-1 dimensions up to `rank` (`lax.broadcast_to_rank(x, rank)`). */
export function broadcastToRank(x: Operand, rank: number): Array {
  const a = operand("broadcast_to_rank", x);
  if (a.ndim === rank) return a;
  if (a.ndim > rank)
    throw new ValueError(`broadcast_to_rank: rank ${rank} is below the operand's ${a.ndim}`);
  return broadcast(a, new globalThis.Array<number>(rank - a.ndim).fill(1));
}

/** Merge dimensions [start, stop) into one (`lax.collapse(operand, start, stop=None)`). */
export function collapse(
  x: Operand,
  startDimension: number,
  stopDimension: number | null = null,
): Array {
  const a = operand("collapse", x);
  const lo = normalizeAxis(startDimension, a.ndim);
  const hi =
    stopDimension === null ? a.ndim : stopDimension < 0 ? stopDimension + a.ndim : stopDimension;
  if (hi < lo || hi > a.ndim)
    throw new ValueError(`collapse: invalid dimensions [${startDimension}, ${stopDimension})`);
  const size = a.shape.slice(lo, hi).reduce((p, d) => p * d, 1);
  return reshape(a, [...a.shape.slice(0, lo), size, ...a.shape.slice(hi)]);
}

/** A strided slice along one axis (`lax.slice_in_dim(operand, start, limit, stride=1, axis=0)`). */
export function sliceInDim(
  x: Operand,
  startIndex: number | null,
  limitIndex: number | null,
  stride = 1,
  axis = 0,
): Array {
  const a = operand("slice_in_dim", x);
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  const norm = (i: number | null, d: number): number => (i === null ? d : i < 0 ? i + n : i);
  const start = a.shape.map(() => 0);
  const limit = [...a.shape];
  const strides = a.shape.map(() => 1);
  start[ax] = norm(startIndex, 0);
  limit[ax] = norm(limitIndex, n);
  strides[ax] = stride;
  return slice(a, start, limit, strides);
}

/** One index along an axis, kept as a size-1 dimension by default (`lax.index_in_dim`). */
export function indexInDim(x: Operand, index: number, axis = 0, keepdims = true): Array {
  const a = operand("index_in_dim", x);
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  const i = index < 0 ? index + n : index;
  if (i < 0 || i >= n)
    throw new ValueError(`index ${index} is out of bounds for axis ${ax} with size ${n}`);
  const r = sliceInDim(a, i, i + 1, 1, ax);
  return keepdims ? r : squeeze(r, [ax]);
}

function startsAt(a: Array, axis: number, index: Operand): Operand[] {
  const idx = typeof index === "number" ? index : operand("dynamic_slice_in_dim", index);
  const zero = typeof idx === "number" ? 0 : P.scalarConstantOf(0, (idx as Array).dtype);
  return a.shape.map((_, k) => (k === axis ? idx : zero)) as Operand[];
}

/** A dynamic slice along one axis (`lax.dynamic_slice_in_dim(operand, start, size, axis=0)`). */
export function dynamicSliceInDim(
  x: Operand,
  startIndex: Operand,
  sliceSize: number,
  axis = 0,
): Array {
  const a = operand("dynamic_slice_in_dim", x);
  const ax = normalizeAxis(axis, a.ndim);
  return dynamicSlice(
    a,
    startsAt(a, ax, startIndex),
    a.shape.map((d, k) => (k === ax ? sliceSize : d)),
  );
}

/** A dynamic index along one axis (`lax.dynamic_index_in_dim(operand, index, axis=0, keepdims=True)`). */
export function dynamicIndexInDim(x: Operand, index: Operand, axis = 0, keepdims = true): Array {
  const a = operand("dynamic_index_in_dim", x);
  const ax = normalizeAxis(axis, a.ndim);
  const r = dynamicSliceInDim(a, index, 1, ax);
  return keepdims ? r : squeeze(r, [ax]);
}

/** A dynamic update along one axis (`lax.dynamic_update_slice_in_dim(operand, update, start, axis)`). */
export function dynamicUpdateSliceInDim(
  x: Operand,
  update: Operand,
  startIndex: Operand,
  axis: number,
): Array {
  const a = operand("dynamic_update_slice_in_dim", x);
  const ax = normalizeAxis(axis, a.ndim);
  return dynamicUpdateSlice(a, update, startsAt(a, ax, startIndex));
}

/** A dynamic update of one index along an axis (`lax.dynamic_update_index_in_dim`). */
export function dynamicUpdateIndexInDim(
  x: Operand,
  update: Operand,
  index: Operand,
  axis: number,
): Array {
  const a = operand("dynamic_update_index_in_dim", x);
  const ax = normalizeAxis(axis, a.ndim);
  let u = operand("dynamic_update_index_in_dim", update, "update");
  if (u.ndim === a.ndim - 1)
    u = P.broadcastInDim(
      u,
      a.shape.map((d, k) => (k === ax ? 1 : d)),
      range(0, a.ndim).filter((k) => k !== ax),
    );
  return dynamicUpdateSliceInDim(a, u, index, ax);
}

/** An array like `x` filled with a value (`lax.full_like(x, fill_value, dtype=None, shape=None)`). */
export function fullLike(
  x: Operand,
  fillValue: number | boolean,
  dtype: DTypeLike | null = null,
  shape: readonly number[] | null = null,
): Array {
  const a = operand("full_like", x);
  const d = dtype === null ? a.dtype : canonicalize(toDType(dtype));
  return P.full(shape ?? a.shape, fillValue as number, d);
}

/** `1 / x` as `integer_pow(x, -1)` (`lax.reciprocal`). */
export function reciprocal(x: Operand): Array {
  return integerPow(x, -1);
}

/** Vector/matrix products of 1-d and 2-d operands (`lax.dot(lhs, rhs, precision, preferred_element_type)`). */
export function dot(
  lhs: Operand,
  rhs: Operand,
  precision: null = null,
  preferredElementType: DTypeLike | null = null,
): Array {
  const a = operand("dot", lhs);
  const b = operand("dot", rhs);
  if (a.ndim < 1 || a.ndim > 2 || b.ndim < 1 || b.ndim > 2)
    throw new TypeError(
      `Incompatible shapes for dot: got (${a.shape.join(", ")}) and (${b.shape.join(", ")}).`,
    );
  return dotGeneral(
    a,
    b,
    [
      [[a.ndim - 1], [0]],
      [[], []],
    ],
    precision,
    preferredElementType,
  );
}

/** Batched matrix product over leading dimensions (`lax.batch_matmul(lhs, rhs)`). */
export function batchMatmul(lhs: Operand, rhs: Operand, precision: null = null): Array {
  const a = operand("batch_matmul", lhs);
  const b = operand("batch_matmul", rhs);
  if (a.ndim !== b.ndim || a.ndim < 2)
    throw new ValueError(
      `batch_matmul requires arguments of equal rank ≥ 2, got ${a.ndim} and ${b.ndim}`,
    );
  const batch = range(0, a.ndim - 2);
  return dotGeneral(
    a,
    b,
    [
      [[a.ndim - 1], [b.ndim - 2]],
      [batch, batch],
    ],
    precision,
  );
}

/** Sort keys and carry values along (`lax.sort_key_val(keys, values, dimension=-1, is_stable=True)`). */
export function sortKeyVal(
  keys: Operand,
  values: Operand,
  dimension = -1,
  isStable = true,
): [Array, Array] {
  const [k, v] = sort([keys, values], dimension, isStable, 1);
  return [k!, v!];
}

/** Repeat an array along each dimension (`lax.tile(operand, reps)`). */
export function tile(x: Operand, reps: readonly number[]): Array {
  let a = operand("tile", x);
  if (reps.length < a.ndim)
    reps = [...new globalThis.Array<number>(a.ndim - reps.length).fill(1), ...reps];
  a = broadcastToRank(a, reps.length);
  const shape = a.shape.flatMap((d, k) => [reps[k]!, d]);
  const b = broadcastInDim(
    a,
    shape,
    a.shape.map((_, k) => 2 * k + 1),
  );
  return reshape(
    b,
    a.shape.map((d, k) => d * reps[k]!),
  );
}

/** Join arrays along a new axis (`lax.stack(arrays, axis=0)`... as jnp.stack on lax operands). */
export function stack(xs: readonly Operand[], axis = 0): Array {
  const arrays = xs.map((x) => operand("stack", x));
  if (arrays.length === 0) throw new ValueError("Need at least one array to stack.");
  const ax = normalizeAxis(axis, arrays[0]!.ndim + 1);
  return P.concatenate(
    arrays.map((a) => reshape(a, [...a.shape.slice(0, ax), 1, ...a.shape.slice(ax)])),
    ax,
  );
}

/** The slices along an axis (`lax.unstack(x, axis=0)`). */
export function unstack(x: Operand, axis = 0): Array[] {
  const a = operand("unstack", x);
  const ax = normalizeAxis(axis, a.ndim);
  return range(0, a.shape[ax]!).map((i) => indexInDim(a, i, ax, false));
}

/** lax's precision settings (`lax.Precision`); the CPU devices compute at the highest always. */
export const Precision = Object.freeze({
  DEFAULT: "DEFAULT",
  HIGH: "HIGH",
  HIGHEST: "HIGHEST",
} as const);
/** `lax.round`'s rounding methods (`lax.RoundingMethod`). */
export const RoundingMethod = Object.freeze({ AWAY_FROM_ZERO: 0, TO_NEAREST_EVEN: 1 } as const);
