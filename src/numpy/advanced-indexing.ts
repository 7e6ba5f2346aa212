/**
 * numpy indexing with arrays (JAX's `_rewriting_take` / `_index_to_gather`): integer arrays,
 * concrete boolean masks, traced scalar indices, mixed with ints, slices, `null` and "...".
 * Indices become one gather (reads) or scatter (x.at(...) updates); scalar and static-slice
 * indices take JAX's fast path through dynamic_slice.
 */
import { IndexError, NonConcreteBooleanIndexError, ValueError } from "../core/errors.js";
import { type DType, int32 } from "../core/dtype.js";
import { broadcastShapes, shapeStr } from "../core/shape.js";
import { Array, type ArrayLike, type Index, type IndexUpdater } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import { isConcreteArray } from "../runtime/array.js";
import * as lax from "../primitives/index.js";
import {
  GatherDimensionNumbers,
  GatherScatterMode,
  type GatherScatterModeLike,
} from "../primitives/index.js";
import { asarray, promoteArgs } from "./coerce.js";
import {
  type NormalizedIndex,
  getItem,
  normalizeIndices,
  setAdvancedIndexing,
  sliceIndices,
} from "./indexing.js";

export { NonConcreteBooleanIndexError };

type Idx =
  | { kind: "int"; value: number }
  | { kind: "slice"; start: number; stop: number; step: number }
  | { kind: "newaxis" }
  | { kind: "scalar"; value: Array } // a 0-d integer array (traced or concrete)
  | { kind: "array"; value: Array }; // an integer index array (ndim >= 1)

const fmtShape = (s: readonly number[]) => shapeStr(s);

/** Array-like index entries as arrays; boolean masks (concrete only) expanded to int arrays. */
function prepare(
  x: Array,
  raw: readonly NormalizedIndex[],
): (NormalizedIndex | { kind: "arr"; value: Array })[] {
  const out: (NormalizedIndex | { kind: "arr"; value: Array })[] = [];
  raw.forEach((e, pos) => {
    if (e.kind !== "array") {
      out.push(e);
      return;
    }
    const v = e.value;
    if (typeof v === "boolean")
      throw new IndexError(
        "Boolean scalar indices are not supported by jaxts yet; use x.get(null) or jnp.where.",
      );
    const a = v instanceof Array ? v : asarray(v as ArrayLike);
    if (a.dtype.isBool) {
      if (!isConcreteArray(a)) {
        throw new NonConcreteBooleanIndexError(
          `Array boolean indices must be concrete; got ${a.aval.toString()}\n` +
            `The mask's values are not known while tracing, so the result's shape would depend on ` +
            `data. Use jnp.where(mask, x, fill) to keep the shape, or jnp.nonzero(mask, { size }) ` +
            `with a static size to get index arrays.\n` +
            `See https://jax.readthedocs.io/en/latest/errors.html#jax.errors.NonConcreteBooleanIndexError`,
        );
      }
      for (const ix of nonzeroHost(a)) out.push({ kind: "arr", value: ix });
      return;
    }
    if (!a.dtype.isInt) {
      const val = isConcreteArray(a) ? a.toString() : a.toString();
      throw new TypeError(
        `Indexer must have integer or boolean type, got indexer with type ${a.dtype.name} at position ${pos}, indexer value ${val}`,
      );
    }
    out.push({ kind: "arr", value: a });
  });
  return out;
}

/** numpy's nonzero of a concrete mask: one int32 index array per dimension. */
export function nonzeroHost(mask: Array): Array[] {
  if (!isConcreteArray(mask)) throw new Error("nonzeroHost needs a concrete array");
  const vals = mask.toTypedArray();
  const shape = mask.shape;
  const nd = shape.length;
  const hits: number[] = [];
  for (let i = 0; i < vals.length; i++) if (vals[i]) hits.push(i);
  const cols = shape.map(() => new Int32Array(hits.length));
  hits.forEach((flat, j) => {
    let r = flat;
    for (let k = nd - 1; k >= 0; k--) {
      cols[k]![j] = r % shape[k]!;
      r = Math.floor(r / shape[k]!);
    }
  });
  if (nd === 0) return [];
  return cols.map((c) => asarray(c));
}

