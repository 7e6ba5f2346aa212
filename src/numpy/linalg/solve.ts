/**
 * jnp.linalg's factorization-based functions: cholesky, solve, inv, det, slogdet,
 * matrix_power, tensorinv, tensorsolve (over lax.linalg's cholesky / lu / triangular_solve).
 */
import { int32 } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { broadcastShapes, shapeStr } from "../../core/shape.js";
import * as lax from "../../primitives/index.js";
import * as L from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import { takeAlong } from "../../primitives/sort.js";
import { asarray, promoteArgsInexact } from "../coerce.js";

/** Broadcast the leading dims of `x` to `batch` (its trailing `core` dims kept). */
export function broadcastBatch(x: Array, batch: readonly number[], core: number): Array {
  const own = x.shape.slice(0, x.ndim - core);
  if (own.length === batch.length && own.every((d, i) => d === batch[i])) return x;
  const shape = [...batch, ...x.shape.slice(x.ndim - core)];
  return lax.broadcastInDim(
    x,
    shape,
    x.shape.map((_, i) => i + shape.length - x.ndim),
  );
}

/** `jnp.linalg.cholesky(a, upper=False, symmetrize_input=True)`. */
export function cholesky(
  a: ArrayLike,
  opts: { upper?: boolean; symmetrizeInput?: boolean } = {},
): Array {
  const [x] = promoteArgsInexact(a) as [Array];
  const l = L.cholesky(x, opts.symmetrizeInput ?? true);
  return opts.upper ? L.matrixT(l) : l;
}

/**
 * Solve lu·x = b[perm] for a batch of factored square matrices (lu [..., m, m], perm
 * [..., m], b [..., m, k], equal batch dims): with trans, solve aᵀ·x = b instead.
 */
export function luSolveMatrix(lu: Array, perm: Array, b: Array, trans = false): Array {
  const nd = b.ndim;
  const rowsOf = (p: Array, like: Array): Array =>
    lax.broadcastInDim(p, like.shape, [...p.shape.slice(0, -1).map((_, i) => i), nd - 2]);
  if (!trans) {
    let x = takeAlong(b, rowsOf(perm, b), nd - 2);
    x = L.triangularSolve(lu, x, { leftSide: true, lower: true, unitDiagonal: true });
    return L.triangularSolve(lu, x, { leftSide: true, lower: false });
  }
  let x = L.triangularSolve(lu, b, { leftSide: true, lower: false, transposeA: true });
  x = L.triangularSolve(lu, x, {
    leftSide: true,
    lower: true,
    unitDiagonal: true,
    transposeA: true,
  });
  // Undo the row permutation: x[perm[i]] = y[i].
  const inv = invertPermutation(perm);
  return takeAlong(x, rowsOf(inv, x), nd - 2);
}

/** The inverse of a batch of permutations (int32 [..., m]). */
export function invertPermutation(perm: Array): Array {
  const iota = lax.iota(int32, perm.shape, perm.ndim - 1);
  const [, inv] = lax.sort([perm, iota], -1, true, 1);
  return inv!;
}

/** `jnp.linalg.solve(a, b)`: b is a vector ((m,m),(m)->(m)) only when it is 1-d. */
export function solve(a: ArrayLike, b: ArrayLike): Array {
  const [x, y] = promoteArgsInexact(a, b) as [Array, Array];
  if (x.ndim < 2)
    throw new ValueError(
      `left hand array must be at least two dimensional; got a.shape=${shapeStr(x.shape)}`,
    );
  const m = x.shape[x.ndim - 1]!;
  if (y.ndim > 1 && x.ndim === y.ndim + 1 && m === y.shape[y.ndim - 1] && m !== y.shape[y.ndim - 2])
    throw new ValueError(
      `Invalid shapes for solve: ${shapeStr(x.shape)}, ${shapeStr(y.shape)}. Prior to JAX ` +
        `v0.5.0, this would have been treated as a batched 1-dimensional solve. To recover ` +
        `this behavior, use solve(a, b[..., None]).squeeze(-1).`,
    );
  const vec = y.ndim === 1;
  const bm = vec ? lax.reshape(y, [m, 1]) : y;
  if (x.shape[x.ndim - 2] !== m || bm.shape[bm.ndim - 2] !== m)
    throw new ValueError(
      `The arguments to solve must have shapes a=[..., m, m] and b=[..., m, k] or ` +
        `b=[..., m]; got a=${shapeStr(x.shape)} and b=${shapeStr(y.shape)}`,
    );
  const batch = broadcastShapes(x.shape.slice(0, -2), bm.shape.slice(0, -2));
  if (!batch)
    throw new ValueError(
      `solve: batch dimensions of a=${shapeStr(x.shape)} and b=${shapeStr(y.shape)} do not broadcast`,
    );
  const ab = broadcastBatch(x, batch, 2);
  const bb = broadcastBatch(bm, batch, 2);
  const [lu, , perm] = L.lu(ab);
  const out = luSolveMatrix(lu, perm, bb);
  return vec ? lax.reshape(out, [...batch, m]) : out;
}

