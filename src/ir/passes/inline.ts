/** Inline nested `pjit` calls so the other passes and the fuser see one flat program. */
import { type Atom, ClosedJaxpr, Eqn, Jaxpr, Literal, Var } from "../jaxpr.js";

export function inlinePjit(j: Jaxpr): Jaxpr {
  if (!j.eqns.some((e) => e.primitive.name === "pjit")) return j;
  const eqns: Eqn[] = [];
  const rename = new Map<Var, Atom>();
  const sub = (a: Atom): Atom => (a instanceof Var ? (rename.get(a) ?? a) : a);
  const emit = (e: Eqn) => {
    if (e.primitive.name !== "pjit") {
      eqns.push(new Eqn(e.primitive, e.inputs.map(sub), e.outputs, e.params, e.nameStack));
      return;
    }
    const inner = inlinePjit((e.params["jaxpr"] as ClosedJaxpr).jaxpr);
    // Fresh variables for this call site; the inner jaxpr may be inlined several times.
    const local = new Map<Var, Atom>();
    inner.invars.forEach((v, i) => local.set(v, sub(e.inputs[i]!)));
    const get = (a: Atom): Atom => (a instanceof Literal ? a : (local.get(a) ?? a));
    for (const ie of inner.eqns) {
      const outs = ie.outputs.map((o) => new Var(o.aval));
      ie.outputs.forEach((o, i) => local.set(o, outs[i]!));
      eqns.push(
        new Eqn(
          ie.primitive,
          ie.inputs.map(get),
          outs,
          ie.params,
          e.nameStack.concat(ie.nameStack),
        ),
      );
    }
    e.outputs.forEach((o, i) => rename.set(o, get(inner.outvars[i]!)));
  };
  j.eqns.forEach(emit);
  return new Jaxpr(j.constvars, j.invars, j.outvars.map(sub), eqns);
}
