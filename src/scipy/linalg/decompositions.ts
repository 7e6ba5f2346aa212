/**
 * jax.scipy.linalg's factorizations and solves: cholesky, cho_factor, cho_solve, lu_factor,
 * lu_solve, lu, solve (assume_a 'gen' / 'sym' / 'her' / 'pos'), solve_triangular, inv, det.
 */
import { ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { asarray, promoteArgsInexact } from "../../numpy/coerce.js";
import { matmul } from "../../numpy/products.js";
import * as jla from "../../numpy/linalg/index.js";
import { broadcastBatch, luSolveMatrix } from "../../numpy/linalg/solve.js";
import * as lax from "../../primitives/index.js";
import * as L from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** `jax.scipy.linalg.cholesky(a, lower=False)`: the upper factor unless `lower`. */
export function cholesky(a: ArrayLike, opts: { lower?: boolean } = {}): Array {
  const [x] = promoteArgsInexact(a) as [Array];
  const lower = opts.lower ?? false;
  const l = L.cholesky(lower ? x : L.matrixT(x), false);
  return lower ? l : L.matrixT(l);
}

/** `jax.scipy.linalg.cho_factor(a, lower=False)` → [c, lower]. */
export function choFactor(a: ArrayLike, opts: { lower?: boolean } = {}): [Array, boolean] {
  const lower = opts.lower ?? false;
  return [cholesky(a, { lower }), lower];
}

/** JAX's `_check_solve_shapes`. */
function checkSolveShapes(a: Array, b: Array): void {
  if (!(
    a.ndim >= 2 &&
    (b.ndim === a.ndim || b.ndim === a.ndim - 1) &&
    a.shape[a.ndim - 1] === a.shape[a.ndim - 2] &&
    a.shape[a.ndim - 1] === b.shape[a.ndim - 2]
  ))
    throw new ValueError(
      "The arguments to solve must have shapes a=[..., m, m] and b=[..., m, k] or b=[..., m]; " +
        `got a=${shapeStr(a.shape)} and b=${shapeStr(b.shape)}`,
    );
}

/** `jax.scipy.linalg.cho_solve((c, lower), b)`. */
export function choSolve(cAndLower: readonly [ArrayLike, boolean], b: ArrayLike): Array {
  const [c, y] = promoteArgsInexact(cAndLower[0], b) as [Array, Array];
  const lower = cAndLower[1];
  checkSolveShapes(c, y);
  const x = L.triangularSolve(c, y, { leftSide: true, lower, transposeA: !lower });
  return L.triangularSolve(c, x, { leftSide: true, lower, transposeA: lower });
}

/** `jax.scipy.linalg.lu_factor(a)` → [lu, piv]. */
export function luFactor(a: ArrayLike): [Array, Array] {
  const [x] = promoteArgsInexact(a) as [Array];
  const [lu, piv] = L.lu(x);
  return [lu, piv];
}

/** `jax.scipy.linalg.lu_solve((lu, piv), b, trans=0)`. */
export function luSolve(luAndPiv: readonly [ArrayLike, ArrayLike], b: ArrayLike, trans = 0): Array {
  const lu = asarray(luAndPiv[0]);
  const piv = asarray(luAndPiv[1]);
  const [y] = promoteArgsInexact(b) as [Array];
  const m = lu.shape[lu.ndim - 1]!;
  if (lu.ndim < 2 || lu.shape[lu.ndim - 2] !== m)
    throw new ValueError(
      `last two dimensions of LU decomposition must be equal, got shape ${shapeStr(lu.shape)}`,
    );
  if (y.ndim < 1)
    throw new ValueError(`b matrix must have rank >= 1, got shape ${shapeStr(y.shape)}`);
  if (trans !== 0 && trans !== 1 && trans !== 2)
    throw new ValueError(`'trans' value must be 0, 1, or 2, got ${trans}`);
  const perm = L.luPivotsToPermutation(piv, m);
  const vec = lu.ndim === y.ndim + 1;
  if (vec && y.shape[y.ndim - 1] !== m)
    throw new ValueError(
      "When LU decomposition matrix and b have the same number of dimensions, last axis of " +
        `LU decomposition matrix (shape ${shapeStr(lu.shape)}) and b array (shape ${shapeStr(y.shape)}) must match`,
    );
  const bm = vec ? lax.reshape(y, [...y.shape, 1]) : y;
  if (!vec && bm.shape[bm.ndim - 2] !== m)
    throw new ValueError(
      "When LU decomposition matrix and b different numbers of dimensions, last axis of LU " +
        `decomposition matrix (shape ${shapeStr(lu.shape)}) and second to last axis of b array ` +
        `(shape ${shapeStr(y.shape)}) must match`,
    );
  const batch = lu.shape.slice(0, -2);
  const x = luSolveMatrix(
    broadcastBatch(lu, batch, 2),
    broadcastBatch(perm, batch, 1),
    broadcastBatch(bm, batch, 2),
    trans !== 0,
  );
  return vec ? lax.reshape(x, y.shape) : x;
}

/**
 * `jax.scipy.linalg.lu(a, permute_l=False)` → [p, l, u] with a = p·l·u, or [p·l, u] with
 * `permuteL`.
 */
export function lu(a: ArrayLike, opts: { permuteL?: boolean } = {}): Array[] {
  const [x] = promoteArgsInexact(a) as [Array];
  const [packed, , permutation] = L.lu(x);
  const nd = x.ndim;
  const [m, n] = x.shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const batch = x.shape.slice(0, -2);
  // p[..., i, j] = (permutation[j] == i): a = p · l · u.
  const rows = lax.iota(lax.int32, [...batch, m, m], nd - 2);
  const permB = lax.broadcastInDim(permutation, [...batch, m, m], [...range(batch.length), nd - 1]);
  const p = lax.convertElementType(lax.eq(permB, rows), x.dtype);
  const start = x.shape.map(() => 0);
  const lPart = L.tril(lax.slice(packed, start, [...batch, m, k]), -1);
  const eyeMK = lax.convertElementType(
    lax.eq(lax.iota(lax.int32, [m, k], 0), lax.iota(lax.int32, [m, k], 1)),
    x.dtype,
  );
  const l = lax.add(lPart, broadcastBatch(eyeMK, batch, 2));
  const u = L.triu(lax.slice(packed, start, [...batch, k, n]));
  return opts.permuteL ? [matmul(p, l), u] : [p, l, u];
}

/** `jax.scipy.linalg.solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False)`. */
export function solveTriangular(
  a: ArrayLike,
  b: ArrayLike,
  opts: { trans?: 0 | 1 | 2 | "N" | "T" | "C"; lower?: boolean; unitDiagonal?: boolean } = {},
): Array {
  const trans = opts.trans ?? 0;
  let transposeA: boolean;
  if (trans === 0 || trans === "N") transposeA = false;
  else if (trans === 1 || trans === "T" || trans === 2 || trans === "C") transposeA = true;
  else throw new ValueError(`Invalid 'trans' value ${String(trans)}`);
  const [x, y] = promoteArgsInexact(a, b) as [Array, Array];
  return L.triangularSolve(x, y, {
    leftSide: true,
    lower: opts.lower ?? false,
    transposeA,
    unitDiagonal: opts.unitDiagonal ?? false,
  });
}

/** `jax.scipy.linalg.solve(a, b, lower=False, assume_a='gen')`. */
export function solve(
  a: ArrayLike,
  b: ArrayLike,
  opts: { lower?: boolean; assumeA?: "gen" | "sym" | "her" | "pos" } = {},
): Array {
  const assumeA = opts.assumeA ?? "gen";
  if (!["gen", "sym", "her", "pos"].includes(assumeA))
    throw new ValueError(
      `Expected assume_a to be one of {'gen', 'sym', 'her', 'pos'}; got '${String(assumeA)}'`,
    );
  if (assumeA !== "pos") return jla.solve(a, b);
  const [x, y] = promoteArgsInexact(a, b) as [Array, Array];
  checkSolveShapes(x, y);
  return choSolve(choFactor(x, { lower: opts.lower ?? false }), y);
}

/** `jax.scipy.linalg.inv(a)`. */
export function inv(a: ArrayLike): Array {
  return jla.inv(a);
}

/** `jax.scipy.linalg.det(a)`. */
export function det(a: ArrayLike): Array {
  return jla.det(a);
}
