/** Tangent helpers for JVP rules: symbolic zeros and their arithmetic. */
import type { ShapedArray } from "../core/aval.js";
import { Array } from "../trace/array.js";
import { type Tangent, Zero } from "../trace/primitive.js";

export function isZero(t: Tangent | null | undefined): t is Zero {
  return t instanceof Zero;
}

export function zeroOf(aval: ShapedArray): Zero {
  return new Zero(aval);
}

/** Apply `f` to a tangent, keeping symbolic zeros symbolic. */
export function mapTangent(t: Tangent, f: (t: Array) => Array, outAval: ShapedArray): Tangent {
  return t instanceof Zero ? new Zero(outAval) : f(t);
}

export { Array };
