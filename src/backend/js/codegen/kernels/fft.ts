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

/** Columns gathered together when the axis is strided (8 complex64 = one 64-byte cache line). */
const COLUMN_BLOCK = 8;

let blockIn = new Float64Array(0);
let blockOut = new Float64Array(0);

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
  const inLine = inWidth * inLength;
  const outLine = outWidth * outLength;
  const [, b] = lines(inBuf);
  const plan = fftType === "FFT" || fftType === "IFFT" ? planFor(n) : undefined;
  const scale = fftType === "IFFT" ? 1 / n : 1;
  const transform = (a: Float64Array): Float64Array => {
    if (plan) return complexTransform(plan, a, b, fftType === "IFFT");
    if (fftType === "RFFT") realForward(a, n, b);
    else realInverse(a, inLength, n, b);
    return b;
  };
  if (inner === 1) {
    // Contiguous lines: transformed straight from a gathered copy into the output.
    const [a] = lines(inBuf);
    for (let o = 0; o < outer; o++) {
      const ib = o * inLine;
      for (let j = 0; j < inLine; j++) a[j] = src[ib + j]!;
      const res = transform(a);
      const ob = o * outLine;
      for (let j = 0; j < outLine; j++) dst[ob + j] = res[j]! * scale;
    }
    return;
  }
  // A block of up to COLUMN_BLOCK lines: gathered and scattered row by row (whole cache lines
  // when the axis is strided), transformed one by one.
  const width = Math.min(COLUMN_BLOCK, inner);
  if (blockIn.length < width * inBuf) blockIn = new Float64Array(width * inBuf);
  if (blockOut.length < width * outLine) blockOut = new Float64Array(width * outLine);
  const bin = blockIn;
  const bout = blockOut;
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += width) {
      const nb = Math.min(width, inner - i0);
      const cin = nb * inWidth;
      for (let j = 0; j < inLength; j++) {
        const at = ((o * inLength + j) * inner + i0) * inWidth;
        for (let c = 0, f = 0; f < cin; c++, f += inWidth) {
          const to = c * inBuf + j * inWidth;
          bin[to] = src[at + f]!;
          if (inWidth === 2) bin[to + 1] = src[at + f + 1]!;
        }
      }
      for (let c = 0; c < nb; c++) {
        const res = transform(bin.subarray(c * inBuf, (c + 1) * inBuf));
        const base = c * outLine;
        for (let j = 0; j < outLine; j++) bout[base + j] = res[j]! * scale;
      }
      const cout = nb * outWidth;
      for (let j = 0; j < outLength; j++) {
        const at = ((o * outLength + j) * inner + i0) * outWidth;
        for (let c = 0, f = 0; f < cout; c++, f += outWidth) {
          const from = c * outLine + j * outWidth;
          dst[at + f] = bout[from]!;
          if (outWidth === 2) dst[at + f + 1] = bout[from + 1]!;
        }
      }
    }
  }
}
