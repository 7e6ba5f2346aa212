/**
 * JAX's check of a custom_vjp bwd rule's cotangents (custom_derivatives.py `_flatten_bwd`): each
 * must have its primal input's tangent shape and dtype (weak types aside). Integer/boolean inputs
 * get float0 zeros whatever the rule returned; a float0 cotangent of the right shape stands for
 * zero (JAX's `_temporary_dtype_exception`).
 */
import type { ShapedArray } from "../core/aval.js";
import { float0 } from "../core/dtype.js";
import { type Tangent, Zero } from "../trace/primitive.js";
import { tangentAval } from "./ad/tangents.js";
import { ValueError } from "./jit/static-args.js";

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** `ct` checked against primal input `primal` at args-tuple path `path` (`[0]`, `[1]['w']`). */
export function checkBwdCotangent(ct: Tangent, primal: ShapedArray, path: string): Tangent {
  const expected = tangentAval(primal);
  if (ct instanceof Zero || expected.dtype === float0) return new Zero(expected);
  const got = ct.aval;
  if (sameShape(got.shape, expected.shape)) {
    if (got.dtype === expected.dtype) return ct;
    if (got.dtype === float0) return new Zero(expected);
  }
  throw new ValueError(
    "Custom VJP bwd rule must produce an output with the same shape/dtypes as the args tuple " +
      `of the primal function, but at output${path} the bwd rule produced an output of ` +
      `shape/dtype ${got.str()} corresponding to an input of shape/dtype ${primal.str()}. ` +
      "Return one cotangent per primal argument with that argument's shape and dtype " +
      "(or null for a zero cotangent).",
  );
}
