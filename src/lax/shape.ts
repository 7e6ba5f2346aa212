/** The public `lax` shape and indexing functions, with their operands checked (see operands.ts). */
import { ValueError } from "../core/errors.js";
import { named } from "../core/naming.js";
import { checkOptionKeys } from "../core/options.js";
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

/** `lax.dynamicSlice`/`dynamicUpdateSlice` options (JAX's keyword arguments). */
export interface DynamicSliceOptions {
  /**
   * Per dimension (or one bool for all): a negative start counts from the end of its dimension
   * (JAX's default, true). False leaves it negative, so the primitive clamps it to 0.
   */
  allowNegativeIndices?: boolean | readonly boolean[];
}

/**
 * JAX's `_dynamic_slice_indices`: where allowed, a negative start index `i` of a dimension of
 * size `d` becomes `i + d` (once: a start still out of range is then clamped into range by the
 * primitive, so the slice always fits). A JS number is adjusted here; an Array through
 * `select_n(i < 0, i, i + d)`, as JAX stages it. Unsigned starts are left alone.
 */
function wrapNegativeStarts(
  fn: string,
  x: Array,
  starts: Array[],
  raw: readonly unknown[],
  opts: DynamicSliceOptions | undefined,
): Array[] {
  checkOptionKeys(`lax.${fn}`, opts, ["allowNegativeIndices"]);
  const allow = opts?.allowNegativeIndices ?? true;
  if (globalThis.Array.isArray(allow) && allow.length !== x.ndim) {
    throw new ValueError(
      `lax.${fn}: allowNegativeIndices must be one bool or one per dimension of the operand ` +
        `(${x.ndim}), got ${allow.length} values.`,
    );
  }
  if (starts.length !== x.ndim) return starts; // the primitive reports the length mismatch
  return starts.map((s, k) => {
    const on = typeof allow === "boolean" ? allow : allow[k];
    const d = x.shape[k]!;
    if (!on || !s.dtype.isSigned) return s;
    const r = raw[k];
    if (typeof r === "number") return r < 0 ? operand(fn, r + d) : s;
    const neg = P.lt(s, P.scalarConstantOf(0, s.dtype));
    return P.selectN(neg, s, P.add(s, P.scalarConstantOf(d, s.dtype)));
  });
}

export const dynamicSlice = (
  x: Operand,
  startIndices: readonly Operand[],
  sliceSizes: readonly number[],
  opts?: DynamicSliceOptions,
): Array => {
  const a = operand("dynamic_slice", x);
  const starts = operands("dynamic_slice", startIndices, "start_indices");
  return P.dynamicSlice(
    a,
    wrapNegativeStarts("dynamicSlice", a, starts, startIndices, opts),
    checkShape(sliceSizes, "slice_sizes"),
  );
};
export const dynamicUpdateSlice = (
  x: Operand,
  update: Operand,
  startIndices: readonly Operand[],
  opts?: DynamicSliceOptions,
): Array => {
  const a = operand("dynamic_update_slice", x);
  const starts = operands("dynamic_update_slice", startIndices, "start_indices");
  return P.dynamicUpdateSlice(
    a,
    operand("dynamic_update_slice", update, "update"),
    wrapNegativeStarts("dynamicUpdateSlice", a, starts, startIndices, opts),
  );
};

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
