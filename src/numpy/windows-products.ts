/**
 * jnp window functions (bartlett, blackman, hamming, hanning, kaiser), i0, geomspace,
 * logspace, and the products kron, cross, matvec, vecmat, vecdot — as numpy defines their
 * values and jax/_src/numpy builds them from lax.
 * i0 is the power series Σ (x²/4)^k / (k!)² for |x| ≤ 15 and the asymptotic expansion
 * e^|x| / √(2π|x|) · Σ c_k / x^k beyond (relative error below 1e-7 at the switch).
 */
import { ValueError } from "../core/errors.js";
import { type DTypeLike, canonicalize, defaultFloat, toDType } from "../core/dtype.js";
import { broadcastShapes, normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgs, promoteArgsInexact } from "./coerce.js";
import { expandDims, moveaxis, reshape } from "./shape.js";
import { abs, broadcastTo, where } from "./ufuncs.js";
import { conj } from "./complex.js";
import { sum } from "./reductions.js";
import { linspace } from "./creation.js";
import { matmul } from "./products.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

function windowIndex(M: number): Array {
  if (!Number.isInteger(M)) throw new TypeError(`M must be an integer, got ${M}`);
  return lax.iota(defaultFloat(), [Math.max(M, 0)], 0);
}
function cosineWindow(M: number, terms: readonly number[]): Array {
  if (M <= 1) return lax.full([Math.max(M, 0)], 1, defaultFloat());
  const n = windowIndex(M);
  let w = lax.full([M], terms[0]!, defaultFloat());
  terms.slice(1).forEach((c, k) => {
    const arg = lax.mul(n, lax.scalarConstantOf((2 * Math.PI * (k + 1)) / (M - 1), n.dtype));
    w = lax.add(w, lax.mul(lax.scalarConstantOf(c, n.dtype), lax.cos(arg)));
  });
  return w;
}
/** The Bartlett (triangular) window of M points (`jnp.bartlett`). */
export function bartlett(M: number): Array {
  if (M <= 1) return lax.full([Math.max(M, 0)], 1, defaultFloat());
  const n = windowIndex(M);
  const half = (M - 1) / 2;
  return lax.sub(
    lax.scalarConstantOf(1, n.dtype),
    abs(
      lax.div(lax.sub(n, lax.scalarConstantOf(half, n.dtype)), lax.scalarConstantOf(half, n.dtype)),
    ),
  );
}
/** The Blackman window (`jnp.blackman`). */
export const blackman = (M: number): Array => cosineWindow(M, [0.42, -0.5, 0.08]);
/** The Hamming window (`jnp.hamming`). */
export const hamming = (M: number): Array => cosineWindow(M, [0.54, -0.46]);
/** The Hann window (`jnp.hanning`). */
export const hanning = (M: number): Array => cosineWindow(M, [0.5, -0.5]);

/** The modified Bessel function of the first kind, order 0 (`jnp.i0`). */
export function i0(x: ArrayLike): Array {
  const [a0] = promoteArgsInexact(x);
  const a = abs(a0!);
  if (a.dtype.isComplex) throw new ValueError("i0 does not support complex input");
  const c = (v: number): Array => lax.scalarLike(a, v);
  // Series (|x| ≤ 15): terms t_k = t_{k-1} · (x²/4) / k².
  const small = where(lax.le(a, c(15)), a, c(0));
  const q = lax.mul(lax.mul(small, small), c(0.25));
  let term = lax.fullLike(a, 1);
  let s = term;
  for (let k = 1; k <= 60; k++) {
    term = lax.mul(term, lax.div(q, c(k * k)));
    s = lax.add(s, term);
  }
  // Asymptotic (|x| > 15): e^x/√(2πx) · Σ_k ((2k-1)!!)² / (k! 8^k x^k).
  const big = where(lax.gt(a, c(15)), a, c(15));
  const inv = lax.div(c(1), big);
  let t = lax.fullLike(a, 1);
  let sa = t;
  for (let k = 1; k <= 12; k++) {
    t = lax.mul(t, lax.mul(inv, c(((2 * k - 1) * (2 * k - 1)) / (8 * k))));
    sa = lax.add(sa, t);
  }
  const halfExp = lax.exp(lax.mul(big, c(0.5)));
  const asym = lax.mul(
    lax.mul(halfExp, lax.div(sa, lax.sqrt(lax.mul(big, c(2 * Math.PI))))),
    halfExp,
  );
  return where(lax.le(a, c(15)), s, asym);
}