function checkSquare(x: Array, what: string): void {
  if (x.ndim < 2 || x.shape[x.ndim - 1] !== x.shape[x.ndim - 2])
    throw new ValueError(
      `Argument to ${what} must have shape [..., n, n], got ${shapeStr(x.shape)}.`,
    );
}

/** `jnp.linalg.inv(a)`: solve(a, I). */
export function inv(a: ArrayLike): Array {
  const x = asarray(a);
  checkSquare(x, "inv");
  const n = x.shape[x.ndim - 1]!;
  const [xf] = promoteArgsInexact(x) as [Array];
  const eye = broadcastBatch(L.eye(n, xf.dtype), x.shape.slice(0, -2), 2);
  return solve(xf, eye);
}

/** `jnp.linalg.matrix_power(a, n)` by repeated squaring (negative n inverts first). */
export function matrixPower(a: ArrayLike, n: number): Array {
  let x = asarray(a);
  if (x.ndim < 2)
    throw new TypeError(
      `${x.ndim}-dimensional array given. Array must be at least two-dimensional`,
    );
  if (x.shape[x.ndim - 2] !== x.shape[x.ndim - 1])
    throw new TypeError("Last 2 dimensions of the array must be square");
  if (!Number.isInteger(n)) throw new TypeError(`exponent must be an integer, got ${n}`);
  const mm = (u: Array, v: Array): Array => L.batchMatmul(u, v);
  if (n === 0) return broadcastBatch(L.eye(x.shape[x.ndim - 1]!, x.dtype), x.shape.slice(0, -2), 2);
  if (n < 0) {
    x = inv(x);
    n = -n;
  }
  if (n === 1) return x;
  if (n === 2) return mm(x, x);
  if (n === 3) return mm(mm(x, x), x);
  let z: Array | null = null;
  let result: Array | null = null;
  while (n > 0) {
    z = z === null ? x : mm(z, z);
    const bit = n % 2;
    n = Math.floor(n / 2);
    if (bit) result = result === null ? z : mm(result, z);
  }
  return result!;
}

/** `jnp.linalg.tensorinv(a, ind=2)`. */
export function tensorinv(a: ArrayLike, ind = 2): Array {
  const x = asarray(a);
  if (!(Number.isInteger(ind) && ind > 0))
    throw new ValueError(`ind must be a positive integer; got ind=${ind}`);
  const contracting = x.shape.slice(0, ind);
  const rest = x.shape.slice(ind);
  const p = (s: readonly number[]): number => s.reduce((u, v) => u * v, 1);
  if (p(contracting) !== p(rest))
    throw new ValueError(
      "tensorinv is only possible when the product of the first `ind` dimensions equals that " +
        `of the remaining dimensions. got arr.shape=${shapeStr(x.shape)} with ind=${ind}.`,
    );
  return lax.reshape(inv(lax.reshape(x, [p(contracting), p(rest)])), [...rest, ...contracting]);
}

/** `jnp.linalg.tensorsolve(a, b, axes=None)`. */
export function tensorsolve(
  a: ArrayLike,
  b: ArrayLike,
  axes: readonly number[] | null = null,
): Array {
  let x = asarray(a);
  const y = asarray(b);
  if (axes !== null) {
    const nd = x.ndim;
    const src = axes.map((d) => (d < 0 ? d + nd : d));
    const others = x.shape.map((_, i) => i).filter((i) => !src.includes(i));
    x = lax.transpose(x, [...others, ...src]);
  }
  const outShape = x.shape.slice(y.ndim);
  const lead = x.shape.slice(0, y.ndim);
  if (lead.length !== y.ndim || lead.some((d, i) => d !== y.shape[i]))
    throw new ValueError(
      "After moving axes to end, leading shape of a must match shape of b. got " +
        `a.shape=${shapeStr(x.shape)}, b.shape=${shapeStr(y.shape)}`,
    );
  const outSize = outShape.reduce((u, v) => u * v, 1);
  if (y.size !== outSize)
    throw new ValueError(
      "Input arrays must have prod(a.shape[:b.ndim]) == prod(a.shape[b.ndim:]); got " +
        `a.shape=${shapeStr(x.shape)}, b.ndim=${y.ndim}.`,
    );
  return lax.reshape(solve(lax.reshape(x, [y.size, outSize]), lax.reshape(y, [y.size])), outShape);
}
