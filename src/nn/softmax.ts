/**
 * `jax.nn` softmax, log_softmax, logsumexp, standardize and one_hot, with JAX's definitions
 * (jax/_src/nn/functions.py, JAX 0.4.x). Keyword arguments are options objects; the positional
 * forms of JAX's signatures work too (`softmax(x, 0)`, `softmax(x, { axis: 0, where })`).
 */
import {
  type DType,
  type DTypeLike,
  bool,
  canonicalize,
  defaultFloat,
  toDType,
} from "../core/dtype.js";
import { normalizeAxes, normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "../numpy/coerce.js";
import * as jnp from "../numpy/index.js";
import { bindArgs } from "./options.js";

type Axis = number | readonly number[] | null;

const inexact = (x: ArrayLike): Array => promoteArgsInexact(x)[0]!;

export interface SoftmaxOptions {
  /** Axis or axes to normalize over (null: all); default -1. */
  axis?: Axis;
  /** Elements taking part (broadcast against x); the others give 0 (softmax) or -inf. */
  where?: ArrayLike | null;
}

const SOFTMAX_DEFAULTS = { axis: -1 as Axis, where: null as ArrayLike | null };
type SoftmaxArgs = [axis?: Axis | SoftmaxOptions, where?: ArrayLike | null | SoftmaxOptions];

/** Max over `axes` (keepdims), ignoring elements where `where` is false (JAX's initial=-inf). */
function maskedMax(x: Array, axes: number[], where: Array | null): Array {
  const masked = where ? jnp.where(where, x, -Infinity) : x;
  return jnp.max(masked, { axis: axes, keepdims: true });
}

function softmaxArgs(fn: string, x: ArrayLike, args: SoftmaxArgs) {
  const { axis, where } = bindArgs(fn, SOFTMAX_DEFAULTS, args);
  const a = inexact(x);
  const axes = normalizeAxes(axis, a.ndim);
  const w = where === null ? null : jnp.broadcastTo(asarray(where), a.shape);
  return { a, axes, w };
}

/**
 * Softmax over `axis` (an int, ints, or null for all): exp(x - max) / Σ exp(x - max), the max
 * stop-gradient'ed as JAX. `where` restricts the elements that take part (others give 0).
 */
export function softmax(x: ArrayLike, ...args: SoftmaxArgs): Array {
  const { a, axes, w } = softmaxArgs("nn.softmax", x, args);
  const xMax = maskedMax(a, axes, w);
  const safe = w ? jnp.where(w, a, -Infinity) : a;
  const unnormalized = jnp.exp(jnp.subtract(safe, lax.stopGradient(xMax)));
  const result = jnp.divide(unnormalized, jnp.sum(unnormalized, { axis: axes, keepdims: true }));
  return w ? jnp.where(w, result, 0) : result;
}

/** log(softmax(x)) computed stably: shifted - log Σ exp(shifted), shifted = x - stop_gradient(max). */
export function logSoftmax(x: ArrayLike, ...args: SoftmaxArgs): Array {
  const { a, axes, w } = softmaxArgs("nn.logSoftmax", x, args);
  const xMax = maskedMax(a, axes, w);
  const safe = w ? jnp.where(w, a, -Infinity) : a;
  const shifted = jnp.subtract(safe, lax.stopGradient(xMax));
  const lse = jnp.log(jnp.sum(jnp.exp(shifted), { axis: axes, keepdims: true }));
  const result = jnp.subtract(shifted, lse);
  return w ? jnp.where(w, result, -Infinity) : result;
}

export interface LogsumexpOptions {
  axis?: Axis;
  /** Scale factors: log Σ b·exp(a). */
  b?: ArrayLike | null;
  keepdims?: boolean;
  /** Return [log|Σ|, sign] instead of NaN for negative sums. */
  returnSign?: boolean;
}

const LOGSUMEXP_DEFAULTS = {
  axis: null as Axis,
  b: null as ArrayLike | null,
  keepdims: false,
  returnSign: false,
};

/**
 * log Σ exp(a) over `axis`, stable: the (finite) max is subtracted first and stop-gradient'ed,
 * as `jax.nn.logsumexp` / `jax.scipy.special.logsumexp` (JAX 0.4.x). With `b`, entries whose
 * scale is 0 are dropped (set to -inf) before the max, so they cannot poison the sum.
 */
export function logsumexp(
  a: ArrayLike,
  opts: LogsumexpOptions & { returnSign: true },
): [Array, Array];
export function logsumexp(a: ArrayLike, opts?: LogsumexpOptions): Array;
export function logsumexp(a: ArrayLike, opts: LogsumexpOptions = {}): Array | [Array, Array] {
  const o = bindArgs("nn.logsumexp", LOGSUMEXP_DEFAULTS, [opts], 0);
  let x: Array;
  let b: Array | null = null;
  if (o.b !== null) {
    [x, b] = promoteArgsInexact(a, o.b) as [Array, Array];
    x = jnp.where(jnp.notEqual(b, 0), x, -Infinity);
  } else x = inexact(a);
  const axes = normalizeAxes(o.axis, x.ndim);
  const keepdims = o.keepdims;
  let amax = jnp.max(x, { axis: axes, keepdims });
  amax = lax.stopGradient(lax.selectN(jnp.isfinite(amax), lax.fullLike(amax, 0), amax));
  const amaxWithDims = keepdims ? amax : jnp.expandDims(amax, axes);
  let expA = lax.exp(lax.sub(x, amaxWithDims));
  if (b) expA = jnp.multiply(expA, b);
  let sumexp = jnp.sum(expA, { axis: axes, keepdims });
  const sign = lax.sign(sumexp);
  sumexp = lax.abs(sumexp);
  let out = lax.add(lax.log(sumexp), amax);
  if (o.returnSign) return [out, sign];
  if (b) out = jnp.where(jnp.less(sign, 0), NaN, out);
  return out;
}

export interface StandardizeOptions {
  axis?: Axis;
  mean?: ArrayLike | null;
  variance?: ArrayLike | null;
  epsilon?: ArrayLike;
  /** Elements that take part in the mean and variance (broadcast against x). */
  where?: ArrayLike | null;
}

const STANDARDIZE_DEFAULTS = {
  axis: -1 as Axis,
  mean: null as ArrayLike | null,
  variance: null as ArrayLike | null,
  epsilon: 1e-5 as ArrayLike,
  where: null as ArrayLike | null,
};

/** jnp.mean(v, axes, keepdims=True, where=where): Σ_where v / count(where). */
function meanWhere(v: Array, axes: number[], where: Array | null): Array {
  if (where === null) return jnp.mean(v, { axis: axes, keepdims: true });
  const total = jnp.sum(v, { axis: axes, keepdims: true, where });
  const count = jnp.sum(where, { axis: axes, keepdims: true });
  return lax.div(total, lax.convertElementType(count, v.dtype));
}

/**
 * (x - mean) / sqrt(variance + epsilon) over `axis`, variance as E[x²] - E[x]² (JAX's
 * definition); `where` restricts the elements the statistics are taken over. Positional as
 * JAX's signature (`standardize(x, axis, mean, variance, epsilon, where)`) or an options object.
 */
export function standardize(
  x: ArrayLike,
  ...args: [
    axis?: Axis | StandardizeOptions,
    mean?: ArrayLike | null | StandardizeOptions,
    variance?: ArrayLike | null | StandardizeOptions,
    epsilon?: ArrayLike | StandardizeOptions,
    where?: ArrayLike | null | StandardizeOptions,
  ]
): Array {
  const o = bindArgs("nn.standardize", STANDARDIZE_DEFAULTS, args);
  const a = inexact(x);
  const axes = normalizeAxes(o.axis, a.ndim);
  const w = o.where === null ? null : jnp.broadcastTo(asarray(o.where, bool), a.shape);
  const m = o.mean ?? meanWhere(a, axes, w);
  const v = o.variance ?? jnp.subtract(meanWhere(jnp.square(a), axes, w), jnp.square(m));
  const denom = jnp.add(v, o.epsilon);
  return jnp.multiply(jnp.subtract(a, m), lax.rsqrt(inexact(denom)));
}

export interface OneHotOptions {
  numClasses?: number;
  dtype?: DTypeLike;
  axis?: number;
}

const ONE_HOT_DEFAULTS = {
  numClasses: undefined as number | undefined,
  dtype: undefined as DTypeLike | undefined,
  axis: -1,
};

/**
 * One-hot encoding of integer indices along a new axis `axis` (default last); indices outside
 * [0, numClasses) give all zeros. `oneHot(x, 3, { dtype })` or `oneHot(x, { numClasses: 3 })`
 * (dtype and axis are keyword-only, as in JAX).
 */
export function oneHot(x: ArrayLike, numClasses: number, opts?: OneHotOptions): Array;
export function oneHot(x: ArrayLike, opts: OneHotOptions & { numClasses: number }): Array;
export function oneHot(x: ArrayLike, ...args: [number | OneHotOptions, OneHotOptions?]): Array {
  const { numClasses, dtype, axis } = bindArgs("nn.oneHot", ONE_HOT_DEFAULTS, args, 1);
  if (numClasses === undefined) {
    throw new TypeError("nn.oneHot() missing 1 required argument: 'numClasses'.");
  }
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new TypeError(
      `one_hot: num_classes must be a concrete non-negative integer, got ${String(numClasses)}.`,
    );
  }
  const a = asarray(x);
  const d: DType = canonicalize(dtype ? toDType(dtype) : defaultFloat());
  const outAxis = normalizeAxis(axis, a.ndim + 1);
  const shape = [...a.shape];
  shape.splice(outAxis, 0, numClasses);
  const lhs = lax.broadcastInDim(
    a,
    shape,
    a.shape.map((_, i) => (i < outAxis ? i : i + 1)),
  );
  const rhs = lax.iota(a.dtype, shape, outAxis);
  return lax.convertElementType(lax.eq(lhs, rhs), d);
}
