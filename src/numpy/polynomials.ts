/**
 * jnp polynomial functions (jax/_src/numpy/polynomial.py): poly (from 1-d roots), polyadd,
 * polysub, polymul, polydiv, polyder, polyint, polyval, polyfit, vander. Coefficients are
 * highest degree first, as numpy's. `poly` of a square matrix (its characteristic polynomial
 * through eigvals) and polyfit's `cov` are explicit NotImplementedErrors.
 */
import { NotImplementedError, ValueError } from "../core/errors.js";
import { int32 } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgs, promoteArgsInexact } from "./coerce.js";
import { concatenate, flip, transpose } from "./shape.js";
import { sum } from "./reductions.js";
import { convolve } from "./convolve.js";
import { lstsq } from "./linalg/spectral.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

function check1d(name: string, ...xs: Array[]): void {
  for (const x of xs)
    if (x.ndim !== 1) throw new ValueError(`${name}: input arrays must be 1D, got ndim=${x.ndim}`);
}

/** Coefficients of the monic polynomial with the given roots (`jnp.poly(seq_of_zeros)`). */
export function poly(seqOfZeros: ArrayLike): Array {
  const [z] = promoteArgsInexact(seqOfZeros);
  if (z!.ndim === 2 && z!.shape[0] === z!.shape[1] && z!.shape[0] !== 0)
    throw new NotImplementedError(
      "jnp.poly of a square matrix (its characteristic polynomial) needs eigvals; pass its eigenvalues instead",
    );
  if (z!.ndim !== 1) throw new ValueError("input must be 1d or non-empty square 2d array.");
  let a = lax.full([1], 1, z!.dtype);
  for (let k = 0; k < z!.shape[0]!; k++) {
    const root = lax.reshape(lax.slice(z!, [k], [k + 1]), [1]);
    a = convolve(a, concatenate([lax.full([1], 1, z!.dtype), lax.neg(root)], 0), "full");
  }
  return a;
}

function padFront(a: Array, n: number): Array {
  return n <= 0 ? a : lax.pad(a, lax.scalarLike(a, 0), [[n, 0, 0]]);
}

/** Sum of two polynomials (`jnp.polyadd(a1, a2)`). */
export function polyadd(a1: ArrayLike, a2: ArrayLike): Array {
  const [a, b] = promoteArgs(a1, a2) as [Array, Array];
  check1d("polyadd", a, b);
  const n = Math.max(a.shape[0]!, b.shape[0]!);
  return lax.add(padFront(a, n - a.shape[0]!), padFront(b, n - b.shape[0]!));
}

/** Difference of two polynomials (`jnp.polysub(a1, a2)`). */
export function polysub(a1: ArrayLike, a2: ArrayLike): Array {
  const [a, b] = promoteArgs(a1, a2) as [Array, Array];
  check1d("polysub", a, b);
  const n = Math.max(a.shape[0]!, b.shape[0]!);
  return lax.sub(padFront(a, n - a.shape[0]!), padFront(b, n - b.shape[0]!));
}

/** Product of two polynomials (`jnp.polymul(a1, a2)`). */
export function polymul(
  a1: ArrayLike,
  a2: ArrayLike,
  _opts: { trimLeadingZeros?: boolean } = {},
): Array {
  const [a, b] = promoteArgs(a1, a2) as [Array, Array];
  check1d("polymul", a, b);
  if (a.shape[0] === 0 || b.shape[0] === 0) return lax.full([1], 0, a.dtype);
  return convolve(a, b, "full");
}

/** Quotient and remainder of polynomial division (`jnp.polydiv(u, v)`). */
export function polydiv(
  u: ArrayLike,
  v: ArrayLike,
  _opts: { trimLeadingZeros?: boolean } = {},
): [Array, Array] {
  const [num, den] = promoteArgsInexact(u, v) as [Array, Array];
  check1d("polydiv", num, den);
  const m = num.shape[0]! - 1;
  const n = den.shape[0]! - 1;
  const scale = lax.div(lax.scalarLike(den, 1), lax.reshape(lax.slice(den, [0], [1]), []));
  let q = lax.full([Math.max(m - n + 1, 1)], 0, num.dtype);
  let r = num;
  for (let k = 0; k < m - n + 1; k++) {
    const d = lax.mul(scale, lax.reshape(lax.slice(r, [k], [k + 1]), []));
    q = q.at(k).set(d);
    const upd = lax.mul(lax.broadcastInDim(d, [n + 1], []), den);
    const padded = lax.pad(upd, lax.scalarLike(upd, 0), [[k, m - n - k, 0]]);
    r = lax.sub(r, padded);
  }
  return [q, r];
}

/** The m-th derivative's coefficients (`jnp.polyder(p, m=1)`). */
export function polyder(p: ArrayLike, m = 1): Array {
  let a = asarray(p);
  check1d("polyder", a);
  if (!Number.isInteger(m) || m < 0) throw new ValueError("Order of derivative must be positive");
  if (m === 0) return a;
  if (a.dtype.isBool) a = lax.convertElementType(a, int32);
  for (let i = 0; i < m; i++) {
    const n = a.shape[0]!;
    if (n <= 1) return lax.full([0], 0, a.dtype);
    const powers = flip(lax.iota(a.dtype, [n], 0), 0);
    a = lax.slice(lax.mul(a, powers), [0], [n - 1]);
  }
  return a;
}

