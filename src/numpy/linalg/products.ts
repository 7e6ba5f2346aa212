/**
 * jnp.linalg's array-API products and views: matmul, tensordot, vecdot, outer, cross,
 * multi_dot, matrix_transpose, diagonal, trace.
 */
import type { DTypeLike } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { broadcastShapes, normalizeAxis, shapeStr } from "../../core/shape.js";
import * as lax from "../../primitives/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import { asarray, promoteArgs } from "../coerce.js";
import * as D from "../diagonal.js";
import * as P from "../products.js";
import { moveaxis } from "../shape.js";
import { broadcastBatch } from "./solve.js";

/** `jnp.linalg.matmul(x1, x2)`. */
export function matmul(x1: ArrayLike, x2: ArrayLike): Array {
  return P.matmul(x1, x2);
}

/** `jnp.linalg.tensordot(x1, x2, axes=2)`. */
export function tensordot(
  x1: ArrayLike,
  x2: ArrayLike,
  axes: number | [readonly number[], readonly number[]] = 2,
): Array {
  return P.tensordot(x1, x2, axes);
}

/** `jnp.linalg.outer(x1, x2)`: both one-dimensional. */
export function outer(x1: ArrayLike, x2: ArrayLike): Array {
  const a = asarray(x1);
  const b = asarray(x2);
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new ValueError(
      `Input arrays must be one-dimensional, but they are x1.ndim=${a.ndim} and x2.ndim=${b.ndim}`,
    );
  return P.outer(a, b);
}

/** `jnp.linalg.matrix_transpose(x)`: swap the last two axes. */
export function matrixTranspose(x: ArrayLike): Array {
  const a = asarray(x);
  if (a.ndim < 2)
    throw new ValueError(
      `x must be at least two-dimensional for matrix_transpose; got ndim=${a.ndim}`,
    );
  const perm = a.shape.map((_, i) => i);
  perm[a.ndim - 2] = a.ndim - 1;
  perm[a.ndim - 1] = a.ndim - 2;
  return lax.transpose(a, perm);
}

/** `jnp.linalg.diagonal(x, offset=0)`: diagonals of the trailing matrices. */
export function diagonal(x: ArrayLike, opts: { offset?: number } = {}): Array {
  return D.diagonal(x, opts.offset ?? 0, -2, -1);
}

/** `jnp.linalg.trace(x, offset=0, dtype=None)`: traces of the trailing matrices. */
export function trace(
  x: ArrayLike,
  opts: { offset?: number; dtype?: DTypeLike | null } = {},
): Array {
  return D.trace(x, opts.offset ?? 0, -2, -1, opts.dtype ?? null);
}

/** Both operands broadcast against each other. */
function broadcastPair(a: Array, b: Array): [Array, Array] {
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape)
    throw new ValueError(
      `Incompatible shapes for broadcasting: shapes=[${shapeStr(a.shape)}, ${shapeStr(b.shape)}]`,
    );
  return [broadcastBatch(a, shape, 0), broadcastBatch(b, shape, 0)];
}

/** `jnp.linalg.vecdot(x1, x2, axis=-1)`: Σ conj(x1)·x2 along `axis` (broadcasting). */
export function vecdot(x1: ArrayLike, x2: ArrayLike, opts: { axis?: number } = {}): Array {
  const [a0, b0] = promoteArgs(x1, x2) as [Array, Array];
  const [a, b] = broadcastPair(a0, b0);
  const axis = normalizeAxis(opts.axis ?? -1, a.ndim);
  return lax.reduceSum(lax.mul(a, b), [axis]);
}

/** `jnp.linalg.cross(x1, x2, axis=-1)`: cross products of 3-vectors along `axis`. */
export function cross(x1: ArrayLike, x2: ArrayLike, opts: { axis?: number } = {}): Array {
  const [a0, b0] = promoteArgs(x1, x2) as [Array, Array];
  const axisArg = opts.axis ?? -1;
  const da = a0.shape[normalizeAxis(axisArg, a0.ndim)];
  const db = b0.shape[normalizeAxis(axisArg, b0.ndim)];
  if (da !== 3 || db !== 3)
    throw new ValueError(
      "Both input arrays must be (arrays of) 3-dimensional vectors, but they have " +
        `x1.shape[axis]=${da} and x2.shape[axis]=${db}`,
    );
  const a = moveaxis(a0, axisArg, -1);
  const b = moveaxis(b0, axisArg, -1);
  const [u, v] = broadcastPair(a, b);
  const nd = u.ndim;
  const comp = (t: Array, i: number): Array =>
    lax.slice(
      t,
      t.shape.map((_, k) => (k === nd - 1 ? i : 0)),
      t.shape.map((d, k) => (k === nd - 1 ? i + 1 : d)),
    );
  const c = (i: number, j: number): Array =>
    lax.sub(lax.mul(comp(u, i), comp(v, j)), lax.mul(comp(u, j), comp(v, i)));
  const out = lax.concatenate([c(1, 2), c(2, 0), c(0, 1)], nd - 1);
  return moveaxis(out, -1, axisArg);
}

/**
 * `jnp.linalg.multi_dot(arrays)`: a chain of matrix products in the cheapest order (the
 * classic dynamic program over flop counts); a 1-d first (last) array is a row (column).
 */
export function multiDot(arrays: readonly ArrayLike[]): Array {
  if (arrays.length < 2)
    throw new ValueError(
      `multi_dot requires at least two arrays; got len(arrays)=${arrays.length}`,
    );
  const xs = promoteArgs(...arrays);
  const first = xs[0]!;
  const last = xs[xs.length - 1]!;
  const ms = xs.map((x, i) => {
    if (i === 0 && x.ndim === 1) return lax.reshape(x, [1, x.shape[0]!]);
    if (i === xs.length - 1 && x.ndim === 1) return lax.reshape(x, [x.shape[0]!, 1]);
    if (x.ndim !== 2)
      throw new ValueError(
        `multi_dot: array ${i} must be two-dimensional (the first and last may be 1-d), got shape ${shapeStr(x.shape)}`,
      );
    return x;
  });
  const n = ms.length;
  const dims = [ms[0]!.shape[0]!, ...ms.map((m) => m.shape[1]!)];
  const cost: number[][] = ms.map(() => ms.map(() => 0));
  const split: number[][] = ms.map(() => ms.map(() => 0));
  for (let len = 1; len < n; len++)
    for (let i = 0; i + len < n; i++) {
      const j = i + len;
      cost[i]![j] = Infinity;
      for (let k = i; k < j; k++) {
        const c = cost[i]![k]! + cost[k + 1]![j]! + dims[i]! * dims[k + 1]! * dims[j + 1]!;
        if (c < cost[i]![j]!) {
          cost[i]![j] = c;
          split[i]![j] = k;
        }
      }
    }
  const chain = (i: number, j: number): Array =>
    i === j ? ms[i]! : P.matmul(chain(i, split[i]![j]!), chain(split[i]![j]! + 1, j));
  let out = chain(0, n - 1);
  const shape = [
    ...(first.ndim === 1 ? [] : [out.shape[0]!]),
    ...(last.ndim === 1 ? [] : [out.shape[1]!]),
  ];
  if (shape.length !== 2) out = lax.reshape(out, shape);
  return out;
}
