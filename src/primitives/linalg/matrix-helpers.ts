/**
 * Batched-matrix helpers of the qr/eigh/svd rules (JAX's `_extract_diagonal`,
 * `_construct_diagonal`, `s[..., None, :]`, identity broadcasts, column slices), each over
 * leading batch dims.
 */
import type { DType } from "../../core/dtype.js";
import type { Array } from "../../trace/array.js";
import { reduceSum } from "../reduce-sum.js";
import { mul } from "../elementwise/functions.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { slice } from "../shape/slice-pad.js";
import { eye } from "./common.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** The n×n identity broadcast over `batch`. */
export function batchEye(n: number, dtype: DType, batch: readonly number[]): Array {
  const e = eye(n, dtype);
  const b = batch.length;
  return b === 0 ? e : broadcastInDim(e, [...batch, n, n], [b, b + 1]);
}

/** The diagonal of the trailing square matrices: [..., n, n] → [..., n]. */
export function diagonalOf(x: Array): Array {
  const n = x.shape[x.ndim - 1]!;
  return reduceSum(mul(x, batchEye(n, x.dtype, x.shape.slice(0, -2))), [x.ndim - 1]);
}

/** [..., k] → [..., rows, k]: `s[..., None, :]` broadcast down `rows` rows. */
export function asRows(s: Array, rows: number): Array {
  const b = s.ndim - 1;
  return broadcastInDim(s, [...s.shape.slice(0, -1), rows, s.shape[b]!], [...range(b), b + 1]);
}

/** [..., k] → [..., k, cols]: `s[..., :, None]` broadcast along `cols` columns. */
export function asCols(s: Array, cols: number): Array {
  const b = s.ndim - 1;
  return broadcastInDim(s, [...s.shape.slice(0, -1), s.shape[b]!, cols], [...range(b), b]);
}

/** The diagonal matrices of a batch of vectors: [..., n] → [..., n, n]. */
export function diagonalMatrix(s: Array): Array {
  const n = s.shape[s.ndim - 1]!;
  return mul(asRows(s, n), batchEye(n, s.dtype, s.shape.slice(0, -1)));
}

/** x[..., r0:r1, c0:c1] of the trailing matrices. */
export function block(x: Array, r0: number, r1: number, c0: number, c1: number): Array {
  const batch = x.shape.slice(0, -2);
  return slice(x, [...batch.map(() => 0), r0, c0], [...batch, r1, c1]);
}
