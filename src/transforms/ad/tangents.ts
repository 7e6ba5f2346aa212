/**
 * Tangent spaces: the tangent type of a primal (float0 for integers and booleans, as JAX's
 * `at_least_vspace`), and materializing symbolic zeros.
 */
import { ShapedArray } from "../../core/aval.js";
import { float0 } from "../../core/dtype.js";
import { sizeOf } from "../../core/shape.js";
import type { Array } from "../../trace/array.js";
import { type Tangent, Zero } from "../../trace/primitive.js";
import { full } from "../../primitives/constants.js";
import { arrayFromHost } from "../../runtime/array.js";

export function tangentAval(a: ShapedArray): ShapedArray {
  if (a.dtype.isFloat || a.dtype.isComplex || a.dtype === float0) return a;
  return new ShapedArray(a.shape, float0, false);
}

/** Whether values of this type have a (nontrivial) tangent space. */
export function isDifferentiable(a: ShapedArray): boolean {
  return a.dtype.isFloat || a.dtype.isComplex;
}

/** Concrete float0 zeros: the tangent of integer/boolean values. */
export function float0Zeros(shape: readonly number[]): Array {
  return arrayFromHost(new Uint8Array(sizeOf(shape)), shape, float0);
}

/** Zeros of an aval (JAX's `zeros_like_aval`), weak type preserved. */
export function zerosLikeAval(a: ShapedArray): Array {
  if (a.dtype === float0) return float0Zeros(a.shape);
  return full(a.shape, 0, a.dtype, a.weakType);
}

export function instantiateZeros(t: Tangent): Array {
  return t instanceof Zero ? zerosLikeAval(t.aval) : t;
}

export function zeroTangent(primal: ShapedArray): Zero {
  return new Zero(tangentAval(primal));
}
