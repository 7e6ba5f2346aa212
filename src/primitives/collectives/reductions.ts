/**
 * The all-reduce collectives psum, pmax, pmin (JAX's `psum_p`, `pmax_p`, `pmin_p`): `axes`
 * mixes axis names (bound by an enclosing `vmap(f, { axisName })`) and integer positional
 * axes (what the batching rule turns its own axis into, so a psum over a vmapped axis is
 * staged as `psum[axes=(0,) axis_index_groups=None]`). Only positional axes reach the
 * compiler, where the collective is the plain reduction over them.
 */
import { ShapedArray } from "../../core/aval.js";
import { NameError } from "../../core/errors.js";
import type { LowerContext, LazyArray } from "../../kernel/lowering-types.js";
import type { Array } from "../../trace/array.js";
import { checkAxisNames } from "../../trace/axis-env.js";
import {
  type Primitive,
  Zero,
  notBatchable,
  notDifferentiable,
  notLinear,
} from "../../trace/primitive.js";
import { isZero } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { checkAxes, lowerReduce } from "../reduce-rules.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { bindCollective } from "./bind.js";

/** A collective's axis: a name bound by vmap, or (after batching) a positional axis. */
export type AxisName = string | number;

export interface AllReduceParams {
  [key: string]: unknown;
  axes: AxisName[];
  axis_index_groups: null;
}

export const COLLECTIVE_BATCHING =
  "collectives are batched by the batch trace of the axis they name (collectiveBatchRuleOf)";

const positional = (axes: readonly AxisName[]) =>
  axes.filter((a): a is number => typeof a === "number");
const named = (axes: readonly AxisName[]) => axes.filter((a): a is string => typeof a === "string");

/** Python's repr of an axes tuple: `('i',)`, `(0, 'j')`. */
export function axesRepr(axes: readonly AxisName[]): string {
  const items = axes.map((a) => (typeof a === "string" ? `'${a}'` : String(a)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

function allReduceAval(apiName: string) {
  return ([x]: readonly ShapedArray[], { axes }: AllReduceParams): ShapedArray[] => {
    checkAxisNames(axes, apiName);
    const pos = positional(axes);
    checkAxes(apiName, x!, pos);
    return [
      new ShapedArray(
        x!.shape.filter((_, i) => !pos.includes(i)),
        x!.dtype,
        false,
      ),
    ];
  };
}

function lowerAllReduce(op: "sum" | "max" | "min") {
  const reduce = lowerReduce(op);
  return (
    ctx: LowerContext,
    xs: LazyArray[],
    params: AllReduceParams,
    outs: ShapedArray[],
  ): LazyArray[] => {
    if (named(params.axes).length > 0) {
      // It reached the compiler: no vmap around this call binds the axis.
      throw new NameError(`unbound axis name: ${named(params.axes)[0]!}`);
    }
    return reduce(ctx, xs, { axes: positional(params.axes) }, outs);
  };
}

const printParams = (p: Record<string, unknown>): [string, unknown][] => [
  ["axes", axesRepr(p["axes"] as AxisName[])],
  ["axis_index_groups", null],
];

export const psumP: Primitive<AllReduceParams> = definePrimitive<AllReduceParams>({
  name: "psum",
  abstractEval: allReduceAval("psum"),
  lower: lowerAllReduce("sum"),
  jvp([x], [t], params) {
    const out = bindPsumLike(psumP, x!, params.axes);
    return [[out], [isZero(t) ? new Zero(out.aval) : bindPsumLike(psumP, t!, params.axes)]];
  },
  // JAX's _psum_transpose_rule: positional axes broadcast back, named axes psum the cotangent.
  transpose([ct], [x], { axes }) {
    if (isZero(ct)) return [new Zero((x as { aval: ShapedArray }).aval)];
    const aval = (x as { aval: ShapedArray }).aval;
    let c = ct as Array;
    const pos = positional(axes);
    if (pos.length > 0) {
      const kept = aval.shape.map((_, i) => i).filter((i) => !pos.includes(i));
      c = broadcastInDim(c, aval.shape, kept);
    }
    const names = named(axes);
    return [names.length > 0 ? bindPsumLike(psumP, c, names) : c];
  },
  batch: notBatchable(COLLECTIVE_BATCHING),
  printParams,
});

export const pmaxP: Primitive<AllReduceParams> = definePrimitive<AllReduceParams>({
  name: "pmax",
  abstractEval: allReduceAval("pmax"),
  lower: lowerAllReduce("max"),
  jvp: notDifferentiable("JAX defines no differentiation rule for pmax"),
  transpose: notLinear,
  batch: notBatchable(COLLECTIVE_BATCHING),
  printParams,
});

export const pminP: Primitive<AllReduceParams> = definePrimitive<AllReduceParams>({
  name: "pmin",
  abstractEval: allReduceAval("pmin"),
  lower: lowerAllReduce("min"),
  jvp: notDifferentiable("JAX defines no differentiation rule for pmin"),
  transpose: notLinear,
  batch: notBatchable(COLLECTIVE_BATCHING),
  printParams,
});

/** Bind an all-reduce over `axes`, routed to the batch traces of its named axes. */
export function bindPsumLike(
  prim: Primitive<AllReduceParams>,
  x: Array,
  axes: readonly AxisName[],
): Array {
  return bindCollective(prim, x, { axes: [...axes], axis_index_groups: null });
}
