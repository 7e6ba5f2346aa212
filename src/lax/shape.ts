/** The public `lax` shape and indexing functions, with their operands checked (see operands.ts). */
import { named } from "../core/naming.js";
import { checkShape, normalizeAxis } from "../core/shape.js";
import type { Array } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import * as P from "../primitives/index.js";
import type { PadConfig } from "../primitives/shape/index.js";
import { type Operand, operand, operands } from "./operands.js";

export const broadcastInDim = (
  x: Operand,
  shape: readonly number[],
  broadcastDimensions: readonly number[],
): Array =>
  P.broadcastInDim(operand("broadcast_in_dim", x), checkShape(shape), broadcastDimensions);
/**
 * `lax.reshape(x, newSizes, dimensions?)`: `dimensions` (a permutation of x's axes) transposes
 * x before the row-major reshape — one `reshape[dimensions=(...) new_sizes=(...)]` equation,
 * as JAX stages it.
 */
export const reshape = (
  x: Operand,
  newSizes: readonly number[],
  dimensions: readonly number[] | null = null,
): Array => {
  const a = operand("reshape", x);
  if (dimensions !== null && !globalThis.Array.isArray(dimensions))
    throw new TypeError(`lax.reshape: dimensions must be a list of integers or null.`);
  return P.reshape(a, checkShape(newSizes, "new_sizes"), dimensions);
};
export const transpose = (x: Operand, permutation: readonly number[]): Array =>
  P.transpose(operand("transpose", x), permutation);
export const slice = (
  x: Operand,
  startIndices: readonly number[],
  limitIndices: readonly number[],
  strides: readonly number[] | null = null,
): Array => P.slice(operand("slice", x), startIndices, limitIndices, strides);
export const pad = (x: Operand, paddingValue: Operand, paddingConfig: PadConfig): Array =>
  P.pad(operand("pad", x), operand("pad", paddingValue, "padding_value"), paddingConfig);
export const concatenate = (xs: readonly Operand[], dimension: number): Array =>
  P.concatenate(operands("concatenate", xs), dimension);
export const squeeze = (x: Operand, dimensions: readonly number[]): Array => {
  const a = operand("squeeze", x);
  return bind1(P.squeezeP, [a], { dimensions: dimensions.map((d) => normalizeAxis(d, a.ndim)) });
};
export function expandDims(x: Operand, dimensions: readonly number[]): Array {
  const a = operand("expand_dims", x);
  const nd = a.ndim + dimensions.length;
  const dims = dimensions.map((d) => normalizeAxis(d, nd));
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < nd; i++) shape.push(dims.includes(i) ? 1 : a.shape[j++]!);
  return P.broadcastInDim(
    a,
    shape,
    shape.map((_, i) => i).filter((i) => !dims.includes(i)),
  );
}
export const rev = (x: Operand, dimensions: readonly number[]): Array => {
  const a = operand("rev", x);
  return bind1(P.revP, [a], { dimensions: dimensions.map((d) => normalizeAxis(d, a.ndim)) });
};

export const dynamicSlice = (
  x: Operand,
  startIndices: readonly Operand[],
  sliceSizes: readonly number[],
): Array =>
  P.dynamicSlice(
    operand("dynamic_slice", x),
    operands("dynamic_slice", startIndices, "start_indices"),
    checkShape(sliceSizes, "slice_sizes"),
  );
export const dynamicUpdateSlice = (
  x: Operand,
  update: Operand,
  startIndices: readonly Operand[],
): Array =>
  P.dynamicUpdateSlice(
    operand("dynamic_update_slice", x),
    operand("dynamic_update_slice", update, "update"),
    operands("dynamic_update_slice", startIndices, "start_indices"),
  );

export function gather(
  x: Operand,
  startIndices: Operand,
  dimensionNumbers: P.GatherDimensionNumbers,
  sliceSizes: readonly number[],
  opts?: P.GatherOptions,
): Array {
  return P.gather(
    operand("gather", x),
    operand("gather", startIndices, "start_indices"),
    dimensionNumbers,
    checkShape(sliceSizes, "slice_sizes"),
    opts,
  );
}

type ScatterFn = typeof P.scatter;
const scatterOf = (fn: string, f: ScatterFn) =>
  named(
    fn,
    (
      x: Operand,
      scatterIndices: Operand,
      updates: Operand,
      dimensionNumbers: P.ScatterDimensionNumbers,
      opts?: P.ScatterOptions,
    ): Array =>
      f(
        operand(fn, x),
        operand(fn, scatterIndices, "scatter_indices"),
        operand(fn, updates, "updates"),
        dimensionNumbers,
        opts,
      ),
  );
export const scatter = scatterOf("scatter", P.scatter);
export const scatterAdd = scatterOf("scatter_add", P.scatterAdd);
export const scatterMul = scatterOf("scatter_mul", P.scatterMul);
export const scatterMin = scatterOf("scatter_min", P.scatterMin);
export const scatterMax = scatterOf("scatter_max", P.scatterMax);
