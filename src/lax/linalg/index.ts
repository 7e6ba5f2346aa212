/**
 * `jax.lax.linalg`: the linear-algebra primitives' functions (cholesky, triangular_solve, lu,
 * lu_pivots_to_permutation, qr, eigh, svd, geqrf, householder_product), each named as JAX
 * names it. eig, schur and
 * hessenberg need complex dtypes and raise NotImplementedError saying so.
 */
import { NotImplementedError } from "../../core/errors.js";
import { nameExports } from "../../core/naming.js";
import { asarray } from "../../numpy/coerce.js";
import * as P from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";

export type { EighOptions, TriangularSolveOptions } from "../../primitives/linalg/index.js";

/** `lax.linalg.cholesky(x, symmetrize_input=True)`: the lower factor, zeros above it. */
export function cholesky(x: ArrayLike, opts: { symmetrizeInput?: boolean } = {}): Array {
  return P.cholesky(asarray(x), opts.symmetrizeInput ?? true);
}

/**
 * `lax.linalg.triangular_solve(a, b, left_side=False, lower=False, transpose_a=False,
 * conjugate_a=False, unit_diagonal=False)`.
 */
export function triangularSolve(
  a: ArrayLike,
  b: ArrayLike,
  opts: P.TriangularSolveOptions = {},
): Array {
  return P.triangularSolve(asarray(a), asarray(b), opts);
}

/** `lax.linalg.lu(x)` → [lu, pivots, permutation]. */
export function lu(x: ArrayLike): [Array, Array, Array] {
  return P.lu(asarray(x));
}

/** `lax.linalg.lu_pivots_to_permutation(pivots, permutation_size)`. */
export function luPivotsToPermutation(pivots: ArrayLike, permutationSize: number): Array {
  return P.luPivotsToPermutation(asarray(pivots), permutationSize);
}

/**
 * `lax.linalg.qr(x, pivoting=False, full_matrices=True)` → [q, r], or [q, r, p] with
 * `pivoting` (A[..., :, p] = Q·R).
 */
export function qr(
  x: ArrayLike,
  opts: { pivoting?: boolean; fullMatrices?: boolean } = {},
): Array[] {
  return P.qr(asarray(x), opts);
}

/**
 * `lax.linalg.eigh(x, lower=True, symmetrize_input=True, sort_eigenvalues=True,
 * subset_by_index=None)` → [v, w] (eigenvectors in columns, eigenvalues ascending).
 */
export function eigh(x: ArrayLike, opts: P.EighOptions = {}): [Array, Array] {
  return P.eigh(asarray(x), opts);
}

/** `lax.linalg.svd(x, full_matrices=True, compute_uv=True)` → [u, s, vt], or s alone. */
export function svd(
  x: ArrayLike,
  opts: {
    fullMatrices?: boolean;
    computeUv?: boolean;
    subsetByIndex?: [number, number] | null;
  } = {},
): Array | [Array, Array, Array] {
  return P.svd(asarray(x), opts);
}

/** `lax.linalg.geqrf(a)` → [a (R on and above the diagonal, reflectors below), taus]. */
export function geqrf(a: ArrayLike): [Array, Array] {
  return P.geqrf(asarray(a));
}

/** `lax.linalg.householder_product(a, taus)`: the product of geqrf's reflectors (m×n). */
export function householderProduct(a: ArrayLike, taus: ArrayLike): Array {
  return P.householderProduct(asarray(a), asarray(taus));
}

/** Raised by the decompositions whose results are complex (eig, schur, hessenberg's use). */
export function complexMissing(name: string): never {
  throw new NotImplementedError(
    `${name} needs complex dtypes (complex64/complex128), which jaxts does not support yet`,
  );
}

/** `lax.linalg.eig`: needs complex eigenvalues/eigenvectors — not supported yet. */
export function eig(_x: ArrayLike): never {
  return complexMissing("lax.linalg.eig");
}

/** `lax.linalg.schur`: complex Schur forms — not supported yet. */
export function schur(_x: ArrayLike): never {
  return complexMissing("lax.linalg.schur");
}

/** `lax.linalg.hessenberg`: left out with the complex decompositions. */
export function hessenberg(_x: ArrayLike): never {
  return complexMissing("lax.linalg.hessenberg");
}

nameExports({
  cholesky,
  triangularSolve,
  lu,
  luPivotsToPermutation,
  qr,
  eigh,
  svd,
  geqrf,
  householderProduct,
  eig,
  schur,
  hessenberg,
});
