/**
 * The linear-algebra primitives (cholesky, triangular_solve, lu, lu_pivots_to_permutation,
 * qr, eigh, svd, geqrf, householder_product)
 * and the functions that bind them (what lax.linalg exports, and what numpy.linalg and
 * scipy.linalg are written with).
 */
export { choleskyP, cholesky, symmetrize } from "./cholesky.js";
export { triangularSolveP, triangularSolve } from "./triangular-solve.js";
export type { TriangularSolveOptions, TriangularSolveParams } from "./triangular-solve.js";
export { luP, luPivotsToPermutationP, lu, luPivotsToPermutation } from "./lu.js";
export { batchMatmul, matrixT, tril, triu, eye } from "./common.js";
export { qrP, qr } from "./qr.js";
export type { QrParams } from "./qr.js";
export { eighP, eigh } from "./eigh.js";
export type { EighOptions, EighParams } from "./eigh.js";
export { svdP, svd } from "./svd.js";
export type { SvdParams } from "./svd.js";
export { diagonalOf, diagonalMatrix } from "./matrix-helpers.js";
export { geqrfP, householderProductP, geqrf, householderProduct } from "./householder.js";
export { hessenbergP, schurP, eigP, hessenberg, schur, eig } from "./nonsymmetric.js";
export type { EigOptions, EigParams, SchurOptions, SchurParams } from "./nonsymmetric.js";
