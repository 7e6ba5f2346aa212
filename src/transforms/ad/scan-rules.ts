/**
 * `scan` under the transformations, as JAX's `_scan_jvp`, `_scan_partial_eval`,
 * `_scan_transpose` and `_scan_batching_rule`. Carries' tangent/unknown/batched status is a
 * fixed point over the body. Partial evaluation stacks the residuals as extra outputs of the
 * known scan and feeds them as extra xs to the unknown one; the transpose is a scan in the
 * other direction whose carry accumulates the cotangents of the linear consts and carries.
 */
import type { ShapedArray } from "../../core/aval.js";
import type { Array } from "../../trace/array.js";
import { type Tangent, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import { type Value, bind } from "../../trace/trace.js";
import { type ScanParams, scanP } from "../../primitives/scan.js";
import { type PartialEvalRule, provideRules } from "../../primitives/define.js";
import { addAny } from "../../primitives/add-any.js";
import { type BatchDim, batchJaxpr, matchAxis } from "../vmap-trace.js";
import { permuteInputs, permuteOutputs, range, traceHoisted } from "./call-utils.js";
import { jvpJaxpr } from "./jvp.js";
import { type PETrace, type PETracer, partialEvalJaxpr } from "./partial-eval.js";
import { instantiateZeros, tangentAval, zerosLikeAval } from "./tangents.js";
import { backwardPass } from "./transpose.js";

const nz = (t: Tangent) => !(t instanceof Zero);
const stacked = (a: ShapedArray, length: number) => a.update({ shape: [length, ...a.shape] });
const unstacked = (a: ShapedArray) => a.update({ shape: a.shape.slice(1) });

function fixpoint(init: boolean[], step: (cur: boolean[]) => boolean[]): boolean[] {
  let cur = init;
  for (;;) {
    const out = step(cur);
    const next = cur.map((c, i) => c || out[i]!);
    if (next.every((v, i) => v === cur[i])) return cur;
    cur = next;
  }
}

function split<T>(xs: readonly T[], p: ScanParams): [T[], T[], T[]] {
  const a = p.num_consts;
  const b = a + p.num_carry;
  return [xs.slice(0, a), xs.slice(a, b), xs.slice(b)];
}

export function scanJvp(
  primals: Array[],
  tangents: Tangent[],
  params: ScanParams,
): [Array[], Tangent[]] {
  const { jaxpr, num_carry: nC } = params;
  const [consts, init, xs] = split(primals, params);
  const [ct, it, xt] = split(tangents, params);
  const constNz = ct.map(nz);
  const xsNz = xt.map(nz);
  const carryNz = fixpoint(it.map(nz), (cur) =>
    jvpJaxpr(jaxpr, [...constNz, ...cur, ...xsNz], false).outNonzero.slice(0, nC),
  );
  const nY = jaxpr.outAvals.length - nC;
  const j = jvpJaxpr(
    jaxpr,
    [...constNz, ...carryNz, ...xsNz],
    [...carryNz, ...range(nY).map(() => false)],
  );
  const ysNz = j.outNonzero.slice(nC);
  const h = j.consts.length;
  const [nK, nX] = [consts.length, xs.length];
  const [nKd, nCd, nXd] = [constNz, carryNz, xsNz].map((m) => m.filter(Boolean).length) as [
    number,
    number,
    number,
  ];
  const P = h + nK + nC + nX; // start of the tangent inputs
  const body = permuteOutputs(
    permuteInputs(j.jaxpr, [
      ...range(h),
      ...range(nK).map((i) => h + i),
      ...range(nKd).map((i) => P + i),
      ...range(nC).map((i) => h + nK + i),
      ...range(nCd).map((i) => P + nKd + i),
      ...range(nX).map((i) => h + nK + nC + i),
      ...range(nXd).map((i) => P + nKd + nCd + i),
    ]),
    [
      ...range(nC),
      ...range(nCd).map((i) => nC + nY + i),
      ...range(nY).map((i) => nC + i),
      ...range(ysNz.filter(Boolean).length).map((i) => nC + nY + nCd + i),
    ],
  );
  const initDots = it.flatMap((t, i) =>
    carryNz[i] ? [t instanceof Zero ? zerosLikeAval(tangentAval(init[i]!.aval)) : t] : [],
  );
  const outs = bind(
    scanP,
    [
      ...j.consts,
      ...consts,
      ...ct.filter(nz),
      ...init,
      ...initDots,
      ...xs,
      ...xt.filter(nz),
    ] as Value[],
    {
      ...params,
      jaxpr: body,
      num_consts: h + nK + nKd,
      num_carry: nC + nCd,
      linear: [
        ...range(h + nK).map(() => false),
        ...range(nKd).map(() => true),
        ...range(nC).map(() => false),
        ...range(nCd).map(() => true),
        ...range(nX).map(() => false),
        ...range(nXd).map(() => true),
      ],
    },
  );
  const carryOut = outs.slice(0, nC);
  const carryDots = outs.slice(nC, nC + nCd);
  const ys = outs.slice(nC + nCd, nC + nCd + nY);
  const ysDots = outs.slice(nC + nCd + nY);
  const outPrimals = [...carryOut, ...ys];
  let c = 0;
  let y = 0;
  const outTangents: Tangent[] = [
    ...carryNz.map((n, i) => (n ? carryDots[c++]! : new Zero(tangentAval(carryOut[i]!.aval)))),
    ...ysNz.map((n, i) => (n ? ysDots[y++]! : new Zero(tangentAval(ys[i]!.aval)))),
  ];
  return [outPrimals, outTangents];
}

export function scanBatch(
  args: Array[],
  dims: BatchDim[],
  params: ScanParams,
  axisSize: number,
): [Array[], BatchDim[]] {
  const { jaxpr, num_carry: nC } = params;
  const [consts, init, xs] = split(args, params);
  const [cDims, iDims, xDims] = split(dims, params);
  const xSliceDims = xDims.map((d) => (d === null ? null : 0));
  const carryDims = (bat: boolean[]) => bat.map((b) => (b ? 0 : null));
  const nY = jaxpr.outAvals.length - nC;
  const carryBat = fixpoint(
    iDims.map((d) => d !== null),
    (cur) =>
      batchJaxpr(
        jaxpr,
        axisSize,
        [...cDims, ...carryDims(cur), ...xSliceDims],
        [...cur, ...range(nY).map(() => false)],
      )
        .outDims.slice(0, nC)
        .map((d) => d !== null),
  );
  const b = batchJaxpr(
    jaxpr,
    axisSize,
    [...cDims, ...carryDims(carryBat), ...xSliceDims],
    [...carryBat, ...range(nY).map(() => false)],
  );
  const init0 = init.map((x, i) => (carryBat[i] ? matchAxis(x, iDims[i]!, 0, axisSize) : x));
  const xs1 = xs.map((x, i) => (xDims[i] === null ? x : matchAxis(x, xDims[i]!, 1, axisSize)));
  const outs = bind(scanP, [...b.consts, ...consts, ...init0, ...xs1], {
    ...params,
    jaxpr: b.jaxpr,
    num_consts: b.consts.length + consts.length,
    linear: [...b.consts.map(() => false), ...params.linear],
  });
  const yDims = b.outDims.slice(nC).map((d) => (d === null ? null : 1));
  return [outs, [...carryDims(carryBat), ...yDims]];
}

export function scanTranspose(
  cts: Tangent[],
  args: (Array | UndefinedPrimal)[],
  params: ScanParams,
): (Tangent | null)[] {
  const { jaxpr, num_carry: nC, length } = params;
  const [consts, initArgs, xs] = split(args, params);
  // Every carry is treated as linear (as JAX): a defined initial carry here is an
  // instantiated zero tangent whose cotangent is not needed.
  const initLinear = initArgs.map((c) => c instanceof UndefinedPrimal);
  const init = initArgs.map((c) =>
    c instanceof UndefinedPrimal ? c : new UndefinedPrimal(tangentAval(c.aval)),
  );
  const linC = consts.map((c) => c instanceof UndefinedPrimal);
  const linX = xs.map((x) => x instanceof UndefinedPrimal);
  const resConsts = consts.filter((c): c is Array => !(c instanceof UndefinedPrimal));
  const resXs = xs.filter((x): x is Array => !(x instanceof UndefinedPrimal));
  const linConstAvals = consts.flatMap((c) => (c instanceof UndefinedPrimal ? [c.aval] : []));
  const carryAvals = init.map((c) => c.aval);
  const outAvals = jaxpr.outAvals.map(tangentAval);
  const ctCarry = cts
    .slice(0, nC)
    .map((c, i) => (c instanceof Zero ? zerosLikeAval(outAvals[i]!) : c));
  const ctYs = cts
    .slice(nC)
    .map((c, i) => (c instanceof Zero ? zerosLikeAval(stacked(outAvals[nC + i]!, length)) : c));
  const nR = resConsts.length;
  const nL = linConstAvals.length;
  // Transposed body: consts [resConsts], carry [ctConstAcc, ctCarry], xs [ctY, resX]
  //   → carry [ctConstAcc', ctCarry'], ys [ct of the linear xs]
  const t = traceHoisted(
    (a) => {
      const rc = a.slice(0, nR);
      const acc = a.slice(nR, nR + nL) as Array[];
      const cc = a.slice(nR + nL, nR + nL + nC) as Array[];
      const cy = a.slice(nR + nL + nC, nR + nL + nC + ctYs.length) as Array[];
      const rx = a.slice(nR + nL + nC + ctYs.length);
      let r = 0;
      let q = 0;
      const bpArgs = [
        ...consts.map((c) => (c instanceof UndefinedPrimal ? c : rc[r++]!)),
        ...init,
        ...xs.map((x) =>
          x instanceof UndefinedPrimal ? new UndefinedPrimal(unstacked(x.aval)) : rx[q++]!,
        ),
      ];
      const out = backwardPass(jaxpr.jaxpr, jaxpr.consts, bpArgs, [...cc, ...cy]);
      const [oc, ocarry, ox] = split(out, params);
      let k = 0;
      const accNew = oc.flatMap((c, i) =>
        linC[i]
          ? [c instanceof Zero || c === null ? acc[k++]! : addAny(acc[k++]!, c as Array)]
          : [],
      );
      const carryNew = ocarry.map((c, i) =>
        instantiateZeros(c instanceof Zero || c === null ? new Zero(carryAvals[i]!) : (c as Array)),
      );
      const xsCt = ox.flatMap((c, i) =>
        linX[i]
          ? [
              instantiateZeros(
                c instanceof Zero || c === null
                  ? new Zero(unstacked((xs[i] as UndefinedPrimal).aval))
                  : (c as Array),
              ),
            ]
          : [],
      );
      return [...accNew, ...carryNew, ...xsCt];
    },
    [
      ...resConsts.map((c) => c.aval),
      ...linConstAvals,
      ...carryAvals,
      ...ctYs.map((c) => unstacked(c.aval)),
      ...resXs.map((x) => unstacked(x.aval)),
    ],
  );
  const outs = bind(
    scanP,
    [...t.consts, ...resConsts, ...linConstAvals.map(zerosLikeAval), ...ctCarry, ...ctYs, ...resXs],
    {
      ...params,
      jaxpr: t.jaxpr,
      reverse: !params.reverse,
      num_consts: t.consts.length + nR,
      num_carry: nL + nC,
      linear: [
        ...t.consts.map(() => false),
        ...resConsts.map(() => false),
        ...range(nL + nC + ctYs.length).map(() => true),
        ...resXs.map(() => false),
      ],
    },
  );
  const ctConsts = outs.slice(0, nL);
  const ctInit = outs.slice(nL, nL + nC);
  const ctXs = outs.slice(nL + nC);
  let a = 0;
  let x = 0;
  return [
    ...linC.map((l) => (l ? ctConsts[a++]! : null)),
    ...ctInit.map((c, i) => (initLinear[i] ? c : null)),
    ...linX.map((l) => (l ? ctXs[x++]! : null)),
  ];
}

/**
 * Partial evaluation: a known scan computes the known carries and ys now, plus the residuals
 * stacked over iterations; an unknown scan taking them as extra xs is staged.
 */
const scanPartialEval: PartialEvalRule<ScanParams> = (trace: PETrace, tracers: PETracer[], p) => {
  const params = p as ScanParams;
  const { jaxpr, num_carry: nC, length } = params;
  const uk = tracers.map((t) => !t.pval.known);
  const [cUk, iUk, xUk] = split(uk, params);
  const nY = jaxpr.outAvals.length - nC;
  const noYs = range(nY).map(() => false);
  const carryUk = fixpoint(iUk, (cur) =>
    partialEvalJaxpr(jaxpr, [...cUk, ...cur, ...xUk], [...cur, ...noYs]).outUnknowns.slice(0, nC),
  );
  const pe = partialEvalJaxpr(jaxpr, [...cUk, ...carryUk, ...xUk], [...carryUk, ...noYs]);
  const yUk = pe.outUnknowns.slice(nC);
  const [cT, iT, xT] = split(tracers, params);
  const known = (ts: PETracer[], mask: boolean[]) =>
    ts.filter((_, i) => !mask[i]).map((t) => (t.pval as { value: Value }).value);
  const nKC = carryUk.filter((u) => !u).length;
  const nKY = yUk.filter((u) => !u).length;
  const kConsts = [...pe.knownConsts, ...known(cT, cUk)];
  const kOuts = bind(scanP, [...kConsts, ...known(iT, carryUk), ...known(xT, xUk)], {
    ...params,
    jaxpr: pe.known,
    num_consts: kConsts.length,
    num_carry: nKC,
    linear: pe.known.inAvals.map(() => false),
  });
  const kCarry = kOuts.slice(0, nKC);
  const kYs = kOuts.slice(nKC, nKC + nKY);
  const residuals = kOuts.slice(nKC + nKY);
  // Unknown body inputs: [res, uConsts, uCarry, uXs] → scan order [uConsts, uCarry, res, uXs].
  const nUC = cUk.filter(Boolean).length;
  const nUCarry = carryUk.filter(Boolean).length;
  const nR = pe.numRes;
  const unknownBody = permuteInputs(pe.unknown, [
    ...range(nUC).map((i) => nR + i),
    ...range(nUCarry).map((i) => nR + nUC + i),
    ...range(nR),
    ...range(xUk.filter(Boolean).length).map((i) => nR + nUC + nUCarry + i),
  ]);
  const inst = (t: PETracer) => trace.instantiateConst(t);
  const ins = [
    ...cT.filter((_, i) => cUk[i]).map(inst),
    ...iT.filter((_, i) => carryUk[i]).map(inst),
    ...residuals.map((r) => inst(trace.pure(r) as PETracer)),
    ...xT.filter((_, i) => xUk[i]).map(inst),
  ];
  const outAvals = [
    ...jaxpr.outAvals.slice(0, nC).filter((_, i) => carryUk[i]),
    ...jaxpr.outAvals
      .slice(nC)
      .filter((_, i) => yUk[i])
      .map((a) => stacked(a, length)),
  ];
  const staged = trace.stage(
    scanP,
    ins,
    {
      ...params,
      jaxpr: unknownBody,
      num_consts: nUC,
      num_carry: nUCarry,
      linear: ins.map(() => false),
    },
    outAvals,
  );
  let kc = 0;
  let ky = 0;
  let u = 0;
  return [
    ...carryUk.map((c) => (c ? staged[u++]! : kCarry[kc++]!)),
    ...yUk.map((c) => (c ? staged[u++]! : kYs[ky++]!)),
  ];
};
provideRules(scanP, { partialEval: scanPartialEval });
