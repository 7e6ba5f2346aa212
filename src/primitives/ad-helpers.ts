/** Tangent helpers for JVP rules: symbolic zeros and their arithmetic, linear JVPs. */
import type { ShapedArray } from "../core/aval.js";
import type { Params } from "../ir/jaxpr.js";
import { Array } from "../trace/array.js";
import { type JvpRule, type Primitive, type Tangent, Zero } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";

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

/** JVP of a primitive linear in its one operand: the same primitive on the tangent. */
export function linearJvp<P extends Params>(prim: () => Primitive<P>): JvpRule<P> {
  return (primals, tangents, params) => {
    const out = bind1(prim(), primals, params);
    const t = tangents[0]!;
    return [[out], [isZero(t) ? new Zero(out.aval) : bind1(prim(), [t], params)]];
  };
}

export { Array };
