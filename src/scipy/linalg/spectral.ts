/**
 * jax.scipy.linalg's decompositions over lax.linalg's qr / eigh / svd: qr (modes full, r,
 * economic; pivoting), eigh (standard problem only, as JAX), svd, polar (the nonsymmetric ones
 * are in nonsymmetric.ts).
 */
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { asarray, promoteArgsInexact } from "../../numpy/coerce.js";
import { matmul } from "../../numpy/products.js";
import { expandDims } from "../../numpy/shape.js";
import * as L from "../../primitives/linalg/index.js";
import type { Array, ArrayLike } from "../../trace/array.js";

/** Keyword arguments of `scipy.linalg.qr` (`mode`, `pivoting`; scipy's spelling in camelCase). */
export interface ScipyQrOptions {
  mode?: "full" | "r" | "economic";
  pivoting?: boolean;
  overwriteA?: boolean;
  lwork?: unknown;
  checkFinite?: boolean;
}

/**
 * `jax.scipy.linalg.qr(a, overwrite_a=False, lwork=None, mode='full', pivoting=False)` →
 * [q, r], [r] for mode 'r', with the pivot indices appended when `pivoting`.
 */
export function qr(a: ArrayLike, opts: ScipyQrOptions = {}): Array[] {
  const mode = opts.mode ?? "full";
  let fullMatrices: boolean;
  if (mode === "full" || mode === "r") fullMatrices = true;
  else if (mode === "economic") fullMatrices = false;
  else throw new ValueError(`Unsupported QR decomposition mode '${String(mode)}'`);
  const [x] = promoteArgsInexact(asarray(a)) as [Array];
  const pivoting = opts.pivoting ?? false;
  const [q, r, ...p] = L.qr(x, { pivoting, fullMatrices });
  if (mode === "r") return pivoting ? [r!, p[0]!] : [r!];
  return pivoting ? [q!, r!, p[0]!] : [q!, r!];
}

/** Keyword arguments of `scipy.linalg.eigh` (`lower`, `eigvalsOnly`; the generalized problem is not supported). */
export interface ScipyEighOptions {
  lower?: boolean;
  eigvalsOnly?: boolean;
  overwriteA?: boolean;
  overwriteB?: boolean;
  turbo?: boolean;
  eigvals?: null;
  type?: number;
  checkFinite?: boolean;
}

/**
 * `jax.scipy.linalg.eigh(a, b=None, lower=True, eigvals_only=False, ..., type=1)` → [w, v]
 * or w alone with `eigvalsOnly`; only the standard problem (b = None), as in JAX.
 */
export function eigh(
  a: ArrayLike,
  b: ArrayLike | null = null,
  opts: ScipyEighOptions = {},
): Array | [Array, Array] {
  if (b !== null) throw new NotImplementedError("Only the b=None case of eigh is implemented");
  if ((opts.type ?? 1) !== 1)
    throw new NotImplementedError("Only the type=1 case of eigh is implemented.");
  if (opts.eigvals !== undefined && opts.eigvals !== null)
    throw new NotImplementedError("Only the eigvals=None case of eigh is implemented.");
  const [x] = promoteArgsInexact(asarray(a)) as [Array];
  const [v, w] = L.eigh(x, { lower: opts.lower ?? true });
  return opts.eigvalsOnly ? w : [w, v];
}

/**
 * `jax.scipy.linalg.svd(a, full_matrices=True, compute_uv=True, ...)` → [u, s, vh], or s
 * alone without compute_uv.
 */
export function svd(
  a: ArrayLike,
  opts: {
    fullMatrices?: boolean;
    computeUv?: boolean;
    overwriteA?: boolean;
    checkFinite?: boolean;
    lapackDriver?: string;
  } = {},
): Array | [Array, Array, Array] {
  const [x] = promoteArgsInexact(asarray(a)) as [Array];
  return L.svd(x, { fullMatrices: opts.fullMatrices ?? true, computeUv: opts.computeUv ?? true });
}

/**
 * `jax.scipy.linalg.polar(a, side='right', method='qdwh')` → [unitary, posdef], batched over
 * leading dims. Both methods compute the factors from the SVD (U·Vᴴ and V·Σ·Vᴴ or U·Σ·Uᴴ); the
 * polar factors of a full-rank matrix are unique, so 'qdwh' (JAX's QR-based Halley iteration)
 * gives the same values to round-off. JAX's shape restrictions of 'qdwh' are kept.
 */
export function polar(
  a: ArrayLike,
  side: "right" | "left" = "right",
  opts: { method?: "qdwh" | "svd"; eps?: number | null; maxIterations?: number | null } = {},
): [Array, Array] {
  const arr = asarray(a);
  if (arr.ndim < 2) throw new ValueError("The input `a` must be at least a 2-D array.");
  if (side !== "right" && side !== "left")
    throw new ValueError("The argument `side` must be either 'right' or 'left'.");
  const method = opts.method ?? "qdwh";
  const [m, n] = arr.shape.slice(-2) as [number, number];
  if (method === "qdwh") {
    if (!((m >= n && side === "right") || (m < n && side === "left")))
      throw new NotImplementedError(
        "method='qdwh' only supports mxn matrices where m < n where side='right' and m >= n " +
          `side='left', got ${shapeStr([m, n])} with side='${side}'`,
      );
  } else if (method !== "svd")
    throw new ValueError(`Unknown polar decomposition method ${String(method)}.`);
  const [x] = promoteArgsInexact(arr) as [Array];
  const [u, s, vh] = L.svd(x, { fullMatrices: false }) as [Array, Array, Array];
  const unitary = matmul(u, vh);
  const sRow = expandDims(s, -2);
  const posdef =
    side === "right" ? matmul(L.matrixT(vh).mul(sRow), vh) : matmul(u.mul(sRow), L.matrixT(u));
  return [unitary, posdef];
}
