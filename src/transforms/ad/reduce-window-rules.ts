/**
 * The JVP of the generic reduce_window (JAX's `reduce_window_jvp`): the reducer's JVP jaxpr
 * reduces (primal, tangent) pairs, staged as one variadic reduce_window over the operands and
 * their tangents, with zero init tangents (its primal outputs are dropped: see below).
 * Reverse mode has no transpose, as in JAX.
 */
import { NotImplementedError } from "../../core/errors.js";
import type { Array } from "../../trace/array.js";
import { type Tangent, Zero } from "../../trace/primitive.js";
import { bind } from "../../trace/trace.js";
import { provideRules } from "../../primitives/define.js";
import { type GenericWindowParams, reduceWindowP } from "../../primitives/windowed/generic.js";
import { permuteInputs, range } from "./call-utils.js";
import { jvpJaxpr } from "./jvp.js";
import { instantiateZeros, tangentAval, zerosLikeAval } from "./tangents.js";

export function reduceWindowJvp(
  primals: Array[],
  tangents: Tangent[],
  params: GenericWindowParams,
): [Array[], Tangent[]] {
  const n = primals.length / 2;
  const [xs, inits] = [primals.slice(0, n), primals.slice(n)];
  const [xt, initT] = [tangents.slice(0, n), tangents.slice(n)];
  if (initT.some((t) => !(t instanceof Zero))) {
    throw new TypeError("reduce_window jvp does not support non-zero init_value_tangent.");
  }
  const operandTangents: Tangent[] = xt;
  if (xt.every((t) => t instanceof Zero)) {
    const outs = bind(reduceWindowP, primals, params);
    return [outs, outs.map((o) => new Zero(tangentAval(o.aval)))];
  }
  const j = jvpJaxpr(
    params.jaxpr,
    range(2 * n).map(() => true),
    true,
  );
  if (j.consts.length > 0) {
    throw new NotImplementedError(
      "the JVP of a reduce_window computation whose derivative closes over arrays",
    );
  }
  // The JVP jaxpr takes (acc, elem, acc tangent, elem tangent); the reducer of the pairs
  // (operands then tangents) takes (acc, acc tangent, elem, elem tangent).
  const order = [
    ...range(n),
    ...range(n).map((i) => 2 * n + i),
    ...range(n).map((i) => n + i),
    ...range(n).map((i) => 3 * n + i),
  ];
  const reducer = permuteInputs(j.jaxpr, order);
  const zeros = inits.map((v) => zerosLikeAval(tangentAval(v.aval)));
  const outs = bind(
    reduceWindowP,
    [...xs, ...operandTangents.map(instantiateZeros), ...inits, ...zeros],
    {
      ...params,
      jaxpr: reducer,
      consts: [],
    },
  );
  // The primal outputs come from a reduce_window of the primals alone, so that they stay known
  // under partial evaluation (JAX reads them off the pair reduction): reverse mode then reaches
  // the missing transpose rule, not a primal that depends on tangents.
  return [bind(reduceWindowP, primals, params), outs.slice(n)];
}

provideRules(reduceWindowP, { jvp: reduceWindowJvp });
