/**
 * jax.numpy's complex-number functions: `real imag conj conjugate angle iscomplex isreal
 * iscomplexobj isrealobj real_if_close`, the scalar types `complex64`/`complex128`, and the
 * complex cases of reductions without a primitive (`prod`: a pairwise tree of complex
 * multiplies, so it differentiates and batches as multiplication does).
 */
import { type DType, complex128, complex64, defaultFloat, realPartDType } from "../core/dtype.js";
import { bind1 } from "../trace/trace.js";
import { isComplexScalar } from "../core/complex-scalar.js";
import { ValueError } from "../core/errors.js";
import { Array, type ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { type ScalarType, scalarType } from "./scalar-types.js";

/** `jnp.complex64`: the complex64 scalar type (`jnp.complex64({ re: 1, im: 2 })` is a strongly typed scalar). */
export const complex64_: ScalarType = scalarType(complex64);
/** `jnp.complex128`: the complex128 scalar type (complex64 unless x64 is enabled, as JAX). */
export const complex128_: ScalarType = scalarType(complex128);

/** `jnp.real(x)`: the real part (a real array is returned as it is). */
export function real(x: ArrayLike): Array {
  const a = asarray(x);
  return a.dtype.isComplex ? lax.real(a) : a;
}
/** `jnp.imag(x)`: the imaginary part (zeros for a real array). */
export function imag(x: ArrayLike): Array {
  const a = asarray(x);
  return a.dtype.isComplex ? lax.imag(a) : lax.fullLike(a, 0);
}
/** `jnp.conjugate(x)` / `jnp.conj(x)`: the complex conjugate (a real array unchanged). */
export function conjugate(x: ArrayLike): Array {
  const a = asarray(x);
  return a.dtype.isComplex ? lax.conj(a) : a;
}
/** `jnp.conj(x)`: `jnp.conjugate` under numpy's short name. */
export const conj = conjugate;

/** `jnp.angle(z, deg?)`: atan2(imag, real), in radians or degrees (float for real input). */
export function angle(z: ArrayLike, deg = false): Array {
  let a = asarray(z);
  if (!a.dtype.isComplex && !a.dtype.isFloat) a = lax.convertElementType(a, defaultFloat());
  const re = real(a);
  const im = imag(a);
  const r = lax.atan2(im, re);
  return deg ? lax.mul(r, lax.scalarLike(r, 180 / Math.PI)) : r;
}

/** `jnp.iscomplex(x)`: elementwise, whether the imaginary part is nonzero. */
export function iscomplex(x: ArrayLike): Array {
  const a = asarray(x);
  const i = imag(a);
  return lax.ne(i, lax.fullLike(i, 0));
}
/** `jnp.isreal(x)`: elementwise, whether the imaginary part is zero. */
export function isreal(x: ArrayLike): Array {
  const a = asarray(x);
  const i = imag(a);
  return lax.eq(i, lax.fullLike(i, 0));
}
/** `jnp.iscomplexobj(x)`: whether x has a complex dtype (not whether any value is). */
export function iscomplexobj(x: unknown): boolean {
  if (isComplexScalar(x)) return true;
  if (x instanceof Array) return x.dtype.isComplex;
  if (x === null || x === undefined) return false;
  try {
    return asarray(x as ArrayLike).dtype.isComplex;
  } catch {
    return false;
  }
}
/** `jnp.isrealobj(x)`: not iscomplexobj. */
export function isrealobj(x: unknown): boolean {
  return !iscomplexobj(x);
}

/**
 * `jnp.real_if_close(x, tol=100)`: the real part when every imaginary part is within `tol`
 * machine epsilons of zero (a concrete check, as JAX's), else x unchanged.
 */
export function realIfClose(x: ArrayLike, tol = 100): Array {
  const a = asarray(x);
  if (!a.dtype.isComplex) return a;
  const eps = realPartDType(a.dtype).itemsize === 4 ? 2 ** -23 : 2 ** -52;
  const limit = tol > 1 ? tol * eps : tol;
  const small = lax.le(lax.abs(lax.imag(a)), lax.scalarLike(lax.imag(a), limit));
  const axes = small.shape.map((_, i) => i);
  const all = axes.length ? bind1(lax.reduceAndP, [small], { axes }) : small;
  return all.item() ? lax.real(a) : a;
}

/** The product over `axes` of a complex array: a pairwise tree of complex multiplies. */
export function complexProd(a: Array, axes: readonly number[], dtype: DType): Array {
  if (!dtype.isComplex) throw new ValueError(`complexProd: ${dtype.name} is not complex`);
  const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const moved = lax.transpose(a, [...kept, ...axes]);
  const outShape = kept.map((i) => a.shape[i]!);
  const n = axes.reduce((p, ax) => p * a.shape[ax]!, 1);
  let t = lax.reshape(moved, [...outShape, n]);
  let len = n;
  if (len === 0) return lax.full(outShape, 1, dtype);
  const last = outShape.length;
  while (len > 1) {
    if (len % 2 === 1) {
      t = lax.concatenate([t, lax.full([...outShape, 1], 1, dtype)], last);
      len += 1;
    }
    const half = len / 2;
    const lo = lax.slice(t, [...outShape.map(() => 0), 0], [...outShape, half]);
    const hi = lax.slice(t, [...outShape.map(() => 0), half], [...outShape, len]);
    t = lax.mul(lo, hi);
    len = half;
  }
  return lax.reshape(t, outShape);
}
