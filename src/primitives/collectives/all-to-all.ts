/**
 * all_to_all (JAX's `all_to_all_p`): the named axis is materialized at `concat_axis` and the
 * operand's `split_axis` becomes the mapped one. Under the vmap of its (single) axis it is a
 * reshape/transpose of the batch (JAX's `_all_to_all_batched_collective`, the case without
 * major or minor axes); over another axis it is re-bound with its axes shifted.
 */
import { ShapedArray } from "../../core/aval.js";
import { NameError, NotImplementedError } from "../../core/errors.js";
import type { Params } from "../../ir/jaxpr.js";
import type { Array } from "../../trace/array.js";
import { checkAxisNames } from "../../trace/axis-env.js";
import { type Primitive, Zero, notBatchable } from "../../trace/primitive.js";
import { isZero } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { reshape } from "../shape/reshape.js";
import { moveAxis, transpose } from "../shape/transpose.js";
import { bindCollective } from "./bind.js";
import { COLLECTIVE_BATCHING, axesRepr } from "./reductions.js";

export interface AllToAllParams {
  [key: string]: unknown;
  axis_name: string[];
  split_axis: number;
  concat_axis: number;
  axis_index_groups: null;
  tiled: boolean;
  /** The product of the named axes' sizes (not printed: JAX reads it from the axis env). */
  axis_size: number;
}

export const allToAllP: Primitive<AllToAllParams> = definePrimitive<AllToAllParams>({
  name: "all_to_all",
  abstractEval([x], p) {
    checkAxisNames(p.axis_name, "all_to_all");
    const shape = [...x!.shape];
    shape[p.split_axis] = shape[p.split_axis]! / p.axis_size;
    shape[p.concat_axis] = shape[p.concat_axis]! * p.axis_size;
    return [new ShapedArray(shape, x!.dtype, false)];
  },
  lower(_ctx, _xs, p) {
    throw new NameError(`unbound axis name: ${p.axis_name[0]!}`);
  },
  jvp([x], [t], p) {
    const out = bindCollective(allToAllP, x!, p);
    return [[out], [isZero(t) ? new Zero(out.aval) : bindCollective(allToAllP, t!, p)]];
  },
  // A permutation of the data: its transpose is its inverse, the swapped split/concat axes.
  transpose([ct], [x], p) {
    if (isZero(ct)) return [new Zero((x as { aval: ShapedArray }).aval)];
    const swapped = { ...p, split_axis: p.concat_axis, concat_axis: p.split_axis };
    return [bindCollective(allToAllP, ct as Array, swapped)];
  },
  batch: notBatchable(COLLECTIVE_BATCHING),
  printParams: (p) => [
    ["axis_index_groups", null],
    ["axis_name", axesRepr(p["axis_name"] as string[])],
    ["concat_axis", p["concat_axis"]],
    ["split_axis", p["split_axis"]],
    ["tiled", p["tiled"]],
  ],
});

/** Axis `axis` of size n·m split into (factor = n, m). */
function splitAxis(x: Array, axis: number, factor: number): Array {
  const s = [...x.shape];
  s.splice(axis, 1, factor, s[axis]! / factor);
  return reshape(x, s);
}
/** Axes `axis` and `axis + 1` merged. */
function foldAxis(x: Array, axis: number): Array {
  const s = [...x.shape];
  s.splice(axis, 2, s[axis]! * s[axis + 1]!);
  return reshape(x, s);
}

export function allToAllBatchRule(
  axis: { readonly name: string | undefined; readonly size: number },
  [v]: Array[],
  [d0]: (number | null)[],
  p0: Params,
): [Array, number | null] {
  const p = p0 as AllToAllParams;
  let x = v!;
  let d = d0 ?? null;
  const own = axis.name !== undefined && p.axis_name.includes(axis.name);
  if (!own) {
    if (d === null) return [bindCollective(allToAllP, x, p), null];
    const shifted = {
      ...p,
      split_axis: p.split_axis + (d <= p.split_axis ? 1 : 0),
      concat_axis: p.concat_axis + (d <= p.concat_axis ? 1 : 0),
    };
    return [bindCollective(allToAllP, x, shifted), d];
  }
  if (p.axis_name.length > 1) {
    throw new NotImplementedError(
      `all_to_all over several axis names ${axesRepr(p.axis_name)} inside vmap is not supported yet.`,
    );
  }
  allToAllP.abstractEval(
    [d === null ? x.aval : x.aval.update({ shape: x.shape.filter((_, i) => i !== d) })],
    p,
  );
  if (d === null) {
    x = broadcastInDim(
      x,
      [axis.size, ...x.shape],
      x.shape.map((_, i) => i + 1),
    );
    d = 0;
  }
  const n = axis.size;
  if (p.split_axis === p.concat_axis) {
    const ax = p.split_axis + (d <= p.split_axis ? 1 : 0);
    const dPre = d;
    x = splitAxis(x, ax, n);
    const dd = d + (ax <= d ? 1 : 0);
    const perm = x.shape.map((_, i) => (i === dd ? ax : i === ax ? dd : i));
    return [foldAxis(transpose(x, perm), ax), dPre];
  }
  const concat = foldAxis(moveAxis(x, d, p.concat_axis), p.concat_axis);
  return [splitAxis(concat, p.split_axis, n), p.split_axis];
}
