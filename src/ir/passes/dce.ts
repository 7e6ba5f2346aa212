/** Dead code elimination: drop equations none of whose outputs are needed. */
import { eqnHasEffects } from "../effects.js";
import { Jaxpr, Var } from "../jaxpr.js";

export function dce(j: Jaxpr): Jaxpr {
  const live = new Set<Var>();
  for (const o of j.outvars) if (o instanceof Var) live.add(o);
  const kept = [];
  for (let i = j.eqns.length - 1; i >= 0; i--) {
    const e = j.eqns[i]!;
    if (eqnHasEffects(e) || e.outputs.some((o) => live.has(o))) {
      kept.push(e);
      for (const a of e.inputs) if (a instanceof Var) live.add(a);
    }
  }
  kept.reverse();
  return kept.length === j.eqns.length ? j : new Jaxpr(j.constvars, j.invars, j.outvars, kept);
}
