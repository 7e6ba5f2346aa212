/**
 * `while` under the transformations, as JAX's `_while_loop_jvp`, `_while_partial_eval` and
 * `_while_loop_batching_rule`: which carries have nonzero tangents / are unknown / are batched
 * is found by a fixed point over the body. Reverse mode is not supported (as JAX): the
 * transpose raises JAX's error suggesting `lax.scan`.
 */
import { ValueError } from "../jit/static-args.js";
import type { Array } from "../../trace/array.js";
import { type Tangent, Zero } from "../../trace/primitive.js";
import { type Value, bind, bind1 } from "../../trace/trace.js";
import { type WhileParams, whileP } from "../../primitives/control-flow.js";
import { type PartialEvalRule, provideRules } from "../../primitives/define.js";
import { reduceOrP } from "../../primitives/reductions.js";
import { selectNP } from "../../primitives/select.js";
import { broadcastInDim } from "../../primitives/shape/index.js";
import { ClosedJaxpr, Jaxpr } from "../../ir/jaxpr.js";
import { dce } from "../../ir/passes/dce.js";
import { type BatchDim, batchJaxpr, matchAxis } from "../vmap-trace.js";
import { addUnusedInputs, evalHoisted, permuteInputs, range, traceHoisted } from "./call-utils.js";
import { jvpJaxpr } from "./jvp.js";
import { type PETrace, type PETracer, partialEvalJaxpr } from "./partial-eval.js";
import { spreadNonzero } from "./pjit-rules.js";
import { tangentAval, zerosLikeAval } from "./tangents.js";

const nz = (t: Tangent) => !(t instanceof Zero);

/** Iterate `step` from `init` (elementwise or) until it stops changing. */
function fixpoint(init: boolean[], step: (cur: boolean[]) => boolean[]): boolean[] {
  let cur = init;
  for (;;) {
    const out = step(cur);
    const next = cur.map((c, i) => c || out[i]!);
    if (next.every((v, i) => v === cur[i])) return cur;
    cur = next;
  }
}

export function whileJvp(
  primals: Array[],
  tangents: Tangent[],
  params: WhileParams,
): [Array[], Tangent[]] {
  const { cond_jaxpr, body_jaxpr, cond_nconsts: nc, body_nconsts: nb } = params;
  const cconsts = primals.slice(0, nc);
  const bconsts = primals.slice(nc, nc + nb);
  const init = primals.slice(nc + nb);
  const bconstNz = tangents.slice(nc, nc + nb).map(nz);
  const carryNz = fixpoint(
    tangents.slice(nc + nb).map(nz),
    (cur) => jvpJaxpr(body_jaxpr, [...bconstNz, ...cur], false).outNonzero,
  );
  const j = jvpJaxpr(body_jaxpr, [...bconstNz, ...carryNz], carryNz);
  const h = j.consts.length;
  const nCarry = init.length;
  const nbDot = bconstNz.filter(Boolean).length;
  const ncDot = carryNz.filter(Boolean).length;
  // jvp inputs: [hoisted, bconsts, carry, bconstDots, carryDots] → [hoisted, bconsts, bconstDots, carry, carryDots]
  const body = permuteInputs(j.jaxpr, [
    ...range(h),
    ...range(nb).map((i) => h + i),
    ...range(nbDot).map((i) => h + nb + nCarry + i),
    ...range(nCarry).map((i) => h + nb + i),
    ...range(ncDot).map((i) => h + nb + nCarry + nbDot + i),
  ]);
  const carryDotAvals = init.flatMap((p, i) => (carryNz[i] ? [tangentAval(p.aval)] : []));
  const cond = addUnusedInputs(cond_jaxpr, nc + nCarry, carryDotAvals);
  const bconstDots = tangents.slice(nc, nc + nb).filter((t): t is Array => nz(t));
  const initDots = tangents
    .slice(nc + nb)
    .flatMap((t, i) =>
      carryNz[i] ? [t instanceof Zero ? zerosLikeAval(tangentAval(init[i]!.aval)) : t] : [],
    );
  const outs = bind(
    whileP,
    [...cconsts, ...j.consts, ...bconsts, ...bconstDots, ...init, ...initDots],
    {
      ...params,
      cond_jaxpr: cond,
      body_jaxpr: body,
      body_nconsts: h + nb + nbDot,
    },
  );
  const outPrimals = outs.slice(0, nCarry);
  return [
    outPrimals,
    spreadNonzero(
      outs.slice(nCarry),
      carryNz,
      outPrimals.map((p) => tangentAval(p.aval)),
    ),
  ];
}

export function whileTranspose(): never {
  throw new ValueError(
    "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. " +
      "Try using lax.scan, or using fori_loop with static start/stop.",
  );
}

