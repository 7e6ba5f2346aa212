/**
 * `jax.lax.linalg`: the linear-algebra primitives' functions (cholesky, triangular_solve, lu,
 * lu_pivots_to_permutation, qr, eigh, svd, geqrf, householder_product), each named as JAX
 * names it, and the nonsymmetric eig, schur and hessenberg.
 */
import { nameExports } from "../../core/naming.js";
import { asarray } from "../../numpy/coerce.js";
import * as P from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";

export type {
  EigOptions,
  EighOptions,
  SchurOptions,
  TriangularSolveOptions,
} from "../../primitives/linalg/index.js";

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

/**
 * `lax.linalg.eig(x, compute_left_eigenvectors=True, compute_right_eigenvectors=True,
 * enable_eigvec_derivs=False)` → [w, vl?, vr?], complex; eigenvectors as LAPACK geev normalizes
 * them (unit 2-norm, largest component real).
 */
export function eig(x: ArrayLike, opts: P.EigOptions = {}): Array[] {
  return P.eig(asarray(x), opts);
}

/**
 * `lax.linalg.schur(x, compute_schur_vectors=True, sort_eig_vals=False)` → [T, Z] with
 * A = Z·T·Zᴴ (T real quasi-triangular for real input, triangular for complex input).
 */
export function schur(x: ArrayLike, opts: P.SchurOptions = {}): Array[] {
  return P.schur(asarray(x), opts);
}

/**
 * `lax.linalg.hessenberg(a)` → [a, taus]: H on and above the first subdiagonal, the Householder
 * reflectors below it, and their n−1 scales (LAPACK gehrd's form).
 */
export function hessenberg(a: ArrayLike): [Array, Array] {
  return P.hessenberg(asarray(a));
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
