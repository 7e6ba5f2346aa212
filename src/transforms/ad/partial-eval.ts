/**
 * Partial evaluation (JAX's `JaxprTrace`): values are known (computed now, by the traces
 * below) or unknown (only their avals). Primitives applied to known values run now; those
 * with an unknown input are recorded as equations, from which the jaxpr of the unknown part
 * is built. Linearize = JVP with known primals and unknown tangents, then this.
 */
import type { ShapedArray } from "../../core/aval.js";
import { type NameStack, currentNameStack } from "../../core/name-stack.js";
import { ClosedJaxpr, Eqn, Jaxpr, Literal, type Atom, type Params, Var } from "../../ir/jaxpr.js";
import { dce } from "../../ir/passes/dce.js";
import { Array } from "../../trace/array.js";
import { traceToJaxpr } from "../../trace/jaxpr-trace.js";
import type { Primitive } from "../../trace/primitive.js";
import { partialEvalRuleOf } from "../../primitives/define.js";
import {
  type MainTrace,
  Trace,
  Tracer,
  type Value,
  avalOf,
  bind,
  fullLower,
  fullRaise,
  withMainTrace,
} from "../../trace/trace.js";
import { DerivedCache, constsAreConcrete, evalClosed, hoistConsts } from "../eval-jaxpr.js";

export type PartialVal =
  | { readonly known: true; readonly value: Value; readonly aval: ShapedArray }
  | { readonly known: false; readonly aval: ShapedArray };

export const knownPval = (value: Value): PartialVal => ({
  known: true,
  value,
  aval: avalOf(value),
});
export const unknownPval = (aval: ShapedArray): PartialVal => ({ known: false, aval });

export class EqnRecipe {
  constructor(
    readonly prim: Primitive,
    readonly inputs: readonly PETracer[],
    readonly params: Params,
    readonly outs: readonly PETracer[],
    readonly nameStack: NameStack = currentNameStack(),
  ) {}
}

export type Recipe =
  { kind: "lambda" } | { kind: "const"; value: Value } | { kind: "eqn"; eqn: EqnRecipe };

export class PETracer extends Tracer {
  recipe: Recipe | undefined;
  constructor(
    readonly _trace: PETrace,
    readonly pval: PartialVal,
    recipe?: Recipe,
  ) {
    super();
    this.recipe = recipe;
  }
  get aval(): ShapedArray {
    return this.pval.aval;
  }
  get isKnown(): boolean {
    return this.pval.known;
  }
  override fullLower(): Value {
    return this.pval.known ? fullLower(this.pval.value) : this;
  }
}

export class PETrace extends Trace {
  override get name(): string {
    return "JaxprTrace";
  }
  pure(x: Value): Tracer {
    return new PETracer(this, knownPval(x));
  }
  lift(t: Tracer): Tracer {
    return new PETracer(this, knownPval(t));
  }
  /** A known tracer as an unknown one standing for a constant of the jaxpr being built. */
  instantiateConst(t: PETracer): PETracer {
    if (!t.pval.known) return t;
    return new PETracer(
      this,
      { known: false, aval: t.aval },
      { kind: "const", value: t.pval.value },
    );
  }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Value[] {
    const ts = tracers as PETracer[];
    if (ts.every((t) => t.pval.known)) {
      return bind(
        prim,
        ts.map((t) => (t.pval as { value: Value }).value),
        params,
      );
    }
    const rule = partialEvalRuleOf(prim);
    if (rule) return rule(this, ts, params);
    return this.stage(prim, ts, params);
  }
  /** Record `prim` applied to `tracers` as an equation of the unknown jaxpr. */
  stage(
    prim: Primitive,
    tracers: readonly PETracer[],
    params: Params,
    outAvals?: readonly ShapedArray[],
  ): PETracer[] {
    const ins = tracers.map((t) => this.instantiateConst(t));
    const avals =
      outAvals ??
      prim.abstractEval(
        ins.map((t) => t.aval),
        params,
      );
    const outs = avals.map((a) => new PETracer(this, { known: false, aval: a }));
    const recipe = new EqnRecipe(prim, ins, params, outs);
    for (const o of outs) o.recipe = { kind: "eqn", eqn: recipe };
    return outs;
  }
}

