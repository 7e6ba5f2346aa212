/**
 * gather: XLA's Gather with JAX's GatherDimensionNumbers (index_vector_dim is the last dim of
 * the indices). Lowered to a lazy expression: each output element loads its start indices
 * from the indices buffer inside the index expression of the operand load.
 */
import type { ShapedArray } from "../core/aval.js";
import { type DType, dtypeRange } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { binary, constant, type Expr, select } from "../kernel/expr.js";
import { ix, ixAdd } from "../kernel/index.js";
import { genLazy } from "../kernel/lazy.js";
import type { Array } from "../trace/array.js";
import { type Primitive, UndefinedPrimal, Zero } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { moveAxis } from "./batch-rules.js";
import { full } from "./constants.js";
import { definePrimitive, registeredPrimitive } from "./define.js";
import {
  GatherDimensionNumbers,
  GatherScatterMode,
  type GatherScatterModeLike,
  ScatterDimensionNumbers,
  disjoint,
  inRange,
  isSorted,
  noDuplicates,
  sortedInRange,
} from "./gather-scatter-params.js";
import { clampedIndex, inBounds, indexSource } from "./index-lowering.js";
import { scatterParams } from "./scatter-params.js";

export type GatherParams = {
  dimension_numbers: GatherDimensionNumbers;
  slice_sizes: number[];
  indices_are_sorted: boolean;
  unique_indices: boolean;
  mode: GatherScatterMode;
  fill_value: number | boolean | null;
};

const tup = shapeStr;

/** JAX's `_gather_shape_rule` (XLA's ShapeInference::InferGatherShape checks). */
function gatherShape(operand: ShapedArray, indices: ShapedArray, p: GatherParams): number[] {
  const dn = p.dimension_numbers;
  const {
    offset_dims,
    collapsed_slice_dims,
    start_index_map,
    operand_batching_dims,
    start_indices_batching_dims,
  } = dn;
  const slice_sizes = p.slice_sizes;
  const ivd = indices.ndim - 1;
  if (ivd < 0) {
    throw new TypeError(
      `Gather index leaf dimension must be within [0, rank(indices) + 1). rank(indices) is ` +
        `${indices.ndim} and gather index leaf dimension is ${ivd}.`,
    );
  }
  isSorted(offset_dims, "gather", "offset_dims");
  noDuplicates(offset_dims, "gather", "offset_dims");
  const outRank = offset_dims.length + indices.ndim - 1;
  offset_dims.forEach((d, i) => {
    if (d < 0 || d >= outRank) {
      throw new TypeError(
        `Offset dimension ${i} in gather op is out of bounds; got ${d}, but should have been in [0, ${outRank})`,
      );
    }
  });
  if (start_index_map.length !== indices.shape[ivd]) {
    throw new TypeError(
      `Gather op has ${start_index_map.length} elements in start_index_map and the bound of ` +
        `dimension index_vector_dim=${ivd} of indices is ${indices.shape[ivd]}. These two numbers must be equal.`,
    );
  }
  start_index_map.forEach((d, i) => {
    if (d < 0 || d >= operand.ndim) {
      throw new TypeError(
        `Invalid start_index_map; domain is [0, ${operand.ndim}), got: ${i}->${d}.`,
      );
    }
  });
  noDuplicates(start_index_map, "gather", "start_index_map");
  isSorted(collapsed_slice_dims, "gather", "collapsed_slice_dims");
  sortedInRange(collapsed_slice_dims, operand.ndim, "gather", "collapsed_slice_dims");
  noDuplicates(collapsed_slice_dims, "gather", "collapsed_slice_dims");
  noDuplicates(operand_batching_dims, "gather", "operand_batching_dims");
  isSorted(operand_batching_dims, "gather", "operand_batching_dims");
  sortedInRange(operand_batching_dims, operand.ndim, "gather", "operand_batching_dims");
  disjoint(
    collapsed_slice_dims,
    operand_batching_dims,
    "gather",
    "collapsed_slice_dims",
    "operand_batching_dims",
  );
  disjoint(
    start_index_map,
    operand_batching_dims,
    "gather",
    "start_index_map",
    "operand_batching_dims",
  );
  noDuplicates(start_indices_batching_dims, "gather", "start_indices_batching_dims");
  inRange(start_indices_batching_dims, indices.ndim, "gather", "start_indices_batching_dims");
  if (start_indices_batching_dims.includes(ivd)) {
    throw new TypeError(
      `Gather op cannot have the index vector dimension as a batching dimension; got ${tup(start_indices_batching_dims)}.`,
    );
  }
  if (operand_batching_dims.length !== start_indices_batching_dims.length) {
    throw new TypeError(
      `Gather op requires equal numbers of operand_batching_dims and start_indices_batching_dims, ` +
        `got ${tup(operand_batching_dims)} and${tup(start_indices_batching_dims)}.`,
    );
  }
  const ob = operand_batching_dims.map((d) => operand.shape[d]!);
  const ib = start_indices_batching_dims.map((d) => indices.shape[d]!);
  if (ob.some((d, i) => d !== ib[i])) {
    throw new TypeError(
      `Gather op requires operand batching dimensions and indices batching dimensions to have ` +
        `the same shape, got ${tup(ob)} and ${tup(ib)}.`,
    );
  }
  if (operand.ndim !== slice_sizes.length) {
    throw new TypeError(
      `Gather op must have one slice size for every input dimension; got: ` +
        `len(slice_sizes)=${slice_sizes.length}, input_shape.rank=${operand.ndim}`,
    );
  }
  if (
    slice_sizes.length !==
    offset_dims.length + collapsed_slice_dims.length + operand_batching_dims.length
  ) {
    throw new TypeError(
      `All components of the offset index in a gather op must either be a offset dimension or ` +
        `explicitly collapsed/batching; got len(slice_sizes)=${slice_sizes.length}, ` +
        `output_slice_sizes=${tup(offset_dims)}, collapsed_slice_dims=${tup(collapsed_slice_dims)}, ` +
        `operand_batching_dims=${tup(operand_batching_dims)}.`,
    );
  }
  slice_sizes.forEach((s, i) => {
    if (!(s >= 0 && operand.shape[i]! >= s)) {
      throw new TypeError(
        `Slice size at index ${i} in gather op is out of range, must be within [0, ${operand.shape[i]} + 1), got ${s}.`,
      );
    }
  });
  collapsed_slice_dims.forEach((d, i) => {
    if (slice_sizes[d] !== 1) {
      throw new TypeError(
        `Gather op can only collapse slice dims with bound 1, but bound is ${slice_sizes[d]} for index ${d} at position ${i}.`,
      );
    }
  });
  operand_batching_dims.forEach((d, i) => {
    if (slice_sizes[d]! > 1) {
      throw new TypeError(
        `Gather op can only have operand batching dims with bound 0/1, but bound is ${slice_sizes[d]} for index ${d} at position ${i}.`,
      );
    }
  });
  const batchShape = indices.shape.slice(0, ivd);
  const kept = slice_sizes.filter(
    (_, i) => !collapsed_slice_dims.includes(i) && !operand_batching_dims.includes(i),
  );
  let b = 0;
  let o = 0;
  return Array_range(outRank).map((i) => (offset_dims.includes(i) ? kept[o++]! : batchShape[b++]!));
}

