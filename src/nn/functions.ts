/**
 * `jax.nn` activations and normalizations, with JAX's definitions (jax/_src/nn/functions.py):
 * the same formulas, the same promotion, the same behaviour under differentiation where JAX
 * defines it specially (relu and relu6 have zero derivative at their kinks; softmax and
 * log_softmax subtract a stop-gradient'ed max). Keyword arguments are options objects
 * (`./options.ts`); softmax, logsumexp, standardize and oneHot are in `./softmax.ts`.
 */
import { normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import type { AnyFunction } from "../trace/pytree-types.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "../numpy/coerce.js";
import * as jnp from "../numpy/index.js";
import { type CustomJvpFunction, customJvp } from "../transforms/custom-jvp.js";
import { jit } from "../transforms/jit/jit.js";
import { bindArgs } from "./options.js";

const c = (x: Array, v: number) => lax.scalarLike(x, v);
const inexact = (x: ArrayLike): Array => promoteArgsInexact(x)[0]!;

/** A function under a given name (module-level bindings would otherwise rename it). */
function named<F extends AnyFunction>(name: string, f: F): F {
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

export interface AlphaOptions {
  alpha?: ArrayLike;
}

/** x for x > 0, alpha·(exp(x) - 1) otherwise: `elu(x, 0.5)` or `elu(x, { alpha: 0.5 })`. */
export function elu(x: ArrayLike, ...args: [alpha?: ArrayLike | AlphaOptions]): Array {
  const { alpha } = bindArgs("nn.elu", { alpha: 1.0 as ArrayLike }, args);
  const a = asarray(x);
  const pos = jnp.greater(a, 0);
  return jnp.where(pos, a, jnp.multiply(alpha, jnp.expm1(jnp.where(pos, 0, a))));
}

export interface LeakyReluOptions {
  negativeSlope?: ArrayLike;
}

/** x for x >= 0, negativeSlope·x otherwise (`leakyRelu(x, 0.2)` or `{ negativeSlope: 0.2 }`). */
export function leakyRelu(
  x: ArrayLike,
  ...args: [negativeSlope?: ArrayLike | LeakyReluOptions]
): Array {
  const { negativeSlope } = bindArgs("nn.leakyRelu", { negativeSlope: 1e-2 as ArrayLike }, args);
  const a = asarray(x);
  return jnp.where(jnp.greaterEqual(a, 0), a, jnp.multiply(negativeSlope, a));
}

/** x clipped to [-1, 1]. */
export function hardTanh(x: ArrayLike): Array {
  const a = asarray(x);
  return jnp.where(jnp.greater(a, 1), 1, jnp.where(jnp.less(a, -1), -1, a));
}

/** max(x, 0) + alpha·expm1(min(x, 0) / alpha): `celu(x, 2)` or `celu(x, { alpha: 2 })`. */
export function celu(x: ArrayLike, ...args: [alpha?: ArrayLike | AlphaOptions]): Array {
  const { alpha } = bindArgs("nn.celu", { alpha: 1.0 as ArrayLike }, args);
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

export interface GeluOptions {
  approximate?: boolean;
}

/**
 * Gaussian error linear unit. `approximate` (the default, as JAX) uses the tanh form
 * x/2·(1 + tanh(√(2/π)(x + 0.044715x³))); otherwise the exact x/2·erfc(-x/√2).
 * `gelu(x, false)` or `gelu(x, { approximate: false })`.
 */
export function gelu(x: ArrayLike, ...args: [approximate?: boolean | GeluOptions]): Array {
  const { approximate } = bindArgs("nn.gelu", { approximate: true as boolean }, args);
  if (typeof approximate !== "boolean") {
    throw new TypeError(
      `nn.gelu: approximate must be a boolean, got ${typeof approximate}; ` +
        `use gelu(x, { approximate: false }) for the exact form.`,
    );
  }
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

export interface GluOptions {
  axis?: number;
}

/** Gated linear unit: first half · sigmoid(second half) along `axis` (`glu(x, 0)`, `{ axis: 0 }`). */
export function glu(x: ArrayLike, ...args: [axis?: number | GluOptions]): Array {
  const { axis } = bindArgs("nn.glu", { axis: -1 }, args);
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
