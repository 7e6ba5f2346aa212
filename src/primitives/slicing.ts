/**
 * dynamic_slice and dynamic_update_slice: slices at data-dependent start indices (one scalar
 * operand per dimension). As in XLA, starts are clamped so the slice fits in the operand.
 * Both lower to lazy expressions whose index expressions load the start scalars.
 */
import type { ShapedArray } from "../core/aval.js";
import { int32 } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { binary, type Expr, select } from "../kernel/expr.js";
import { ixAdd, ixMul } from "../kernel/index.js";
import { genLazy } from "../kernel/lazy.js";
import type { Array } from "../trace/array.js";
import { type Primitive, type Tangent, UndefinedPrimal, Zero } from "../trace/primitive.js";
import { type Value, bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { batchAtFront, moveAxis } from "./batch-rules.js";
import { full } from "./constants.js";
import { definePrimitive } from "./define.js";
import { clampedIndex, indexSource } from "./index-lowering.js";
import { broadcastInDim } from "./shape/broadcast.js";
import { concatenate } from "./shape/concatenate.js";
import { reshape } from "./shape/reshape.js";
import { sameDtypes } from "./shape-rules.js";
import { gatherBatch } from "./gather.js";
import { scatter } from "./scatter.js";
import { scalarConstant } from "../trace/constants.js";
import {
  GatherDimensionNumbers,
  GatherScatterMode,
  ScatterDimensionNumbers,
} from "./gather-scatter-params.js";

const tup = shapeStr;
const avalsStr = (xs: readonly ShapedArray[]) =>
  `(${xs.map((a) => a.str()).join(", ")}${xs.length === 1 ? "," : ""})`;

function checkStartDtypes(name: string, starts: readonly ShapedArray[]): void {
  const d0 = starts[0]?.dtype;
  if (starts.some((s) => s.dtype !== d0 || !s.dtype.isInt)) {
    throw new TypeError(
      `index arguments to ${name} must be integers of the same type, got: ${starts.map((s) => s.dtype.name).join(", ")}`,
    );
  }
}

/** The starts as int32 index expressions, clamped so that `sizes` fits in `shape`. */
function clampedStarts(
  starts: readonly Expr[],
  shape: readonly number[],
  sizes: readonly number[],
): Expr[] {
  return starts.map((s, k) => clampedIndex(s, 0, shape[k]! - sizes[k]!));
}

// ---------------------------------------------------------------- dynamic_slice

type DSParams = { slice_sizes: number[] };

export const dynamicSliceP: Primitive<DSParams> = definePrimitive<DSParams>({
  name: "dynamic_slice",
  abstractEval([operand, ...starts], { slice_sizes }) {
    const x = operand!;
    if (x.ndim !== starts.length) {
      throw new TypeError(
        `dynamic_slice start_indices must have length equal to the number of dimensions of the ` +
          `operand, got indices ${avalsStr(starts)} for operand shape ${tup(x.shape)}.`,
      );
    }
    if (starts.length !== slice_sizes.length) {
      throw new TypeError(
        `dynamic_slice slice_sizes must have the same length as start_indices, got start_indices ` +
          `length ${starts.length} and slice_sizes ${tup(slice_sizes)}.`,
      );
    }
    if (slice_sizes.some((s, k) => s > x.shape[k]!)) {
      throw new TypeError(
        `slice slice_sizes must be less than or equal to operand shape, got slice_sizes ` +
          `${tup(slice_sizes)} for operand shape ${tup(x.shape)}.`,
      );
    }
    if (slice_sizes.some((s) => s < 0)) {
      throw new TypeError(
        `slice slice_sizes must be greater than or equal to zero, got slice_sizes of ${tup(slice_sizes)}.`,
      );
    }
    if (starts.some((s) => s.ndim !== 0)) {
      throw new TypeError(
        `start_indices arguments to dynamic_slice must be scalars,  got indices ${avalsStr(starts)}`,
      );
    }
    checkStartDtypes("dynamic_slice", starts);
    return [x.update({ shape: slice_sizes })];
  },
  lower(ctx, [operand, ...starts], { slice_sizes }, [out]) {
    const x = operand!.hasReduce ? ctx.materialize(operand!) : operand!;
    const srcs = starts.map((s) => indexSource(ctx, s));
    return [
      genLazy(
        out!,
        (coords) => {
          const st = clampedStarts(
            srcs.map((s) => s.at([])),
            x.aval.shape,
            slice_sizes,
          );
          return x.at(coords.map((c, k) => ixAdd(st[k]!, c)));
        },
        x.cost + 2,
      ),
    ];
  },
  jvp([operand, ...starts], [t], params) {
    const out = bind1(dynamicSliceP, [operand!, ...starts], params);
    if (isZero(t)) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1(dynamicSliceP, [t!, ...starts], params)]];
  },
  transpose([ct], [operand, ...starts], _params) {
    const aval = (operand as UndefinedPrimal).aval;
    if (isZero(ct)) return [new Zero(aval), ...starts.map(() => null)];
    const zeros = full(aval.shape, 0, aval.dtype);
    return [
      bind1(dynamicUpdateSliceP, [zeros, ct as Array, ...(starts as Array[])]),
      ...starts.map(() => null),
    ];
  },
  batch([operand, ...starts], [od, ...sds], { slice_sizes }, size) {
    // As JAX: a dynamic slice is a gather with every operand dim an offset dim.
    const ndims = operand!.ndim - (od === null ? 0 : 1);
    const dims = Array_range(ndims);
    const dnums = GatherDimensionNumbers.of({
      offset_dims: dims,
      collapsed_slice_dims: [],
      start_index_map: dims,
    });
    const [index, indexDim] = batchDynamicSliceIndices(starts, sds, size);
    return gatherBatch([operand!, index], [od!, indexDim], {
      dimension_numbers: dnums,
      slice_sizes,
      unique_indices: true,
      indices_are_sorted: true,
      mode: GatherScatterMode.PROMISE_IN_BOUNDS,
      fill_value: null,
    });
  },
});

