/** stop_gradient and copy. */
import type { Array } from "../trace/array.js";
import { type Primitive, Zero, notLinear } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { elementwiseBatch } from "./batch-rules.js";
import { definePrimitive } from "./define.js";
import { elementwiseLowering } from "./lowering-helpers.js";

export const stopGradientP: Primitive = definePrimitive({
  name: "stop_gradient",
  abstractEval: ([x]) => [x!],
  lower: elementwiseLowering(([x]) => x!, 0),
  jvp([x]) {
    const out = bind1(stopGradientP, [x!]);
    return [[out], [new Zero(out.aval)]];
  },
  transpose: notLinear,
  batch: elementwiseBatch(() => stopGradientP),
});

export function stopGradient(x: Array): Array {
  return bind1(stopGradientP, [x]);
}

export const copyP: Primitive = definePrimitive({
  name: "copy",
  abstractEval: ([x]) => [x!],
  lower: elementwiseLowering(([x]) => x!, 0),
  jvp([x], [t]) {
    const out = bind1(copyP, [x!]);
    return [[out], [isZero(t) ? new Zero(out.aval) : bind1(copyP, [t!])]];
  },
  transpose: ([ct]) => [ct!],
  batch: elementwiseBatch(() => copyP),
});
