/**
 * Constant folding's evaluator: one equation on literal scalars, run now through the same
 * primitive code as eager dispatch.
 */
import type { Eqn, Literal } from "../ir/jaxpr.js";
import type { Primitive } from "../trace/primitive.js";
import { scalarArray } from "./array.js";
import { getDevice } from "./devices.js";
import { primitiveCode } from "./primitive-code.js";
import { runCompiled } from "./run.js";

export function evaluateOnLiterals(eqn: Eqn): (number | boolean | bigint)[] | undefined {
  try {
    const args = eqn.inputs.map((a) => scalarArray((a as Literal).value, a.aval));
    const inAvals = args.map((a) => a.aval);
    const code = primitiveCode(eqn.primitive as Primitive, eqn.params, inAvals, getDevice());
    const outs = runCompiled(code.compiled, { args, inAvals, outAvals: code.outAvals });
    return outs.map((o) => o._literalValue()!);
  } catch {
    return undefined; // leave the equation to fail (or succeed) at run time
  }
}
