/**
 * jnp.fft's transforms, as JAX defines them over `lax.fft`: the 1-D `fft ifft rfft irfft hfft
 * ihfft` (n, axis, norm), the 2-D `fft2 ifft2 rfft2 irfft2` (s, axes = (-2, -1), norm) and the
 * n-D `fftn ifftn rfftn irfftn` (s, axes, norm). Keyword arguments come as an options object
 * in place of the positional ones (`fft(x, { n: 8, norm: "ortho" })`) or positionally
 * (`fft(x, 8, 0, "ortho")`).
 */
import { ValueError } from "../../core/errors.js";
import { normalizeAxis } from "../../core/shape.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import type { FftType } from "../../primitives/fft.js";
import { asarray } from "../coerce.js";
import { conj } from "../../primitives/index.js";
import { multiply } from "../ufuncs.js";
import {
  type Fft1dOptions,
  type FftNdOptions,
  type FftNorm,
  axisCheck1d,
  fftCore,
} from "./core.js";

type NArg = number | null | undefined | Fft1dOptions;
type SArg = readonly number[] | null | undefined | FftNdOptions;

const isOptions = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !globalThis.Array.isArray(v);

function checkKeys(name: string, o: Record<string, unknown>, keys: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k))
      throw new TypeError(
        `${name}() got an unexpected keyword argument '${k}'; valid options are: ${keys.join(", ")}.`,
      );
}

/** The 1-D arguments from `(n?, axis?, norm?)` or `({ n, axis, norm })`. */
function args1d(
  name: string,
  n: NArg,
  axis: number | undefined,
  norm: FftNorm | null | undefined,
): { n: number | null; axis: number; norm: FftNorm | null } {
  if (isOptions(n)) {
    checkKeys(name, n, ["n", "axis", "norm"]);
    const o = n as Fft1dOptions;
    return { n: o.n ?? null, axis: o.axis ?? -1, norm: o.norm ?? null };
  }
  return { n: (n as number | null | undefined) ?? null, axis: axis ?? -1, norm: norm ?? null };
}

/** The n-D arguments from `(s?, axes?, norm?)` or `({ s, axes, norm })`. */
function argsNd(
  name: string,
  s: SArg,
  axes: readonly number[] | null | undefined,
  norm: FftNorm | null | undefined,
  defaultAxes: readonly number[] | null,
): { s: readonly number[] | null; axes: readonly number[] | null; norm: FftNorm | null } {
  if (isOptions(s) && !ArrayBuffer.isView(s)) {
    const o = s as FftNdOptions;
    checkKeys(name, s, ["s", "axes", "norm"]);
    return {
      s: o.s ?? null,
      axes: o.axes === undefined ? defaultAxes : o.axes,
      norm: o.norm ?? null,
    };
  }
  return {
    s: (s as readonly number[] | null | undefined) ?? null,
    axes: axes === undefined ? defaultAxes : axes,
    norm: norm ?? null,
  };
}

function core1d(
  name: string,
  type: FftType,
  a: ArrayLike,
  n: NArg,
  axis?: number,
  norm?: FftNorm | null,
): Array {
  const p = args1d(name, n, axis, norm);
  axisCheck1d(name, p.axis);
  return fftCore(name, type, a, p.n === null ? null : [p.n], [p.axis], p.norm);
}

function core2d(
  name: string,
  type: FftType,
  a: ArrayLike,
  s: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  const p = argsNd(name, s, axes, norm, [-2, -1]);
  const ax = p.axes ?? [];
  if (ax.length !== 2)
    throw new ValueError(
      `jax.numpy.fft.${name} only supports 2 axes. Got axes = (${ax.join(", ")}${ax.length === 1 ? "," : ""}).`,
    );
  return fftCore(name, type, a, p.s, ax, p.norm);
}

function coreNd(
  name: string,
  type: FftType,
  a: ArrayLike,
  s: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  const p = argsNd(name, s, axes, norm, null);
  return fftCore(name, type, a, p.s, p.axes, p.norm);
}

