/**
 * The linear-algebra primitives (cholesky, triangular_solve, lu, lu_pivots_to_permutation)
 * and the functions that bind them (what lax.linalg exports, and what numpy.linalg and
 * scipy.linalg are written with).
 */
export { choleskyP, cholesky, symmetrize } from "./cholesky.js";
export { triangularSolveP, triangularSolve } from "./triangular-solve.js";
export type { TriangularSolveOptions, TriangularSolveParams } from "./triangular-solve.js";
export { luP, luPivotsToPermutationP, lu, luPivotsToPermutation } from "./lu.js";
export { batchMatmul, matrixT, tril, triu, eye } from "./common.js";
