/**
 * The shared road of jnp.fft's transforms (JAX's `_fft_core`): check `s` / `axes`, move the
 * transformed axes to the end (lax.fft transforms the trailing axes), crop or zero-pad each to
 * its length in `s` (IRFFT: the last to s[-1]//2+1), apply `lax.fft`, scale for `norm`
 * ("backward": none, "ortho": 1/√N both ways, "forward": 1/N forward, N inverse) and move the
 * axes back.
 */
import { ValueError } from "../../core/errors.js";
import { normalizeAxis } from "../../core/shape.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import * as lax from "../../primitives/index.js";
import { type FftType, fft as laxFft } from "../../primitives/fft.js";
import { asarray } from "../coerce.js";
import { moveaxis } from "../shape.js";
import { multiply } from "../ufuncs.js";

/** `norm`: which direction carries the 1/N (or both √N). */
export type FftNorm = "backward" | "ortho" | "forward";

/** Keyword arguments of the 1-D transforms. */
export interface Fft1dOptions {
  n?: number | null;
  axis?: number;
  norm?: FftNorm | null;
}
/** Keyword arguments of the n-D transforms. */
export interface FftNdOptions {
  s?: readonly number[] | null;
  axes?: readonly number[] | null;
  norm?: FftNorm | null;
}

function checkNorm(norm: string): void {
  if (norm !== "backward" && norm !== "ortho" && norm !== "forward")
    throw new ValueError(`Invalid norm value ${norm}; should be "backward","ortho" or "forward".`);
}

/** The factor `norm` applies to a transform of total length N. */
function normFactor(funcName: string, norm: FftNorm, total: number): number {
  const inverse = funcName.startsWith("i");
  if (norm === "ortho") return inverse ? Math.sqrt(total) : 1 / Math.sqrt(total);
  if (norm === "forward") return inverse ? total : 1 / total;
  return 1;
}

/** JAX's `_fft_core`. */
export function fftCore(
  funcName: string,
  type: FftType,
  a: ArrayLike,
  s: readonly number[] | null | undefined,
  axesArg: readonly number[] | null | undefined,
  norm: FftNorm | null | undefined,
): Array {
  const fullName = `jax.numpy.fft.${funcName}`;
  let arr = asarray(a);
  if (norm !== null && norm !== undefined) checkNorm(norm);
  if (s !== null && s !== undefined) {
    for (const v of s)
      if (!Number.isInteger(v))
        throw new TypeError(`${fullName}: s must be a sequence of integers, got ${String(v)}.`);
    if (s.some((v) => v <= 0)) throw new ValueError("Shape should be positive.");
  }
  if (s != null && axesArg != null && s.length !== axesArg.length)
    throw new ValueError("Shape and axes have different lengths.");
  let axes: number[];
  if (axesArg == null) {
    const k = s == null ? arr.ndim : s.length;
    if (k > arr.ndim)
      throw new ValueError(
        `${fullName}: s has ${k} entries for an array of ${arr.ndim} dimensions.`,
      );
    axes = globalThis.Array.from({ length: k }, (_, i) => arr.ndim - k + i);
  } else {
    axes = axesArg.map((ax) => normalizeAxis(ax, arr.ndim));
  }
  if (new Set(axes).size !== axes.length)
    throw new ValueError(
      `${fullName} does not support repeated axes. Got axes ${axesArg == null ? `range(0, ${axes.length})` : `(${axesArg.join(", ")}${axesArg.length === 1 ? "," : ""})`}.`,
    );
  const origAxes = axesArg == null ? null : axes;
  if (origAxes !== null) {
    axes = axes.map((_, i) => arr.ndim - axes.length + i);
    arr = moveaxis(arr, origAxes, axes);
  }
  let lengths: number[];
  if (s != null) {
    const inS = [...arr.shape];
    axes.forEach((ax, i) => (inS[ax] = s[i]!));
    if (type === "IRFFT" && axes.length) inS[arr.ndim - 1] = Math.floor(inS[arr.ndim - 1]! / 2) + 1;
    arr = cropOrPad(arr, inS);
    lengths = [...s];
  } else if (type === "IRFFT") {
    lengths = axes.slice(0, -1).map((ax) => arr.shape[ax]!);
    if (axes.length) lengths.push(Math.max(0, 2 * (arr.shape[axes[axes.length - 1]!]! - 1)));
  } else {
    lengths = axes.map((ax) => arr.shape[ax]!);
  }
  let out = laxFft(arr, type, lengths);
  if (norm !== null && norm !== undefined && norm !== "backward") {
    const total = lengths.reduce((x, y) => x * y, 1);
    // A weakly typed factor: the result keeps the transform's dtype.
    out = multiply(out, normFactor(funcName, norm, total));
  }
  if (origAxes !== null) out = moveaxis(out, axes, origAxes);
  return out;
}

/** Crop (slice) and zero-pad `x` to `shape`. */
function cropOrPad(x: Array, shape: readonly number[]): Array {
  let y = x;
  if (shape.some((d, k) => d < y.shape[k]!))
    y = lax.slice(
      y,
      shape.map(() => 0),
      shape.map((d, k) => Math.min(d, y.shape[k]!)),
    );
  if (shape.some((d, k) => d > y.shape[k]!))
    y = lax.pad(
      y,
      lax.scalarLike(y, 0),
      shape.map((d, k) => [0, d - y.shape[k]!, 0] as [number, number, number]),
    );
  return y;
}

/** JAX's `_axis_check_1d`. */
export function axisCheck1d(funcName: string, axis: unknown): void {
  if (globalThis.Array.isArray(axis)) {
    const full = `jax.numpy.fft.${funcName}`;
    throw new ValueError(
      `${full} does not support multiple axes. Please use ${full}n. Got axis = [${axis.join(", ")}].`,
    );
  }
}
