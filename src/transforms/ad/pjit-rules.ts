/**
 * pjit (a nested jit) under every transformation: JVP, partial evaluation, transposition and
 * batching each produce a new pjit whose jaxpr is the transformed inner jaxpr.
 */
import type { ShapedArray } from "../../core/aval.js";
import { ClosedJaxpr, Jaxpr } from "../../ir/jaxpr.js";
import type { Array } from "../../trace/array.js";
import { traceToJaxpr } from "../../trace/jaxpr-trace.js";
import { type Tangent, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import { type Value, bind } from "../../trace/trace.js";
import { type PjitParams, pjitP } from "../../primitives/pjit.js";
import { type PartialEvalRule, provideRules } from "../../primitives/define.js";
import { DerivedCache, constsAreConcrete, hoistConsts } from "../eval-jaxpr.js";
import { batchJaxpr } from "../vmap-trace.js";
import { jvpJaxpr } from "./jvp.js";
import { type PETrace, type PETracer, partialEvalJaxpr } from "./partial-eval.js";
import { tangentAval } from "./tangents.js";
import { backwardPass } from "./transpose.js";

/**
 * The transpose of a closed jaxpr as a traced function of (defined args, nonzero cts): returns
 * the traced jaxpr (consts hoisted) and which undefined inputs get nonzero cotangents.
 */
const transposeCache = new DerivedCache<{
  jaxpr: ClosedJaxpr;
  consts: Value[];
  outNonzero: boolean[];
}>();

export function transposeJaxpr(
  closed: ClosedJaxpr,
  args: readonly (Array | UndefinedPrimal)[],
  cts: readonly Tangent[],
): { jaxpr: ClosedJaxpr; consts: Value[]; inputs: Value[]; outNonzero: boolean[] } {
  const defined = args.filter((a): a is Array => !(a instanceof UndefinedPrimal));
  const nzCts = cts.filter((c): c is Array => !(c instanceof Zero));
  const key = [
    ...args.map((a) => (a instanceof UndefinedPrimal ? "u" : a.aval.key)),
    "|",
    ...cts.map((c) => (c instanceof Zero ? "0" : c.aval.key)),
  ].join(",");
  const t = transposeCache.get(
    closed,
    key,
    () => transposeJaxprUncached(closed, args, cts),
    (r) => constsAreConcrete(r.consts),
  );
  return { ...t, inputs: [...defined, ...nzCts] };
}

function transposeJaxprUncached(
  closed: ClosedJaxpr,
  args: readonly (Array | UndefinedPrimal)[],
  cts: readonly Tangent[],
): { jaxpr: ClosedJaxpr; consts: Value[]; outNonzero: boolean[] } {
  const undef = args.map((a) => a instanceof UndefinedPrimal);
  const defined = args.filter((a): a is Array => !(a instanceof UndefinedPrimal));
  const nzCts = cts.filter((c): c is Array => !(c instanceof Zero));
  let outNonzero: boolean[] = [];
  const traced = traceToJaxpr(
    (vals) => {
      let r = 0;
      let c = defined.length;
      const bpArgs = args.map((a) => (a instanceof UndefinedPrimal ? a : vals[r++]!));
      const bpCts = cts.map((ct) => (ct instanceof Zero ? ct : (vals[c++] as Array)));
      const out = backwardPass(closed.jaxpr, closed.consts, bpArgs, bpCts).filter(
        (_, i) => undef[i],
      ) as Tangent[];
      outNonzero = out.map((t) => !(t instanceof Zero));
      return out.filter((t): t is Array => !(t instanceof Zero));
    },
    [...defined.map((d) => d.aval), ...nzCts.map((c) => c.aval)] as ShapedArray[],
  );
  const { jaxpr, consts } = hoistConsts(traced);
  return { jaxpr, consts, outNonzero };
}

/** Spread a call's nonzero outputs back over all positions (Zero elsewhere). */
export function spreadNonzero(
  outs: readonly Array[],
  nonzero: readonly boolean[],
  avals: readonly ShapedArray[],
): Tangent[] {
  let k = 0;
  return nonzero.map((nz, i) => (nz ? outs[k++]! : new Zero(avals[i]!)));
}

provideRules(pjitP, {
  jvp(primals, tangents, params) {
    const nz = tangents.map((t) => !(t instanceof Zero));
    const j = jvpJaxpr(params.jaxpr, nz, false);
    const nzTangents = tangents.filter((t): t is Array => !(t instanceof Zero));
    const outs = bind(pjitP, [...j.consts, ...primals, ...nzTangents], {
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
    const outs = bind(pjitP, [...t.consts, ...t.inputs], { ...params, jaxpr: t.jaxpr });
    const undefAvals = args
      .filter((a): a is UndefinedPrimal => a instanceof UndefinedPrimal)
      .map((a) => a.aval);
    const cs = spreadNonzero(outs, t.outNonzero, undefAvals);
    let k = 0;
    return args.map((a) => (a instanceof UndefinedPrimal ? cs[k++]! : null));
  },
  batch(args, dims, params, axisSize) {
    const b = batchJaxpr(params.jaxpr, axisSize, dims, false);
    const outs = bind(pjitP, [...b.consts, ...args], { ...params, jaxpr: b.jaxpr });
    return [outs, b.outDims];
  },
});

/**
 * Partial evaluation of a pjit with some unknown inputs: a known pjit runs now (computing the
 * known outputs and residuals) and an unknown pjit taking [unknown inputs, residuals] is staged.
 */
/** The unknown jaxpr with its residual inputs moved last (memoized: keeps derived caches warm). */
const residualsLast = new WeakMap<ClosedJaxpr, ClosedJaxpr>();

const pjitPartialEval: PartialEvalRule<PjitParams> = (trace: PETrace, tracers: PETracer[], p) => {
  const params = p as PjitParams;
  const unknowns = tracers.map((t) => !t.pval.known);
  const pe = partialEvalJaxpr(params.jaxpr, unknowns, false);
  const knownVals = tracers.flatMap((t) => (t.pval.known ? [t.pval.value] : []));
  const kOuts =
    pe.known.jaxpr.outvars.length === 0
      ? []
      : bind(pjitP, [...pe.knownConsts, ...knownVals], { ...params, jaxpr: pe.known });
  const nKnownOut = pe.outUnknowns.filter((u) => !u).length;
  const knownOuts = kOuts.slice(0, nKnownOut);
  const residuals = kOuts.slice(nKnownOut);
  // JAX's order for the staged call: unknown inputs first, then residuals.
  let unknownJaxpr = residualsLast.get(pe.unknown);
  if (!unknownJaxpr) {
    const uj = pe.unknown.jaxpr;
    unknownJaxpr = new ClosedJaxpr(
      new Jaxpr(
        [],
        [...uj.invars.slice(pe.numRes), ...uj.invars.slice(0, pe.numRes)],
        uj.outvars,
        uj.eqns,
      ),
      [],
    );
    residualsLast.set(pe.unknown, unknownJaxpr);
  }
  const ins = [
    ...tracers.filter((t) => !t.pval.known),
    ...residuals.map((r) => trace.instantiateConst(trace.pure(r) as PETracer)),
  ];
  const unknownOuts = trace.stage(
    pjitP,
    ins,
    { ...params, jaxpr: unknownJaxpr },
    unknownJaxpr.outAvals,
  );
  let k = 0;
  let u = 0;
  return pe.outUnknowns.map((unk) => (unk ? unknownOuts[u++]! : knownOuts[k++]!));
};
provideRules(pjitP, { partialEval: pjitPartialEval });
