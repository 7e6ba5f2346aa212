/** `lax.fft(x, fft_type, fft_lengths)` and `lax.FftType`, over the fft primitive. */
import type { Array } from "../trace/array.js";
import { fft as fftOf } from "../primitives/index.js";
import { operand, type Operand } from "./operands.js";

/** `lax.FftType`: the transform kinds (pass a member or its name, any case as JAX's strings). */
export const FftType = Object.freeze({
  FFT: "FFT",
  IFFT: "IFFT",
  RFFT: "RFFT",
  IRFFT: "IRFFT",
} as const);

/**
 * `lax.fft(x, fft_type, fft_lengths)`: the transform of the trailing `fft_lengths.length`
 * axes. `fft_type` is a `FftType` member, its name in either case, or JAX's integer value.
 */
export function fft(x: Operand, fftType: string | number, fftLengths: readonly number[]): Array {
  return fftOf(operand("fft", x, "x"), fftType, fftLengths);
}
