/**
 * Linearize and VJP, JAX's way: JVP with known primals and unknown tangents under partial
 * evaluation gives the primal outputs now and a linear jaxpr for the tangents; the VJP is
 * the transpose of that jaxpr (`backward_pass`).
 */
import type { ShapedArray } from "../../core/aval.js";
import type { Jaxpr } from "../../ir/jaxpr.js";
import type { Array } from "../../trace/array.js";
import { type Tangent, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import type { Value } from "../../trace/trace.js";
import { asArray, evalJaxpr } from "../eval-jaxpr.js";
import { jvpFlat } from "./jvp.js";
import { type PartialVal, partialEvalFlat, unknownPval } from "./partial-eval.js";
import { isDifferentiable, tangentAval, zerosLikeAval } from "./tangents.js";
import { backwardPass } from "./transpose.js";

export interface Linearized {
  outPrimals: Array[];
  /** Avals of the output tangents. */
  outTangentAvals: ShapedArray[];
  /** Per output: the position among the linear jaxpr's outputs, or null if its tangent is zero/known. */
  outIndex: (number | null)[];
  /** Known (input-independent) tangent outputs; Zero for symbolic zeros. */
  outKnown: Tangent[];
  /** Linear in its invars (one per differentiable input); constvars are residuals. */
  jaxpr: Jaxpr;
  consts: Value[];
  /** Which inputs have a tangent space (the jaxpr's invars correspond to these). */
  inDiff: boolean[];
  inTangentAvals: ShapedArray[];
  aux: Value[];
}

/** Linearize `fn` (flat lists) at `primals`; the last `nAux` outputs of `fn` are auxiliary. */
export function linearizeFlat(
  fn: (xs: Value[]) => readonly Value[],
  primals: readonly Value[],
  nAux: number | (() => number) = 0,
): Linearized {
  const ps = primals.map(asArray);
  const inTangentAvals = ps.map((p) => tangentAval(p.aval));
  const inDiff = ps.map((p) => isDifferentiable(p.aval));
  const pvals: PartialVal[] = inTangentAvals.flatMap((a, i) => (inDiff[i] ? [unknownPval(a)] : []));
  let nOut = 0;
  let zeroOut: Tangent[] = [];
  let aux: Value[] = [];
  const r = partialEvalFlat((tanIns) => {
    let k = 0;
    const tangents = ps.map((_, i) =>
      inDiff[i] ? (tanIns[k++] as Tangent) : new Zero(inTangentAvals[i]!),
    );
    const j = jvpFlat(fn, ps, tangents, nAux);
    nOut = j.primals.length;
    aux = j.aux;
    zeroOut = j.tangents;
    return [...j.primals, ...(j.tangents.filter((t) => !(t instanceof Zero)) as Array[])];
  }, pvals);
  const outPrimals = r.outPvals.slice(0, nOut).map((pv) => {
    if (!pv.known)
      throw new Error("linearize: a primal output depends on the tangents (internal error)");
    return asArray(pv.value);
  });
  const tanPvals = r.outPvals.slice(nOut);
  const outIndex: (number | null)[] = [];
  const outKnown: Tangent[] = [];
  let k = 0;
  let u = 0;
  for (const t of zeroOut) {
    if (t instanceof Zero) {
      outIndex.push(null);
      outKnown.push(t);
      continue;
    }
    const pv = tanPvals[k++]!;
    if (pv.known) {
      outIndex.push(null);
      outKnown.push(asArray(pv.value));
    } else {
      outIndex.push(u++);
      outKnown.push(new Zero(pv.aval));
    }
  }
  return {
    outPrimals,
    outTangentAvals: outPrimals.map((p) => tangentAval(p.aval)),
    outIndex,
    outKnown,
    jaxpr: r.jaxpr,
    consts: r.consts,
    inDiff,
    inTangentAvals,
    aux,
  };
}

/** Evaluate the linearized function on input tangents (Zero allowed). */
export function applyLinear(lin: Linearized, tangents: readonly Tangent[]): Tangent[] {
  const ins = tangents.filter((_, i) => lin.inDiff[i]);
  let outs: Value[] | undefined;
  const needed = lin.outIndex.some((i) => i !== null);
  if (needed) {
    // Symbolic zero inputs are materialized: the linear jaxpr takes arrays.
    const args = ins.map((t, i) => (t instanceof Zero ? zerosFor(lin, i) : t));
    outs = evalJaxpr(lin.jaxpr, lin.consts, args);
  }
  return lin.outIndex.map((idx, i) => (idx === null ? lin.outKnown[i]! : asArray(outs![idx]!)));
}

function zerosFor(lin: Linearized, diffIndex: number): Array {
  return zerosLikeAval(lin.jaxpr.invars[diffIndex]!.aval);
}

/** Transpose the linearized function: output cotangents → input cotangents (Zero where none). */
export function transposeLinear(lin: Linearized, cts: readonly Tangent[]): Tangent[] {
  const ctsIn = lin.outIndex.flatMap((idx, i) => (idx === null ? [] : [cts[i]!]));
  const args = lin.jaxpr.invars.map((v) => new UndefinedPrimal(v.aval));
  const res = backwardPass(lin.jaxpr, lin.consts, args, ctsIn);
  let k = 0;
  return lin.inDiff.map((d, i) => (d ? (res[k++] as Tangent) : new Zero(lin.inTangentAvals[i]!)));
}
