/**
 * pjit: a call of a jitted function inside a trace, printed as
 * `pjit[name=f jaxpr={ lambda ; … }]`. Its jaxpr has no consts (they are passed as leading
 * arguments). The compiler inlines it; transformations apply to its jaxpr (rules provided
 * by transforms/, which this layer cannot import).
 */
import type { Params } from "../ir/jaxpr.js";
import { ClosedJaxpr } from "../ir/jaxpr.js";
import { type Primitive, inlineCallJaxpr, providedByTransforms } from "../trace/primitive.js";
import { definePrimitive } from "./define.js";

export interface PjitParams extends Params {
  readonly jaxpr: ClosedJaxpr;
  readonly name: string;
}

export const pjitP: Primitive<PjitParams> = definePrimitive<PjitParams>({
  name: "pjit",
  abstractEval(avals, { jaxpr }) {
    const ins = jaxpr.inAvals;
    if (
      avals.length !== ins.length ||
      avals.some(
        (a, i) =>
          a.shape.length !== ins[i]!.shape.length ||
          a.dtype !== ins[i]!.dtype ||
          a.shape.some((d, j) => d !== ins[i]!.shape[j]),
      )
    ) {
      throw new TypeError(
        `pjit called with arguments ${avals.map((a) => a.strShort()).join(", ")} but its jaxpr ` +
          `expects ${ins.map((a) => a.strShort()).join(", ")}.`,
      );
    }
    return jaxpr.outAvals;
  },
  printParams(p) {
    const rest = Object.keys(p)
      .filter((k) => k !== "name" && k !== "jaxpr")
      .sort();
    return [
      ["name", p["name"]],
      ["jaxpr", p["jaxpr"]],
      ...rest.map((k) => [k, p[k]] as [string, unknown]),
    ];
  },
  lower: inlineCallJaxpr<PjitParams>("jaxpr"),
  jvp: providedByTransforms,
  transpose: providedByTransforms,
  batch: providedByTransforms,
  partialEval: providedByTransforms,
});
