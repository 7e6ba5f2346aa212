/** Small jaxpr surgery shared by the control-flow rules. */
import type { ShapedArray } from "../../core/aval.js";
import { ClosedJaxpr, Jaxpr, Var } from "../../ir/jaxpr.js";
import { traceToJaxpr } from "../../trace/jaxpr-trace.js";
import type { Value } from "../../trace/trace.js";
import { evalJaxpr, hoistConsts } from "../eval-jaxpr.js";

export interface WithConsts {
  /** Const-free; its first `consts.length` inputs take `consts`. */
  jaxpr: ClosedJaxpr;
  consts: Value[];
}

/**
 * Several jaxprs with their own leading consts → jaxprs that all take every const (the others'
 * as unused inputs), as cond branches must have one signature (JAX's `_join_cond_consts`).
 */
export function joinConsts(js: readonly WithConsts[]): { jaxprs: ClosedJaxpr[]; consts: Value[] } {
  const avals = js.map((j) => j.jaxpr.jaxpr.invars.slice(0, j.consts.length).map((v) => v.aval));
  const jaxprs = js.map((j, i) => {
    const inner = j.jaxpr.jaxpr;
    const n = j.consts.length;
    const before = avals
      .slice(0, i)
      .flat()
      .map((a) => new Var(a));
    const after = avals
      .slice(i + 1)
      .flat()
      .map((a) => new Var(a));
    const invars = [...before, ...inner.invars.slice(0, n), ...after, ...inner.invars.slice(n)];
    return new ClosedJaxpr(new Jaxpr([], invars, inner.outvars, inner.eqns), []);
  });
  return { jaxprs, consts: js.flatMap((j) => j.consts) };
}

/** `j` with its inputs permuted: new input k is old input `order[k]`. */
export function permuteInputs(j: ClosedJaxpr, order: readonly number[]): ClosedJaxpr {
  const inner = j.jaxpr;
  return new ClosedJaxpr(
    new Jaxpr(
      inner.constvars,
      order.map((i) => inner.invars[i]!),
      inner.outvars,
      inner.eqns,
    ),
    j.consts,
  );
}

/** `j` with its outputs permuted: new output k is old output `order[k]`. */
export function permuteOutputs(j: ClosedJaxpr, order: readonly number[]): ClosedJaxpr {
  const inner = j.jaxpr;
  return new ClosedJaxpr(
    new Jaxpr(
      inner.constvars,
      inner.invars,
      order.map((i) => inner.outvars[i]!),
      inner.eqns,
    ),
    j.consts,
  );
}

/** `j` with extra unused inputs of the given avals inserted at position `at`. */
export function addUnusedInputs(
  j: ClosedJaxpr,
  at: number,
  avals: readonly ShapedArray[],
): ClosedJaxpr {
  const inner = j.jaxpr;
  const invars = [
    ...inner.invars.slice(0, at),
    ...avals.map((a) => new Var(a)),
    ...inner.invars.slice(at),
  ];
  return new ClosedJaxpr(new Jaxpr(inner.constvars, invars, inner.outvars, inner.eqns), j.consts);
}

/** Trace `fn` on `avals` into a const-hoisted jaxpr. */
export function traceHoisted(
  fn: (args: Value[]) => readonly Value[],
  avals: readonly ShapedArray[],
): WithConsts {
  return hoistConsts(traceToJaxpr((args) => fn(args), avals));
}

/** Evaluate a const-hoisted jaxpr. */
export function evalHoisted(j: WithConsts, args: readonly Value[]): Value[] {
  return evalJaxpr(j.jaxpr.jaxpr, [], [...j.consts, ...args]);
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
