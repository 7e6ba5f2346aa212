/**
 * `add_any` (JAX's `add_jaxvals_p`): the sum of two tangents or cotangents. Autodiff uses it
 * to accumulate contributions, so it prints as `add_any` in differentiated jaxprs.
 */
import { binary } from "../kernel/expr.js";
import type { Array } from "../trace/array.js";
import { type JvpRule, type Primitive, type Tangent, Zero } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { elementwiseBatch } from "./batch-rules.js";
import { definePrimitive } from "./define.js";
import { elementwiseLowering } from "./lowering-helpers.js";
import { naryAval } from "./shape-rules.js";
import type { Params } from "../ir/jaxpr.js";

export const addAnyP: Primitive = definePrimitive({
  name: "add_any",
  abstractEval: (avals) => [naryAval("add_any", avals, "any")],
  lower: elementwiseLowering(([a, b]) => binary("add", a!, b!)),
  jvp([x, y], [tx, ty]) {
    const out = bind1(addAnyP, [x!, y!]);
    return [[out], [addTangents(tx!, ty!, out)]];
  },
  transpose([ct]) {
    return [ct!, ct!];
  },
  batch: elementwiseBatch(() => addAnyP),
});

/** x + y for tangents, keeping symbolic zeros symbolic. */
export function addTangents(x: Tangent, y: Tangent, like: { aval: Zero["aval"] }): Tangent {
  if (isZero(x)) return isZero(y) ? new Zero(like.aval) : y;
  if (isZero(y)) return x;
  return addAny(x, y);
}

export function addAny(x: Array, y: Array): Array {
  return bind1(addAnyP, [x, y]);
}

/**
 * JVP of a primitive bilinear in its two operands (dot_general, conv): f(ta, b) + f(a, tb),
 * leaving out the terms whose tangent is a symbolic zero.
 */
export function bilinearJvp<P extends Params>(
  f: (a: Array, b: Array, params: P) => Array,
): JvpRule<P> {
  return ([a, b], [ta, tb], params) => {
    const out = f(a!, b!, params);
    const parts: Array[] = [];
    if (!isZero(ta)) parts.push(f(ta!, b!, params));
    if (!isZero(tb)) parts.push(f(a!, tb!, params));
    const t: Tangent =
      parts.length === 0
        ? new Zero(out.aval)
        : parts.length === 1
          ? parts[0]!
          : addAny(parts[0]!, parts[1]!);
    return [[out], [t]];
  };
}
