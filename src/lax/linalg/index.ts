/**
 * `jax.lax.linalg`: the linear-algebra primitives' functions (cholesky, triangular_solve, lu,
 * lu_pivots_to_permutation), each named as JAX names it.
 */
import { nameExports } from "../../core/naming.js";
import { asarray } from "../../numpy/coerce.js";
import * as P from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";

export type { TriangularSolveOptions } from "../../primitives/linalg/index.js";

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

nameExports({ cholesky, triangularSolve, lu, luPivotsToPermutation });
