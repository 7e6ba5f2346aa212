/** Dtype utilities and comparisons of whole arrays. */
import { type DType, type DTypeLike, toDType } from "../core/dtype.js";
import { promoteTypeInfos, promoteTypes as promote } from "../core/promotion.js";
import { isDTypeLike } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import {
  asarray,
  promoteAndBroadcast,
  promoteArgsInexact,
  promoteShapes,
  typeInfoOf,
} from "./coerce.js";
import { abs, isnan, logicalAnd, logicalOr } from "./ufuncs.js";
import { all } from "./reductions.js";

/** `jnp.promote_types(a, b)`. */
export function promoteTypes(a: DTypeLike, b: DTypeLike): DType {
  return promote(a, b);
}

/**
 * `jnp.result_type(...args)`: arrays, JS scalars (weak) and dtypes (strong). As JAX, dtypes
 * promote as given (uint64 with int64 is float64) and only the result is canonicalized.
 */
export function resultType(...args: (ArrayLike | DTypeLike)[]): DType {
  const infos = args.map((a) =>
    isDTypeLike(a) ? { dtype: toDType(a), weakType: false } : typeInfoOf(a as ArrayLike),
  );
  return promoteTypeInfos(infos).dtype;
}

export function dtype(x: DTypeLike | ArrayLike): DType {
  return isDTypeLike(x) ? toDType(x) : typeInfoOf(x as ArrayLike).dtype;
}

export function isclose(
  x: ArrayLike,
  y: ArrayLike,
  opts: { rtol?: number; atol?: number; equalNan?: boolean } = {},
): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, y)) as [Array, Array];
  const rtol = lax.scalarLike(a, opts.rtol ?? 1e-5);
  const atol = lax.scalarLike(a, opts.atol ?? 1e-8);
  const diff = abs(lax.sub(a, b));
  const tol = lax.add(atol, lax.mul(rtol, abs(b)));
  let close = lax.le(diff, tol);
  // Infinities are close only to themselves.
  close = logicalOr(close, lax.eq(a, b));
  if (opts.equalNan) close = logicalOr(close, logicalAnd(isnan(a), isnan(b)));
  return close;
}

export function allclose(
  x: ArrayLike,
  y: ArrayLike,
  opts: { rtol?: number; atol?: number; equalNan?: boolean } = {},
): Array {
  return all(isclose(x, y, opts));
}

export function arrayEqual(x: ArrayLike, y: ArrayLike): Array {
  const a = asarray(x);
  const b = asarray(y);
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i]))
    return asarray(false);
  const [p, q] = promoteAndBroadcast(a, b);
  return all(lax.eq(p!, q!));
}
