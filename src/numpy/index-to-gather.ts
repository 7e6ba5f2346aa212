/**
 * JAX's `_index_to_gather`: canonical index items become the one gather that reads them (or the
 * scatter that mirrors it for updates) — the gather's index array, its dimension numbers and
 * slice sizes, and the reversals and new axes to apply to its result.
 */
import { IndexError } from "../core/errors.js";
import { int32 } from "../core/dtype.js";
import { broadcastShapes, shapeStr } from "../core/shape.js";
import type { Array } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { GatherDimensionNumbers } from "../primitives/index.js";
import { type IndexItem, normalizeIndex } from "./advanced-index-items.js";

/** An item that is an advanced index once index arrays are present (numpy). */
type AdvancedItem = Extract<IndexItem, { kind: "array" | "int" | "scalar" }>;

const isAdvancedKind = (i: IndexItem): i is AdvancedItem =>
  i.kind === "array" || i.kind === "int" || i.kind === "scalar";

const sliceLen = (s: { start: number; stop: number; step: number }) =>
  Math.max(0, Math.ceil((s.stop - s.start) / s.step));

/** Everything one gather (or the scatter that mirrors it) needs. */
export interface GatherIndexer {
  sliceShape: number[];
  gatherSliceShape: number[];
  gatherIndices: Array | null;
  dnums: GatherDimensionNumbers;
  unique: boolean;
  reversedYDims: number[];
  newaxisDims: number[];
}

/** The gather (or mirroring scatter) that indexes an array of `shape` with `items`. */
export function indexToGather(
  shape: readonly number[],
  items: readonly IndexItem[],
  advancedContiguous: boolean,
): GatherIndexer {
  const hasArrays = items.some((i) => i.kind === "array");
  // With index arrays present, ints and scalar arrays are advanced indices too (numpy).
  const isAdv = (i: IndexItem) => hasArrays && isAdvancedKind(i);
  const advItems = hasArrays ? items.filter(isAdvancedKind) : [];
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
      i.kind === "int" ? lax.scalarConstantOf(i.value, int32) : i.value,
    );
    const b = broadcastShapes(...arrs.map((a) => a.shape));
    if (!b) {
      throw new IndexError(
        `shape mismatch: indexing arrays could not be broadcast together with shapes ${arrs.map((a) => shapeStr(a.shape)).join(" ")}`,
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
