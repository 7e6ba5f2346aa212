/**
 * Constant folding: an equation whose inputs are all literals and whose outputs are scalars
 * is evaluated at compile time and replaced by literals.
 */
import { type Atom, Eqn, Jaxpr, Literal, Var } from "../jaxpr.js";

/** Evaluates one primitive on literal scalars (supplied by the runtime). */
export type ScalarEvaluator = (eqn: Eqn) => (number | boolean | bigint)[] | undefined;

const neverFold = new Set(["pjit", "debug_callback"]);

export function foldConstants(j: Jaxpr, evaluate: ScalarEvaluator): Jaxpr {
  const rename = new Map<Var, Atom>();
  const sub = (a: Atom): Atom => (a instanceof Var ? (rename.get(a) ?? a) : a);
  const eqns: Eqn[] = [];
  let changed = false;
  for (const e0 of j.eqns) {
    const inputs = e0.inputs.map(sub);
    const e = inputs.some((a, i) => a !== e0.inputs[i])
      ? new Eqn(e0.primitive, inputs, e0.outputs, e0.params, e0.nameStack)
      : e0;
    const foldable =
      !neverFold.has(e.primitive.name) &&
      e.inputs.length > 0 &&
      e.inputs.every((a) => a instanceof Literal) &&
      e.outputs.every((o) => o.aval.ndim === 0) &&
      !Object.values(e.params).some((p) => p instanceof Jaxpr || (p as { jaxpr?: unknown })?.jaxpr);
    const values = foldable ? evaluate(e) : undefined;
    if (values) {
      e.outputs.forEach((o, i) => rename.set(o, new Literal(values[i]!, o.aval)));
      changed = true;
      continue;
    }
    eqns.push(e);
  }
  if (!changed) return j;
  return new Jaxpr(j.constvars, j.invars, j.outvars.map(sub), eqns);
}
