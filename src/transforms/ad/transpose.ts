/**
 * Transposition (JAX's `backward_pass`): given a jaxpr linear in some of its inputs (marked
 * `UndefinedPrimal`), propagate output cotangents back to those inputs with each primitive's
 * `transpose` rule. Equations not depending on linear inputs are evaluated forward first.
 * Cotangents are accumulated with `add_any`; symbolic zeros are never materialized here.
 */
import { currentNameStack, withNameStack } from "../../core/name-stack.js";
import { NotImplementedError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { DropVar, type Jaxpr, Literal, Var } from "../../ir/jaxpr.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, type Tangent, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import { type Value, bind } from "../../trace/trace.js";
import { addAny } from "../../primitives/add-any.js";
import { transposeRuleOf } from "../../primitives/define.js";
import { asArray, literalValue } from "../eval-jaxpr.js";

export function backwardPass(
  jaxpr: Jaxpr,
  consts: readonly unknown[],
  args: readonly (Value | UndefinedPrimal)[],
  cts: readonly Tangent[],
): (Tangent | null)[] {
  const primal = new Map<Var, Value>();
  const linear = new Set<Var>();
  jaxpr.constvars.forEach((v, i) => primal.set(v, consts[i] as Value));
  jaxpr.invars.forEach((v, i) => {
    const a = args[i]!;
    if (a instanceof UndefinedPrimal) linear.add(v);
    else primal.set(v, a);
  });
  const readPrimal = (a: Var | Literal): Value => {
    if (a instanceof Literal) return literalValue(a);
    const v = primal.get(a);
    if (v === undefined) throw new Error(`backward pass: no primal value for ${a.toString()}`);
    return v;
  };

  // Forward: evaluate the non-linear equations; collect the linear ones.
  const linEqns = [];
  for (const eqn of jaxpr.eqns) {
    if (eqn.inputs.some((a) => a instanceof Var && linear.has(a))) {
      linEqns.push(eqn);
      for (const o of eqn.outputs) linear.add(o);
    } else {
      const outs = withNameStack(currentNameStack().concat(eqn.nameStack), () =>
        bind(eqn.primitive as Primitive, eqn.inputs.map(readPrimal), eqn.params),
      );
      eqn.outputs.forEach((o, i) => {
        if (!(o instanceof DropVar)) primal.set(o, outs[i]!);
      });
    }
  }

  const transposeStack = currentNameStack().transform("transpose");
  const ctEnv = new Map<Var, Array>();
  const writeCt = (v: Var, ct: Tangent | null | undefined, prim: string): void => {
    if (ct === null || ct === undefined || ct instanceof Zero) return;
    const c = asArray(ct);
    if (c.ndim !== v.aval.ndim || c.shape.some((d, i) => d !== v.aval.shape[i])) {
      throw new Error(
        `Transpose rule of '${prim}' produced a cotangent of shape ${shapeStr(c.shape)} for an input of shape ` +
          `${shapeStr(v.aval.shape)} (internal error).`,
      );
    }
    const prev = ctEnv.get(v);
    ctEnv.set(v, prev ? addAny(prev, c) : c);
  };
  jaxpr.outvars.forEach((v, i) => {
    if (v instanceof Var && linear.has(v)) writeCt(v, cts[i], "output");
  });

  for (let e = linEqns.length - 1; e >= 0; e--) {
    const eqn = linEqns[e]!;
    const prim = eqn.primitive as Primitive;
    const ctsOut: Tangent[] = eqn.outputs.map((o) => {
      const c = ctEnv.get(o);
      ctEnv.delete(o);
      return c ?? new Zero(o.aval);
    });
    if (ctsOut.every((c) => c instanceof Zero)) continue;
    const rule = transposeRuleOf(prim);
    if (!rule)
      throw new NotImplementedError(
        `Transpose rule (for reverse-mode differentiation) for '${prim.name}' not implemented`,
      );
    const invals = eqn.inputs.map((a) =>
      a instanceof Var && linear.has(a)
        ? new UndefinedPrimal(a.aval)
        : (asArray(readPrimal(a)) as Array | UndefinedPrimal),
    );
    // JAX's backward_pass: each rule runs under `transpose(<the equation's name stack>)`.
    // (Accumulation too, as JAX's GradAccum, runs in that context.)
    withNameStack(transposeStack.concat(eqn.nameStack), () => {
      const ctsIn = rule(ctsOut, invals, eqn.params);
      eqn.inputs.forEach((a, i) => {
        if (a instanceof Var && linear.has(a)) writeCt(a, ctsIn[i], prim.name);
      });
    });
  }

  return jaxpr.invars.map((v, i) =>
    args[i] instanceof UndefinedPrimal ? (ctEnv.get(v) ?? new Zero(v.aval)) : null,
  );
}
