/** jax.numpy diagonal, trace, tril, triu. */
import { ValueError } from "../core/errors.js";
import { type DTypeLike, int32 } from "../core/dtype.js";
import { normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { advancedGet } from "./advanced-indexing.js";
import { sum } from "./reductions.js";

/** `jnp.diagonal(a, offset=0, axis1=0, axis2=1)`: the diagonal becomes the last axis. */
export function diagonal(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): Array {
  const a = asarray(x);
  if (a.ndim < 2) throw new ValueError("diagonal requires an array of at least two dimensions.");
  const a1 = normalizeAxis(axis1, a.ndim);
  const a2 = normalizeAxis(axis2, a.ndim);
  if (a1 === a2) throw new ValueError("axis1 and axis2 cannot be the same");
  const perm = [...a.shape.keys()].filter((k) => k !== a1 && k !== a2).concat([a1, a2]);
  const t = lax.transpose(a, perm);
  const n = a.shape[a1]!;
  const m = a.shape[a2]!;
  const size = Math.max(0, Math.min(n + Math.min(offset, 0), m - Math.max(offset, 0)));
  const lead = t.shape.slice(0, -2);
  if (size === 0) return lax.full([...lead, 0], 0, a.dtype);
  const rows = lax.iota(int32, [size], 0);
  const r = offset < 0 ? lax.add(rows, lax.scalarConstantOf(-offset, int32)) : rows;
  const c = offset > 0 ? lax.add(rows, lax.scalarConstantOf(offset, int32)) : rows;
  return advancedGet(t, [
    { kind: "ellipsis" },
    { kind: "array", value: r },
    { kind: "array", value: c },
  ]);
}

/** `jnp.trace(a, offset=0, axis1=0, axis2=1, dtype=None)`. */
export function trace(
  x: ArrayLike,
  offset = 0,
  axis1 = 0,
  axis2 = 1,
  dtype?: DTypeLike | null,
): Array {
  return sum(diagonal(x, offset, axis1, axis2), { axis: -1, dtype: dtype ?? null });
}

/** Mask of (row + k >= col) over the last two dims of `shape`. */
function lowerMask(shape: readonly number[], k: number): Array {
  const nd = shape.length;
  const two = shape.slice(-2);
  const r = lax.iota(int32, two, 0);
  const c = lax.iota(int32, two, 1);
  const m = lax.ge(lax.add(r, lax.scalarConstantOf(k, int32)), c);
  return nd === 2 ? m : lax.broadcastInDim(m, shape, [nd - 2, nd - 1]);
}

/** `jnp.tril(m, k=0)`: zeros above the k-th diagonal. */
export function tril(x: ArrayLike, k = 0): Array {
  const a = asarray(x);
  if (a.ndim < 2) throw new ValueError("tril requires an array of at least two dimensions.");
  return lax.selectN(lowerMask(a.shape, k), lax.fullLike(a, 0), a);
}

/** `jnp.triu(m, k=0)`: zeros below the k-th diagonal. */
export function triu(x: ArrayLike, k = 0): Array {
  const a = asarray(x);
  if (a.ndim < 2) throw new ValueError("triu requires an array of at least two dimensions.");
  return lax.selectN(lowerMask(a.shape, k - 1), a, lax.fullLike(a, 0));
}