/** The Kaiser window with shape parameter beta (`jnp.kaiser(M, beta)`). */
export function kaiser(M: number, beta: ArrayLike): Array {
  if (M <= 1) return lax.full([Math.max(M, 0)], 1, defaultFloat());
  const n = windowIndex(M);
  const alpha = (M - 1) / 2;
  const b = lax.convertElementType(asarray(beta), n.dtype);
  const r = lax.div(
    lax.sub(n, lax.scalarConstantOf(alpha, n.dtype)),
    lax.scalarConstantOf(alpha, n.dtype),
  );
  const arg = lax.sqrt(lax.sub(lax.scalarConstantOf(1, n.dtype), lax.mul(r, r)));
  return lax.div(i0(lax.mul(broadcastTo(b, [M]), arg)), i0(b));
}

/** Options of logspace/geomspace. */
export interface LogspaceOptions {
  endpoint?: boolean;
  base?: number;
  dtype?: DTypeLike | null;
  axis?: number;
}

/** `base ** linspace(start, stop, num)` (`jnp.logspace`). */
export function logspace(
  start: number,
  stop: number,
  num = 50,
  options: LogspaceOptions = {},
): Array {
  const d = options.dtype ? canonicalize(toDType(options.dtype)) : defaultFloat();
  const cd = d.isFloat ? d : defaultFloat();
  const lin = linspace(start, stop, num, { endpoint: options.endpoint ?? true, dtype: cd });
  const r = lax.pow(lax.fullLike(lin, options.base ?? 10), lin);
  return lax.convertElementType(r, d);
}

/** Numbers spaced evenly on a log scale between two endpoints (`jnp.geomspace`). */
export function geomspace(
  start: number,
  stop: number,
  num = 50,
  options: Omit<LogspaceOptions, "base"> = {},
): Array {
  if (start === 0 || stop === 0) throw new ValueError("Geometric sequence cannot include zero");
  const d = options.dtype ? canonicalize(toDType(options.dtype)) : defaultFloat();
  const sign = Math.sign(start);
  const r = logspace(Math.log10(start / sign), Math.log10(stop / sign), num, {
    endpoint: options.endpoint ?? true,
    base: 10,
  });
  let out = lax.mul(r, lax.scalarLike(r, sign));
  // Exact endpoints, as numpy.
  if (num > 0) out = out.at(0).set(start);
  if (num > 1 && (options.endpoint ?? true)) out = out.at(num - 1).set(stop);
  return lax.convertElementType(out, d);
}

/** The Kronecker product (`jnp.kron(a, b)`). */
export function kron(a: ArrayLike, b: ArrayLike): Array {
  let [x, y] = promoteArgs(a, b) as [Array, Array];
  if (x.ndim < y.ndim) x = reshape(x, [...range(y.ndim - x.ndim).map(() => 1), ...x.shape]);
  else if (y.ndim < x.ndim) y = reshape(y, [...range(x.ndim - y.ndim).map(() => 1), ...y.shape]);
  const n = x.ndim;
  const xr = expandDims(
    x,
    range(n).map((i) => 2 * i + 1),
  );
  const yr = expandDims(
    y,
    range(n).map((i) => 2 * i),
  );
  const shape = x.shape.map((d, i) => d * y.shape[i]!);
  return reshape(
    lax.mul(
      broadcastTo(
        xr,
        xr.shape.map((d, i) => Math.max(d, yr.shape[i]!)),
      ),
      broadcastTo(
        yr,
        xr.shape.map((d, i) => Math.max(d, yr.shape[i]!)),
      ),
    ),
    shape,
  );
}

/** Options of `jnp.cross`. */
export interface CrossOptions {
  axisa?: number;
  axisb?: number;
  axisc?: number;
  axis?: number | null;
}