/** JAX's `toposort` over tracers (parents: a recipe's inputs), so equations come out in JAX's order. */
function toposort(ends: readonly PETracer[]): PETracer[] {
  const parents = (t: PETracer) => (t.recipe?.kind === "eqn" ? t.recipe.eqn.inputs : []);
  const uniq = [...new Set(ends)];
  if (uniq.length === 0) return [];
  const childCounts = new Map<PETracer, number>();
  const stack = [...uniq];
  while (stack.length) {
    const n = stack.pop()!;
    if (childCounts.has(n)) childCounts.set(n, childCounts.get(n)! + 1);
    else {
      childCounts.set(n, 1);
      stack.push(...parents(n));
    }
  }
  for (const n of uniq) childCounts.set(n, childCounts.get(n)! - 1);
  const sorted: PETracer[] = [];
  const childless = uniq.filter((n) => childCounts.get(n) === 0);
  while (childless.length) {
    const n = childless.pop()!;
    sorted.push(n);
    for (const p of parents(n)) {
      const c = childCounts.get(p)!;
      if (c === 1) childless.push(p);
      else childCounts.set(p, c - 1);
    }
  }
  return sorted.reverse();
}

/**
 * The jaxpr computing `outs` from the lambda-bound `ins` (JAX's `tracers_to_jaxpr`). Known
 * values it needs become constvars (the residuals), returned as `consts`; scalar constants
 * become literals.
 */
export function tracersToJaxpr(
  ins: readonly PETracer[],
  outs: readonly PETracer[],
): { jaxpr: Jaxpr; consts: Value[] } {
  const atoms = new Map<PETracer, Atom>();
  const invars = ins.map((t) => {
    const v = new Var(t.aval);
    atoms.set(t, v);
    return v;
  });
  const constvars: Var[] = [];
  const consts: Value[] = [];
  const constByValue = new Map<Value, Var>();
  const eqns: Eqn[] = [];
  const done = new Set<EqnRecipe>();
  for (const t of toposort(outs)) {
    const r = t.recipe;
    if (!r) throw new Error("partial eval: unknown tracer without a recipe");
    if (r.kind === "lambda") {
      if (!atoms.has(t))
        throw new Error("partial eval: a lambda-bound tracer is not an input of this jaxpr");
    } else if (r.kind === "const") {
      const lit =
        r.value instanceof Array
          ? r.value._literalValue()
          : typeof r.value === "bigint"
            ? undefined
            : r.value;
      if (lit !== undefined) atoms.set(t, new Literal(lit, t.aval));
      else {
        let v = constByValue.get(r.value);
        if (!v) {
          v = new Var(t.aval);
          constByValue.set(r.value, v);
          constvars.push(v);
          consts.push(r.value);
        }
        atoms.set(t, v);
      }
    } else if (!done.has(r.eqn)) {
      done.add(r.eqn);
      const outVars = r.eqn.outs.map((o) => {
        const v = new Var(o.aval);
        atoms.set(o, v);
        return v;
      });
      eqns.push(
        new Eqn(
          r.eqn.prim,
          r.eqn.inputs.map((i) => atoms.get(i)!),
          outVars,
          r.eqn.params,
          r.eqn.nameStack,
        ),
      );
    }
  }
  return {
    jaxpr: new Jaxpr(
      constvars,
      invars,
      outs.map((o) => atoms.get(o)!),
      eqns,
    ),
    consts,
  };
}

export interface PartialEvalResult {
  /** Inputs: the unknown inputs (constvars: the residuals); outputs: the unknown outputs. */
  jaxpr: Jaxpr;
  outPvals: PartialVal[];
  /** Values of the jaxpr's constvars (residuals). */
  consts: Value[];
}

