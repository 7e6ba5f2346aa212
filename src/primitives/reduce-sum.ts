/** reduce_sum[axes]: linear; its transpose broadcasts back (and broadcast_in_dim's is it). */
import type { ShapedArray } from "../core/aval.js";
import type { Array } from "../trace/array.js";
import { type Primitive, Zero } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { definePrimitive } from "./define.js";
import { type AxesParams, batchReduce, lowerReduce, reduceAval } from "./reduce-rules.js";
import { broadcastInDim } from "./shape/broadcast.js";

export const reduceSumP: Primitive<AxesParams> = definePrimitive<AxesParams>({
  name: "reduce_sum",
  abstractEval: reduceAval("reduce_sum", "numeric"),
  lower: lowerReduce("sum"),
  jvp([x], [t], params) {
    const out = bind1(reduceSumP, [x!], params);
    return [[out], [isZero(t) ? new Zero(out.aval) : bind1(reduceSumP, [t!], params)]];
  },
  transpose([ct], [x], { axes }) {
    if (isZero(ct)) return [ct];
    const aval = (x as { aval: ShapedArray }).aval;
    const kept = aval.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    return [broadcastInDim(ct as Array, aval.shape, kept)];
  },
  batch: batchReduce(() => reduceSumP),
});

export function reduceSum(x: Array, axes: readonly number[]): Array {
  if (axes.length === 0) return x;
  return bind1(reduceSumP, [x], { axes: [...axes] });
}