/** JAX's default gather fill value for FILL_OR_DROP. */
export function defaultFillValue(d: DType): number | boolean {
  if (d.isFloat) return NaN;
  if (d.isBool) return true;
  const [lo, hi] = dtypeRange(d);
  return d.isSigned ? lo : hi;
}

/** A fill value as a kernel constant of dtype `d` (64-bit integers are BigInt). */
function fillConstant(v: number | boolean, d: DType): Expr {
  if (!d.isBig || typeof v === "boolean") return constant(v, d);
  if (d.isSigned) return constant(v <= -(2 ** 63) ? -(2n ** 63n) : BigInt(Math.trunc(v)), d);
  return constant(v >= 2 ** 64 - 1 ? 2n ** 64n - 1n : BigInt(Math.trunc(v)), d);
}

export const gatherP: Primitive<GatherParams> = definePrimitive<GatherParams>({
  name: "gather",
  abstractEval([operand, indices], params) {
    if (!indices!.dtype.isInt) throw new TypeError("indices must have an integer type");
    return [operand!.update({ shape: gatherShape(operand!, indices!, params) })];
  },
  lower(ctx, [operand, indices], p, [out]) {
    const x = operand!.hasReduce ? ctx.materialize(operand!) : operand!;
    const idx = indexSource(ctx, indices!);
    const dn = p.dimension_numbers;
    const shape = x.aval.shape;
    const nOut = out!.ndim;
    const fill = p.mode === GatherScatterMode.FILL_OR_DROP;
    const fillValue = p.fill_value ?? defaultFillValue(out!.dtype);
    return [
      genLazy(
        out!,
        (coords) => {
          const batch: Expr[] = [];
          const offs: Expr[] = [];
          for (let i = 0; i < nOut; i++)
            (dn.offset_dims.includes(i) ? offs : batch).push(coords[i]!);
          const raw = dn.start_index_map.map((_, k) => idx.at([...batch, ix(k)]));
          let ok: Expr | undefined;
          let o = 0;
          const opCoords = shape.map((dim, d) => {
            let start: Expr = ix(0);
            const k = dn.start_index_map.indexOf(d);
            if (k >= 0) {
              start = clampedIndex(raw[k]!, 0, dim - p.slice_sizes[d]!);
              if (fill) {
                const c = inBounds(raw[k]!, 0, dim - p.slice_sizes[d]!);
                ok = ok ? binary("and", ok, c) : c;
              }
            }
            const j = dn.operand_batching_dims.indexOf(d);
            if (j >= 0) start = batch[dn.start_indices_batching_dims[j]!]!;
            const isOffset = !dn.collapsed_slice_dims.includes(d) && j < 0;
            return isOffset ? ixAdd(start, offs[o++]!) : start;
          });
          const v = x.at(opCoords);
          return ok ? select(ok, v, fillConstant(fillValue, out!.dtype)) : v;
        },
        x.cost + 4,
      ),
    ];
  },
  jvp([operand, indices], [t], params) {
    const out = bind1(gatherP, [operand!, indices!], params);
    if (isZero(t)) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1(gatherP, [t!, indices!], { ...params, fill_value: 0 })]];
  },
  transpose([ct], [operand, indices], p) {
    const aval = (operand as UndefinedPrimal).aval;
    if (isZero(ct)) return [new Zero(aval), null];
    const dn = p.dimension_numbers;
    const sdn = ScatterDimensionNumbers.of({
      update_window_dims: dn.offset_dims,
      inserted_window_dims: dn.collapsed_slice_dims,
      scatter_dims_to_operand_dims: dn.start_index_map,
      operand_batching_dims: dn.operand_batching_dims,
      scatter_indices_batching_dims: dn.start_indices_batching_dims,
    });
    const zeros = full(aval.shape, 0, aval.dtype);
    // scatter-add's module imports this one (its rules gather), so it is looked up.
    const r = bind1(
      registeredPrimitive("scatter-add"),
      [zeros, indices as Array, ct as Array],
      scatterParams("add", zeros.dtype, sdn, {
        indicesAreSorted: p.indices_are_sorted,
        uniqueIndices: p.unique_indices,
        mode: p.mode,
      }),
    );
    return [r, null];
  },
  batch: gatherBatch,
});

