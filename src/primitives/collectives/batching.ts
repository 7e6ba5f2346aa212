/**
 * Batching rules of the collectives (JAX's `fancy_primitive_batchers` in lax/parallel.py):
 * each receives the batch trace's axis (its name and size) as well as the operands and their
 * batch dims. A collective over the trace's own axis becomes array code along the batch dim
 * (psum over a vmapped axis is a sum over the batch dim; axis_index an iota); one over other
 * axes is bound again, below this trace, with its batch dim carried along.
 */
import type { ShapedArray } from "../../core/aval.js";
import { int32 } from "../../core/dtype.js";
import { NotImplementedError } from "../../core/errors.js";
import type { Params } from "../../ir/jaxpr.js";
import type { Array } from "../../trace/array.js";
import type { Primitive } from "../../trace/primitive.js";
import { scalarLike } from "../constants.js";
import { mul } from "../elementwise/functions.js";
import { reduceSum } from "../reduce-sum.js";
import { broadcastInDim } from "../shape/broadcast.js";
import { concatenate } from "../shape/concatenate.js";
import { iota } from "../shape/iota.js";
import { reshape } from "../shape/reshape.js";
import { slice } from "../shape/slice-pad.js";
import { moveAxis } from "../shape/transpose.js";
import { allToAllBatchRule } from "./all-to-all.js";
import { bindCollective } from "./bind.js";
import {
  type AllGatherParams,
  type AxisIndexParams,
  type PpermuteParams,
  type ReduceScatterParams,
  allGatherP,
  axisIndexP,
  ppermuteP,
  reduceScatterP,
} from "./gather-permute.js";
import { type AllReduceParams, bindPsumLike, pmaxP, pminP, psumP } from "./reductions.js";

type BatchDim = number | null;

/** The aval of one example of `x` (batched at `d`). */
const exampleAval = (x: Array, d: BatchDim): ShapedArray =>
  d === null ? x.aval : x.aval.update({ shape: x.shape.filter((_, i) => i !== d) });

/** The axis a batch trace maps: its name (absent for an unnamed vmap) and size. */
export interface BatchAxis {
  readonly name: string | undefined;
  readonly size: number;
}

export type CollectiveBatchRule = (
  axis: BatchAxis,
  vals: Array[],
  dims: BatchDim[],
  params: Params,
) => [Array, BatchDim];

// JAX's _batched_reduction_collective.
function allReduceRule(prim: Primitive<AllReduceParams>, scaleUnmapped: boolean) {
  return (axis: BatchAxis, [v]: Array[], [d]: BatchDim[], params: Params): [Array, BatchDim] => {
    const { axes } = params as AllReduceParams;
    const own = axis.name !== undefined && axes.includes(axis.name);
    if (d === null) {
      if (!own) return [bindPsumLike(prim, v!, axes), null];
      const rest = axes.filter((a) => a !== axis.name);
      const r = rest.length > 0 ? bindPsumLike(prim, v!, rest) : v!;
      return [scaleUnmapped ? mul(r, scalarLike(r, axis.size)) : r, null];
    }
    const x = moveAxis(v!, d, 0);
    const shifted = axes.map((a) => (typeof a === "number" ? a + 1 : a));
    if (!own) return [bindPsumLike(prim, x, shifted), 0];
    return [
      bindPsumLike(
        prim,
        x,
        shifted.map((a) => (a === axis.name ? 0 : a)),
      ),
      null,
    ];
  };
}

// JAX's _axis_index_batcher.
function axisIndexRule(axis: BatchAxis, _v: Array[], _d: BatchDim[], p: Params): [Array, BatchDim] {
  const { axis_name } = p as AxisIndexParams;
  if (axis_name !== axis.name)
    return [bindCollective(axisIndexP, null, p as AxisIndexParams), null];
  return [iota(int32, [axis.size], 0), 0];
}

const single = (names: readonly string[], axis: BatchAxis) => {
  if (names.length > 1) {
    throw new NotImplementedError(
      `collectives over several axis names ${JSON.stringify(names)} inside vmap: Please open a feature request!`,
    );
  }
  if (names[0] !== axis.name) throw new Error("collective batcher called with a wrong axis");
};

