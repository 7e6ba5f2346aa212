/**
 * The transposes of fft_p, as JAX's: FFT and IFFT are symmetric matrices (their own
 * transposes). RFFT's transpose is N·IRFFT(conj(t)/mask) and IRFFT's is conj(mask·RFFT(t)/N),
 * where the mask (1 at the zero frequency and, for even n, at the Nyquist one; 2 elsewhere)
 * accounts for the coefficients RFFT leaves out by Hermitian symmetry. The fft binder comes
 * in as an argument (fft.ts imports this module).
 */
import { type DType, int32, realPartDType } from "../core/dtype.js";
import type { Array } from "../trace/array.js";
import { scalarLike } from "./constants.js";
import { conj } from "./complex/parts.js";
import { convertElementType } from "./convert.js";
import { eq, mul } from "./elementwise/functions.js";
import { selectN } from "./select.js";
import { broadcastInDim } from "./shape/broadcast.js";
import { iota } from "./shape/iota.js";

type FftType = "FFT" | "IFFT" | "RFFT" | "IRFFT";
type Binder = (x: Array, type: FftType, lengths: readonly number[]) => Array;
interface TransposeParams {
  fft_type: FftType;
  fft_lengths: readonly number[];
}

/**
 * `edge` at index 0 and, when the transform length n is even, at m − 1; `inner` elsewhere,
 * over the last axis of `shape` (length m), as a complex array of `dtype` (multiplying a
 * complex value by it is a complex mul; the factors are real).
 */
function hermitianMask(
  shape: readonly number[],
  n: number,
  dtype: DType,
  edgeValue: number,
  innerValue: number,
): Array {
  const nd = shape.length;
  const m = shape[nd - 1]!;
  const real = realPartDType(dtype);
  const k = iota(int32, [m]);
  const edges = broadcastInDim(scalarLike({ dtype: real }, edgeValue), [m], []);
  const inners = broadcastInDim(scalarLike({ dtype: real }, innerValue), [m], []);
  let edge = eq(k, broadcastInDim(scalarLike({ dtype: int32 }, 0), [m], []));
  let mask = selectN(edge, inners, edges);
  if (n % 2 === 0) {
    edge = eq(k, broadcastInDim(scalarLike({ dtype: int32 }, m - 1), [m], []));
    mask = selectN(edge, mask, edges);
  }
  return convertElementType(broadcastInDim(mask, shape, [nd - 1]), dtype);
}

export function fftTransposeRule(t: Array, p: TransposeParams, fft: Binder): Array {
  const lengths = p.fft_lengths;
  const n = lengths[lengths.length - 1]!;
  const total = lengths.reduce((a, b) => a * b, 1);
  if (p.fft_type === "RFFT") {
    // N·IRFFT(conj(t)/mask) = IRFFT(conj(t)·(N/mask)): IRFFT is real-linear.
    const mask = hermitianMask(t.shape, n, t.dtype, total, total / 2);
    return fft(mul(conj(t), mask), "IRFFT", lengths);
  }
  if (p.fft_type === "IRFFT") {
    const x = fft(t, "RFFT", lengths);
    const mask = hermitianMask(x.shape, n, x.dtype, 1 / total, 2 / total);
    return conj(mul(mask, x));
  }
  return fft(t, p.fft_type, lengths);
}
