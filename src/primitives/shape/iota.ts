/** iota[dtype, shape, dimension]: the index along one axis, generated in place. */
import { ShapedArray } from "../../core/aval.js";
import type { DType } from "../../core/dtype.js";
import { cast } from "../../kernel/expr.js";
import { genLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, notBatchable, notLinear } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { definePrimitive } from "../define.js";

export const iotaP: Primitive<{ dtype: DType; shape: number[]; dimension: number }> =
  definePrimitive<{ dtype: DType; shape: number[]; dimension: number }>({
    name: "iota",
    abstractEval(_avals, { dtype, shape, dimension }) {
      if (dimension < 0 || dimension >= shape.length) {
        throw new TypeError(
          `iota dimension must be in range [0, ${shape.length}), got dimension=${dimension}.`,
        );
      }
      return [new ShapedArray(shape, dtype, false)];
    },
    lower(_ctx, _inputs, { dimension }, [out]) {
      return [genLazy(out!, (coords) => cast(coords[dimension]!, out!.dtype))];
    },
    jvp(_p, _t, params) {
      const out = bind1(iotaP, [], params);
      return [[out], []];
    },
    transpose: notLinear,
    batch: notBatchable("it has no operands, so it is never batched"),
  });

export function iota(dtype: DType, shape: readonly number[], dimension = 0): Array {
  return bind1(iotaP, [], { dtype, shape: [...shape], dimension });
}