/**
 * Partially evaluate `fn` (flat lists) on partial values (JAX's `trace_to_jaxpr_nounits`).
 * Known outputs are returned as values; `instantiate` forces known outputs to be outputs of
 * the jaxpr instead.
 */
export function partialEvalFlat(
  fn: (xs: Value[]) => readonly Value[],
  pvals: readonly PartialVal[],
  instantiate: boolean | readonly boolean[] = false,
): PartialEvalResult {
  return withMainTrace(PETrace, undefined, (main: MainTrace) => {
    const trace = main.makeTrace() as PETrace;
    const lambdas: PETracer[] = [];
    const ins = pvals.map((pv) => {
      if (pv.known) return pv.value;
      const t = new PETracer(trace, pv, { kind: "lambda" });
      lambdas.push(t);
      return t;
    });
    const outs = fn(ins).map((o, i) => {
      const t = fullRaise(trace, o) as PETracer;
      const inst = typeof instantiate === "boolean" ? instantiate : instantiate[i]!;
      return inst ? trace.instantiateConst(t) : t;
    });
    const { jaxpr, consts } = tracersToJaxpr(
      lambdas,
      outs.filter((t) => !t.pval.known),
    );
    return { jaxpr, outPvals: outs.map((t) => t.pval), consts };
  });
}

export interface PartialEvalJaxprResult {
  /** Const-free. Inputs: [...knownConsts, ...known inputs]; outputs: [...known outputs, ...residuals]. */
  known: ClosedJaxpr;
  knownConsts: Value[];
  /** Const-free. Inputs: [...residuals, ...unknown inputs]; outputs: the unknown outputs. */
  unknown: ClosedJaxpr;
  outUnknowns: boolean[];
  numRes: number;
}

/**
 * Split a closed jaxpr into the part computable from the known inputs and the rest (JAX's
 * `partial_eval_jaxpr_nounits`), connected by residuals.
 */
const peCache = new DerivedCache<PartialEvalJaxprResult>();

export function partialEvalJaxpr(
  closed: ClosedJaxpr,
  unknowns: readonly boolean[],
  instantiate: boolean | readonly boolean[],
): PartialEvalJaxprResult {
  const key = `${unknowns.map(Number).join("")}|${typeof instantiate === "boolean" ? instantiate : instantiate.map(Number).join("")}`;
  return peCache.get(
    closed,
    key,
    () => partialEvalJaxprUncached(closed, unknowns, instantiate),
    (r) => constsAreConcrete(r.knownConsts),
  );
}

function partialEvalJaxprUncached(
  closed: ClosedJaxpr,
  unknowns: readonly boolean[],
  instantiate: boolean | readonly boolean[],
): PartialEvalJaxprResult {
  const inAvals = closed.inAvals;
  let cell: { outUnknowns: boolean[]; unknown: Jaxpr; numRes: number } | undefined;
  const knownTraced = traceToJaxpr(
    (knownVals) => {
      let k = 0;
      const pvals = inAvals.map((a, i) =>
        unknowns[i] ? unknownPval(a) : knownPval(knownVals[k++]!),
      );
      const r = partialEvalFlat((xs) => evalClosed(closed, xs), pvals, instantiate);
      const j = r.jaxpr;
      cell = {
        outUnknowns: r.outPvals.map((p) => !p.known),
        unknown: new Jaxpr([], [...j.constvars, ...j.invars], j.outvars, j.eqns),
        numRes: r.consts.length,
      };
      const knownOuts = r.outPvals.flatMap((p) => (p.known ? [p.value] : []));
      return [...knownOuts, ...r.consts];
    },
    inAvals.filter((_, i) => !unknowns[i]),
  );
  const { jaxpr: known, consts: knownConsts } = hoistConsts(
    new ClosedJaxpr(dce(knownTraced.jaxpr), knownTraced.consts),
  );
  return {
    known,
    knownConsts,
    unknown: new ClosedJaxpr(dce(cell!.unknown), []),
    outUnknowns: cell!.outUnknowns,
    numRes: cell!.numRes,
  };
}