/** The m-th antiderivative's coefficients, integration constants `k` (`jnp.polyint`). */
export function polyint(p: ArrayLike, m = 1, k: ArrayLike | null = null): Array {
  if (!Number.isInteger(m) || m < 0)
    throw new ValueError("Order of integral must be positive (see polyder)");
  const [a0] = promoteArgsInexact(p);
  let a = a0!;
  check1d("polyint", a);
  if (m === 0) return a;
  let ks = k === null ? lax.full([m], 0, a.dtype) : lax.convertElementType(asarray(k), a.dtype);
  if (ks.ndim === 0) ks = lax.broadcastInDim(ks, [m], []);
  if (ks.shape[0] !== m)
    throw new ValueError("k must be a scalar or a rank-1 array of length 1 or m.");
  for (let i = 0; i < m; i++) {
    const n = a.shape[0]!;
    const divisors = lax.sub(lax.full([n], n, a.dtype), lax.iota(a.dtype, [n], 0));
    a = concatenate([lax.div(a, divisors), lax.slice(ks, [i], [i + 1])], 0);
  }
  return a;
}

/** Evaluate a polynomial at x by Horner's rule (`jnp.polyval(p, x, unroll=16)`). */
export function polyval(p: ArrayLike, x: ArrayLike, _opts: { unroll?: number } = {}): Array {
  const [pa, xa] = promoteArgs(p, x) as [Array, Array];
  if (pa.ndim !== 1) throw new ValueError(`polyval: p must be 1-d, got ndim=${pa.ndim}`);
  let y = lax.fullLike(xa, 0);
  for (let i = 0; i < pa.shape[0]!; i++) {
    const c = lax.reshape(lax.slice(pa, [i], [i + 1]), []);
    y = lax.add(lax.mul(y, xa), lax.broadcastInDim(c, xa.shape, []));
  }
  return y;
}

/** The Vandermonde matrix: columns x**(N-1) … x**0 (`jnp.vander(x, N=None, increasing=False)`). */
export function vander(x: ArrayLike, N: number | null = null, increasing = false): Array {
  const xa = asarray(x);
  if (xa.ndim !== 1) throw new ValueError("x must be a one-dimensional array");
  const n = N ?? xa.shape[0]!;
  if (n < 0) throw new ValueError("N must be nonnegative");
  const cols = range(n).map((j) => {
    const e = increasing ? j : n - 1 - j;
    let c = lax.fullLike(xa, 1);
    for (let t = 0; t < e; t++) c = lax.mul(c, xa);
    return c;
  });
  if (n === 0) return lax.full([xa.shape[0]!, 0], 0, xa.dtype);
  return transpose(
    lax.concatenate(
      cols.map((c) => lax.reshape(c, [1, xa.shape[0]!])),
      0,
    ),
  );
}

/** Options of `jnp.polyfit`. */
export interface PolyfitOptions {
  rcond?: number | null;
  full?: boolean;
  w?: ArrayLike | null;
  cov?: boolean;
}

/**
 * Least-squares polynomial fit of degree `deg` (`jnp.polyfit(x, y, deg, rcond, full, w,
 * cov)`): coefficients (columns for 2-d y), or with `full` also residuals, rank, singular
 * values and rcond.
 */
export function polyfit(
  x: ArrayLike,
  y: ArrayLike,
  deg: number,
  options: PolyfitOptions = {},
): Array | Array[] {
  if (options.cov) throw new NotImplementedError("jnp.polyfit with cov=True is not implemented");
  const [xa, ya] = promoteArgsInexact(x, y) as [Array, Array];
  if (!Number.isInteger(deg) || deg < 0) throw new ValueError("expected deg >= 0");
  if (xa.ndim !== 1) throw new TypeError("expected 1D vector for x");
  if (xa.shape[0] === 0) throw new TypeError("expected non-empty vector for x");
  if (ya.ndim < 1 || ya.ndim > 2) throw new TypeError("expected 1D or 2D array for y");
  if (xa.shape[0] !== ya.shape[0]) throw new TypeError("expected x and y to have same length");
  const order = deg + 1;
  const rcond = options.rcond ?? xa.shape[0]! * (xa.dtype.name === "float64" ? 2 ** -52 : 2 ** -23);
  let lhs = vander(xa, order);
  let rhs = ya;
  if (options.w !== undefined && options.w !== null) {
    const w = lax.convertElementType(asarray(options.w), xa.dtype);
    if (w.ndim !== 1) throw new TypeError("expected a 1-d array for weights");
    if (w.shape[0] !== ya.shape[0]) throw new TypeError("expected w and y to have the same length");
    lhs = lax.mul(lhs, lax.broadcastInDim(w, lhs.shape, [0]));
    rhs = lax.mul(rhs, rhs.ndim === 2 ? lax.broadcastInDim(w, rhs.shape, [0]) : w);
  }
  const scale = lax.sqrt(sum(lax.mul(lhs, lhs), 0));
  lhs = lax.div(lhs, lax.broadcastInDim(scale, lhs.shape, [1]));
  const [c0, resids, rank, s] = lstsq(lhs, rhs, rcond);
  const c =
    rhs.ndim === 2 ? lax.div(c0, lax.broadcastInDim(scale, c0.shape, [0])) : lax.div(c0, scale);
  if (options.full) return [c, resids, rank, s, asarray(rcond, xa.dtype)];
  return c;
}
