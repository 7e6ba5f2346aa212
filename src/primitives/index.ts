/** All primitives, with the late bindings between their modules wired up. */
import type { DType } from "../core/dtype.js";
import type { Tangent } from "../trace/primitive.js";
import type { Array } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { isZero } from "./ad-helpers.js";
import { full } from "./constants.js";
import { setInstantiate, setZeroScalar } from "./shape-ops.js";

export * from "./elementwise.js";
export * from "./shape-ops.js";
export * from "./convert.js";
export * from "./select.js";
export * from "./reductions.js";
export * from "./dot.js";
export * from "./misc.js";
export * from "./pjit.js";
export * from "./control-flow.js";
export * from "./scan.js";
export * from "./add-any.js";
export * from "./slicing.js";
export * from "./gather.js";
export * from "./scatter.js";
export * from "./sort.js";
export * from "./cumulative.js";
export * from "./gather-scatter-params.js";
export * from "./random-bits.js";
export { definePrimitive, primitiveByName, allPrimitives } from "./define.js";
export { full, fullLike, scalarLike, scalarConstantOf } from "./constants.js";

/** A concrete array for a tangent: symbolic zeros become arrays of zeros. */
export function instantiate(t: Tangent): Array {
  return isZero(t) ? full(t.aval.shape, 0, t.aval.dtype) : t;
}

setInstantiate(instantiate);
setZeroScalar((d: DType) => scalarConstant(0, d));
