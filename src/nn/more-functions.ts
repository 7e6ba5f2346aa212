/**
 * jax.nn functions as JAX defines them (jax/_src/nn/functions.py): identity, tanh,
 * squareplus ((x + √(x² + b))/2), sparse_plus (0 / (x+1)²/4 / x), sparse_sigmoid
 * (½·clip(x + 1, 0, 2)), log1mexp (log(1 − e^−x), through expm1 below log 2 and log1p above),
 * logmeanexp (logsumexp minus the log of the count).
 */
import { normalizeAxes } from "../core/shape.js";
import type { Array, ArrayLike, Axis } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "../numpy/coerce.js";
import { sum } from "../numpy/reductions.js";
import { clip, exp, expm1, log, log1p, sqrt, tanh as jnpTanh, where } from "../numpy/ufuncs.js";
import { logsumexp } from "./softmax.js";

const inexact = (x: ArrayLike): Array => promoteArgsInexact(x)[0]!;

/** The identity activation (`jax.nn.identity`). */
export function identity(x: ArrayLike): Array {
  return asarray(x);
}

/** tanh (`jax.nn.tanh`, jnp.tanh). */
export function tanh(x: ArrayLike): Array {
  return jnpTanh(x);
}

/** (x + √(x² + b)) / 2, a smooth relu (`jax.nn.squareplus(x, b=4)`). */
export function squareplus(x: ArrayLike, b: ArrayLike = 4): Array {
  const [a, bb] = promoteArgsInexact(x, b) as [Array, Array];
  const y = lax.add(a, sqrt(lax.add(lax.mul(a, a), bb)));
  return lax.div(y, lax.scalarLike(y, 2));
}

/** 0 for x ≤ −1, (x+1)²/4 on (−1, 1), x for x ≥ 1 (`jax.nn.sparse_plus`). */
export function sparsePlus(x: ArrayLike): Array {
  const a = inexact(x);
  const one = lax.scalarLike(a, 1);
  const sq = lax.div(lax.mul(lax.add(a, one), lax.add(a, one)), lax.scalarLike(a, 4));
  return where(
    lax.le(a, lax.scalarLike(a, -1)),
    lax.scalarLike(a, 0),
    where(lax.ge(a, one), a, sq),
  );
}

/** ½·clip(x + 1, 0, 2) (`jax.nn.sparse_sigmoid`). */
export function sparseSigmoid(x: ArrayLike): Array {
  const a = inexact(x);
  return lax.mul(lax.scalarLike(a, 0.5), clip(lax.add(a, lax.scalarLike(a, 1)), 0, 2));
}

/** log(1 − e^−x) for x > 0, accurate near 0 and for large x (`jax.nn.log1mexp`). */
export function log1mexp(x: ArrayLike): Array {
  const a = inexact(x);
  const negX = lax.neg(a);
  return where(
    lax.lt(a, lax.scalarLike(a, Math.LN2)),
    log(lax.neg(expm1(negX))),
    log1p(lax.neg(exp(negX))),
  );
}

/** log of the mean of exp(x) over `axis` (`jax.nn.logmeanexp(x, axis, where, keepdims)`). */
export function logmeanexp(
  x: ArrayLike,
  options: { axis?: Axis; where?: ArrayLike | null; keepdims?: boolean } = {},
): Array {
  const a = inexact(x);
  const keepdims = options.keepdims ?? false;
  const axes = normalizeAxes(options.axis ?? null, a.ndim);
  let lse: Array;
  let count: Array;
  if (options.where === undefined || options.where === null) {
    lse = logsumexp(a, { axis: options.axis ?? null, keepdims });
    count = lax.scalarLike(
      lse,
      axes.reduce((n, d) => n * a.shape[d]!, 1),
    );
  } else {
    const w = lax.convertElementType(asarray(options.where), a.dtype);
    const masked = where(lax.ne(w, lax.scalarLike(w, 0)), a, lax.scalarLike(a, -Infinity));
    lse = logsumexp(masked, { axis: options.axis ?? null, keepdims });
    count = sum(lax.mul(w, lax.fullLike(a, 1)), { axis: options.axis ?? null, keepdims });
  }
  return lax.sub(lse, log(count));
}
