/**
 * jnp diff, ediff1d, gradient, trapezoid and interp, as JAX defines them: `gradient` uses
 * second-order central differences inside and first-order one-sided differences at the edges
 * (numpy's edge_order=1; JAX raises for any edge_order), with scalar or coordinate spacing;
 * `interp` is piecewise-linear with numpy's `left`/`right` defaults and `period`.
 */
import { NotImplementedError, ValueError } from "../core/errors.js";
import { normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "./coerce.js";
import { sum } from "./reductions.js";
import { argsort, searchsorted } from "./sorting.js";
import { concatenate, moveaxis, ravel, reshape } from "./shape.js";
import { take } from "./take.js";
import { broadcastTo, clip, multiply, remainder, where } from "./ufuncs.js";

const sliceAxis = (a: Array, axis: number, start: number, stop: number): Array =>
  lax.slice(
    a,
    a.shape.map((_, i) => (i === axis ? start : 0)),
    a.shape.map((d, i) => (i === axis ? stop : d)),
  );

function sub(x: Array, y: Array): Array {
  return x.dtype.isBool ? lax.ne(x, y) : lax.sub(x, y);
}

/** n-th discrete difference along `axis` (`jnp.diff(a, n, axis, prepend, append)`). */
export function diff(
  a: ArrayLike,
  n = 1,
  axis = -1,
  options: { prepend?: ArrayLike | null; append?: ArrayLike | null } = {},
): Array {
  let x = asarray(a);
  if (n === 0) return x;
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError(`order must be non-negative but got ${n}`);
  if (x.ndim === 0)
    throw new ValueError(`diff requires input that is at least one dimensional; got ${x}`);
  const ax = normalizeAxis(axis, x.ndim);
  const edge = (v: ArrayLike): Array => {
    const e = asarray(v);
    return e.ndim === 0
      ? broadcastTo(
          e,
          x.shape.map((d, i) => (i === ax ? 1 : d)),
        )
      : e;
  };
  const parts: Array[] = [];
  if (options.prepend !== undefined && options.prepend !== null) parts.push(edge(options.prepend));
  parts.push(x);
  if (options.append !== undefined && options.append !== null) parts.push(edge(options.append));
  if (parts.length > 1) x = concatenate(parts, ax);
  for (let k = 0; k < n; k++) {
    const m = x.shape[ax]!;
    if (m === 0) break;
    x = sub(sliceAxis(x, ax, 1, m), sliceAxis(x, ax, 0, m - 1));
  }
  return x;
}

/** Differences of the flattened array, with values before/after (`jnp.ediff1d`). */
export function ediff1d(
  ary: ArrayLike,
  toEnd: ArrayLike | null = null,
  toBegin: ArrayLike | null = null,
): Array {
  const flat = ravel(asarray(ary));
  let r =
    flat.shape[0]! > 0
      ? sub(lax.slice(flat, [1], [flat.shape[0]!]), lax.slice(flat, [0], [flat.shape[0]! - 1]))
      : flat;
  if (toBegin !== null)
    r = concatenate([ravel(lax.convertElementType(asarray(toBegin), r.dtype)), r], 0);
  if (toEnd !== null)
    r = concatenate([r, ravel(lax.convertElementType(asarray(toEnd), r.dtype))], 0);
  return r;
}

/**
 * The gradient of sampled `f` along each axis (`jnp.gradient(f, *varargs, axis, edge_order)`):
 * one array per axis (a single array for one axis). `spacing`: nothing (1), one scalar or
 * coordinate array for all axes, or one per axis.
 */
export function gradient(
  f: ArrayLike,
  ...args: (ArrayLike | { axis?: number | readonly number[] | null; edgeOrder?: number | null })[]
): Array | Array[] {
  const last = args[args.length - 1];
  const opts =
    last !== null &&
    typeof last === "object" &&
    !globalThis.Array.isArray(last) &&
    ("axis" in last || "edgeOrder" in last)
      ? (args.pop() as { axis?: number | readonly number[] | null; edgeOrder?: number | null })
      : {};
  if (opts.edgeOrder !== undefined && opts.edgeOrder !== null) {
    throw new NotImplementedError("The 'edge_order' argument to jnp.gradient is not supported.");
  }
  const [a, ...spacing] = promoteArgsInexact(f, ...(args as ArrayLike[]));
  const arr = a!;
  const axes =
    opts.axis === undefined || opts.axis === null
      ? [...arr.shape.keys()]
      : (typeof opts.axis === "number" ? [opts.axis] : [...opts.axis]).map((ax) =>
          normalizeAxis(ax, arr.ndim),
        );
  if (axes.length === 0) return [];
  let hs: Array[];
  if (spacing.length === 0) hs = axes.map(() => lax.scalarLike(arr, 1));
  else if (spacing.length === 1) hs = axes.map(() => spacing[0]!);
  else if (spacing.length === axes.length) hs = spacing;
  else throw new TypeError("Invalid number of spacing arguments");
  const along = (h: Array, ax: number): Array => {
    const m = arr.shape[ax]!;
    if (m < 2)
      throw new ValueError(
        "Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required.",
      );
    const s = (i: number, j: number): Array =>
      sliceAxis(arr, ax, i < 0 ? m + i : i, j <= 0 ? m + j : j);
    let upper = lax.sub(s(1, 2), s(0, 1));
    let lower = lax.sub(s(-1, 0), s(-2, -1));
    let inner: Array;
    if (h.ndim === 0) {
      inner = lax.div(lax.mul(lax.sub(s(2, 0), s(0, -2)), lax.scalarLike(arr, 0.5)), h);
      upper = lax.div(upper, h);
      lower = lax.div(lower, h);
    } else if (h.ndim === 1) {
      if (h.shape[0] !== m)
        throw new ValueError(
          "Spacing arrays must have the same length as the dimension along which the gradient is calculated.",
        );
      const hb = reshape(
        h,
        arr.shape.map((d, i) => (i === ax ? m : 1)),
      );
      const x = (i: number, j: number): Array =>
        broadcastTo(sliceAxis(hb, ax, i < 0 ? m + i : i, j <= 0 ? m + j : j), s(i, j).shape);
      upper = lax.div(upper, lax.sub(x(1, 2), x(0, 1)));
      lower = lax.div(lower, lax.sub(x(-1, 0), x(-2, -1)));
      const dx1 = lax.sub(x(1, -1), x(0, -2));
      const dx2 = lax.sub(x(2, 0), x(1, -1));
      const ca = lax.neg(lax.div(dx2, lax.mul(dx1, lax.add(dx1, dx2))));
      const cb = lax.div(lax.sub(dx2, dx1), lax.mul(dx1, dx2));
      const cc = lax.div(dx1, lax.mul(dx2, lax.add(dx1, dx2)));
      inner = lax.add(lax.add(lax.mul(ca, s(0, -2)), lax.mul(cb, s(1, -1))), lax.mul(cc, s(2, 0)));
    } else throw new ValueError("Spacing arrays must be 1D arrays or scalars.");
    return concatenate([upper, inner, lower], ax);
  };
  const out = axes.map((ax, i) => along(hs[i]!, ax));
  return out.length === 1 ? out[0]! : out;
}

/** The trapezoid-rule integral along `axis` (`jnp.trapezoid(y, x, dx, axis)`). */
export function trapezoid(
  y: ArrayLike,
  x: ArrayLike | null = null,
  dx: number = 1,
  axis = -1,
): Array {
  const [yy, xx] = x === null ? promoteArgsInexact(y) : promoteArgsInexact(y, x);
  const ax = normalizeAxis(axis, yy!.ndim);
  const ym = moveaxis(yy!, ax, -1);
  const n = ym.shape[ym.ndim - 1]!;
  let d: Array;
  if (xx === undefined) d = lax.scalarLike(ym, dx);
  else {
    const xm = xx.ndim === 1 ? xx : moveaxis(xx, ax, -1);
    d = diff(xm, 1, -1);
  }
  const head = sliceAxis(ym, ym.ndim - 1, 1, n);
  const tail = sliceAxis(ym, ym.ndim - 1, 0, Math.max(n - 1, 0));
  return lax.mul(lax.scalarLike(ym, 0.5), sum(multiply(d, lax.add(head, tail)), -1));
}

/**
 * Piecewise-linear interpolation of (xp, fp) at x (`jnp.interp(x, xp, fp, left, right,
 * period)`); below/above the range `left`/`right` (default fp[0]/fp[−1]).
 */
export function interp(
  x: ArrayLike,
  xp: ArrayLike,
  fp: ArrayLike,
  left: ArrayLike | "extrapolate" | null = null,
  right: ArrayLike | "extrapolate" | null = null,
  period: number | null = null,
): Array {
  let [xa, xpa, fpa] = promoteArgsInexact(x, xp, fp) as [Array, Array, Array];
  if (xpa.ndim !== 1 || fpa.ndim !== 1) throw new ValueError("xp and fp must be one-dimensional");
  if (xpa.shape[0] !== fpa.shape[0]) throw new ValueError("xp and fp must be the same length");
  if (xpa.shape[0] === 0) throw new ValueError("xp and fp must be non-empty");
  if (period !== null) {
    if (period === 0) throw new ValueError(`period must be a non-zero value; got ${period}`);
    const p = Math.abs(period);
    xa = remainder(xa, p);
    xpa = remainder(xpa, p);
    const order = argsort(xpa);
    xpa = take(xpa, order);
    fpa = take(fpa, order);
    const m = xpa.shape[0]!;
    xpa = concatenate(
      [
        lax.sub(lax.slice(xpa, [m - 1], [m]), lax.scalarLike(xpa, p)),
        xpa,
        lax.add(lax.slice(xpa, [0], [1]), lax.scalarLike(xpa, p)),
      ],
      0,
    );
    fpa = concatenate([lax.slice(fpa, [m - 1], [m]), fpa, lax.slice(fpa, [0], [1])], 0);
  }
  const m = xpa.shape[0]!;
  const i = clip(searchsorted(xpa, xa, { side: "right" }), 1, Math.max(m - 1, 1));
  const at = (v: Array, k: Array): Array => take(v, k);
  const im1 = lax.sub(i, lax.scalarLike(i, 1));
  const x0 = at(xpa, im1);
  const x1 = at(xpa, m > 1 ? i : im1);
  const f0 = at(fpa, im1);
  const f1 = at(fpa, m > 1 ? i : im1);
  const dxp = lax.sub(x1, x0);
  const delta = lax.sub(xa, x0);
  // JAX's tolerance for repeated xp: np.spacing(finfo(dtype).eps).
  const eps = xpa.dtype.name === "float64" ? 4.930380657631324e-32 : 1.4210855e-14;
  const tiny = lax.le(lax.abs(dxp), lax.scalarLike(dxp, eps));
  const safe = where(tiny, lax.scalarLike(dxp, 1), dxp);
  let df = where(tiny, lax.scalarLike(f0, 0), lax.mul(lax.div(delta, safe), lax.sub(f1, f0)));
  if (m === 1) df = lax.fullLike(f0, 0);
  let f = lax.add(f0, df);
  if (period === null) {
    const xFirst = lax.reshape(lax.slice(xpa, [0], [1]), []);
    const xLast = lax.reshape(lax.slice(xpa, [m - 1], [m]), []);
    if (left !== "extrapolate") {
      const l =
        left === null
          ? lax.reshape(lax.slice(fpa, [0], [1]), [])
          : lax.convertElementType(asarray(left), f.dtype);
      f = where(lax.lt(xa, xFirst), l, f);
    }
    if (right !== "extrapolate") {
      const r =
        right === null
          ? lax.reshape(lax.slice(fpa, [m - 1], [m]), [])
          : lax.convertElementType(asarray(right), f.dtype);
      f = where(lax.gt(xa, xLast), r, f);
    }
  }
  return f;
}
