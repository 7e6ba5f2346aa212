/**
 * fft: JAX's `fft_p` — FFT, IFFT (normalized by 1/n), RFFT (real → the n//2+1 non-negative
 * frequencies) and IRFFT (back, normalized) over the trailing `fft_lengths.length` axes.
 * Lowered to `fft` custom kernels, one batched 1-D pass per transformed axis (RFFT: the last
 * axis first, then complex passes; IRFFT: complex passes, then the last axis). Linear: its JVP
 * is itself, its transposes are JAX's (FFT ↦ FFT, IFFT ↦ IFFT, RFFT / IRFFT through each other
 * with the Hermitian mask and conjugation); batching moves the batch axis to the front.
 */
import { ShapedArray } from "../core/aval.js";
import {
  type DType,
  complexOfFloat,
  defaultFloat,
  float32,
  float64,
  realPartDType,
} from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import { shapeStr } from "../core/shape.js";
import type { Params } from "../ir/jaxpr.js";
import { complexBufferLazy } from "../kernel/complex-lazy.js";
import { bufferLazy } from "../kernel/lazy.js";
import type { LazyArray, LowerContext } from "../kernel/lowering-types.js";
import type { Array } from "../trace/array.js";
import { type Primitive, UndefinedPrimal, Zero } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero, linearJvp } from "./ad-helpers.js";
import { moveAxis } from "./batch-rules.js";
import { convertElementType } from "./convert.js";
import { setComplexLowering } from "./complex/lowering-table.js";
import { definePrimitive } from "./define.js";
import { fftTransposeRule } from "./fft-transpose.js";

/** lax.FftType: JAX's IntEnum (FFT = 0, IFFT = 1, RFFT = 2, IRFFT = 3). */
export type FftType = "FFT" | "IFFT" | "RFFT" | "IRFFT";
export const FFT_TYPE_VALUES: Readonly<Record<FftType, number>> = {
  FFT: 0,
  IFFT: 1,
  RFFT: 2,
  IRFFT: 3,
};

export interface FftParams extends Params {
  fft_type: FftType;
  fft_lengths: readonly number[];
}

/** The complex dtype of a float or complex dtype (float32 → complex64, float64 → complex128). */
export function complexDtypeOf(d: DType): DType {
  return d.isComplex ? d : complexOfFloat(d);
}
/** The real dtype of a complex one (float32 for complex64). */
export function realDtypeOf(d: DType): DType {
  return realPartDType(d);
}
const isComplex = (d: DType): boolean => d.isComplex;

const tuple = (xs: readonly number[]): string => shapeStr(xs);

