/** Common subexpression elimination: equal equations on equal inputs are computed once. */
import { pyStr } from "../print.js";
import { type Atom, Eqn, Jaxpr, Literal, Var } from "../jaxpr.js";
import { paramsKey } from "../params-key.js";
import { eqnHasEffects } from "../effects.js";

const effectful = new Set(["random_seed", "rng_uniform"]);

export function cse(j: Jaxpr): Jaxpr {
  const rename = new Map<Var, Var>();
  const seen = new Map<string, Eqn>();
  const varIds = new Map<Var, number>();
  const atomKey = (a: Atom): string => {
    if (a instanceof Literal) return `L${a.aval.key}:${pyStr(a.value)}`;
    const v = rename.get(a) ?? a;
    let id = varIds.get(v);
    if (id === undefined) varIds.set(v, (id = varIds.size));
    return `v${id}`;
  };
  const sub = (a: Atom): Atom => (a instanceof Var ? (rename.get(a) ?? a) : a);
  const eqns: Eqn[] = [];
  let changed = false;
  for (const e of j.eqns) {
    const inputs = e.inputs.map(sub);
    const key = `${e.primitive.name}|${paramsKey(e.params)}|${inputs.map(atomKey).join(",")}`;
    const prev = effectful.has(e.primitive.name) || eqnHasEffects(e) ? undefined : seen.get(key);
    if (prev) {
      e.outputs.forEach((o, i) => rename.set(o, prev.outputs[i]!));
      changed = true;
      continue;
    }
    const ne = inputs.some((a, i) => a !== e.inputs[i])
      ? new Eqn(e.primitive, inputs, e.outputs, e.params, e.nameStack)
      : e;
    seen.set(key, ne);
    eqns.push(ne);
  }
  if (!changed) return j;
  return new Jaxpr(j.constvars, j.invars, j.outvars.map(sub), eqns);
}
