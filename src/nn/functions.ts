/**
 * `jax.nn` activations and normalizations, with JAX's definitions (jax/_src/nn/functions.py):
 * the same formulas, the same promotion, the same behaviour under differentiation where JAX
 * defines it specially (relu and relu6 have zero derivative at their kinks; softmax and
 * log_softmax subtract a stop-gradient'ed max).
 */
import { type DType, type DTypeLike, canonicalize, defaultFloat, toDType } from "../core/dtype.js";
import { normalizeAxes, normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "../numpy/coerce.js";
import * as jnp from "../numpy/index.js";
import { type CustomJvpFunction, customJvp } from "../transforms/custom-jvp.js";
import { jit } from "../transforms/jit.js";

type Axis = number | readonly number[] | null;

const c = (x: Array, v: number) => lax.scalarLike(x, v);
const inexact = (x: ArrayLike): Array => promoteArgsInexact(x)[0]!;

/** A function under a given name (module-level bindings would otherwise rename it). */
function named<F extends (...args: any[]) => any>(name: string, f: F): F {
  Object.defineProperty(f, "name", { value: name });
  return f;
}

/**
 * max(x, 0), defined as JAX does: a `custom_jvp` around a jitted `maximum(x, 0)` whose rule
 * passes the tangent only where x > 0, so the derivative at 0 is 0 (`makeJaxpr(nn.relu)` shows
 * `custom_jvp_call` with `pjit[name=relu]` inside).
 */
export const relu: CustomJvpFunction<(x: ArrayLike) => Array> = customJvp(
  jit(named("relu", (x: ArrayLike): Array => jnp.maximum(x, 0))),
);
relu.defjvps((g: Array, _ans: Array, x: Array) =>
  lax.selectN(jnp.greater(x, 0), lax.fullLike(g, 0), g),
);

/** min(max(x, 0), 6), as JAX: a `custom_jvp` with derivative 0 outside (0, 6), at 0 and 6 too. */
export const relu6: CustomJvpFunction<(x: ArrayLike) => Array> = customJvp(
  jit(named("relu6", (x: ArrayLike): Array => jnp.minimum(jnp.maximum(x, 0), 6.0))),
);
relu6.defjvps((g: Array, _ans: Array, x: Array) =>
  lax.selectN(jnp.logicalAnd(jnp.greater(x, 0), jnp.less(x, 6)), lax.fullLike(g, 0), g),
);

/** 1 / (1 + exp(-x)) (`lax.logistic`). */
export function sigmoid(x: ArrayLike): Array {
  return lax.logistic(inexact(x));
}

/** log(1 + exp(x)), computed as `logaddexp(x, 0)`. */
export function softplus(x: ArrayLike): Array {
  return jnp.logaddexp(x, 0);
}

/** log(sigmoid(x)) = -softplus(-x). */
export function logSigmoid(x: ArrayLike): Array {
  return jnp.negative(softplus(jnp.negative(asarray(x))));
}

/** x · sigmoid(x) (also `swish`). */
export function silu(x: ArrayLike): Array {
  const a = asarray(x);
  return jnp.multiply(a, sigmoid(a));
}
export const swish = silu;

/** x · tanh(softplus(x)). */
export function mish(x: ArrayLike): Array {
  const a = asarray(x);
  return jnp.multiply(a, jnp.tanh(softplus(a)));
}

/** x / (|x| + 1). */
export function softSign(x: ArrayLike): Array {
  const a = asarray(x);
  return jnp.divide(a, jnp.add(jnp.abs(a), 1));
}

/** x for x > 0, alpha·(exp(x) - 1) otherwise. */
export function elu(x: ArrayLike, alpha: ArrayLike = 1.0): Array {
  const a = asarray(x);
  const pos = jnp.greater(a, 0);
  return jnp.where(pos, a, jnp.multiply(alpha, jnp.expm1(jnp.where(pos, 0, a))));
}

/** x for x >= 0, negativeSlope·x otherwise. */
export function leakyRelu(x: ArrayLike, negativeSlope: ArrayLike = 1e-2): Array {
  const a = asarray(x);
  return jnp.where(jnp.greaterEqual(a, 0), a, jnp.multiply(negativeSlope, a));
}

/** x clipped to [-1, 1]. */
export function hardTanh(x: ArrayLike): Array {
  const a = asarray(x);
  return jnp.where(jnp.greater(a, 1), 1, jnp.where(jnp.less(a, -1), -1, a));
}

/** max(x, 0) + alpha·expm1(min(x, 0) / alpha). */
export function celu(x: ArrayLike, alpha: ArrayLike = 1.0): Array {
  return jnp.add(
    jnp.maximum(x, 0),
    jnp.multiply(alpha, jnp.expm1(jnp.divide(jnp.minimum(x, 0), alpha))),
  );
}

/** scale · elu(x, alpha) with the self-normalizing constants. */
export function selu(x: ArrayLike): Array {
  const alpha = 1.6732632423543772; // 1.6732632423543772848170429916717
  const scale = 1.0507009873554805; // 1.0507009873554804934193349852946
  return jnp.multiply(scale, elu(x, alpha));
}

/** relu6(x + 3) / 6. */
export function hardSigmoid(x: ArrayLike): Array {
  return jnp.divide(relu6(jnp.add(x, 3)), 6);
}

/** x · hard_sigmoid(x) (also `hardSwish`). */
export function hardSilu(x: ArrayLike): Array {
  const a = asarray(x);
  return jnp.multiply(a, hardSigmoid(a));
}
export const hardSwish = hardSilu;

/**
 * erfc(z) for z >= 0.5 without cancellation: Numerical Recipes' Chebyshev fit of
 * erfc (fractional error below 1.2e-7, i.e. float32 accuracy); 1 - erf(z) below 0.5.
 */
function erfc(z: Array): Array {
  const coeffs = [
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398,
    1.48851587, -0.82215223, 0.17087277,
  ];
  const big = jnp.greaterEqual(z, 0.5);
  const zs = jnp.where(big, z, 1); // keep the unused branch finite
  const t = jnp.divide(1, jnp.add(1, jnp.multiply(0.5, zs)));
  let poly = c(t, coeffs[coeffs.length - 1]!);
  for (let i = coeffs.length - 2; i >= 0; i--) poly = jnp.add(coeffs[i]!, jnp.multiply(t, poly));
  const tail = jnp.multiply(t, jnp.exp(jnp.add(jnp.negative(jnp.multiply(zs, zs)), poly)));
  return jnp.where(big, tail, jnp.subtract(1, lax.erf(z)));
}

/**
 * Gaussian error linear unit. `approximate` (the default, as JAX) uses the tanh form
 * x/2·(1 + tanh(√(2/π)(x + 0.044715x³))); otherwise the exact x/2·erfc(-x/√2).
 */
export function gelu(x: ArrayLike, approximate = true): Array {
  const a = inexact(x);
  if (approximate) {
    const inner = jnp.multiply(
      Math.sqrt(2 / Math.PI),
      jnp.add(a, jnp.multiply(0.044715, jnp.power(a, 3))),
    );
    return jnp.multiply(a, jnp.multiply(0.5, jnp.add(1, jnp.tanh(inner))));
  }
  return jnp.multiply(jnp.multiply(0.5, a), erfc(jnp.multiply(jnp.negative(a), Math.SQRT1_2)));
}

/** Gated linear unit: first half · sigmoid(second half) along `axis`. */
export function glu(x: ArrayLike, axis = -1): Array {
  const a = asarray(x);
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  if (n % 2 !== 0) throw new Error("axis size must be divisible by 2");
  const start = a.shape.map(() => 0);
  const mid = [...a.shape];
  mid[ax] = n / 2;
  const start2 = [...start];
  start2[ax] = n / 2;
  return jnp.multiply(lax.slice(a, start, mid), sigmoid(lax.slice(a, start2, a.shape)));
}

/** Max over `axes` (keepdims), ignoring elements where `where` is false (JAX's initial=-inf). */
function maskedMax(x: Array, axes: number[], where: Array | null): Array {
  const masked = where ? jnp.where(where, x, -Infinity) : x;
  return jnp.max(masked, { axis: axes, keepdims: true });
}

/**
 * Softmax over `axis` (an int, ints, or null for all): exp(x - max) / Σ exp(x - max), the max
 * stop-gradient'ed as JAX. `where` restricts the elements that take part (others give 0).
 */
export function softmax(x: ArrayLike, axis: Axis = -1, where: ArrayLike | null = null): Array {
  const a = inexact(x);
  const axes = normalizeAxes(axis, a.ndim);
  const w = where === null ? null : jnp.broadcastTo(asarray(where), a.shape);
  const xMax = maskedMax(a, axes, w);
  const safe = w ? jnp.where(w, a, -Infinity) : a;
  const unnormalized = jnp.exp(jnp.subtract(safe, lax.stopGradient(xMax)));
  const result = jnp.divide(unnormalized, jnp.sum(unnormalized, { axis: axes, keepdims: true }));
  return w ? jnp.where(w, result, 0) : result;
}

/** log(softmax(x)) computed stably: shifted - log Σ exp(shifted), shifted = x - stop_gradient(max). */
export function logSoftmax(x: ArrayLike, axis: Axis = -1, where: ArrayLike | null = null): Array {
  const a = inexact(x);
  const axes = normalizeAxes(axis, a.ndim);
  const w = where === null ? null : jnp.broadcastTo(asarray(where), a.shape);
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
  let x: Array;
  let b: Array | null = null;
  if (opts.b !== undefined && opts.b !== null) {
    [x, b] = promoteArgsInexact(a, opts.b) as [Array, Array];
    x = jnp.where(jnp.notEqual(b, 0), x, -Infinity);
  } else x = inexact(a);
  const axes = normalizeAxes(opts.axis ?? null, x.ndim);
  const keepdims = opts.keepdims ?? false;
  let amax = jnp.max(x, { axis: axes, keepdims });
  amax = lax.stopGradient(lax.selectN(jnp.isfinite(amax), lax.fullLike(amax, 0), amax));
  const amaxWithDims = keepdims ? amax : jnp.expandDims(amax, axes);
  let expA = lax.exp(lax.sub(x, amaxWithDims));
  if (b) expA = jnp.multiply(expA, b);
  let sumexp = jnp.sum(expA, { axis: axes, keepdims });
  const sign = lax.sign(sumexp);
  sumexp = lax.abs(sumexp);
  let out = lax.add(lax.log(sumexp), amax);
  if (opts.returnSign) return [out, sign];
  if (b) out = jnp.where(jnp.less(sign, 0), NaN, out);
  return out;
}

/** (x - mean) / sqrt(variance + epsilon) over `axis`, variance as E[x²] - E[x]² (JAX's definition). */
export function standardize(
  x: ArrayLike,
  axis: Axis = -1,
  mean: ArrayLike | null = null,
  variance: ArrayLike | null = null,
  epsilon: ArrayLike = 1e-5,
): Array {
  const a = inexact(x);
  const axes = normalizeAxes(axis, a.ndim);
  const m = mean ?? jnp.mean(a, { axis: axes, keepdims: true });
  const v =
    variance ??
    jnp.subtract(jnp.mean(jnp.square(a), { axis: axes, keepdims: true }), jnp.square(m));
  const denom = jnp.add(v, epsilon);
  return jnp.multiply(jnp.subtract(a, m), lax.rsqrt(inexact(denom)));
}

/**
 * One-hot encoding of integer indices along a new axis `axis` (default last); indices outside
 * [0, numClasses) give all zeros.
 */
export function oneHot(
  x: ArrayLike,
  numClasses: number,
  opts: { dtype?: DTypeLike; axis?: number } = {},
): Array {
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new TypeError(
      `one_hot: num_classes must be a concrete non-negative integer, got ${String(numClasses)}.`,
    );
  }
  const a = asarray(x);
  const d: DType = canonicalize(opts.dtype ? toDType(opts.dtype) : defaultFloat());
  const outAxis = normalizeAxis(opts.axis ?? -1, a.ndim + 1);
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