/** The cross product of 2- or 3-vectors (`jnp.cross(a, b, axisa, axisb, axisc, axis)`). */
export function cross(a: ArrayLike, b: ArrayLike, options: CrossOptions = {}): Array {
  let [x, y] = promoteArgs(a, b) as [Array, Array];
  let { axisa = -1, axisb = -1, axisc = -1 } = options;
  if (options.axis !== undefined && options.axis !== null) axisa = axisb = axisc = options.axis;
  x = moveaxis(x, axisa, -1);
  y = moveaxis(y, axisb, -1);
  const [m, n] = [x.shape[x.ndim - 1]!, y.shape[y.ndim - 1]!];
  if ((m !== 2 && m !== 3) || (n !== 2 && n !== 3))
    throw new ValueError("Dimension must be either 2 or 3 for cross product");
  const comp = (v: Array, i: number): Array =>
    i < v.shape[v.ndim - 1]!
      ? lax.reshape(
          lax.slice(
            v,
            v.shape.map((_, k) => (k === v.ndim - 1 ? i : 0)),
            v.shape.map((d, k) => (k === v.ndim - 1 ? i + 1 : d)),
          ),
          v.shape.slice(0, -1),
        )
      : lax.fullLike(
          lax.reshape(
            lax.slice(
              v,
              v.shape.map(() => 0),
              v.shape.map((d, k) => (k === v.ndim - 1 ? 1 : d)),
            ),
            v.shape.slice(0, -1),
          ),
          0,
        );
  const [a0, a1, a2] = [comp(x, 0), comp(x, 1), comp(x, 2)];
  const [b0, b1, b2] = [comp(y, 0), comp(y, 1), comp(y, 2)];
  const mul = broadcastMul;
  const sub = broadcastSub;
  const zc = sub(mul(a0, b1), mul(a1, b0));
  if (m === 2 && n === 2) return zc;
  const xc = sub(mul(a1, b2), mul(a2, b1));
  const yc = sub(mul(a2, b0), mul(a0, b2));
  const out = lax.concatenate(
    [xc, yc, zc].map((c) => expandDims(c, -1)),
    xc.ndim,
  );
  return moveaxis(out, -1, normalizeAxis(axisc, out.ndim));
}
function bshape(p: Array, q: Array): number[] {
  const s = broadcastShapes(p.shape, q.shape);
  if (!s)
    throw new ValueError(
      `Incompatible shapes for broadcasting: (${p.shape.join(", ")}) and (${q.shape.join(", ")})`,
    );
  return s;
}
function broadcastMul(p: Array, q: Array): Array {
  const s = bshape(p, q);
  return lax.mul(broadcastTo(p, s), broadcastTo(q, s));
}
function broadcastSub(p: Array, q: Array): Array {
  const s = bshape(p, q);
  return lax.sub(broadcastTo(p, s), broadcastTo(q, s));
}

/** Matrix-vector product over the last axes (`jnp.matvec(x1, x2)`: (..., m, n) · (..., n)). */
export function matvec(x1: ArrayLike, x2: ArrayLike): Array {
  const r = matmul(x1, expandDims(asarray(x2), -1));
  return lax.reshape(r, r.shape.slice(0, -1));
}

/** Vector-matrix product, conjugating the vector (`jnp.vecmat(x1, x2)`: (..., n) · (..., n, m)). */
export function vecmat(x1: ArrayLike, x2: ArrayLike): Array {
  const v = conj(asarray(x1));
  const r = matmul(expandDims(v, -2), x2);
  return lax.reshape(r, [...r.shape.slice(0, -2), r.shape[r.ndim - 1]!]);
}

/** The conjugated dot product along an axis (`jnp.vecdot(x1, x2, { axis: -1 })`). */
export function vecdot(x1: ArrayLike, x2: ArrayLike, options: { axis?: number } = {}): Array {
  const [a, b] = promoteArgs(x1, x2) as [Array, Array];
  const axis = options.axis ?? -1;
  const am = moveaxis(a, axis, -1);
  const bm = moveaxis(b, axis, -1);
  if (am.shape[am.ndim - 1] !== bm.shape[bm.ndim - 1])
    throw new ValueError(`axes must match; got shapes ${a.shape} and ${b.shape} with axis=${axis}`);
  return sum(broadcastMul(conj(am), bm), -1);
}
