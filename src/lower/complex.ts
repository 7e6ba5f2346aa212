/**
 * Lowering of equations with complex operands or results. A complex value is a pair of real
 * lazy arrays (kernel/complex-lazy.ts), so each primitive either
 *  - acts on the parts independently ("partwise": movement, selection, sums, add/sub/neg —
 *    every rule that is real-linear and does not mix the parts): its own real lowering rule
 *    runs twice, once on the real parts and once on the imaginary parts; or
 *  - has a complex lowering rule (primitives/complex/lowering-table.ts) that builds the
 *    result's parts from real expressions of the operands' parts.
 * A primitive with neither raises NotImplementedError naming it.
 */
import type { ShapedArray } from "../core/aval.js";
import { NotImplementedError } from "../core/errors.js";
import type { Eqn, Params } from "../ir/jaxpr.js";
import { complexLazy, partAval } from "../kernel/complex-lazy.js";
import type { LazyArray, LowerContext, LowerRule } from "../kernel/lowering-types.js";
import { complexLoweringOf } from "../primitives/complex/lowering-table.js";
import type { Primitive } from "../trace/primitive.js";

/** Whether an equation reads or produces a complex value. */
export function involvesComplex(eqn: Eqn): boolean {
  return (
    eqn.inputs.some((a) => a.aval.dtype.isComplex) ||
    eqn.outputs.some((v) => v.aval.dtype.isComplex)
  );
}

export function lowerComplexEqn(
  ctx: LowerContext,
  prim: Primitive,
  rule: LowerRule<Params>,
  args: LazyArray[],
  params: Params,
  outAvals: ShapedArray[],
): LazyArray[] {
  const how = complexLoweringOf(prim.name);
  if (how === undefined) {
    throw new NotImplementedError(
      `${prim.name} is not implemented for complex operands yet ` +
        `(operand dtypes: ${args.map((a) => a.aval.dtype.name).join(", ")}).`,
    );
  }
  if (how === "own") return rule(ctx, args, params, outAvals);
  if (how !== "partwise") return how(ctx, args, params, outAvals, rule);
  const realOuts = outAvals.map((a) => (a.dtype.isComplex ? partAval(a) : a));
  const part = (k: "re" | "im") =>
    rule(
      ctx,
      args.map((a) => (a.parts ? a.parts[k] : a)),
      params,
      realOuts,
    );
  const re = part("re");
  const im = part("im");
  return outAvals.map((a, i) => (a.dtype.isComplex ? complexLazy(a, re[i]!, im[i]!) : re[i]!));
}
