/**
 * conv_general_dilated: JAX's n-dimensional convolution (XLA's Conv) with window strides,
 * explicit padding, lhs/rhs dilation, dimension numbers and feature/batch grouping. Shape
 * rule in conv-shape.ts, lowering in conv-lower.ts, transpose and batching in conv-rules.ts;
 * the JVP is bilinear.
 */
import type { DType } from "../core/dtype.js";
import type { Array } from "../trace/array.js";
import { type Primitive, UndefinedPrimal } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { bilinearJvp } from "./add-any.js";
import { lowerConv } from "./conv-lower.js";
import { convBatch, convTransposeLhs, convTransposeRhs } from "./conv-rules.js";
import { ConvDimensionNumbers, type ConvParams, convOutAval } from "./conv-shape.js";
import { definePrimitive } from "./define.js";
import { reshape } from "./shape/reshape.js";

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

/**
 * The correlation of one N-d signal with one N-d kernel (a single feature, unit strides, no
 * dilation), with (lo, hi) padding per dim: what jnp.convolve/correlate and
 * scipy.signal.convolve* stage (the kernel flipped by the caller for a convolution).
 */
export function correlateSingle(
  x: Array,
  kernel: Array,
  padding: readonly [number, number][],
  preferredElementType: DType | null = null,
): Array {
  const ones = x.shape.map(() => 1);
  const dims = [0, 1, ...x.shape.map((_, i) => i + 2)];
  const out = bindConv(reshape(x, [1, 1, ...x.shape]), reshape(kernel, [1, 1, ...kernel.shape]), {
    window_strides: ones,
    padding: padding.map((p): [number, number] => [p[0], p[1]]),
    lhs_dilation: ones,
    rhs_dilation: ones,
    dimension_numbers: ConvDimensionNumbers.of(dims, dims, dims),
    feature_group_count: 1,
    batch_group_count: 1,
    precision: null,
    preferred_element_type: preferredElementType,
  });
  return reshape(out, out.shape.slice(2));
}
