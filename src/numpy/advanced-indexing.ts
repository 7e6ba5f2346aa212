/**
 * numpy indexing with arrays (JAX's `_rewriting_take` / `_index_to_gather`): integer arrays,
 * concrete boolean masks, traced scalar indices, mixed with ints, slices, `null` and "...".
 * Indices become one gather (reads) or scatter (x.at(...) updates); scalar and static-slice
 * indices take JAX's fast path through dynamic_slice. Parsing the index is
 * `advanced-index-items.ts`; building the gather is `index-to-gather.ts`.
 */
import { NonConcreteBooleanIndexError, ValueError } from "../core/errors.js";
import { int32 } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import type { Array, ArrayLike, Index, IndexUpdater } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import * as lax from "../primitives/index.js";
import { GatherScatterMode, type GatherScatterModeLike } from "../primitives/index.js";
import { promoteArgs } from "./coerce.js";
import {
  canonicalizeIndices,
  type IndexItem,
  normalizeIndex,
  prepareIndices,
  promoteIndexDtype,
} from "./advanced-index-items.js";
import { indexToGather } from "./index-to-gather.js";
import { type NormalizedIndex, basicGetItem, normalizeIndices } from "./indexing.js";
import { divide as trueDivide, power } from "./ufuncs.js";

export { NonConcreteBooleanIndexError };

/** JAX's fast path: ints, traced scalar ints and contiguous slices become dynamic_slice + squeeze. */
function tryDynamicSlice(x: Array, items: readonly IndexItem[]): Array | undefined {
  if (items.some((i) => i.kind === "newaxis" || i.kind === "array")) return undefined;
  if (items.some((i) => i.kind === "slice" && i.step !== 1)) return undefined;
  if (!items.some((i) => i.kind === "scalar")) return undefined;
  if (x.shape.some((d) => d === 0)) return undefined;
  const scalars = items.flatMap((i) => (i.kind === "scalar" ? [i.value] : []));
  const sdt = promoteIndexDtype(scalars);
  const starts: Array[] = [];
  const sizes: number[] = [];
  const squeezed: number[] = [];
  items.forEach((i, k) => {
    const n = x.shape[k]!;
    if (i.kind === "slice") {
      starts.push(lax.scalarConstantOf(i.start, sdt));
      sizes.push(Math.max(0, i.stop - i.start));
    } else if (i.kind === "int") {
      starts.push(lax.scalarConstantOf(i.value, sdt));
      sizes.push(1);
      squeezed.push(k);
    } else if (i.kind === "scalar") {
      starts.push(
        normalizeIndex(i.value.dtype === sdt ? i.value : lax.convertElementType(i.value, sdt), n),
      );
      sizes.push(1);
      squeezed.push(k);
    }
  });
  const r = lax.dynamicSlice(x, starts, sizes);
  return squeezed.length ? bind1(lax.squeezeP, [r], { dimensions: squeezed }) : r;
}

export interface IndexOptions {
  mode?: GatherScatterModeLike | null;
  fillValue?: number | boolean | null;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
}

function expandDims(y: Array, dims: readonly number[]): Array {
  if (dims.length === 0) return y;
  const nd = y.ndim + dims.length;
  const shape: number[] = [];
  let j = 0;
  for (let k = 0; k < nd; k++) shape.push(dims.includes(k) ? 1 : y.shape[j++]!);
  return lax.broadcastInDim(
    y,
    shape,
    shape.map((_, k) => k).filter((k) => !dims.includes(k)),
  );
}

/** `x[idx]` for indices that include arrays or traced scalars. */
export function advancedGet(
  x: Array,
  raw: readonly NormalizedIndex[],
  opts: IndexOptions = {},
): Array {
  const { items, advancedContiguous } = canonicalizeIndices(x.shape, prepareIndices(raw, x.shape));
  if (!opts.mode || opts.mode === "promise_in_bounds") {
    const fast = tryDynamicSlice(x, items);
    if (fast) return fast;
  }
  const ix = indexToGather(x.shape, items, advancedContiguous);
  if (ix.sliceShape.some((d) => d === 0)) return lax.full(ix.sliceShape, 0, x.dtype);
  let y = x;
  if (ix.gatherIndices && ix.gatherIndices.size > 0) {
    y = lax.gather(y, ix.gatherIndices, ix.dnums, ix.gatherSliceShape, {
      uniqueIndices: !!opts.uniqueIndices || ix.unique,
      indicesAreSorted: !!opts.indicesAreSorted || ix.unique,
      mode: opts.mode ?? GatherScatterMode.PROMISE_IN_BOUNDS,
      fillValue: opts.fillValue ?? null,
    });
  }
  if (ix.reversedYDims.length) y = bind1(lax.revP, [y], { dimensions: ix.reversedYDims });
  return expandDims(y, ix.newaxisDims);
}

type ScatterFn = (
  x: Array,
  i: Array,
  u: Array,
  dn: lax.ScatterDimensionNumbers,
  o: lax.ScatterOptions,
) => Array;