/** Expand "..." and pad with full slices; resolve slices and static ints against the shape. */
function canonicalize(
  shape: readonly number[],
  idx: ReturnType<typeof prepare>,
): { items: Idx[]; advancedContiguous: boolean } {
  const ell = idx.filter((i) => i.kind === "ellipsis").length;
  if (ell > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const consumed = idx.filter((i) => i.kind !== "ellipsis" && i.kind !== "newaxis").length;
  if (consumed > shape.length) {
    throw new IndexError(
      `Too many indices: array is ${shape.length}-dimensional, but ${consumed} were indexed`,
    );
  }
  // Advanced entries (ints count when arrays are present) and whether they are adjacent.
  const isAdv = idx.map((i) => i.kind === "arr" || i.kind === "int");
  const advPos = isAdv.flatMap((b, k) => (b ? [k] : []));
  const advancedContiguous = advPos.every((p, k) => k === 0 || p === advPos[k - 1]! + 1);
  const full: ReturnType<typeof prepare> = [];
  for (const i of idx) {
    if (i.kind === "ellipsis")
      for (let k = 0; k < shape.length - consumed; k++)
        full.push({ kind: "slice", slice: { start: null, stop: null, step: null } });
    else full.push(i);
  }
  if (ell === 0)
    for (let k = consumed; k < shape.length; k++)
      full.push({ kind: "slice", slice: { start: null, stop: null, step: null } });
  let axis = 0;
  const items: Idx[] = full.map((i): Idx => {
    if (i.kind === "newaxis") return { kind: "newaxis" };
    const n = shape[axis]!;
    const ax = axis++;
    if (i.kind === "int") {
      // As JAX: a static int is normalized once (negative + n) and then follows the mode like
      // an index array: out of bounds, reads clamp (promise_in_bounds/clip) and updates drop.
      if (n === 0) throw new IndexError(`index is out of bounds for axis ${ax} with size 0`);
      return { kind: "int", value: i.value < 0 ? i.value + n : i.value };
    }
    if (i.kind === "slice") {
      const [start, stop, step] = sliceIndices(i.slice, n);
      return { kind: "slice", start, stop, step };
    }
    if (i.kind === "arr") {
      if (i.value.ndim === 0) return { kind: "scalar", value: i.value };
      return { kind: "array", value: i.value };
    }
    throw new Error("unreachable");
  });
  return { items, advancedContiguous };
}

const sliceLen = (s: { start: number; stop: number; step: number }) =>
  Math.max(0, Math.ceil((s.stop - s.start) / s.step));

/** JAX's fast path: ints, traced scalar ints and contiguous slices become dynamic_slice + squeeze. */
function tryDynamicSlice(x: Array, items: Idx[]): Array | undefined {
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

function promoteIndexDtype(xs: readonly Array[]): DType {
  if (xs.length === 0) return int32;
  return promoteArgs(...xs)[0]!.dtype;
}

/** numpy's negative-index wrap (JAX's `_normalize_index`): where(i < 0, i + n, i). */
function normalizeIndex(i: Array, n: number): Array {
  if (!i.dtype.isSigned) return i;
  const neg = lax.lt(i, 0);
  const wrapped = lax.add(i, lax.scalarConstantOf(n, i.dtype));
  return lax.selectN(neg, i, wrapped);
}

interface Indexer {
  sliceShape: number[];
  gatherSliceShape: number[];
  gatherIndices: Array | null;
  dnums: GatherDimensionNumbers;
  unique: boolean;
  reversedYDims: number[];
  newaxisDims: number[];
}

/** Everything one gather (or the scatter that mirrors it) needs (JAX's `_index_to_gather`). */
function indexToGather(
  shape: readonly number[],
  items: Idx[],
  advancedContiguous: boolean,
): Indexer {
  const hasArrays = items.some((i) => i.kind === "array");
  // With index arrays present, ints and scalar arrays are advanced indices too (numpy).
  const isAdv = (i: Idx) =>
    hasArrays && (i.kind === "array" || i.kind === "int" || i.kind === "scalar");
  const advItems = items.filter(isAdv);
  let advShape: number[] = [];
  let advArrays: Array[] = [];
  const xAdvAxes: number[] = [];
  if (hasArrays) {
    let ax = 0;
    items.forEach((i) => {
      if (i.kind === "newaxis") return;
      if (isAdv(i)) xAdvAxes.push(ax);
      ax++;
    });
    const arrs = advItems.map((i) =>
      i.kind === "int" ? lax.scalarConstantOf(i.value, int32) : (i as { value: Array }).value,
    );
    const b = broadcastShapes(...arrs.map((a) => a.shape));
    if (!b) {
      throw new IndexError(
        `shape mismatch: indexing arrays could not be broadcast together with shapes ${arrs.map((a) => fmtShape(a.shape)).join(" ")}`,
      );
    }
    advShape = b;
    advArrays = arrs.map((a, k) => {
      const isStaticInt = advItems[k]!.kind === "int";
      const norm = isStaticInt ? a : normalizeIndex(a, shape[xAdvAxes[k]!]!);
      const conv = norm.dtype === int32 ? norm : lax.convertElementType(norm, int32);
      return conv;
    });
  }

  const pieces: [Array, number][] = [];
  const gatherIndicesShape: number[] = [];
  const offsetDims: number[] = [];
  const collapsed: number[] = [];
  const startIndexMap: number[] = [];
  const sliceShape: number[] = [];
  const gatherSliceShape: number[] = [];
  const reversedYDims: number[] = [];
  const newaxisDims: number[] = [];
  let xAxis = 0;
  let yAxis = 0;
  let collapsedYAxis = 0;
  const firstAdv = items.findIndex(isAdv);

  items.forEach((i, pos) => {
    if (
      hasArrays &&
      ((advancedContiguous && pos === firstAdv) || (!advancedContiguous && pos === 0))
    ) {
      const start = gatherIndicesShape.length;
      for (const a of advArrays) pieces.push([a, start]);
      gatherIndicesShape.push(...advShape);
      startIndexMap.push(...xAdvAxes);
      collapsed.push(...xAdvAxes);
      sliceShape.push(...advShape);
      yAxis += advShape.length;
      collapsedYAxis += advShape.length;
    }
    if (isAdv(i)) {
      xAxis++;
      gatherSliceShape.push(1);
      return;
    }
    const n = shape[xAxis]!;
    switch (i.kind) {
      case "int":
      case "scalar": {
        const v =
          i.kind === "int" ? lax.scalarConstantOf(i.value, int32) : normalizeIndex(i.value, n);
        pieces.push([
          v.dtype === int32 ? v : lax.convertElementType(v, int32),
          gatherIndicesShape.length,
        ]);
        collapsed.push(xAxis);
        gatherSliceShape.push(1);
        startIndexMap.push(xAxis);
        xAxis++;
        break;
      }
      case "newaxis":
        sliceShape.push(1);
        newaxisDims.push(yAxis);
        yAxis++;
        break;
      case "slice": {
        const len = sliceLen(i);
        sliceShape.push(len);
        if (i.step === 1) {
          if (len !== n) {
            pieces.push([lax.scalarConstantOf(i.start, int32), gatherIndicesShape.length]);
            startIndexMap.push(xAxis);
          }
          gatherSliceShape.push(len);
          offsetDims.push(collapsedYAxis);
        } else {
          // A strided slice: an index array start + step·iota (reversed for negative steps).
          let first = i.start;
          let step = i.step;
          if (step < 0) {
            reversedYDims.push(collapsedYAxis);
            first = i.start + (len - 1) * step;
            step = -step;
          }
          let ids = lax.iota(int32, [len], 0);
          if (step !== 1) ids = lax.mul(ids, lax.scalarConstantOf(step, int32));
          if (first !== 0) ids = lax.add(ids, lax.scalarConstantOf(first, int32));
          gatherSliceShape.push(1);
          pieces.push([ids, gatherIndicesShape.length]);
          startIndexMap.push(xAxis);
          gatherIndicesShape.push(len);
          collapsed.push(xAxis);
        }
        collapsedYAxis++;
        yAxis++;
        xAxis++;
        break;
      }
      default:
        break;
    }
  });

  let gatherIndices: Array | null = null;
  if (pieces.length) {
    const target = [...gatherIndicesShape, 1];
    const cols = pieces.map(([g, start]) =>
      lax.broadcastInDim(
        g,
        target,
        g.shape.map((_, k) => start + k),
      ),
    );
    gatherIndices = cols.length === 1 ? cols[0]! : lax.concatenate(cols, target.length - 1);
  }
  return {
    sliceShape,
    gatherSliceShape,
    gatherIndices,
    dnums: GatherDimensionNumbers.of({
      offset_dims: offsetDims,
      collapsed_slice_dims: [...collapsed].sort((a, b) => a - b),
      start_index_map: startIndexMap,
    }),
    unique: !hasArrays,
    reversedYDims,
    newaxisDims,
  };
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
  const { items, advancedContiguous } = canonicalize(x.shape, prepare(x, raw));
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
  const { items, advancedContiguous } = canonicalize(x.shape, prepare(x, raw));
  const ix = indexToGather(x.shape, items, advancedContiguous);
  if (ix.sliceShape.some((d) => d === 0)) return x;
  const [xp, yp] = promoteArgs(x, v) as [Array, Array];
  let y = yp;
  if (!(y.ndim === ix.sliceShape.length && y.shape.every((d, k) => d === ix.sliceShape[k]))) {
    const off = ix.sliceShape.length - y.ndim;
    if (off < 0 || y.shape.some((d, k) => d !== 1 && d !== ix.sliceShape[off + k])) {
      throw new ValueError(
        `Incompatible shapes for broadcasting: ${fmtShape(y.shape)} and requested shape ${fmtShape(ix.sliceShape)}`,
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

// ufuncs imported late to keep this module's dependencies one-way
import { divide as trueDivide, power } from "./ufuncs.js";

setAdvancedIndexing(
  (x, idx) => advancedGet(x, idx),
  (x, indices) => new Updater(x, indices),
);
