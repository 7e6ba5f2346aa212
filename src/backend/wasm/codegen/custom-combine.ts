/**
 * The binary combiners of the cumulative and scatter kernels (add, mul, min, max, set) for the
 * 32-bit dtypes the compiled custom kernels cover, scalar and f32x4/i32x4. Each matches the JS
 * kernels' combiner bit for bit on non-NaN values: float32 ops round once (f32.add ==
 * fround(a + b) of float32 operands), int32/uint32 add/mul wrap (Math.imul), float min/max
 * propagate NaN and order -0 below +0 (Math.min/Math.max), integer min/max compare signed or
 * unsigned as the dtype.
 */
import type { FunctionBuilder } from "./function-builder.js";
import type { PlainOp } from "./opcodes.js";

export type CombineOp = "add" | "mul" | "min" | "max" | "set";

/** Dtypes the compiled custom kernels combine: float32, int32, uint32. */
export const COMBINE_DTYPES: ReadonlySet<string> = new Set(["float32", "int32", "uint32"]);

/** Whether values of `dtype` live in f32 locals (else i32). */
export const isF32 = (dtype: string): boolean => dtype === "float32";

/** Push combine(a, b) of the scalar locals a (accumulated) and b (new value). */
export function combineScalar(
  f: FunctionBuilder,
  op: CombineOp,
  dtype: string,
  a: number,
  b: number,
): void {
  if (op === "set") {
    f.localGet(b);
    return;
  }
  if (isF32(dtype)) {
    f.localGet(a)
      .localGet(b)
      .op(`f32.${op}` as PlainOp);
    return;
  }
  if (op === "add" || op === "mul") {
    f.localGet(a)
      .localGet(b)
      .op(`i32.${op}` as PlainOp);
    return;
  }
  // max: b > a ? b : a; min: b < a ? b : a.
  const cmp = `i32.${op === "max" ? "gt" : "lt"}_${dtype === "uint32" ? "u" : "s"}` as PlainOp;
  f.localGet(b).localGet(a).localGet(b).localGet(a).op(cmp).op("select");
}

/** The lane-wise op combining two vectors already on the stack (a below b); not for "set". */
export function combineVectorOp(op: Exclude<CombineOp, "set">, dtype: string): PlainOp {
  if (isF32(dtype)) return `f32x4.${op}` as PlainOp;
  if (op === "add" || op === "mul") return `i32x4.${op}` as PlainOp;
  return `i32x4.${op}_${dtype === "uint32" ? "u" : "s"}` as PlainOp;
}