// JAX's _all_gather_batched_collective.
function allGatherRule(
  axis: BatchAxis,
  [x]: Array[],
  [d]: BatchDim[],
  p0: Params,
): [Array, BatchDim] {
  const p = p0 as AllGatherParams;
  const own = axis.name !== undefined && p.axis_name.includes(axis.name);
  if (!own) {
    if (d === null) return [bindCollective(allGatherP, x!, p), null];
    const moved = moveAxis(x!, d, 0);
    return [
      bindCollective(allGatherP, moved, { ...p, all_gather_dimension: p.all_gather_dimension + 1 }),
      0,
    ];
  }
  single(p.axis_name, axis);
  const dim = p.all_gather_dimension;
  let y: Array;
  if (d === null) {
    const shape = [...x!.shape];
    shape.splice(dim, 0, axis.size);
    y = broadcastInDim(
      x!,
      shape,
      shape.map((_, i) => i).filter((i) => i !== dim),
    );
  } else y = moveAxis(x!, d, dim);
  if (p.tiled) {
    const s = [...y.shape];
    s.splice(dim, 2, s[dim]! * s[dim + 1]!);
    y = reshape(y, s);
  }
  return [y, null];
}

// JAX's _reduce_scatter_collective.
function reduceScatterRule(
  axis: BatchAxis,
  [x]: Array[],
  [d]: BatchDim[],
  p0: Params,
): [Array, BatchDim] {
  const p = p0 as ReduceScatterParams;
  const own = axis.name !== undefined && p.axis_name.includes(axis.name);
  if (!own) {
    if (d === null) return [bindCollective(reduceScatterP, x!, p), null];
    const moved = moveAxis(x!, d, 0);
    return [
      bindCollective(reduceScatterP, moved, { ...p, scatter_dimension: p.scatter_dimension + 1 }),
      0,
    ];
  }
  single(p.axis_name, axis);
  reduceScatterP.abstractEval([exampleAval(x!, d)], p); // JAX's shape checks, per example
  const dy = p.scatter_dimension;
  let y = d === null ? mul(x!, scalarLike(x!, axis.size)) : reduceSum(x!, [d]);
  if (p.tiled) {
    const s = [...y.shape];
    s.splice(dy, 1, axis.size, s[dy]! / axis.size);
    y = reshape(y, s);
  }
  return [y, dy];
}

// JAX's _ppermute_batcher.
function ppermuteRule(
  axis: BatchAxis,
  [v]: Array[],
  [d]: BatchDim[],
  p0: Params,
): [Array, BatchDim] {
  const p = p0 as PpermuteParams;
  if (axis.name === undefined || !p.axis_name.includes(axis.name)) {
    return [bindCollective(ppermuteP, v!, p), d];
  }
  const rest = p.axis_name.filter((a) => a !== axis.name);
  if (rest.length > 0) return [bindCollective(ppermuteP, v!, { ...p, axis_name: rest }), d];
  if (p.perm.length !== axis.size) {
    throw new NotImplementedError(
      `ppermute inside vmap needs a full permutation of the axis '${axis.name}' (${axis.size} pairs), got ${p.perm.length}.`,
    );
  }
  if (d === null) return [v!, null];
  const source = new globalThis.Array<number>(axis.size).fill(0);
  for (const [src, dst] of p.perm) source[dst] = src;
  const x = v!;
  const rows = source.map((s) => {
    const start = x.shape.map((_, i) => (i === d ? s : 0));
    const limit = x.shape.map((n, i) => (i === d ? s + 1 : n));
    return slice(x, start, limit);
  });
  return [rows.length === 1 ? rows[0]! : concatenate(rows, d), d];
}

const rules = new Map<string, CollectiveBatchRule>([
  ["psum", allReduceRule(psumP, true)],
  ["pmax", allReduceRule(pmaxP, false)],
  ["pmin", allReduceRule(pminP, false)],
  ["axis_index", axisIndexRule],
  ["all_gather", allGatherRule],
  ["reduce_scatter", reduceScatterRule],
  ["ppermute", ppermuteRule],
  ["all_to_all", allToAllBatchRule],
]);

/** The axis-aware batching rule of a collective primitive, or undefined for other primitives. */
export function collectiveBatchRuleOf(prim: Primitive): CollectiveBatchRule | undefined {
  return rules.get(prim.name);
}
