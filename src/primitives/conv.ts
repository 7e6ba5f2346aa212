/**
 * conv_general_dilated: JAX's n-dimensional convolution (XLA's Conv) with window strides,
 * explicit padding, lhs/rhs dilation, dimension numbers and feature/batch grouping. Shape
 * rule in conv-shape.ts, lowering in conv-lower.ts, transpose and batching in conv-rules.ts;
 * the JVP is bilinear.
 */
import type { Array } from "../trace/array.js";
import { type Primitive, UndefinedPrimal } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { bilinearJvp } from "./add-any.js";
import { lowerConv } from "./conv-lower.js";
import { convBatch, convTransposeLhs, convTransposeRhs } from "./conv-rules.js";
import { type ConvParams, convOutAval } from "./conv-shape.js";
import { definePrimitive } from "./define.js";

export type { ConvParams, PrecisionName } from "./conv-shape.js";
export {
  ConvDimensionNumbers,
  convDimensionNumbers,
  convGeneralPermutations,
} from "./conv-shape.js";
export { dilateDim, padtypeToPads } from "./window-geometry.js";

const bindConv = (lhs: Array, rhs: Array, params: ConvParams): Array =>
  bind1(convGeneralDilatedP, [lhs, rhs], params);

export const convGeneralDilatedP: Primitive<ConvParams> = definePrimitive<ConvParams>({
  name: "conv_general_dilated",
  abstractEval([lhs, rhs], params) {
    return [convOutAval(lhs!, rhs!, params)];
  },
  printParams(p) {
    // JAX prints params sorted by name (ConvDimensionNumbers prints its NamedTuple repr); the
    // precision pair with lax.Precision's repr (`Precision.HIGHEST`).
    const precision = p["precision"] as ConvParams["precision"];
    const shown: Record<string, unknown> = {
      ...p,
      precision:
        precision === null ? null : `(${precision.map((n) => `Precision.${n}`).join(", ")})`,
    };
    return Object.keys(shown)
      .sort()
      .map((k) => [k, shown[k]]);
  },
  lower: lowerConv,
  jvp: bilinearJvp(bindConv),
  transpose([ct], [lhs, rhs], params) {
    if (isZero(ct)) return [null, null];
    const g = ct as Array;
    return [
      lhs instanceof UndefinedPrimal
        ? convTransposeLhs(bindConv, g, lhs.aval, rhs as Array, params)
        : null,
      rhs instanceof UndefinedPrimal
        ? convTransposeRhs(bindConv, g, lhs as Array, rhs.aval, params)
        : null,
    ];
  },
  batch(args, dims, params) {
    return convBatch(bindConv, args, dims, params);
  },
});
