/**
 * The params a scatter is staged with: its dimension numbers and options, and the
 * `update_jaxpr` JAX attaches to scatter-add/mul/min/max. Shared by scatter.ts and by
 * gather's transpose (a scatter-add), which cannot import scatter.ts.
 */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtype.js";
import { Eqn, Jaxpr, Var } from "../ir/jaxpr.js";
import { prims as ew } from "./elementwise/index.js";
import {
  GatherScatterMode,
  type GatherScatterModeLike,
  ScatterDimensionNumbers,
} from "./gather-scatter-params.js";

export type ScatterParams = {
  dimension_numbers: ScatterDimensionNumbers;
  indices_are_sorted: boolean;
  unique_indices: boolean;
  mode: GatherScatterMode;
  update_consts: unknown[];
  update_jaxpr: Jaxpr | null;
};

export type Combine = "set" | "add" | "mul" | "min" | "max";
const jaxprCache = new Map<string, Jaxpr>();

/** The `update_jaxpr` JAX attaches to scatter-add/mul/min/max: `{ lambda ; a b. let c = op a b in (c,) }`. */
function updateJaxpr(combine: Exclude<Combine, "set">, dtype: DType): Jaxpr {
  const key = `${combine}:${dtype.name}`;
  let j = jaxprCache.get(key);
  if (!j) {
    const aval = new ShapedArray([], dtype, false);
    const a = new Var(aval);
    const b = new Var(aval);
    const c = new Var(aval);
    j = new Jaxpr([], [a, b], [c], [new Eqn(ew[combine]!, [a, b], [c], {})]);
    jaxprCache.set(key, j);
  }
  return j;
}

export interface ScatterOptions {
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
  /** Default FILL_OR_DROP: out-of-bounds updates are dropped. */
  mode?: GatherScatterModeLike | null;
}

/** The params of a `combine` scatter into an operand of dtype `dtype`, as lax.scatter* stage them. */
export function scatterParams(
  combine: Combine,
  dtype: DType,
  dnums: ScatterDimensionNumbers,
  opts: ScatterOptions = {},
): ScatterParams {
  return {
    dimension_numbers: dnums,
    indices_are_sorted: !!opts.indicesAreSorted,
    unique_indices: !!opts.uniqueIndices,
    mode: GatherScatterMode.fromAny(opts.mode ?? null),
    update_consts: [],
    update_jaxpr: combine === "set" ? null : updateJaxpr(combine, dtype),
  };
}
