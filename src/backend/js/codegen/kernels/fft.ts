/**
 * The `fft` custom kernel of the js device (the wasm device runs it over its memory): batched
 * 1-D transforms along one axis of a row-major [outer, length, inner] array. Complex arrays are
 * interleaved (re, im) pairs of float32 or float64 storage; each line is gathered into a
 * double-precision buffer, transformed there (twiddles in double) and rounded once on the way
 * out. FFT is the forward DFT, IFFT the inverse with 1/n, RFFT real → n//2+1 coefficients,
 * IRFFT n//2+1 coefficients → n reals with 1/n (XLA's and numpy's conventions).
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { complexTransform, planFor } from "./fft-plan.js";
import { realForward, realInverse } from "./fft-real.js";

export type FftKind = "FFT" | "IFFT" | "RFFT" | "IRFFT";

export interface FftKernelParams {
  fftType: FftKind;
  /** Product of the dimensions before the transformed axis. */
  outer: number;
  /** Product of the dimensions after it (the axis' stride in elements). */
  inner: number;
  /** Transform length (the logical n; for IRFFT the output length). */
  n: number;
  /** Axis length of the input (elements: complex for FFT/IFFT/IRFFT, real for RFFT). */
  inLength: number;
  /** Axis length of the output. */
  outLength: number;
}

type FloatArray = Float32Array | Float64Array;

/** Line buffers grown on demand. */
let lineIn = new Float64Array(0);
let lineOut = new Float64Array(0);

function lines(len: number): [Float64Array, Float64Array] {
  if (lineIn.length < len) {
    lineIn = new Float64Array(len);
    lineOut = new Float64Array(len);
  }
  return [lineIn.subarray(0, len), lineOut.subarray(0, len)];
}

/** fft: ins = [x], outs = [y] (interleaved complex where complex; may not alias). */
export function fftKernel(ins: TypedArray[], outs: TypedArray[], p: FftKernelParams): void {
  const src = ins[0] as FloatArray;
  const dst = outs[0] as FloatArray;
  const { fftType, outer, inner, n, inLength, outLength } = p;
  if (n === 0 || outer === 0 || inner === 0) return;
  // Floats per element on each side.
  const inWidth = fftType === "RFFT" ? 1 : 2;
  const outWidth = fftType === "IRFFT" ? 1 : 2;
  const inBuf = Math.max(inWidth * inLength, 2 * n);
  const [a, b] = lines(inBuf);
  const plan = fftType === "FFT" || fftType === "IFFT" ? planFor(n) : undefined;
  const scale = fftType === "IFFT" ? 1 / n : 1;
  const inLine = inWidth * inLength;
  const outLine = outWidth * outLength;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      // Gather the line (contiguous pairs when inner = 1).
      const ib = (o * inLength * inner + i) * inWidth;
      const is = inner * inWidth;
      if (inWidth === 2) {
        for (let j = 0, at = ib; j < inLine; j += 2, at += is) {
          a[j] = src[at]!;
          a[j + 1] = src[at + 1]!;
        }
      } else {
        for (let j = 0, at = ib; j < inLine; j++, at += is) a[j] = src[at]!;
      }
      let res: Float64Array;
      if (plan) {
        res = complexTransform(plan, a, b, fftType === "IFFT");
      } else if (fftType === "RFFT") {
        realForward(a, n, b);
        res = b;
      } else {
        realInverse(a, inLength, n, b);
        res = b;
      }
      const ob = (o * outLength * inner + i) * outWidth;
      const os = inner * outWidth;
      if (outWidth === 2) {
        for (let j = 0, at = ob; j < outLine; j += 2, at += os) {
          dst[at] = res[j]! * scale;
          dst[at + 1] = res[j + 1]! * scale;
        }
      } else {
        for (let j = 0, at = ob; j < outLine; j++, at += os) dst[at] = res[j]!;
      }
    }
  }
}
