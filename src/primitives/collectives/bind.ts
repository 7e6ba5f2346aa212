/** Binding a collective: routed to the batch traces of the axes it names (`bindAbove`). */
import type { Params } from "../../ir/jaxpr.js";
import type { Array } from "../../trace/array.js";
import { axisMains, namedAxesInNestedJaxprs, namesInParams } from "../../trace/axis-env.js";
import type { Primitive } from "../../trace/primitive.js";
import { type Value, bindAbove } from "../../trace/trace.js";

export function bindCollective<P extends Params>(
  prim: Primitive<P>,
  x: Value | null,
  params: P,
): Array {
  return bindAbove(
    prim as Primitive,
    x === null ? [] : [x],
    params,
    axisMains(namesInParams(params)),
  )[0]!;
}

/** Whether a collective over axis `name` occurs in the jaxprs an equation's params carry. */
export function paramsUseAxis(params: Params, name: string): boolean {
  return namedAxesInNestedJaxprs(params).includes(name);
}
