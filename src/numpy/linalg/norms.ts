/**
 * jnp.linalg.norm, vector_norm and matrix_norm; matrix orders 2, -2 and 'nuc' from the
 * singular values (JAX's svd with compute_uv=False).
 */
import { ValueError } from "../../core/errors.js";
import { normalizeAxis } from "../../core/shape.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import * as lax from "../../primitives/index.js";
import { asarray, promoteArgsInexact } from "../coerce.js";
import { amax, amin, sum } from "../reductions.js";
import { abs, notEqual, power, sqrt, multiply } from "../ufuncs.js";
import { reshape, expandDims, moveaxis } from "../shape.js";
import { svdvals } from "./spectral.js";
import { conjugate, real } from "../complex.js";

/** |x|² elementwise as JAX writes it: real(x·conj(x)) for complex x, x·x for real x. */
const absSquared = (x: Array): Array =>
  x.dtype.isComplex ? real(multiply(x, conjugate(x))) : multiply(x, x);

export type NormOrder = number | "fro" | "f" | "nuc" | null;

export interface NormOptions {
  ord?: NormOrder;
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/**
 * `amax(s, axis, initial=0)` as JAX's matrix 1- and inf-norms take it (since JAX 0.5.2):
 * `max(0, reduce_max(s))`, so at the zero matrix the derivative splits 0.5/0.5 with the initial.
 */
function amaxFromZero(s: Array, axis: number, keepdims: boolean): Array {
  const r = amax(s, { axis, keepdims });
  return lax.max(lax.fullLike(r, 0), r);
}

/** A vector norm along `axis` (one or more axes). */
function vectorNormAlong(x: Array, ord: NormOrder, axis: number[], keepdims: boolean): Array {
  const o = { axis, keepdims };
  if (ord === null || ord === 2) return sqrt(sum(absSquared(x), o));
  if (ord === Infinity) return amax(abs(x), o);
  if (ord === -Infinity) return amin(abs(x), o);
  if (ord === 0) return sum(notEqual(x, 0), { ...o, dtype: x.dtype.isFloat ? x.dtype : null });
  if (ord === 1) return sum(abs(x), o);
  if (typeof ord === "string") throw new ValueError(`Invalid order '${ord}' for vector norm.`);
  return power(sum(power(abs(x), ord), o), 1 / ord);
}

/** `jnp.linalg.norm(x, ord=None, axis=None, keepdims=False)`. */
export function norm(x: ArrayLike, opts: NormOptions = {}): Array {
  const [a] = promoteArgsInexact(asarray(x)) as [Array];
  const ord = opts.ord ?? null;
  const keepdims = opts.keepdims ?? false;
  let axes: number[];
  if (opts.axis === undefined || opts.axis === null) {
    if (ord === null) return sqrt(sum(absSquared(a), { keepdims }));
    axes = a.shape.map((_, i) => i);
  } else if (typeof opts.axis === "number") axes = [normalizeAxis(opts.axis, a.ndim)];
  else axes = opts.axis.map((d) => normalizeAxis(d, a.ndim));
  if (axes.length === 1) return vectorNormAlong(a, ord === null ? 2 : ord, axes, keepdims);
  if (axes.length !== 2)
    throw new ValueError(
      `Improper number of axes for norm: axis=(${axes.join(", ")}${axes.length === 1 ? "," : ""}). ` +
        "Pass one axis to compute a vector-norm, or two axes to compute a matrix-norm.",
    );
  let [row, col] = axes as [number, number];
  if (ord === null || ord === "fro" || ord === "f")
    return sqrt(sum(absSquared(a), { axis: axes, keepdims }));
  if (ord === 1 || ord === -1) {
    if (!keepdims && col > row) col -= 1;
    const s = sum(abs(a), { axis: row, keepdims });
    return ord === 1 ? amaxFromZero(s, col, keepdims) : amin(s, { axis: col, keepdims });
  }
  if (ord === Infinity || ord === -Infinity) {
    if (!keepdims && row > col) row -= 1;
    const s = sum(abs(a), { axis: col, keepdims });
    return ord === Infinity ? amaxFromZero(s, row, keepdims) : amin(s, { axis: row, keepdims });
  }
  if (ord === "nuc" || ord === 2 || ord === -2) {
    const s = svdvals(moveaxis(a, [row, col], [-2, -1]));
    const y =
      ord === 2
        ? amaxFromZero(s, -1, false)
        : ord === -2
          ? amin(s, { axis: -1 })
          : sum(s, { axis: -1 });
    return keepdims ? expandDims(y, [row, col]) : y;
  }
  throw new ValueError(`Invalid order '${String(ord)}' for matrix norm.`);
}

/** `jnp.linalg.vector_norm(x, axis=None, keepdims=False, ord=2)`. */
export function vectorNorm(
  x: ArrayLike,
  opts: { axis?: number | readonly number[] | null; keepdims?: boolean; ord?: number } = {},
): Array {
  const a = asarray(x);
  const ord = opts.ord ?? 2;
  if (opts.axis === undefined || opts.axis === null) {
    const r = norm(reshape(a, [a.size]), { ord });
    return opts.keepdims
      ? expandDims(
          r,
          a.shape.map((_, i) => i),
        )
      : r;
  }
  return norm(a, { axis: opts.axis, keepdims: opts.keepdims ?? false, ord });
}

/** `jnp.linalg.matrix_norm(x, keepdims=False, ord='fro')`. */
export function matrixNorm(
  x: ArrayLike,
  opts: { keepdims?: boolean; ord?: NormOrder } = {},
): Array {
  return norm(x, { ord: opts.ord ?? "fro", keepdims: opts.keepdims ?? false, axis: [-2, -1] });
}