export function gatherBatch(
  [operand, indices]: Array[],
  [od, id]: (number | null)[],
  p: GatherParams,
): [Array[], (number | null)[]] {
  const dn = p.dimension_numbers;
  const inc = (xs: readonly number[]) => xs.map((d) => d + 1);
  if (od !== null && id === null) {
    const x = moveAxis(operand!, od, 0);
    const dnums = GatherDimensionNumbers.of({
      offset_dims: [0, ...inc(dn.offset_dims)],
      collapsed_slice_dims: inc(dn.collapsed_slice_dims),
      start_index_map: inc(dn.start_index_map),
      operand_batching_dims: inc(dn.operand_batching_dims),
      start_indices_batching_dims: dn.start_indices_batching_dims,
    });
    const params = { ...p, dimension_numbers: dnums, slice_sizes: [x.shape[0]!, ...p.slice_sizes] };
    return [[bind1(gatherP, [x, indices!], params)], [0]];
  }
  if (od === null && id !== null) {
    const i = moveAxis(indices!, id, 0);
    const dnums = GatherDimensionNumbers.of({
      offset_dims: inc(dn.offset_dims),
      collapsed_slice_dims: dn.collapsed_slice_dims,
      start_index_map: dn.start_index_map,
      operand_batching_dims: dn.operand_batching_dims,
      start_indices_batching_dims: inc(dn.start_indices_batching_dims),
    });
    const params = {
      ...p,
      dimension_numbers: dnums,
      unique_indices: false,
      indices_are_sorted: false,
    };
    return [[bind1(gatherP, [operand!, i], params)], [0]];
  }
  const x = moveAxis(operand!, od!, 0);
  const i = moveAxis(indices!, id!, 0);
  const dnums = GatherDimensionNumbers.of({
    offset_dims: inc(dn.offset_dims),
    collapsed_slice_dims: inc(dn.collapsed_slice_dims),
    start_index_map: inc(dn.start_index_map),
    operand_batching_dims: [0, ...inc(dn.operand_batching_dims)],
    start_indices_batching_dims: [0, ...inc(dn.start_indices_batching_dims)],
  });
  const params = {
    ...p,
    dimension_numbers: dnums,
    slice_sizes: [x.shape[0] === 0 ? 0 : 1, ...p.slice_sizes],
  };
  return [[bind1(gatherP, [x, i], params)], [0]];
}

export interface GatherOptions {
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
  mode?: GatherScatterModeLike | null;
  fillValue?: number | boolean | null;
}

/** `lax.gather`: mode defaults to PROMISE_IN_BOUNDS (out-of-bounds starts are clamped). */
export function gather(
  operand: Array,
  indices: Array,
  dimensionNumbers: GatherDimensionNumbers,
  sliceSizes: readonly number[],
  opts: GatherOptions = {},
): Array {
  const mode = GatherScatterMode.fromAny(opts.mode ?? GatherScatterMode.PROMISE_IN_BOUNDS);
  let fill: number | boolean | null = null;
  if (mode === GatherScatterMode.FILL_OR_DROP)
    fill = opts.fillValue ?? defaultFillValue(operand.dtype);
  return bind1(gatherP, [operand, indices], {
    dimension_numbers: dimensionNumbers,
    slice_sizes: [...sliceSizes],
    indices_are_sorted: !!opts.indicesAreSorted,
    unique_indices: !!opts.uniqueIndices,
    mode,
    fill_value: fill,
  });
}

function Array_range(n: number): number[] {
  return globalThis.Array.from({ length: n }, (_, i) => i);
}
