/**
 * `jax.scipy.signal` convolutions: `convolve`, `correlate` (N-D) and `convolve2d`,
 * `correlate2d`, as JAX computes them: one conv_general_dilated of the larger input with the
 * flipped smaller one (`_convolve_nd`), modes full / same / valid. Only boundary='fill' with
 * fillvalue=0 and the direct method exist (NotImplementedError / ValueError otherwise, as JAX).
 */
import { NotImplementedError, ValueError } from "../../core/errors.js";
import type { Array, ArrayLike } from "../../trace/array.js";
import * as P from "../../primitives/index.js";
import { asarray, promoteArgsInexact } from "../../numpy/coerce.js";
import { flip } from "../../numpy/shape.js";

export type SignalMode = "full" | "same" | "valid";
type PrecisionLike = null | undefined | string | readonly [string, string];

export interface ConvolveOptions {
  /** 'auto' and 'direct' compute directly; 'fft' is not implemented yet. */
  method?: "auto" | "direct" | "fft";
  precision?: PrecisionLike;
}

export interface Convolve2dOptions {
  /** Only 'fill' is supported. */
  boundary?: string;
  /** Only 0 is supported. */
  fillvalue?: number;
  precision?: PrecisionLike;
}

const shapeText = (s: readonly number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

function checkPrecision(p: PrecisionLike): void {
  if (p !== null && p !== undefined) {
    throw new NotImplementedError(
      "jax.scipy.signal convolutions: the precision argument is not supported yet (None only).",
    );
  }
}

/** JAX's `_convolve_nd`. */
function convolveNd(x: ArrayLike, y: ArrayLike, mode: SignalMode): Array {
  if (mode !== "full" && mode !== "same" && mode !== "valid") {
    throw new ValueError("mode must be one of ['full', 'same', 'valid']");
  }
  let [in1, in2] = [asarray(x), asarray(y)];
  if (in1.ndim !== in2.ndim) {
    throw new ValueError("in1 and in2 must have the same number of dimensions");
  }
  if (in1.size === 0 || in2.size === 0) {
    throw new ValueError(
      `zero-size arrays not supported in convolutions, got shapes ${shapeText(in1.shape)} and ${shapeText(in2.shape)}.`,
    );
  }
  [in1, in2] = promoteArgsInexact(in1, in2) as [Array, Array];
  const noSwap = in1.shape.every((s, i) => s >= in2.shape[i]!);
  const swap = in1.shape.every((s, i) => s <= in2.shape[i]!);
  if (!(noSwap || swap)) {
    throw new ValueError("One input must be smaller than the other in every dimension.");
  }
  const shapeO = in2.shape;
  if (swap) [in1, in2] = [in2, in1];
  const shape = in2.shape;
  in2 = flip(in2);
  const padding = shape.map((s, i): [number, number] => {
    const so = shapeO[i]!;
    if (mode === "valid") return [0, 0];
    if (mode === "same")
      return [s - 1 - Math.floor((so - 1) / 2), s - so + Math.floor((so - 1) / 2)];
    return [s - 1, s - 1];
  });
  return P.correlateSingle(in1, in2, padding);
}

function checkMethod(method: string): void {
  if (method === "fft") {
    throw new NotImplementedError(
      "jax.scipy.signal convolve/correlate: method='fft' is not implemented yet.",
    );
  }
  if (method !== "auto" && method !== "direct") {
    throw new ValueError(
      `Got method=${JSON.stringify(method)}; expected 'auto', 'fft', or 'direct'.`,
    );
  }
}

/** `jax.scipy.signal.convolve(in1, in2, mode='full', method='auto')`. */
export function convolve(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: ConvolveOptions = {},
): Array {
  checkMethod(options.method ?? "auto");
  checkPrecision(options.precision);
  return convolveNd(in1, in2, mode);
}

/** `jax.scipy.signal.correlate(in1, in2, mode='full', method='auto')`. */
export function correlate(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: ConvolveOptions = {},
): Array {
  return convolve(in1, flip(asarray(in2)), mode, options);
}

function check2d(fn: string, in1: Array, in2: Array, options: Convolve2dOptions): void {
  if ((options.boundary ?? "fill") !== "fill" || (options.fillvalue ?? 0) !== 0) {
    throw new NotImplementedError(`${fn}() only supports boundary='fill', fillvalue=0`);
  }
  if (in1.ndim !== 2 || in2.ndim !== 2) {
    throw new ValueError(`${fn}() only supports 2-dimensional inputs.`);
  }
  checkPrecision(options.precision);
}

/** `jax.scipy.signal.convolve2d(in1, in2, mode='full', boundary='fill', fillvalue=0)`. */
export function convolve2d(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: Convolve2dOptions = {},
): Array {
  const [a, b] = [asarray(in1), asarray(in2)];
  check2d("convolve2d", a, b, options);
  return convolveNd(a, b, mode);
}

/** `jax.scipy.signal.correlate2d(in1, in2, mode='full', boundary='fill', fillvalue=0)`. */
export function correlate2d(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: Convolve2dOptions = {},
): Array {
  let [a, b] = [asarray(in1), asarray(in2)];
  check2d("correlate2d", a, b, options);
  const swap = a.shape.every((s, i) => s <= b.shape[i]!);
  const sameShape = a.shape.every((s, i) => s === b.shape[i]!);
  if (mode === "valid" && swap && !sameShape) {
    [a, b] = [flip(b), a];
    return convolveNd(a, b, mode);
  }
  if (mode === "full" && swap) return convolveNd(flip(b), a, mode);
  return flip(convolveNd(flip(a), b, mode));
}
