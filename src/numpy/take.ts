/** jax.numpy take and take_along_axis (gathers; out-of-bounds indices fill by default, as JAX). */
import { checkOptionKeys } from "../core/options.js";
import { ValueError } from "../core/errors.js";
import { int32 } from "../core/dtype.js";
import { broadcastShapes, normalizeAxis, shapeStr } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { GatherDimensionNumbers, GatherScatterMode } from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { IndexError } from "./indexing.js";

export type TakeMode = "fill" | "clip" | "wrap" | "promise_in_bounds";
export interface TakeOptions {
  mode?: TakeMode | null;
  fillValue?: number | boolean | null;
  uniqueIndices?: boolean;
  indicesAreSorted?: boolean;
}

/** where(i < 0, i + n, i) for signed index arrays. */
function wrapNegative(i: Array, n: number): Array {
  if (!i.dtype.isSigned) return i;
  return lax.selectN(
    lax.lt(i, lax.scalarLike(i, 0)),
    i,
    lax.add(i, lax.scalarConstantOf(n, i.dtype)),
  );
}

function checkIndexDtype(name: string, i: Array): void {
  if (!i.dtype.isInt)
    throw new TypeError(`${name} indices must be of integer type, got ${i.dtype.name}`);
}

/** `jnp.take(a, indices, axis=None, mode)`: mode defaults to "fill" (NaN/min-int for out-of-bounds). */
export function take(
  x: ArrayLike,
  indices: ArrayLike,
  axis: number | null = null,
  opts: TakeOptions = {},
): Array {
  checkOptionKeys("take", opts, ["mode", "fillValue", "uniqueIndices", "indicesAreSorted"]);
  let a = asarray(x);
  let idx = asarray(indices);
  checkIndexDtype("take", idx);
  if (axis === null) {
    a = lax.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  const mode = opts.mode ?? "fill";
  let gmode: GatherScatterMode;
  if (mode === "fill") {
    gmode = GatherScatterMode.FILL_OR_DROP;
    idx = wrapNegative(idx, n);
  } else if (mode === "wrap") {
    idx = lax.rem(
      lax.add(lax.rem(idx, lax.scalarConstantOf(n, idx.dtype)), lax.scalarConstantOf(n, idx.dtype)),
      lax.scalarConstantOf(n, idx.dtype),
    );
    gmode = GatherScatterMode.PROMISE_IN_BOUNDS;
  } else if (mode === "clip") gmode = GatherScatterMode.CLIP;
  else if (mode === "promise_in_bounds") gmode = GatherScatterMode.PROMISE_IN_BOUNDS;
  else throw new ValueError(`Invalid mode '${String(mode)}' for np.take`);
  const outShape = [...a.shape.slice(0, ax), ...idx.shape, ...a.shape.slice(ax + 1)];
  if (n === 0) {
    if (idx.size !== 0)
      throw new IndexError("Cannot do a non-empty jnp.take() from an empty axis.");
    return a;
  }
  if (idx.size === 0) return lax.full(outShape, 0, a.dtype);
  const k = idx.ndim;
  const range = (lo: number, hi: number) => Array_range(hi - lo).map((i) => i + lo);
  const dnums = GatherDimensionNumbers.of({
    offset_dims: [...range(0, ax), ...range(ax + k, a.ndim + k - 1)],
    collapsed_slice_dims: [ax],
    start_index_map: [ax],
  });
  const sliceSizes = a.shape.map((d, i) => (i === ax ? 1 : d));
  return lax.gather(a, lax.reshape(idx, [...idx.shape, 1]), dnums, sliceSizes, {
    mode: gmode,
    fillValue: opts.fillValue ?? null,
    uniqueIndices: opts.uniqueIndices,
    indicesAreSorted: opts.indicesAreSorted,
  });
}

/** `jnp.take_along_axis(arr, indices, axis)`: indices broadcast against arr off the axis. */
export function takeAlongAxis(
  x: ArrayLike,
  indices: ArrayLike,
  axis: number | null,
  opts: TakeOptions = {},
): Array {
  let a = asarray(x);
  let idx = asarray(indices);
  if (!idx.dtype.isInt)
    throw new TypeError(`take_along_axis indices must be of integer type, got ${idx.dtype.name}`);
  if (axis === null) {
    if (idx.ndim !== 1)
      throw new ValueError(
        `take_along_axis indices must be 1D if axis=None, got shape ${shapeStr(idx.shape)}`,
      );
    a = lax.reshape(a, [a.size]);
    axis = 0;
  }
  if (a.ndim !== idx.ndim) {
    throw new ValueError(
      `indices and arr must have the same number of dimensions; ${idx.ndim} vs. ${a.ndim}`,
    );
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax]!;
  const arrShape = a.shape.map((d, k) => (k === ax ? 1 : d));
  const out = broadcastShapes(idx.shape, arrShape);
  if (!out) {
    throw new ValueError(
      `Incompatible shapes for broadcasting: ${shapeStr(idx.shape)} and ${shapeStr(arrShape)}`,
    );
  }
  if (n === 0) return lax.full(out, 0, a.dtype);
  if (idx.dtype !== int32) idx = lax.convertElementType(idx, int32);
  const mode = opts.mode ?? "fill";
  if (mode !== "promise_in_bounds") idx = wrapNegative(idx, n);
  const bshape = (s: readonly number[], target: number[]) =>
    s.length === target.length && s.every((d, k) => d === target[k]) ? null : target;
  const idxTarget = bshape(idx.shape, out);
  if (idxTarget)
    idx = lax.broadcastInDim(
      idx,
      out,
      idx.shape.map((_, k) => k),
    );
  const aTarget = out.map((d, k) => (k === ax ? n : d));
  if (bshape(a.shape, aTarget))
    a = lax.broadcastInDim(
      a,
      aTarget,
      a.shape.map((_, k) => k),
    );
  const others = out.map((_, k) => k).filter((k) => k !== ax);
  const dnums = GatherDimensionNumbers.of({
    offset_dims: [],
    collapsed_slice_dims: [ax],
    start_index_map: [ax],
    operand_batching_dims: others,
    start_indices_batching_dims: others,
  });
  const gmode =
    mode === "clip"
      ? GatherScatterMode.CLIP
      : mode === "promise_in_bounds"
        ? GatherScatterMode.PROMISE_IN_BOUNDS
        : GatherScatterMode.FILL_OR_DROP;
  return lax.gather(
    a,
    lax.reshape(idx, [...out, 1]),
    dnums,
    a.shape.map(() => 1),
    {
      mode: gmode,
      fillValue: opts.fillValue ?? null,
    },
  );
}
export const take_along_axis = takeAlongAxis;

function Array_range(n: number): number[] {
  return globalThis.Array.from({ length: Math.max(0, n) }, (_, i) => i);
}