/** `jnp.fft.fft(a, n=None, axis=-1, norm=None)`. */
export function fft(a: ArrayLike, n?: NArg, axis?: number, norm?: FftNorm | null): Array {
  return core1d("fft", "FFT", a, n, axis, norm);
}
/** `jnp.fft.ifft(a, n=None, axis=-1, norm=None)`. */
export function ifft(a: ArrayLike, n?: NArg, axis?: number, norm?: FftNorm | null): Array {
  return core1d("ifft", "IFFT", a, n, axis, norm);
}
/** `jnp.fft.rfft(a, n=None, axis=-1, norm=None)`. */
export function rfft(a: ArrayLike, n?: NArg, axis?: number, norm?: FftNorm | null): Array {
  return core1d("rfft", "RFFT", a, n, axis, norm);
}
/** `jnp.fft.irfft(a, n=None, axis=-1, norm=None)`. */
export function irfft(a: ArrayLike, n?: NArg, axis?: number, norm?: FftNorm | null): Array {
  return core1d("irfft", "IRFFT", a, n, axis, norm);
}

/** `jnp.fft.hfft(a, n=None, axis=-1, norm=None)`: irfft of conj(a), times the length. */
export function hfft(a: ArrayLike, n?: NArg, axis?: number, norm?: FftNorm | null): Array {
  const p = args1d("hfft", n, axis, norm);
  const conjA = conj(asarray(a));
  axisCheck1d("hfft", p.axis);
  const nn = p.n ?? (conjA.shape[normalizeAxis(p.axis, conjA.ndim)]! - 1) * 2;
  const out = fftCore("hfft", "IRFFT", conjA, p.n === null ? null : [p.n], [p.axis], p.norm);
  return multiply(out, nn);
}

/** `jnp.fft.ihfft(a, n=None, axis=-1, norm=None)`: conj(rfft(a)) / n. */
export function ihfft(a: ArrayLike, n?: NArg, axis?: number, norm?: FftNorm | null): Array {
  const p = args1d("ihfft", n, axis, norm);
  axisCheck1d("ihfft", p.axis);
  const arr = asarray(a);
  const nn = p.n ?? arr.shape[normalizeAxis(p.axis, arr.ndim)]!;
  const out = fftCore("ihfft", "RFFT", arr, p.n === null ? null : [p.n], [p.axis], p.norm);
  return multiply(conj(out), 1 / nn);
}

/** `jnp.fft.fft2(a, s=None, axes=(-2, -1), norm=None)`. */
export function fft2(
  a: ArrayLike,
  s?: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  return core2d("fft2", "FFT", a, s, axes, norm);
}
/** `jnp.fft.ifft2(a, s=None, axes=(-2, -1), norm=None)`. */
export function ifft2(
  a: ArrayLike,
  s?: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  return core2d("ifft2", "IFFT", a, s, axes, norm);
}
/** `jnp.fft.rfft2(a, s=None, axes=(-2, -1), norm=None)`. */
export function rfft2(
  a: ArrayLike,
  s?: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  return core2d("rfft2", "RFFT", a, s, axes, norm);
}
/** `jnp.fft.irfft2(a, s=None, axes=(-2, -1), norm=None)`. */
export function irfft2(
  a: ArrayLike,
  s?: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  return core2d("irfft2", "IRFFT", a, s, axes, norm);
}
/** `jnp.fft.fftn(a, s=None, axes=None, norm=None)`. */
export function fftn(
  a: ArrayLike,
  s?: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  return coreNd("fftn", "FFT", a, s, axes, norm);
}
/** `jnp.fft.ifftn(a, s=None, axes=None, norm=None)`. */
export function ifftn(
  a: ArrayLike,
  s?: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  return coreNd("ifftn", "IFFT", a, s, axes, norm);
}
/** `jnp.fft.rfftn(a, s=None, axes=None, norm=None)`. */
export function rfftn(
  a: ArrayLike,
  s?: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  return coreNd("rfftn", "RFFT", a, s, axes, norm);
}
/** `jnp.fft.irfftn(a, s=None, axes=None, norm=None)`. */
export function irfftn(
  a: ArrayLike,
  s?: SArg,
  axes?: readonly number[] | null,
  norm?: FftNorm | null,
): Array {
  return coreNd("irfftn", "IRFFT", a, s, axes, norm);
}
