/**
 * jax.scipy.linalg's structured matrices: block_diag, toeplitz, hankel, circulant, companion.
 * The vector arguments may carry leading batch dims (JAX vectorizes these functions).
 */
import { int32 } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { broadcastShapes, shapeStr } from "../../core/shape.js";
import { advancedGet } from "../../numpy/advanced-indexing.js";
import { asarray, promoteArgs, promoteArgsInexact } from "../../numpy/coerce.js";
import { broadcastBatch } from "../../numpy/linalg/solve.js";
import * as lax from "../../primitives/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import { bind1 } from "../../trace/trace.js";

/** out[..., i, j] = v[..., idx[i, j]] for an int32 index matrix. */
function gatherMatrix(v: Array, idx: Array): Array {
  return advancedGet(v, [{ kind: "ellipsis" }, { kind: "array", value: idx }]);
}

/** Index matrix a·i + b·j + c over an m×n grid. */
function grid(m: number, n: number, a: number, b: number, c: number): Array {
  const i = lax.mul(lax.iota(int32, [m, n], 0), lax.scalarConstantOf(a, int32));
  const j = lax.mul(lax.iota(int32, [m, n], 1), lax.scalarConstantOf(b, int32));
  return lax.add(lax.add(i, j), lax.scalarConstantOf(c, int32));
}

const atLeast1d = (x: Array): Array => (x.ndim === 0 ? lax.reshape(x, [1]) : x);

/** Broadcast the batch dims of two vectors to a common one. */
function commonBatch(c: Array, r: Array): [Array, Array] {
  const batch = broadcastShapes(c.shape.slice(0, -1), r.shape.slice(0, -1));
  if (!batch)
    throw new ValueError(
      `Incompatible shapes for broadcasting: ${shapeStr(c.shape)} and ${shapeStr(r.shape)}`,
    );
  return [broadcastBatch(c, batch, 1), broadcastBatch(r, batch, 1)];
}

function lastSlice(x: Array, start: number, stop: number): Array {
  const nd = x.ndim;
  return lax.slice(
    x,
    x.shape.map((_, k) => (k === nd - 1 ? start : 0)),
    x.shape.map((d, k) => (k === nd - 1 ? stop : d)),
  );
}

/** `jax.scipy.linalg.toeplitz(c, r=None)`: T[i, j] = c[i − j] (i ≥ j), r[j − i] (j > i). */
export function toeplitz(c: ArrayLike, r: ArrayLike | null = null): Array {
  const [c1, r1] = promoteArgs(c, r ?? c) as [Array, Array];
  const [cc, rr] = commonBatch(atLeast1d(c1), atLeast1d(r1));
  const m = cc.shape[cc.ndim - 1]!;
  const n = rr.shape[rr.ndim - 1]!;
  if (m === 0 || n === 0) return lax.full([...cc.shape.slice(0, -1), m, n], 0, cc.dtype);
  const v = lax.concatenate(
    [bind1(lax.revP, [cc], { dimensions: [cc.ndim - 1] }), lastSlice(rr, 1, n)],
    cc.ndim - 1,
  );
  return gatherMatrix(v, grid(m, n, -1, 1, m - 1));
}

/** `jax.scipy.linalg.hankel(c, r=None)`: H[i, j] = v[i + j], v = [c, r[1:]]. */
export function hankel(c: ArrayLike, r: ArrayLike | null = null): Array {
  const ca = asarray(c);
  if (ca.ndim === 0)
    throw new ValueError("hankel: c must be at least 1-dimensional, got a scalar.");
  const [c1, r1] = promoteArgs(ca, r ?? lax.fullLike(ca, 0)) as [Array, Array];
  if (r1.ndim === 0)
    throw new ValueError("hankel: r must be at least 1-dimensional, got a scalar.");
  const [cc, rr] = commonBatch(c1, r1);
  const m = cc.shape[cc.ndim - 1]!;
  const n = rr.shape[rr.ndim - 1]!;
  if (m === 0 || n === 0) return lax.full([...cc.shape.slice(0, -1), m, n], 0, cc.dtype);
  const v = lax.concatenate([cc, lastSlice(rr, 1, n)], cc.ndim - 1);
  return gatherMatrix(v, grid(m, n, 1, 1, 0));
}

/** `jax.scipy.linalg.circulant(c)`: C[i, j] = c[(i − j) mod n]. */
export function circulant(c: ArrayLike): Array {
  const cc = atLeast1d(asarray(c));
  const n = cc.shape[cc.ndim - 1]!;
  if (n === 0) return lax.full([...cc.shape, 0], 0, cc.dtype);
  const idx = lax.rem(grid(n, n, 1, -1, n), lax.scalarConstantOf(n, int32));
  return gatherMatrix(cc, idx);
}

/** `jax.scipy.linalg.companion(a)`: first row −a[1:]/a[0], ones on the subdiagonal. */
export function companion(a: ArrayLike): Array {
  const [a0] = promoteArgsInexact(a) as [Array];
  const x = atLeast1d(a0);
  const n = x.shape[x.ndim - 1]!;
  if (n < 2)
    throw new ValueError(
      `The length of \`a\` along the last axis must be at least 2; got shape ${shapeStr(x.shape)}.`,
    );
  const m = n - 1;
  const nd = x.ndim;
  const batch = x.shape.slice(0, -1);
  const lead = lastSlice(x, 0, 1);
  const firstRow = lax.neg(
    lax.div(
      lastSlice(x, 1, n),
      lax.broadcastInDim(lead, [...batch, m], batch.map((_, i) => i).concat([nd - 1])),
    ),
  );
  const sub = lax.convertElementType(
    lax.eq(lax.iota(int32, [m, m], 0), grid(m, m, 0, 1, 1)),
    x.dtype,
  );
  const row0 = lax.eq(lax.iota(int32, [m, m], 0), lax.scalarConstantOf(0, int32));
  const firstB = lax.broadcastInDim(firstRow, [...batch, m, m], [...batch.map((_, i) => i), nd]);
  const rowB = lax.broadcastInDim(row0, [...batch, m, m], [nd - 1, nd]);
  return lax.selectN(rowB, broadcastBatch(sub, batch, 2), firstB);
}

/** `jax.scipy.linalg.block_diag(*arrs)`: the arrays (at most 2-d) along the diagonal. */
export function blockDiag(...arrs: ArrayLike[]): Array {
  const xs = (arrs.length === 0 ? [lax.full([1, 0], 0, lax.int32)] : promoteArgs(...arrs)).map(
    (a) =>
      a.ndim === 0 ? lax.reshape(a, [1, 1]) : a.ndim === 1 ? lax.reshape(a, [1, a.shape[0]!]) : a,
  );
  const bad = xs.findIndex((a) => a.ndim > 2);
  if (bad >= 0)
    throw new ValueError(
      `Arguments to jax.scipy.linalg.block_diag must have at most 2 dimensions, got ` +
        `shape ${shapeStr(xs[bad]!.shape)} at argument ${bad}.`,
    );
  const width = xs.reduce((s, a) => s + a.shape[1]!, 0);
  let col = 0;
  const rows = xs.map((a) => {
    const zero = lax.scalarLike(a, 0);
    const w = a.shape[1]!;
    const padded = lax.pad(a, zero, [
      [0, 0, 0],
      [col, width - col - w, 0],
    ]);
    col += w;
    return padded;
  });
  return lax.concatenate(rows, 0);
}
