/**
 * Shared pieces of the linear-algebra primitives: JAX's shape and dtype checks for batched
 * matrix operands (`linalg_shape_rule`, `naryop_dtype_rule`), and the matrix helpers their
 * rules are written with (tril/triu masks, batched matmul, matrix transpose, batch dims moved
 * to the front).
 */
import type { ShapedArray } from "../../core/aval.js";
import { type DType, bool, int32 } from "../../core/dtype.js";
import { NotImplementedError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import type { Array } from "../../trace/array.js";
import { fullLike, scalarConstantOf } from "../constants.js";
import { bind1 } from "../../trace/trace.js";
import { convertElementType, convertElementTypeP } from "../convert.js";
import { dotGeneral } from "../dot.js";
import { add, eq, ge } from "../elementwise/functions.js";
import { selectN } from "../select.js";
import { batchAtFront, broadcastInDim } from "../shape/broadcast.js";
import { iota } from "../shape/iota.js";
import { transpose } from "../shape/transpose.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/**
 * JAX's `linalg_shape_rule` checks: each operand has at least its rank, all have the same
 * number of batch dims. Returns each operand's trailing (core) dims and the batch shape.
 */
export function splitBatch(
  name: string,
  avals: readonly ShapedArray[],
  ranks: readonly number[],
): { batch: number[]; core: number[][] } {
  const batches: number[][] = [];
  const core: number[][] = [];
  avals.forEach((a, i) => {
    const rank = ranks[i]!;
    if (a.shape.length < rank)
      throw new TypeError(
        `Input ${i} to ${name} must have rank at least ${rank}, but got shape=${shapeStr(a.shape)}`,
      );
    batches.push(a.shape.slice(0, a.shape.length - rank));
    core.push(a.shape.slice(a.shape.length - rank));
  });
  if (!batches.every((b) => b.length === batches[0]!.length))
    throw new TypeError(
      `All inputs to ${name} must have the same number of batch dimensions, but got ` +
        `[${batches.map((b) => b.length).join(", ")}] batch dimensions for the inputs.`,
    );
  if (!batches.every((b) => b.every((d, k) => d === batches[0]![k])))
    throw new TypeError(
      `All inputs to ${name} must have the same batch dimensions, but got ` +
        `${batches.map((b) => shapeStr(b)).join(" and ")}.`,
    );
  return { batch: batches[0]!, core };
}

/** JAX's dtype check for inexact operands (complex types are not supported here). */
export function checkFloat(name: string, avals: readonly ShapedArray[]): DType {
  avals.forEach((a, i) => {
    if (!a.dtype.isFloat)
      throw new TypeError(
        `${name} does not accept dtype ${a.dtype.name} at position ${i}. Accepted dtypes at ` +
          `position ${i} are subtypes of floating, complexfloating.`,
      );
  });
  const half = avals.find((a) => a.dtype.name !== "float32" && a.dtype.name !== "float64");
  if (half)
    throw new NotImplementedError(
      `${name} is implemented for float32 and float64 only, got ${half.dtype.name}`,
    );
  if (!avals.every((a) => a.dtype === avals[0]!.dtype))
    throw new TypeError(
      `${name} requires arguments to have the same dtypes, got ` +
        `${avals.map((a) => a.dtype.name).join(", ")}.`,
    );
  return avals[0]!.dtype;
}

/** Number of matrices in a batch shape. */
export const batchSize = (batch: readonly number[]): number => batch.reduce((a, b) => a * b, 1);

/** JAX's `lax._tri(bool, (n, m), k)`: true where row + k ≥ column. */
function triMask(n: number, m: number, k: number): Array {
  const rows = add(iota(int32, [n, m], 0), scalarConstantOf(k, int32));
  // JAX binds the conversion even though the comparison is already bool.
  return bind1(convertElementTypeP, [ge(rows, iota(int32, [n, m], 1))], {
    new_dtype: bool,
    weak_type: false,
  });
}

function batchedMask(x: Array, k: number): Array {
  const [n, m] = x.shape.slice(-2) as [number, number];
  const mask = triMask(n, m, k);
  // lax.broadcast with no new dims is the operand itself.
  return x.ndim === 2 ? mask : broadcastInDim(mask, x.shape, [x.ndim - 2, x.ndim - 1]);
}

/** Lower triangle (on and below the k-th diagonal) of the trailing matrices, zeros elsewhere. */
export function tril(x: Array, k = 0): Array {
  return selectN(batchedMask(x, k), fullLike(x, 0), x);
}

/** Upper triangle (on and above the k-th diagonal), zeros elsewhere. */
export function triu(x: Array, k = 0): Array {
  return selectN(batchedMask(x, k - 1), x, fullLike(x, 0));
}

/** Swap the last two axes. */
export function matrixT(x: Array): Array {
  const nd = x.ndim;
  return transpose(x, [...range(nd - 2), nd - 1, nd - 2]);
}

/** Batched matrix product over equal leading dims (lax.batch_matmul). */
export function batchMatmul(a: Array, b: Array): Array {
  const nb = a.ndim - 2;
  const batch = range(nb);
  return dotGeneral(a, b, [
    [[nb + 1], [nb]],
    [batch, batch],
  ]);
}

/** The n×n identity in `dtype` (lax._eye). */
export function eye(n: number, dtype: DType): Array {
  return convertElementType(eq(iota(int32, [n, n], 0), iota(int32, [n, n], 1)), dtype);
}

/**
 * Operands for a natively batched primitive under vmap: batched ones get their batch dim in
 * front, unbatched ones are broadcast along a new leading dim of `size`.
 */
export function batchToFront(
  args: readonly Array[],
  dims: readonly (number | null)[],
  size: number,
): Array[] {
  return args.map((a, i) =>
    dims[i] === null
      ? broadcastInDim(
          a,
          [size, ...a.shape],
          a.shape.map((_, k) => k + 1),
        )
      : batchAtFront(a, dims[i]!),
  );
}
