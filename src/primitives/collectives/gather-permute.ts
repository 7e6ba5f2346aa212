/**
 * The collectives that move data along a named axis (JAX's `axis_index_p`, `all_gather_p`,
 * `reduce_scatter_p`, `ppermute_p`). Under the vmap that binds their axis each becomes array
 * code (iota, a transpose, a reduction, a permutation); their lowering rules only report a
 * collective that reached the compiler with its axis never bound.
 */
import { ShapedArray } from "../../core/aval.js";
import { int32 } from "../../core/dtype.js";
import { NameError, ValueError } from "../../core/errors.js";
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
import { bindCollective as bindSame } from "./bind.js";
import { COLLECTIVE_BATCHING, axesRepr } from "./reductions.js";

/** A collective reached the compiler: its axis is bound by no vmap around this call. */
const unlowerable =
  (param: string) =>
  (_ctx: unknown, _xs: unknown, params: Record<string, unknown>): never => {
    const v = params[param];
    throw new NameError(`unbound axis name: ${String(globalThis.Array.isArray(v) ? v[0] : v)}`);
  };

export interface AxisIndexParams {
  [key: string]: unknown;
  axis_name: string;
}

export const axisIndexP: Primitive<AxisIndexParams> = definePrimitive<AxisIndexParams>({
  name: "axis_index",
  abstractEval(_avals, { axis_name }) {
    checkAxisNames([axis_name], "axis_index");
    return [new ShapedArray([], int32, false)];
  },
  lower: unlowerable("axis_name"),
  jvp: notDifferentiable("its output is an integer index"),
  transpose: notLinear,
  batch: notBatchable(COLLECTIVE_BATCHING),
  printParams: (p) => [["axis_name", p["axis_name"]]],
});

export interface AllGatherParams {
  [key: string]: unknown;
  all_gather_dimension: number;
  axis_name: string[];
  axis_index_groups: null;
  axis_size: number;
  tiled: boolean;
}

export const allGatherP: Primitive<AllGatherParams> = definePrimitive<AllGatherParams>({
  name: "all_gather",
  abstractEval([x], p) {
    checkAxisNames(p.axis_name, "all_gather");
    const shape = [...x!.shape];
    if (p.tiled) shape[p.all_gather_dimension] = shape[p.all_gather_dimension]! * p.axis_size;
    else shape.splice(p.all_gather_dimension, 0, p.axis_size);
    return [new ShapedArray(shape, x!.dtype, false)];
  },
  lower: unlowerable("axis_name"),
  // Linear; its transpose (a psum_scatter) is reached only through the batched form.
  jvp([x], [t], p) {
    const out = bindSame(allGatherP, x!, p);
    return [[out], [isZero(t) ? new Zero(out.aval) : bindSame(allGatherP, t!, p)]];
  },
  transpose: notLinear,
  batch: notBatchable(COLLECTIVE_BATCHING),
  printParams: (p) => [
    ["all_gather_dimension", p["all_gather_dimension"]],
    ["axis_index_groups", null],
    ["axis_name", axesRepr(p["axis_name"] as string[])],
    ["axis_size", p["axis_size"]],
    ["tiled", p["tiled"]],
  ],
});

export interface ReduceScatterParams {
  [key: string]: unknown;
  scatter_dimension: number;
  axis_name: string[];
  axis_index_groups: null;
  axis_size: number;
  tiled: boolean;
}

export const reduceScatterP: Primitive<ReduceScatterParams> = definePrimitive<ReduceScatterParams>({
  name: "reduce_scatter",
  abstractEval([x], p) {
    checkAxisNames(p.axis_name, "psum_scatter");
    const shape = [...x!.shape];
    const n = shape[p.scatter_dimension];
    if (n === undefined) {
      throw new ValueError(
        `psum_scatter: scatter_dimension ${p.scatter_dimension} out of range for an operand of rank ${shape.length}.`,
      );
    }
    if (p.tiled) {
      if (n % p.axis_size !== 0) {
        throw new ValueError(
          `tiled reduce_scatter operand scatter dimension size ${n} must be divisible by shard_count ${p.axis_size}`,
        );
      }
      shape[p.scatter_dimension] = n / p.axis_size;
    } else {
      if (n !== p.axis_size) {
        throw new ValueError(
          `reduce_scatter operand scatter dimension size ${n} must match shard count ${p.axis_size}`,
        );
      }
      shape.splice(p.scatter_dimension, 1);
    }
    return [new ShapedArray(shape, x!.dtype, false)];
  },
  lower: unlowerable("axis_name"),
  jvp([x], [t], p) {
    const out = bindSame(reduceScatterP, x!, p);
    return [[out], [isZero(t) ? new Zero(out.aval) : bindSame(reduceScatterP, t!, p)]];
  },
  transpose: notLinear,
  batch: notBatchable(COLLECTIVE_BATCHING),
  printParams: (p) => [
    ["axis_index_groups", null],
    ["axis_name", axesRepr(p["axis_name"] as string[])],
    ["axis_size", p["axis_size"]],
    ["scatter_dimension", p["scatter_dimension"]],
    ["tiled", p["tiled"]],
  ],
});

export interface PpermuteParams {
  [key: string]: unknown;
  axis_name: string[];
  perm: [number, number][];
}

export const ppermuteP: Primitive<PpermuteParams> = definePrimitive<PpermuteParams>({
  name: "ppermute",
  abstractEval([x], p) {
    checkAxisNames(p.axis_name, "ppermute");
    return [x!];
  },
  lower: unlowerable("axis_name"),
  jvp([x], [t], p) {
    const out = bindSame(ppermuteP, x!, p);
    return [[out], [isZero(t) ? new Zero(out.aval) : bindSame(ppermuteP, t!, p)]];
  },
  // JAX's _ppermute_transpose_rule: the inverse permutation.
  transpose([ct], [x], p) {
    if (isZero(ct)) return [new Zero((x as { aval: ShapedArray }).aval)];
    const inverse = p.perm.map(([s, d]): [number, number] => [d, s]);
    return [bindSame(ppermuteP, ct as Array, { ...p, perm: inverse })];
  },
  batch: notBatchable(COLLECTIVE_BATCHING),
  printParams: (p) => [
    ["axis_name", axesRepr(p["axis_name"] as string[])],
    [
      "perm",
      `(${(p["perm"] as [number, number][]).map(([s, d]) => `(${s}, ${d})`).join(", ")}${(p["perm"] as unknown[]).length === 1 ? "," : ""})`,
    ],
  ],
});