/** Start scalars (some batched along their dim 0) as one index array [n] or [B, n]. */
function batchDynamicSliceIndices(
  starts: Array[],
  dims: (number | null)[],
  size: number,
): [Array, number | null] {
  if (starts.length === 0) return [full([0], 0, int32), null];
  if (dims.every((d) => d === null))
    return [
      concatenate(
        starts.map((s) => reshape(s, [1])),
        0,
      ),
      null,
    ];
  const cols = starts.map((s, i) => broadcastInDim(s, [size, 1], dims[i] === null ? [] : [0]));
  return [concatenate(cols, 1), 0];
}

export function dynamicSlice(
  operand: Value,
  starts: readonly Value[],
  sliceSizes: readonly number[],
): Array {
  return bind1(dynamicSliceP, [operand, ...starts], { slice_sizes: [...sliceSizes] });
}

// ---------------------------------------------------------------- dynamic_update_slice

export const dynamicUpdateSliceP: Primitive<Record<string, never>> = definePrimitive<
  Record<string, never>
>({
  name: "dynamic_update_slice",
  abstractEval([operand, update, ...starts]) {
    const x = operand!;
    const u = update!;
    if (x.ndim !== u.ndim) {
      throw new TypeError(
        `dynamic_update_slice update must have the same rank as operand, got update shape ` +
          `${tup(u.shape)} for operand shape ${tup(x.shape)}.`,
      );
    }
    if (x.ndim !== starts.length) {
      throw new TypeError(
        `dynamic_update_slice start_indices must have length equal to the rank of operand, got ` +
          `indices ${avalsStr(starts)} for operand shape ${tup(x.shape)}.`,
      );
    }
    if (u.shape.some((d, k) => d > x.shape[k]!)) {
      throw new TypeError(
        `dynamic_update_slice update shape must be smaller than operand shape, got update shape ` +
          `${tup(u.shape)} for operand shape ${tup(x.shape)}.`,
      );
    }
    if (starts.some((s) => s.ndim !== 0)) {
      throw new TypeError(
        `start_indices arguments to dynamic_update_slice must be scalars, got indices ${avalsStr(starts)}`,
      );
    }
    sameDtypes("dynamic_update_slice", [x, u]);
    checkStartDtypes("dynamic_update_slice", starts);
    return [x];
  },
  lower(ctx, [operand, update, ...starts], _p, [out]) {
    const x = operand!.hasReduce ? ctx.materialize(operand!) : operand!;
    const u = update!.hasReduce ? ctx.materialize(update!) : update!;
    const srcs = starts.map((s) => indexSource(ctx, s));
    const ushape = u.aval.shape;
    return [
      genLazy(
        out!,
        (coords) => {
          const st = clampedStarts(
            srcs.map((s) => s.at([])),
            x.aval.shape,
            ushape,
          );
          let inside: Expr | undefined;
          const rel = coords.map((c, k) => {
            const r = ixAdd(c, ixMul(st[k]!, -1));
            const cond = binary(
              "and",
              binary("ge", r, ixAdd(0)),
              binary("lt", r, ixAdd(ushape[k]!)),
            );
            inside = inside ? binary("and", inside, cond) : cond;
            return r;
          });
          const base = x.at(coords);
          return inside ? select(inside, u.at(rel), base) : u.at(rel);
        },
        x.cost + u.cost + 3,
      ),
    ];
  },
  jvp([operand, update, ...starts], [to, tu]) {
    const out = bind1(dynamicUpdateSliceP, [operand!, update!, ...starts]);
    if (isZero(to) && isZero(tu)) return [[out], [new Zero(out.aval)]];
    const inst = (t: Tangent, a: Array) => (isZero(t) ? full(a.shape, 0, a.dtype) : t);
    return [
      [out],
      [bind1(dynamicUpdateSliceP, [inst(to!, operand!), inst(tu!, update!), ...starts])],
    ];
  },
  transpose([ct], [operand, update, ...starts]) {
    const starts_ = starts as Array[];
    const uAval = update instanceof UndefinedPrimal ? update.aval : (update as Array).aval;
    if (isZero(ct)) {
      return [
        operand instanceof UndefinedPrimal ? new Zero(operand.aval) : null,
        update instanceof UndefinedPrimal ? new Zero(update.aval) : null,
        ...starts.map(() => null),
      ];
    }
    const t = ct as Array;
    return [
      operand instanceof UndefinedPrimal
        ? bind1(dynamicUpdateSliceP, [t, full(uAval.shape, 0, t.dtype), ...starts_])
        : null,
      update instanceof UndefinedPrimal ? dynamicSlice(t, starts_, uAval.shape) : null,
      ...starts.map(() => null),
    ];
  },
  batch([operand, update, ...starts], [od, ud, ...sds], _p, size) {
    if (sds.every((d) => d === null)) {
      const x =
        od === null
          ? broadcastInDim(
              operand!,
              [size, ...operand!.shape],
              Array_range(operand!.ndim).map((k) => k + 1),
            )
          : moveAxis(operand!, od, 0);
      const u =
        ud === null
          ? broadcastInDim(
              update!,
              [size, ...update!.shape],
              Array_range(update!.ndim).map((k) => k + 1),
            )
          : moveAxis(update!, ud, 0);
      const zero = scalarConstant(0, starts[0]?.dtype ?? x.dtype, false);
      return [[bind1(dynamicUpdateSliceP, [x, u, zero, ...starts])], [0]];
    }
    // Batched starts: a scatter with clamped indices, batched over dim 0 of everything.
    const x =
      od === null
        ? broadcastInDim(
            operand!,
            [size, ...operand!.shape],
            Array_range(operand!.ndim).map((k) => k + 1),
          )
        : moveAxis(operand!, od, 0);
    const u =
      ud === null
        ? broadcastInDim(
            update!,
            [size, ...update!.shape],
            Array_range(update!.ndim).map((k) => k + 1),
          )
        : batchAtFront(update!, ud);
    const [index] = batchDynamicSliceIndices(starts, sds, size);
    const r = update!.ndim - (ud === null ? 0 : 1);
    const dims = Array_range(r).map((k) => k + 1);
    const dnums = ScatterDimensionNumbers.of({
      update_window_dims: dims,
      inserted_window_dims: [],
      scatter_dims_to_operand_dims: dims,
      operand_batching_dims: [0],
      scatter_indices_batching_dims: [0],
    });
    return [
      [
        scatter(x, index, u, dnums, {
          indicesAreSorted: true,
          uniqueIndices: true,
          mode: GatherScatterMode.CLIP,
        }),
      ],
      [0],
    ];
  },
});

export function dynamicUpdateSlice(operand: Value, update: Value, starts: readonly Value[]): Array {
  return bind1(dynamicUpdateSliceP, [operand, update, ...starts]);
}

function Array_range(n: number): number[] {
  return globalThis.Array.from({ length: n }, (_, i) => i);
}
