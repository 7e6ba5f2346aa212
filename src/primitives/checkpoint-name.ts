/**
 * `name[name=…]`: JAX's `name_p`, the identity that tags a value for checkpoint policies
 * (`checkpointName(x, "h")`; `saveOnlyTheseNames("h")` saves exactly the tagged values). Its
 * JVP names the primal only (the tangent stays unnamed, as JAX's); it batches as the identity.
 */
import type { Params } from "../ir/jaxpr.js";
import type { Array } from "../trace/array.js";
import type { Primitive } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { definePrimitive } from "./define.js";
import { elementwiseLowering } from "./lowering-helpers.js";

export interface NameParams extends Params {
  readonly name: string;
}

export const nameP: Primitive<NameParams> = definePrimitive<NameParams>({
  name: "name",
  abstractEval: ([x]) => [x!],
  lower: elementwiseLowering(([x]) => x!, 0),
  jvp([x], [t], params) {
    return [[bind1(nameP, [x!], params)], [t!]];
  },
  transpose: ([ct]) => [ct!],
  batch([x], [d], params) {
    return [[bind1(nameP, [x!], params)], [d!]];
  },
});

/** `jax.ad_checkpoint.checkpoint_name(x, name)`. */
export function checkpointName(x: Array, name: string): Array {
  if (typeof name !== "string") {
    throw new TypeError(`checkpointName: name must be a string, got ${typeof name}.`);
  }
  return bind1(nameP, [x], { name });
}
