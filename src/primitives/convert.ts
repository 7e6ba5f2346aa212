/** convert_element_type and bitcast_convert_type. */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtype.js";
import { bitcast, cast } from "../kernel/expr.js";
import type { Primitive } from "../trace/primitive.js";
import { Zero, notLinear } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import type { Array } from "../trace/array.js";
import { isZero } from "./ad-helpers.js";
import { elementwiseBatch } from "./batch-rules.js";
import { definePrimitive } from "./define.js";
import { elementwiseLowering } from "./lowering-helpers.js";
import { realP } from "./complex/parts.js";

type ConvertParams = { new_dtype: DType; weak_type: boolean };

export const convertElementTypeP: Primitive<ConvertParams> = definePrimitive<ConvertParams>({
  name: "convert_element_type",
  abstractEval([x], { new_dtype, weak_type }) {
    return [new ShapedArray(x!.shape, new_dtype, weak_type)];
  },
  lower: elementwiseLowering(([x], out) => cast(x!, out.dtype)),
  jvp([x], [t], params) {
    const out = bind1(convertElementTypeP, [x!], params);
    // Linear between inexact dtypes (real or complex); integer ends have no tangent.
    const inexact = (d: DType) => d.isFloat || d.isComplex;
    if (isZero(t) || !inexact(params.new_dtype) || !inexact(x!.dtype))
      return [[out], [new Zero(out.aval)]];
    return [[out], [bind1(convertElementTypeP, [t!], params)]];
  },
  transpose([ct], [x]) {
    if (isZero(ct)) return [ct];
    const aval = (x as { aval: ShapedArray }).aval;
    // Back from complex to real: the real part, without the user-facing ComplexWarning (JAX's
    // transpose binds the primitive, which warns nothing).
    const c = ct as Array;
    const from = c.dtype.isComplex && !aval.dtype.isComplex ? bind1(realP, [c]) : c;
    return [convertElementType(from, aval.dtype, aval.weakType)];
  },
  batch: elementwiseBatch(() => convertElementTypeP),
});

export function convertElementType(x: Array, dtype: DType, weakType = false): Array {
  if (x.dtype === dtype && x.weakType === weakType) return x;
  if (x.dtype.isComplex && !dtype.isComplex) {
    // As JAX's lax: the real part is taken (a `real` equation), with numpy's ComplexWarning.
    if (!complexWarned) {
      complexWarned = true;
      console.warn("ComplexWarning: Casting complex values to real discards the imaginary part");
    }
    x = bind1(realP, [x]);
    if (x.dtype === dtype && x.weakType === weakType) return x;
  }
  return bind1(convertElementTypeP, [x], { new_dtype: dtype, weak_type: weakType });
}

let complexWarned = false;

export const bitcastConvertTypeP: Primitive<{ new_dtype: DType }> = definePrimitive<{
  new_dtype: DType;
}>({
  name: "bitcast_convert_type",
  abstractEval([x], { new_dtype }) {
    if (new_dtype.itemsize !== x!.dtype.itemsize) {
      throw new TypeError(
        `bitcast_convert_type between types of different widths is not supported yet: ` +
          `${x!.dtype.name} (${x!.dtype.itemsize} bytes) to ${new_dtype.name} (${new_dtype.itemsize} bytes).`,
      );
    }
    return [new ShapedArray(x!.shape, new_dtype, false)];
  },
  lower: elementwiseLowering(([x], out) => bitcast(x!, out.dtype)),
  jvp([x], _t, params) {
    const out = bind1(bitcastConvertTypeP, [x!], params);
    return [[out], [new Zero(out.aval)]];
  },
  transpose: notLinear,
  batch: elementwiseBatch(() => bitcastConvertTypeP),
});
