/**
 * Partial evaluation of a `checkpoint` under a save policy (JAX's partial_eval_jaxpr_custom
 * with `saveable=policy`): the equations whose inputs are all known are candidates; those the
 * policy accepts are computed on the forward pass and their outputs passed to the staged
 * (unknown) checkpoint as residuals, so the backward pass does not recompute them. Everything
 * else the unknown part needs is recomputed from the known inputs, as without a policy.
 */
import { ClosedJaxpr, Jaxpr, type Params, Var } from "../ir/jaxpr.js";
import { dce } from "../ir/passes/dce.js";
import { eqnHasEffects } from "../ir/effects.js";
import type { Primitive } from "../trace/primitive.js";
import type { Value } from "../trace/trace.js";
import { evalJaxpr } from "./eval-jaxpr.js";
import type { PETrace, PETracer } from "./ad/partial-eval.js";
import type { CheckpointPolicy } from "./checkpoint-policies.js";

interface Params_ extends Params {
  jaxpr: ClosedJaxpr;
}

export function policyPartialEval(
  trace: PETrace,
  tracers: PETracer[],
  params: Params_,
  policy: CheckpointPolicy,
  outUnknowns: readonly boolean[],
  prim: Primitive,
): Value[] {
  const J = params.jaxpr.jaxpr;
  const unknownIn = tracers.map((t) => !t.pval.known);
  // Forward: which vars are known (computable from known inputs alone).
  const known = new Set<Var>(J.invars.filter((_, i) => !unknownIn[i]));
  const knownEqn = J.eqns.map((e) => {
    const k = !eqnHasEffects(e) && e.inputs.every((a) => !(a instanceof Var) || known.has(a));
    if (k) for (const o of e.outputs) known.add(o);
    return k;
  });
  // The unknown outputs' computation, with the saveable known equations cut out.
  const saved = new Set<Var>();
  const rest = J.eqns.filter((e, i) => {
    if (
      !knownEqn[i] ||
      !policy(
        e.primitive,
        e.inputs.map((a) => a.aval),
        e.params,
      )
    )
      return true;
    for (const o of e.outputs) saved.add(o);
    return false;
  });
  const unknownOut = J.outvars.filter((_, i) => outUnknowns[i]);
  const probe = dce(new Jaxpr([], [...saved, ...J.invars], unknownOut, rest));
  const used = new Set<Var>();
  for (const e of probe.eqns) for (const a of e.inputs) if (a instanceof Var) used.add(a);
  for (const o of probe.outvars) if (o instanceof Var) used.add(o);
  const residuals = [...saved].filter((v) => used.has(v));
  const keptKnown = J.invars.map((v, i) => !unknownIn[i] && used.has(v));
  // Known side: the known outputs and the residuals, from the known inputs.
  const knownInvars = J.invars.filter((_, i) => !unknownIn[i]);
  const knownOutvars = J.outvars.filter((_, i) => !outUnknowns[i]);
  const K = dce(new Jaxpr([], knownInvars, [...knownOutvars, ...residuals], J.eqns));
  const knownVals = tracers.flatMap((t) => (t.pval.known ? [t.pval.value] : []));
  const kOuts = evalJaxpr(K, [], knownVals);
  const knownOuts = kOuts.slice(0, knownOutvars.length);
  const resVals = kOuts.slice(knownOutvars.length);
  // Unknown side: residuals, used known inputs, unknown inputs.
  const invars = [
    ...residuals,
    ...J.invars.filter((_, i) => keptKnown[i]),
    ...J.invars.filter((_, i) => unknownIn[i]),
  ];
  const U = new ClosedJaxpr(new Jaxpr([], invars, probe.outvars, probe.eqns), []);
  const ins = [
    ...resVals.map((v) => trace.pure(v) as PETracer),
    ...tracers.filter((_, i) => keptKnown[i]),
    ...tracers.filter((_, i) => unknownIn[i]),
  ];
  const outs = trace.stage(prim, ins, { ...params, jaxpr: U, differentiated: true }, U.outAvals);
  let k = 0;
  let u = 0;
  return outUnknowns.map((unk) => (unk ? outs[u++]! : knownOuts[k++]!));
}
