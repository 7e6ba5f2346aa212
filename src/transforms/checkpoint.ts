/**
 * `checkpoint(f)` (alias `remat`): under reverse-mode differentiation, `f`'s intermediate
 * values are not saved as residuals; the backward pass recomputes them from `f`'s inputs.
 *
 * Under a transformation the function is traced and bound as the `checkpoint` primitive
 * (`checkpoint[differentiated=… jaxpr={…} policy=None prevent_cse=True]`). Its partial-eval
 * rule computes the known outputs now and stages the unknown part as a new `checkpoint` whose
 * inputs are the known *inputs* (not intermediates); its transpose is again a `checkpoint`,
 * whose jaxpr recomputes the forward values before the backward ones.
 */
import { type TreeDef, treeUnflatten } from "../core/pytree.js";
import { checkOptionKeys } from "../core/options.js";
import { ClosedJaxpr, Jaxpr, type Params, Var } from "../ir/jaxpr.js";
import { dce } from "../ir/passes/dce.js";
import { traceToJaxpr } from "../trace/jaxpr-trace.js";
import {
  type Primitive,
  UndefinedPrimal,
  Zero,
  inlineCallJaxpr,
  providedByTransforms,
} from "../trace/primitive.js";
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { type Value, avalOf, bind, isTransforming } from "../trace/trace.js";
import { type PartialEvalRule, definePrimitive, provideRules } from "../primitives/define.js";
import { functionName } from "./param-names.js";
import { flattenValues } from "./pytree-args.js";
import { evalJaxpr, hoistConsts } from "./eval-jaxpr.js";
import { jvpJaxpr } from "./ad/jvp.js";
import { type PETrace, type PETracer, partialEvalJaxpr } from "./ad/partial-eval.js";
import { spreadNonzero, transposeJaxpr } from "./ad/pjit-rules.js";
import { tangentAval } from "./ad/tangents.js";
import { batchJaxpr } from "./vmap-trace.js";
import { type CheckpointPolicy, checkpointPolicies } from "./checkpoint-policies.js";
import { policyPartialEval } from "./checkpoint-policy-pe.js";

interface CheckpointParams extends Params {
  jaxpr: ClosedJaxpr;
  prevent_cse: boolean;
  differentiated: boolean;
  policy: unknown;
}

export const checkpointP: Primitive<CheckpointParams> = definePrimitive<CheckpointParams>({
  name: "checkpoint",
  abstractEval: (_avals, { jaxpr }) => jaxpr.outAvals,
  lower: inlineCallJaxpr<CheckpointParams>("jaxpr"),
  partialEval: providedByTransforms,
  jvp(primals, tangents, params) {
    const nz = tangents.map((t) => !(t instanceof Zero));
    const j = jvpJaxpr(params.jaxpr, nz, false);
    const nzTangents = tangents.filter((_, i) => nz[i]) as Value[];
    const outs = bind(checkpointP, [...j.consts, ...primals, ...nzTangents], {
      ...params,
      jaxpr: j.jaxpr,
    });
    const n = params.jaxpr.outAvals.length;
    const outPrimals = outs.slice(0, n);
    return [
      outPrimals,
      spreadNonzero(
        outs.slice(n),
        j.outNonzero,
        outPrimals.map((p) => tangentAval(p.aval)),
      ),
    ];
  },
  transpose(cts, args, params) {
    const t = transposeJaxpr(params.jaxpr, args, cts);
    const outs = bind(checkpointP, [...t.consts, ...t.inputs], {
      ...params,
      jaxpr: t.jaxpr,
      differentiated: true,
    });
    const undefAvals = args.flatMap((a) => (a instanceof UndefinedPrimal ? [a.aval] : []));
    const cs = spreadNonzero(outs, t.outNonzero, undefAvals);
    let k = 0;
    return args.map((a) => (a instanceof UndefinedPrimal ? cs[k++]! : null));
  },
  batch(args, dims, params, axisSize) {
    const b = batchJaxpr(params.jaxpr, axisSize, dims, false);
    const outs = bind(checkpointP, [...b.consts, ...args], { ...params, jaxpr: b.jaxpr });
    return [outs, b.outDims];
  },
});

/** `j` restricted to the outputs where `keep` is set, dead code removed. */
function restrictOutputs(j: Jaxpr, keep: readonly boolean[]): Jaxpr {
  return dce(
    new Jaxpr(
      j.constvars,
      j.invars,
      j.outvars.filter((_, i) => keep[i]),
      j.eqns,
    ),
  );
}

function usedVars(j: Jaxpr): Set<Var> {
  const used = new Set<Var>();
  for (const e of j.eqns) for (const a of e.inputs) if (a instanceof Var) used.add(a);
  for (const o of j.outvars) if (o instanceof Var) used.add(o);
  return used;
}

