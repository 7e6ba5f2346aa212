/** Helpers of the jnp.fft / lax.fft tests: complex arrays from interleaved values, errors. */
import { type Array, lax, numpy as jnp } from "../../../src/index.js";

/** A complex array of `shape` from interleaved (re, im) values. */
export function complexFrom(
  v: Float64Array,
  shape: readonly number[],
  dtype: "float32" | "float64",
): Array {
  const n = v.length / 2;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = v[2 * i]!;
    im[i] = v[2 * i + 1]!;
  }
  return lax.complex(jnp.array(re, dtype), jnp.array(im, dtype)).reshape([...shape]);
}

/** Flat values: real arrays as they are, complex ones as interleaved (re, im) pairs. */
export function flatValues(x: Array): number[] {
  return globalThis.Array.from(x.toTypedArray() as ArrayLike<number>, Number);
}

/** ‖got − want‖₂ / ‖want‖₂ (the absolute error when want is zero). */
export function relL2(got: readonly number[], want: readonly number[]): number {
  if (got.length !== want.length) return Infinity;
  let e = 0;
  let r = 0;
  for (let i = 0; i < want.length; i++) {
    e += (got[i]! - want[i]!) ** 2;
    r += want[i]! ** 2;
  }
  return r === 0 ? Math.sqrt(e) : Math.sqrt(e / r);
}