/** `x.at(idx).<op>(v)`: one scatter of v (broadcast to the indexed shape) into x. */
export function scatterUpdate(
  x: Array,
  indices: readonly Index[],
  v: ArrayLike,
  op: ScatterFn,
  opts: IndexOptions = {},
): Array {
  const raw = normalizeIndices(indices);
  const { items, advancedContiguous } = canonicalizeIndices(x.shape, prepareIndices(raw, x.shape));
  const ix = indexToGather(x.shape, items, advancedContiguous);
  if (ix.sliceShape.some((d) => d === 0)) return x;
  const [xp, yp] = promoteArgs(x, v) as [Array, Array];
  let y = yp;
  if (!(y.ndim === ix.sliceShape.length && y.shape.every((d, k) => d === ix.sliceShape[k]))) {
    const off = ix.sliceShape.length - y.ndim;
    if (off < 0 || y.shape.some((d, k) => d !== 1 && d !== ix.sliceShape[off + k])) {
      throw new ValueError(
        `Incompatible shapes for broadcasting: ${shapeStr(y.shape)} and requested shape ${shapeStr(ix.sliceShape)}`,
      );
    }
    y = lax.broadcastInDim(
      y,
      ix.sliceShape,
      y.shape.map((_, k) => k + off),
    );
  }
  if (ix.newaxisDims.length)
    y = lax.reshape(
      y,
      y.shape.filter((_, k) => !ix.newaxisDims.includes(k)),
    );
  if (ix.reversedYDims.length) y = bind1(lax.revP, [y], { dimensions: ix.reversedYDims });
  const dn = lax.ScatterDimensionNumbers.of({
    update_window_dims: ix.dnums.offset_dims,
    inserted_window_dims: ix.dnums.collapsed_slice_dims,
    scatter_dims_to_operand_dims: ix.dnums.start_index_map,
  });
  const gi = ix.gatherIndices ?? lax.full([0], 0, int32);
  const out = op(xp, gi, y, dn, {
    indicesAreSorted: ix.unique || !!opts.indicesAreSorted,
    uniqueIndices: ix.unique || !!opts.uniqueIndices,
    mode: opts.mode ?? null,
  });
  return out.dtype === x.dtype && out.weakType === x.weakType
    ? out
    : lax.convertElementType(out, x.dtype, x.weakType);
}

class Updater implements IndexUpdater {
  constructor(
    private readonly x: Array,
    private readonly indices: readonly Index[],
  ) {}
  get(opts: IndexOptions = {}): Array {
    return getItemWith(this.x, this.indices, opts);
  }
  set(v: ArrayLike, opts?: IndexOptions): Array {
    return scatterUpdate(this.x, this.indices, v, lax.scatter, opts);
  }
  add(v: ArrayLike, opts?: IndexOptions): Array {
    return scatterUpdate(this.x, this.indices, v, lax.scatterAdd, opts);
  }
  sub(v: ArrayLike, opts?: IndexOptions): Array {
    return scatterUpdate(
      this.x,
      this.indices,
      v,
      (a, i, u, d, o) => lax.scatterAdd(a, i, lax.neg(u), d, o),
      opts,
    );
  }
  mul(v: ArrayLike, opts?: IndexOptions): Array {
    return scatterUpdate(this.x, this.indices, v, lax.scatterMul, opts);
  }
  div(v: ArrayLike, opts?: IndexOptions): Array {
    const ones = lax.full(this.x.shape, 1, this.x.dtype);
    const denom = scatterUpdate(ones, this.indices, v, lax.scatterMul, opts);
    return trueDivide(this.x, denom);
  }
  pow(v: ArrayLike, opts?: IndexOptions): Array {
    const ones = lax.full(this.x.shape, 1, this.x.dtype);
    const expo = scatterUpdate(ones, this.indices, v, lax.scatterMul, opts);
    return power(this.x, expo);
  }
  min(v: ArrayLike, opts?: IndexOptions): Array {
    return scatterUpdate(this.x, this.indices, v, lax.scatterMin, opts);
  }
  max(v: ArrayLike, opts?: IndexOptions): Array {
    return scatterUpdate(this.x, this.indices, v, lax.scatterMax, opts);
  }
}

/** `x.at(idx).get({ mode, fillValue })`. */
export function getItemWith(x: Array, indices: readonly Index[], opts: IndexOptions): Array {
  const raw = normalizeIndices(indices);
  if (!opts.mode && opts.fillValue === undefined) return getItem(x, indices);
  return advancedGet(x, raw, opts);
}

/** `x.get(...)`: basic indexing where the index allows it, else a gather. */
export function getItem(x: Array, indices: readonly Index[]): Array {
  const idx = normalizeIndices(indices);
  return basicGetItem(x, idx) ?? advancedGet(x, idx);
}

/** `x.at(...)`: the functional updates (and reads with a mode or fill value). */
export function atUpdater(x: Array, indices: readonly Index[]): IndexUpdater {
  return new Updater(x, indices);
}