const checkpointPartialEval: PartialEvalRule<CheckpointParams> = (
  trace: PETrace,
  tracers: PETracer[],
  p,
) => {
  const params = p as CheckpointParams;
  const unknowns = tracers.map((t) => !t.pval.known);
  const pe = partialEvalJaxpr(params.jaxpr, unknowns, false);
  if (typeof params.policy === "function" && params.policy !== checkpointPolicies.nothingSaveable) {
    const policy = params.policy as CheckpointPolicy;
    return policyPartialEval(trace, tracers, params, policy, pe.outUnknowns, checkpointP);
  }
  // Known outputs: computed now, inline (residuals are not kept).
  const nKnown = pe.outUnknowns.filter((u) => !u).length;
  const knownOnly = restrictOutputs(
    pe.known.jaxpr,
    pe.known.jaxpr.outvars.map((_, i) => i < nKnown),
  );
  const knownVals = tracers.flatMap((t) => (t.pval.known ? [t.pval.value] : []));
  const knownOuts = nKnown === 0 ? [] : evalJaxpr(knownOnly, [], [...pe.knownConsts, ...knownVals]);
  // Unknown outputs: the whole computation again, from the (used) known inputs and the unknown ones.
  const j = restrictOutputs(params.jaxpr.jaxpr, pe.outUnknowns);
  const used = usedVars(j);
  const keptKnown = j.invars.map((v, i) => !unknowns[i] && used.has(v));
  const invars = [
    ...j.invars.filter((_, i) => keptKnown[i]),
    ...j.invars.filter((_, i) => unknowns[i]),
  ];
  const unknownJaxpr = new ClosedJaxpr(new Jaxpr([], invars, j.outvars, j.eqns), []);
  const ins = [...tracers.filter((_, i) => keptKnown[i]), ...tracers.filter((_, i) => unknowns[i])];
  const outs = trace.stage(
    checkpointP,
    ins,
    { ...params, jaxpr: unknownJaxpr, differentiated: true },
    unknownJaxpr.outAvals,
  );
  let k = 0;
  let u = 0;
  return pe.outUnknowns.map((unk) => (unk ? outs[u++]! : knownOuts[k++]!));
};
provideRules(checkpointP, { partialEval: checkpointPartialEval });

export interface CheckpointOptions {
  /** Kept for JAX parity (printed as a param); CSE never merges across the recomputation here. */
  preventCse?: boolean;
  /** Which values to save for the backward pass (`checkpointPolicies`); null: none. */
  policy?: CheckpointPolicy | null;
  /** Positions of arguments passed through as Python values (not traced), as jit's. */
  staticArgnums?: number | readonly number[];
}

const CHECKPOINT_OPTION_KEYS = Object.keys({
  preventCse: true,
  policy: true,
  staticArgnums: true,
} satisfies Record<keyof CheckpointOptions, true>);

/** `checkpoint(f)`: `f`, with its intermediates recomputed (not stored) for the backward pass. */
export function checkpoint<F extends AnyFunction>(f: F, opts: CheckpointOptions = {}): F {
  if (typeof f !== "function")
    throw new TypeError(`checkpoint expects a function, got ${typeof f}.`);
  checkOptionKeys("checkpoint", opts, CHECKPOINT_OPTION_KEYS);
  if (opts.policy !== undefined && opts.policy !== null && typeof opts.policy !== "function") {
    throw new TypeError(
      `checkpoint: policy must be a function (see checkpointPolicies) or null, got ${typeof opts.policy}.`,
    );
  }
  const statics = staticPositions(opts.staticArgnums);
  const name = functionName(f);
  const fn = f as AnyFunction as UncheckedFunction;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    if (!isTransforming()) return fn.apply(this, args);
    const isStatic = (i: number) => statics.some((s) => (s < 0 ? s + args.length : s) === i);
    const dynArgs = args.filter((_, i) => !isStatic(i));
    const [leaves, inTree] = flattenValues(dynArgs, `checkpointed function ${name}`);
    const withStatics = (dyn: unknown[]) => {
      let k = 0;
      return args.map((a, i) => (isStatic(i) ? a : dyn[k++]));
    };
    let outTree: TreeDef | undefined;
    const closed = traceToJaxpr((xs) => {
      const [ol, od] = flattenValues(
        fn.apply(this, withStatics(treeUnflatten<unknown[]>(inTree, xs))),
        `output of ${name}`,
      );
      outTree = od;
      return ol;
    }, leaves.map(avalOf));
    const { jaxpr, consts } = hoistConsts(closed);
    const outs = bind(checkpointP, [...consts, ...leaves], {
      jaxpr,
      prevent_cse: opts.preventCse ?? true,
      differentiated: false,
      policy: opts.policy ?? null,
    });
    return treeUnflatten(outTree!, outs);
  };
  Object.defineProperty(wrapped, "name", { value: name });
  return wrapped as unknown as F;
}

export const remat = checkpoint;

function staticPositions(s: number | readonly number[] | undefined): number[] {
  const list = s === undefined ? [] : typeof s === "number" ? [s] : [...s];
  for (const n of list) {
    if (!Number.isInteger(n)) {
      throw new TypeError(`checkpoint: staticArgnums must be integers, got ${String(n)}.`);
    }
  }
  return list;
}
