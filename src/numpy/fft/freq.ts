/**
 * jnp.fft's real-valued helpers: `fftfreq` and `rfftfreq` (sample frequencies, computed as JAX
 * does: integer frequencies in the float dtype divided by d·n rounded to that dtype) and
 * `fftshift` / `ifftshift` (rolls by ∓⌊dim/2⌋ along the given axes, all by default).
 */
import { type DTypeLike, canonicalize, defaultFloat, toDType } from "../../core/dtype.js";
import { ValueError } from "../../core/errors.js";
import { normalizeAxis } from "../../core/shape.js";
import { Array, type ArrayLike } from "../../trace/array.js";
import { asarray } from "../coerce.js";
import { arange } from "../creation.js";
import { roll } from "../splitting.js";
import { divide, multiply, remainder, subtract, add } from "../ufuncs.js";

/** The keyword arguments of `fftfreq` / `rfftfreq`. */
export interface FftFreqOptions {
  dtype?: DTypeLike | null;
}

function checkScalarArgs(name: string, n: unknown, d: unknown): void {
  if (globalThis.Array.isArray(n))
    throw new ValueError(
      `The n argument of jax.numpy.fft.${name} only takes an int. Got n = [${n.join(", ")}].`,
    );
  if (globalThis.Array.isArray(d))
    throw new ValueError(
      `The d argument of jax.numpy.fft.${name} only takes a single value. Got d = [${d.join(", ")}].`,
    );
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
    throw new ValueError(
      `jax.numpy.fft.${name}: n must be a non-negative integer, got ${String(n)}.`,
    );
}

/** d·n as a 0-d array of `dtype` (d may be an array, possibly traced). */
function spacing(d: number | Array, n: number, dtype: DTypeLike): Array {
  if (d instanceof Array) return asarray(multiply(d, n), dtype);
  return asarray(d * n, dtype);
}

/** The float dtype the frequencies are computed in, and the dtype returned. */
function dtypes(dtype: DTypeLike | null | undefined): { compute: DTypeLike; out: DTypeLike } {
  if (dtype === undefined || dtype === null)
    return { compute: defaultFloat(), out: defaultFloat() };
  const out = canonicalize(toDType(dtype));
  return { compute: out.isFloat ? out : defaultFloat(), out };
}

/**
 * `jnp.fft.fftfreq(n, d=1.0, *, dtype=None)`: [0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / (d·n).
 */
export function fftfreq(n: number, d: number | Array = 1.0, options: FftFreqOptions = {}): Array {
  checkScalarArgs("fftfreq", n, d);
  const { compute, out } = dtypes(options.dtype);
  const half = Math.floor(n / 2);
  const i = arange(n, { dtype: compute });
  const k = n === 0 ? i : subtract(remainder(add(i, half), n), half);
  return asarray(divide(k, spacing(d, n, compute)), out);
}

/** `jnp.fft.rfftfreq(n, d=1.0, *, dtype=None)`: [0, 1, …, ⌊n/2⌋] / (d·n). */
export function rfftfreq(n: number, d: number | Array = 1.0, options: FftFreqOptions = {}): Array {
  checkScalarArgs("rfftfreq", n, d);
  const { compute, out } = dtypes(options.dtype);
  const k = arange(Math.floor(n / 2) + 1, { dtype: compute });
  return asarray(divide(k, spacing(d, n, compute)), out);
}

function shifts(x: Array, axes: number | readonly number[] | null, sign: 1 | -1): number[][] {
  const list =
    axes === null ? x.shape.map((_, k) => k) : typeof axes === "number" ? [axes] : [...axes];
  const norm = list.map((a) => normalizeAxis(a, x.ndim));
  return [norm.map((a) => sign * Math.floor(x.shape[a]! / 2)), norm];
}

/** `jnp.fft.fftshift(x, axes=None)`: the zero frequency moved to the centre. */
export function fftshift(x: ArrayLike, axes: number | readonly number[] | null = null): Array {
  const a = asarray(x);
  const [s, ax] = shifts(a, axes, 1);
  return ax.length === 0 ? a : roll(a, s, ax);
}

/** `jnp.fft.ifftshift(x, axes=None)`: the inverse of `fftshift`. */
export function ifftshift(x: ArrayLike, axes: number | readonly number[] | null = null): Array {
  const a = asarray(x);
  const [s, ax] = shifts(a, axes, -1);
  return ax.length === 0 ? a : roll(a, s, ax);
}
