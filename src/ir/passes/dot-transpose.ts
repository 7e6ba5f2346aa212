/**
 * `transpose(dot_general(a, b))` whose permutation swaps the two free-dimension groups (batch
 * dims staying first) is `dot_general(b, a)` with the dimension numbers swapped: the product
 * is then written in the layout its consumer wants instead of being read back strided. Reverse
 * mode produces this pattern for every weight gradient (JAX's dot_general transpose rule).
 */
import { Eqn, Jaxpr, Var } from "../jaxpr.js";

type DimensionNumbers = [[number[], number[]], [number[], number[]]];

export function foldDotTranspose(j: Jaxpr): Jaxpr {
  const uses = new Map<Var, number>();
  for (const e of j.eqns)
    for (const a of e.inputs) if (a instanceof Var) uses.set(a, (uses.get(a) ?? 0) + 1);
  for (const o of j.outvars) if (o instanceof Var) uses.set(o, (uses.get(o) ?? 0) + 1);
  const producer = new Map<Var, Eqn>();
  for (const e of j.eqns) if (e.primitive.name === "dot_general") producer.set(e.outputs[0]!, e);
  const replaced = new Map<Eqn, Eqn>(); // dot eqn → its swapped form (placed at the transpose)
  const eqns: Eqn[] = [];
  let changed = false;
  for (const e of j.eqns) {
    const src = e.inputs[0];
    const dot =
      e.primitive.name === "transpose" && src instanceof Var ? producer.get(src) : undefined;
    if (
      dot &&
      uses.get(src as Var) === 1 &&
      swapsFreeGroups(dot, e.params["permutation"] as number[])
    ) {
      const [[lc, rc], [lb, rb]] = dot.params["dimension_numbers"] as DimensionNumbers;
      const swapped = new Eqn(dot.primitive, [dot.inputs[1]!, dot.inputs[0]!], e.outputs, {
        ...dot.params,
        dimension_numbers: [
          [rc, lc],
          [rb, lb],
        ],
      });
      replaced.set(dot, swapped);
      eqns.push(swapped);
      changed = true;
      continue;
    }
    eqns.push(e);
  }
  if (!changed) return j;
  return new Jaxpr(
    j.constvars,
    j.invars,
    j.outvars,
    eqns.filter((e) => !replaced.has(e)),
  );
}

function swapsFreeGroups(dot: Eqn, perm: readonly number[]): boolean {
  const [[lc], [lb]] = dot.params["dimension_numbers"] as DimensionNumbers;
  const lhsRank = dot.inputs[0]!.aval.ndim;
  const rank = dot.outputs[0]!.aval.ndim;
  const nb = lb.length;
  const nl = lhsRank - lc.length - nb; // lhs free dims
  const nr = rank - nb - nl;
  const want = [
    ...Array.from({ length: nb }, (_, i) => i),
    ...Array.from({ length: nr }, (_, i) => nb + nl + i),
    ...Array.from({ length: nl }, (_, i) => nb + i),
  ];
  return perm.length === want.length && perm.every((p, i) => p === want[i]);
}