export function whileBatch(
  args: Array[],
  dims: BatchDim[],
  params: WhileParams,
  axisSize: number,
): [Array[], BatchDim[]] {
  const { cond_jaxpr, body_jaxpr, cond_nconsts: nc, body_nconsts: nb } = params;
  const cconsts = args.slice(0, nc);
  const bconsts = args.slice(nc, nc + nb);
  const init = args.slice(nc + nb);
  const cDims = dims.slice(0, nc);
  const bDims = dims.slice(nc, nc + nb);
  const initDims = dims.slice(nc + nb);
  const carryDims = (bat: boolean[]) => bat.map((b) => (b ? 0 : null));
  let carryBat = fixpoint(
    initDims.map((d) => d !== null),
    (cur) =>
      batchJaxpr(body_jaxpr, axisSize, [...bDims, ...carryDims(cur)], cur).outDims.map(
        (d) => d !== null,
      ),
  );
  let condB = batchJaxpr(cond_jaxpr, axisSize, [...cDims, ...carryDims(carryBat)], false);
  const predBatched = condB.outDims[0] !== null;
  if (predBatched) {
    carryBat = carryBat.map(() => true);
    condB = batchJaxpr(cond_jaxpr, axisSize, [...cDims, ...carryDims(carryBat)], false);
  }
  const bodyB = batchJaxpr(body_jaxpr, axisSize, [...bDims, ...carryDims(carryBat)], carryBat);
  const init0 = init.map((x, i) => (carryBat[i] ? matchAxis(x, initDims[i]!, 0, axisSize) : x));
  let outs: Array[];
  if (!predBatched) {
    outs = bind(whileP, [...condB.consts, ...cconsts, ...bodyB.consts, ...bconsts, ...init0], {
      ...params,
      cond_jaxpr: condB.jaxpr,
      body_jaxpr: bodyB.jaxpr,
      cond_nconsts: condB.consts.length + nc,
      body_nconsts: bodyB.consts.length + nb,
    });
  } else {
    // Loop while any example's predicate holds; finished examples keep their carry.
    const carryAvals = init0.map((x) => x.aval);
    const cAvals = cconsts.map((x) => x.aval);
    const bAvals = bconsts.map((x) => x.aval);
    const newCond = traceHoisted(
      (a) => [bind1(reduceOrP, [evalHoisted(condB, a)[0] as Array], { axes: [0] })],
      [...cAvals, ...carryAvals],
    );
    const newBody = traceHoisted(
      (a) => {
        const cc = a.slice(0, nc);
        const bc = a.slice(nc, nc + nb);
        const carry = a.slice(nc + nb) as Array[];
        const pred = evalHoisted(condB, [...cc, ...carry])[0] as Array;
        const next = evalHoisted(bodyB, [...bc, ...carry]) as Array[];
        return next.map((n, i) =>
          bind1(selectNP, [n.ndim === 1 ? pred : broadcastInDim(pred, n.shape, [0]), carry[i]!, n]),
        );
      },
      [...cAvals, ...bAvals, ...carryAvals],
    );
    outs = bind(
      whileP,
      [...newCond.consts, ...cconsts, ...newBody.consts, ...cconsts, ...bconsts, ...init0],
      {
        ...params,
        cond_jaxpr: newCond.jaxpr,
        body_jaxpr: newBody.jaxpr,
        cond_nconsts: newCond.consts.length + nc,
        body_nconsts: newBody.consts.length + nc + nb,
      },
    );
  }
  return [outs, carryDims(carryBat)];
}

/** `j` restricted to the outputs where `keep` is set (dead code removed). */
function restrict(j: ClosedJaxpr, keep: readonly boolean[]): ClosedJaxpr {
  const inner = j.jaxpr;
  return new ClosedJaxpr(
    dce(
      new Jaxpr(
        inner.constvars,
        inner.invars,
        inner.outvars.filter((_, i) => keep[i]),
        inner.eqns,
      ),
    ),
    j.consts,
  );
}

/**
 * Partial evaluation: the known carries are computed now by a while over the known parts
 * (when the predicate depends only on known values); the unknown carries come from the whole
 * loop, staged (as JAX: residuals cannot be saved per iteration of a while).
 */
const whilePartialEval: PartialEvalRule<WhileParams> = (trace: PETrace, tracers: PETracer[], p) => {
  const params = p as WhileParams;
  const { cond_jaxpr, body_jaxpr, cond_nconsts: nc, body_nconsts: nb } = params;
  const uk = tracers.map((t) => !t.pval.known);
  const cUk = uk.slice(0, nc);
  const bUk = uk.slice(nc, nc + nb);
  const carryUk = fixpoint(
    uk.slice(nc + nb),
    (cur) => partialEvalJaxpr(body_jaxpr, [...bUk, ...cur], cur).outUnknowns,
  );
  const condPe = partialEvalJaxpr(cond_jaxpr, [...cUk, ...carryUk], false);
  const stageAll = () => trace.stage(whileP, tracers, params);
  if (condPe.outUnknowns[0] || carryUk.every(Boolean)) return stageAll();
  const bodyPe = partialEvalJaxpr(body_jaxpr, [...bUk, ...carryUk], carryUk);
  const nKnownCarry = carryUk.filter((u) => !u).length;
  const condKnown = restrict(condPe.known, [true, ...range(condPe.numRes).map(() => false)]);
  const bodyKnown = restrict(
    bodyPe.known,
    range(nKnownCarry + bodyPe.numRes).map((i) => i < nKnownCarry),
  );
  const known = (xs: PETracer[]) =>
    xs.filter((t) => t.pval.known).map((t) => (t.pval as { value: Value }).value);
  const kOuts = bind(
    whileP,
    [
      ...condPe.knownConsts,
      ...known(tracers.slice(0, nc)),
      ...bodyPe.knownConsts,
      ...known(tracers.slice(nc, nc + nb)),
      ...known(tracers.slice(nc + nb)),
    ],
    {
      ...params,
      cond_jaxpr: condKnown,
      body_jaxpr: bodyKnown,
      cond_nconsts: condPe.knownConsts.length + cUk.filter((u) => !u).length,
      body_nconsts: bodyPe.knownConsts.length + bUk.filter((u) => !u).length,
    },
  );
  const staged = trace.stage(whileP, tracers, params);
  let k = 0;
  return carryUk.map((u, i) => (u ? staged[i]! : kOuts[k++]!));
};
provideRules(whileP, { partialEval: whilePartialEval });