function fftAbstractEval(x: ShapedArray, p: FftParams): ShapedArray {
  const lengths = p.fft_lengths;
  const k = lengths.length;
  const shape = x.shape;
  if (k === 0)
    throw new ValueError("fft_lengths must not be empty (lax.fft returns its input then).");
  if (k > shape.length)
    throw new ValueError(
      `FFT input shape ${shapeStr(shape)} must have at least as many input dimensions as fft_lengths ${tuple(lengths)}.`,
    );
  const lead = shape.slice(0, shape.length - k);
  const minor = shape.slice(shape.length - k);
  const same = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((v, i) => v === b[i]);
  switch (p.fft_type) {
    case "RFFT": {
      if (x.dtype !== float32 && x.dtype !== float64)
        throw new ValueError(`RFFT input must be float32 or float64, got ${x.dtype.name}`);
      if (!same(minor, lengths))
        throw new ValueError(
          `RFFT input shape ${shapeStr(shape)} minor dimensions must be equal to fft_lengths ${tuple(lengths)}`,
        );
      const out = [...lead, ...lengths.slice(0, -1), Math.floor(lengths[k - 1]! / 2) + 1];
      return x.update({ shape: out, dtype: complexDtypeOf(x.dtype) });
    }
    case "IRFFT": {
      if (!isComplex(x.dtype))
        throw new ValueError(`IRFFT input must be complex64 or complex128, got ${x.dtype.name}`);
      if (!same(minor.slice(0, -1), lengths.slice(0, -1)))
        throw new ValueError(
          `IRFFT input shape ${shapeStr(shape)} minor dimensions must be equal to all except the last fft_length, got fft_lengths=${tuple(lengths)}`,
        );
      const half = Math.floor(lengths[k - 1]! / 2) + 1;
      if (minor[k - 1] !== half)
        throw new ValueError(
          `IRFFT input shape ${shapeStr(shape)} innermost dimension must be fft_lengths[-1] // 2 + 1 = ${half}`,
        );
      return x.update({ shape: [...lead, ...lengths], dtype: realDtypeOf(x.dtype) });
    }
    default: {
      if (!isComplex(x.dtype))
        throw new ValueError(`FFT input must be complex64 or complex128, got ${x.dtype.name}`);
      if (!same(minor, lengths))
        throw new ValueError(
          `FFT input shape ${shapeStr(shape)} minor dimensions must be equal to fft_lengths ${tuple(lengths)}`,
        );
      return x;
    }
  }
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Emit one batched 1-D pass along `axis` from buffer `src` (shape `inShape`) into a new one. */
function pass(
  ctx: LowerContext,
  src: number,
  inShape: readonly number[],
  axis: number,
  type: FftType,
  n: number,
  outAval: ShapedArray,
): number {
  const dst = ctx.newBuffer(outAval);
  ctx.emit({
    kind: "custom",
    op: "fft",
    inputs: [src],
    outputs: [dst],
    params: {
      fftType: type,
      outer: prod(inShape.slice(0, axis)),
      inner: prod(inShape.slice(axis + 1)),
      n,
      inLength: inShape[axis]!,
      outLength: outAval.shape[axis]!,
    },
  });
  return dst;
}

function fftLower(ctx: LowerContext, x: LazyArray, p: FftParams, out: ShapedArray): LazyArray {
  const lengths = p.fft_lengths;
  const k = lengths.length;
  const nd = out.shape.length;
  // Complex values travel as interleaved (re, im) buffers of their part dtype.
  let buf = x.parts ? ctx.materializeInterleaved(x) : ctx.materialize(x).view.buffer;
  let shape = x.aval.shape;
  // The complex passes keep their input's shape; their dtype is the complex one.
  const complexDtype = p.fft_type === "IRFFT" ? x.aval.dtype : out.dtype;
  const complexAxes = (type: "FFT" | "IFFT", axes: number[]) => {
    for (const axis of axes) {
      const aval = new ShapedArray(shape, complexDtype);
      buf = pass(ctx, buf, shape, axis, type, shape[axis]!, aval);
    }
  };
  const leading = globalThis.Array.from({ length: k - 1 }, (_, i) => nd - k + i);
  if (p.fft_type === "RFFT") {
    const mid = out.update({ shape: [...shape.slice(0, -1), out.shape[nd - 1]!] });
    buf = pass(ctx, buf, shape, nd - 1, "RFFT", lengths[k - 1]!, mid);
    shape = mid.shape;
    complexAxes("FFT", leading);
  } else if (p.fft_type === "IRFFT") {
    complexAxes("IFFT", leading);
    buf = pass(ctx, buf, shape, nd - 1, "IRFFT", lengths[k - 1]!, out);
  } else {
    complexAxes(
      p.fft_type,
      globalThis.Array.from({ length: k }, (_, i) => nd - k + i),
    );
  }
  return out.dtype.isComplex ? complexBufferLazy(buf, out) : bufferLazy(buf, out);
}

// The lowering rule reads and writes complex values itself (as interleaved buffers).
setComplexLowering("fft", "own");

export const fftP: Primitive<FftParams> = definePrimitive<FftParams>({
  name: "fft",
  abstractEval([x], params) {
    return [fftAbstractEval(x!, params)];
  },
  printParams(params) {
    // JAX prints params sorted by name; FftType is an IntEnum, whose str() is its value.
    const p = params as FftParams;
    return [
      ["fft_lengths", `(${p.fft_lengths.join(", ")}${p.fft_lengths.length === 1 ? "," : ""})`],
      ["fft_type", FFT_TYPE_VALUES[p.fft_type]],
    ];
  },
  lower(ctx, [x], params, [out]) {
    return [fftLower(ctx, x!, params, out!)];
  },
  jvp: linearJvp(() => fftP),
  transpose([ct], [x], params) {
    if (isZero(ct)) return [x instanceof UndefinedPrimal ? new Zero(x.aval) : null];
    return [fftTransposeRule(ct as Array, params, (t, type, lengths) => fftBind(t, type, lengths))];
  },
  batch([x], [d], params) {
    return [[bind1(fftP, [moveAxis(x!, d!, 0)], params)], [0]];
  },
});

/** Bind fft_p (no dtype conversion; lax.fft does that). */
export function fftBind(x: Array, type: FftType, lengths: readonly number[]): Array {
  return bind1(fftP, [x], { fft_type: type, fft_lengths: [...lengths] });
}

const typeNames: Readonly<Record<string, FftType>> = {
  fft: "FFT",
  FFT: "FFT",
  ifft: "IFFT",
  IFFT: "IFFT",
  rfft: "RFFT",
  RFFT: "RFFT",
  irfft: "IRFFT",
  IRFFT: "IRFFT",
};

/** lax.FftType from its name or JAX's integer value. */
export function fftTypeOf(t: string | number): FftType {
  if (typeof t === "number") {
    const hit = (Object.keys(FFT_TYPE_VALUES) as FftType[]).find((k) => FFT_TYPE_VALUES[k] === t);
    if (hit) return hit;
    throw new TypeError(`Unknown FFT type value '${t}'`);
  }
  const hit = typeof t === "string" ? typeNames[t] : undefined;
  if (!hit) throw new ValueError(`Unknown FFT type '${String(t)}'`);
  return hit;
}

/**
 * `lax.fft(x, fft_type, fft_lengths)`: RFFT converts `x` to its inexact dtype (complex input
 * is an error), the others to its complex dtype; no lengths is the identity (after the cast).
 */
export function fft(x: Array, fftType: string | number, fftLengths: readonly number[]): Array {
  const type = fftTypeOf(fftType);
  let y: Array;
  if (type === "RFFT") {
    if (isComplex(x.dtype)) throw new ValueError("only real valued inputs supported for rfft");
    y = x.dtype.isFloat ? x : convertElementType(x, defaultFloat());
  } else {
    const target = isComplex(x.dtype)
      ? x.dtype
      : complexDtypeOf(x.dtype.isFloat ? x.dtype : defaultFloat());
    y = x.dtype === target ? x : convertElementType(x, target);
  }
  if (fftLengths.length === 0) return y;
  for (const n of fftLengths)
    if (!Number.isInteger(n) || n < 0)
      throw new ValueError(`fft_lengths must be non-negative integers, got ${tuple(fftLengths)}`);
  return fftBind(y, type, fftLengths);
}
