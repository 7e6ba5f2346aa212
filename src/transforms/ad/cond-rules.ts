/**
 * `cond` under the transformations, as JAX's lax control flow: the JVP is a cond of the
 * branches' JVPs (output tangents instantiated consistently); partial evaluation with a known
 * index splits it into a known cond (returning every branch's residuals, zeros for the others')
 * and a staged unknown cond; the transpose is a cond of the branches' transposes; batching
 * with a batched index becomes a select over all branches' (batched) outputs.
 */
import { int32 } from "../../core/dtype.js";
import type { Array } from "../../trace/array.js";
import { type Tangent, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import { type Value, bind, bind1 } from "../../trace/trace.js";
import { type CondParams, condP } from "../../primitives/control-flow.js";
import { type PartialEvalRule, provideRules } from "../../primitives/define.js";
import { broadcastInDim } from "../../primitives/shape/index.js";
import { clampP } from "../../primitives/clamp.js";
import { selectNP } from "../../primitives/select.js";
import { convertElementType } from "../../primitives/convert.js";
import { scalarConstant } from "../../trace/constants.js";
import { batchJaxpr, matchAxis } from "../vmap-trace.js";
import { type WithConsts, evalHoisted, joinConsts, traceHoisted } from "./call-utils.js";
import { jvpJaxpr } from "./jvp.js";
import { type PETrace, type PETracer, partialEvalJaxpr } from "./partial-eval.js";
import { spreadNonzero } from "./pjit-rules.js";
import { instantiateZeros, tangentAval, zerosLikeAval } from "./tangents.js";
import { backwardPass } from "./transpose.js";

const or = (xs: readonly boolean[][]): boolean[] => xs[0]!.map((_, i) => xs.some((x) => x[i]));

export function condJvp(
  primals: Array[],
  tangents: Tangent[],
  params: CondParams,
): [Array[], Tangent[]] {
  const [index, ...ops] = primals;
  const opTangents = tangents.slice(1);
  const nz = opTangents.map((t) => !(t instanceof Zero));
  const outNz = or(params.branches.map((b) => jvpJaxpr(b, nz, false).outNonzero));
  const js = params.branches.map((b) => jvpJaxpr(b, nz, outNz));
  const { jaxprs, consts } = joinConsts(js);
  const nzT = opTangents.filter((t): t is Array => !(t instanceof Zero));
  const outs = bind(condP, [index!, ...consts, ...ops, ...nzT], { ...params, branches: jaxprs });
  const n = params.branches[0]!.outAvals.length;
  const outPrimals = outs.slice(0, n);
  return [
    outPrimals,
    spreadNonzero(
      outs.slice(n),
      outNz,
      outPrimals.map((p) => tangentAval(p.aval)),
    ),
  ];
}

export function condBatch(
  args: Array[],
  dims: (number | null)[],
  params: CondParams,
  axisSize: number,
): [Array[], (number | null)[]] {
  const [index, ...ops] = args;
  const [dIndex, ...opDims] = dims;
  const branches = params.branches;
  if (dIndex !== null) {
    // A batched index: run every branch (batched) and select per example (as JAX).
    const outs = branches.map((b) => {
      const bj = batchJaxpr(b, axisSize, opDims, true);
      return evalHoisted(bj, ops) as Array[];
    });
    let idx = matchAxis(index!, dIndex!, 0, axisSize);
    if (idx.dtype !== int32) idx = convertElementType(idx, int32);
    idx = bind1(clampP, [
      scalarConstant(0, int32),
      idx,
      scalarConstant(branches.length - 1, int32),
    ]);
    const res = outs[0]!.map((_, k) => {
      const shape = outs[0]![k]!.shape;
      const which = shape.length === 1 ? idx : broadcastInDim(idx, shape, [0]);
      return bind1(selectNP, [which, ...outs.map((o) => o[k]!)]);
    });
    return [res, res.map(() => 0)];
  }
  const outBatched = or(
    branches.map((b) => batchJaxpr(b, axisSize, opDims, false).outDims.map((d) => d !== null)),
  );
  const bs = branches.map((b) => batchJaxpr(b, axisSize, opDims, outBatched));
  const { jaxprs, consts } = joinConsts(bs);
  const outs = bind(condP, [index!, ...consts, ...ops], { ...params, branches: jaxprs });
  return [outs, outBatched.map((b) => (b ? 0 : null))];
}

export function condTranspose(
  cts: Tangent[],
  args: (Array | UndefinedPrimal)[],
  params: CondParams,
): (Tangent | null)[] {
  const [index, ...ops] = args;
  if (index instanceof UndefinedPrimal)
    throw new Error("cond transpose: the index cannot be linear");
  const linear = ops.map((o) => o instanceof UndefinedPrimal);
  const res = ops.filter((o): o is Array => !(o instanceof UndefinedPrimal));
  const outAvals = params.branches[0]!.outAvals.map(tangentAval);
  const ctVals = cts.map((c, i) => (c instanceof Zero ? zerosLikeAval(outAvals[i]!) : c));
  const ts: WithConsts[] = params.branches.map((b) =>
    traceHoisted(
      (vals) => {
        let r = 0;
        const bpArgs = ops.map((o) => (o instanceof UndefinedPrimal ? o : vals[r++]!));
        const out = backwardPass(b.jaxpr, b.consts, bpArgs, vals.slice(res.length) as Array[]);
        return out.flatMap((c, i) =>
          linear[i] ? [instantiateZeros(c instanceof Zero ? c : (c as Array))] : [],
        );
      },
      [...res.map((r) => r.aval), ...ctVals.map((c) => c.aval)],
    ),
  );
  const { jaxprs, consts } = joinConsts(ts);
  const outs = bind(condP, [index!, ...consts, ...res, ...ctVals], { ...params, branches: jaxprs });
  let k = 0;
  return [null, ...linear.map((l) => (l ? outs[k++]! : null))];
}

/** Partial evaluation with a known index: a known cond now and an unknown cond staged. */
const condPartialEval: PartialEvalRule<CondParams> = (trace: PETrace, tracers: PETracer[], p) => {
  const params = p as CondParams;
  const [index, ...ops] = tracers;
  if (!index!.pval.known) return trace.stage(condP, tracers, params);
  const unknowns = ops.map((t) => !t.pval.known);
  const outUk = or(params.branches.map((b) => partialEvalJaxpr(b, unknowns, false).outUnknowns));
  const pes = params.branches.map((b) => partialEvalJaxpr(b, unknowns, outUk));
  const nKnownOut = outUk.filter((u) => !u).length;
  const resAvals = pes.map((pe) => pe.unknown.jaxpr.invars.slice(0, pe.numRes).map((v) => v.aval));
  const knownOps = ops.filter((t) => t.pval.known).map((t) => (t.pval as { value: Value }).value);
  const knownAvals = ops.filter((t) => t.pval.known).map((t) => t.aval);
  // Known branches: known outputs, then every branch's residuals (zeros for the others').
  const known = joinConsts(
    pes.map((pe, i) =>
      traceHoisted((args) => {
        const outs = evalHoisted({ jaxpr: pe.known, consts: pe.knownConsts }, args);
        const mine = outs.slice(nKnownOut);
        return [
          ...outs.slice(0, nKnownOut),
          ...resAvals.flatMap((avals, j) => (j === i ? mine : avals.map(zerosLikeAval))),
        ];
      }, knownAvals),
    ),
  );
  const indexVal = (index!.pval as { value: Value }).value;
  const kOuts = bind(condP, [indexVal, ...known.consts, ...knownOps], {
    ...params,
    branches: known.jaxprs,
  });
  const knownOuts = kOuts.slice(0, nKnownOut);
  const residuals = kOuts.slice(nKnownOut);
  // Unknown branches: every branch's residuals, then the unknown operands.
  const unknownAvals = ops.filter((t) => !t.pval.known).map((t) => t.aval);
  const allRes = resAvals.flat();
  const unknown = joinConsts(
    pes.map((pe, i) => {
      const start = resAvals.slice(0, i).flat().length;
      return traceHoisted(
        (args) =>
          evalHoisted({ jaxpr: pe.unknown, consts: [] }, [
            ...args.slice(start, start + pe.numRes),
            ...args.slice(allRes.length),
          ]),
        [...allRes, ...unknownAvals],
      );
    }),
  );
  const ins = [
    trace.instantiateConst(index!),
    ...[...unknown.consts, ...residuals].map((r) =>
      trace.instantiateConst(trace.pure(r) as PETracer),
    ),
    ...ops.filter((t) => !t.pval.known),
  ];
  const outAvals = params.branches[0]!.outAvals.filter((_, i) => outUk[i]);
  const staged = trace.stage(condP, ins, { ...params, branches: unknown.jaxprs }, outAvals);
  let k = 0;
  let u = 0;
  return outUk.map((uk) => (uk ? staged[u++]! : knownOuts[k++]!));
};
provideRules(condP, { partialEval: condPartialEval });
