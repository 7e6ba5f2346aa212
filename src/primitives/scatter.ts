/**
 * scatter, scatter-add, scatter-mul, scatter-min, scatter-max (JAX's names): XLA's Scatter
 * with JAX's ScatterDimensionNumbers. Lowered to a `scatter` custom kernel: the output starts
 * as a copy of the operand and updates are combined in order; out-of-bounds windows are
 * dropped (FILL_OR_DROP, PROMISE_IN_BOUNDS) or clamped (CLIP).
 */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { Eqn, Jaxpr, Var } from "../ir/jaxpr.js";
import { bufferLazy } from "../backend/kernel/lazy.js";
import type { Array } from "../trace/array.js";
import { type Primitive, type Tangent, UndefinedPrimal, Zero } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { batchAtFront, moveAxis } from "./batch-rules.js";
import { full, fullLike } from "./constants.js";
import { convertElementType } from "./convert.js";
import { definePrimitive } from "./define.js";
import { prims as ew } from "./elementwise.js";
import { gatherP, setScatterAddForGather } from "./gather.js";
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
import { broadcastInDim } from "./shape-ops.js";
import { sameDtypes } from "./shape-rules.js";
import { setScatterForSlicing } from "./slicing.js";

export type ScatterParams = {
  dimension_numbers: ScatterDimensionNumbers;
  indices_are_sorted: boolean;
  unique_indices: boolean;
  mode: GatherScatterMode;
  update_consts: unknown[];
  update_jaxpr: Jaxpr | null;
};

type Combine = "set" | "add" | "mul" | "min" | "max";
const tup = shapeStr;

/** JAX's `_scatter_shape_rule`. */
function checkScatter(
  operand: ShapedArray,
  indices: ShapedArray,
  updates: ShapedArray,
  p: ScatterParams,
): void {
  const dn = p.dimension_numbers;
  const uwd = dn.update_window_dims;
  const iwd = dn.inserted_window_dims;
  const obd = dn.operand_batching_dims;
  const sibd = dn.scatter_indices_batching_dims;
  const sdod = dn.scatter_dims_to_operand_dims;
  const ivd = indices.ndim - 1;
  if (ivd < 0) {
    throw new TypeError(
      `Scatter index leaf dimension must be within [0, rank(indices) + 1). rank(indices) is ` +
        `${indices.ndim} and scatter index leaf dimension is ${ivd}.`,
    );
  }
  const expectedRank = indices.ndim - 1 + uwd.length;
  if (updates.ndim !== expectedRank)
    throw new TypeError(`Updates tensor must be of rank ${expectedRank}; got ${updates.ndim}.`);
  isSorted(uwd, "scatter", "update_window_dims");
  noDuplicates(uwd, "scatter", "update_window_dims");
  sortedInRange(uwd, updates.ndim, "scatter", "update_window_dims");
  isSorted(iwd, "scatter", "inserted_window_dims");
  noDuplicates(iwd, "scatter", "inserted_window_dims");
  sortedInRange(iwd, operand.ndim, "scatter", "inserted_window_dims");
  isSorted(obd, "scatter", "operand_batching_dims");
  noDuplicates(obd, "scatter", "operand_batching_dims");
  sortedInRange(obd, operand.ndim, "scatter", "operand_batching_dims");
  disjoint(iwd, obd, "scatter", "inserted_window_dims", "operand_batching_dims");
  disjoint(sdod, obd, "scatter", "scatter_dims_to_operand_dims", "operand_batching_dims");
  noDuplicates(sibd, "scatter", "scatter_indices_batching_dims");
  inRange(sibd, indices.ndim, "scatter", "scatter_indices_batching_dims");
  if (sibd.includes(ivd)) {
    throw new TypeError(
      `Scatter op cannot have the index vector dimension as a batching dimension; got ${tup(sibd)}.`,
    );
  }
  if (obd.length !== sibd.length) {
    throw new TypeError(
      `Scatter op requires equal numbers of operand_batching_dims and scatter_indices_batching_dims, got ${tup(obd)} and ${tup(sibd)}.`,
    );
  }
  const ob = obd.map((d) => operand.shape[d]!);
  const ib = sibd.map((d) => indices.shape[d]!);
  if (ob.some((d, i) => d !== ib[i])) {
    throw new TypeError(
      `Scatter op requires operand batching dimensions and indices batching dimensions to have the same shape, got ${tup(ob)} and ${tup(ib)}.`,
    );
  }
  const window = uwd.length + iwd.length + obd.length;
  if (operand.ndim !== window) {
    throw new TypeError(
      `Scatter op has window of size ${window}; doesn't match operand of rank ${operand.ndim}.`,
    );
  }
  if (sdod.length !== indices.shape[ivd]) {
    throw new TypeError(
      `Scatter op has ${sdod.length} elements in scatter_dims_to_operand_dims and the bound of dimension ` +
        `index_vector_dim=${ivd} of indices is ${indices.shape[ivd]}. These two numbers must be equal`,
    );
  }
  sdod.forEach((d, i) => {
    if (d < 0 || d >= operand.ndim) {
      throw new TypeError(
        `Invalid scatter_dims_to_operand_dims mapping; domain is [0, ${operand.ndim}), got: ${i}->${d}.`,
      );
    }
  });
  noDuplicates(sdod, "scatter", "scatter_dims_to_operand_dims");
  const maxSizes = operand.shape.filter((_, i) => !iwd.includes(i) && !obd.includes(i));
  uwd.forEach((d, i) => {
    if (maxSizes[i]! < updates.shape[d]!) {
      throw new TypeError(
        `Bounds of the window dimensions of updates must not exceed the bounds of the corresponding ` +
          `dimensions of operand. For dimension ${d}, updates bound is ${updates.shape[d]}, operand bound is ${maxSizes[i]}.`,
      );
    }
  });
  let seen = 0;
  for (let i = 0; i < updates.ndim; i++) {
    if (uwd.includes(i)) continue;
    if (updates.shape[i] !== indices.shape[seen]) {
      throw new TypeError(
        `Bounds of the scatter dimensions of updates must be the same as the bounds of the ` +
          `corresponding dimensions of scatter indices. For scatter dimension ${i}, updates bound ` +
          `is ${updates.shape[i]}, indices bound is ${indices.shape[seen]}.`,
      );
    }
    seen++;
  }
}

/** The gather that reads back what a scatter writes (JAX's gather_dnums and slice_sizes). */
function inverseGather(
  dn: ScatterDimensionNumbers,
  operandShape: readonly number[],
  updatesShape: readonly number[],
) {
  const gdn = GatherDimensionNumbers.of({
    offset_dims: dn.update_window_dims,
    collapsed_slice_dims: dn.inserted_window_dims,
    start_index_map: dn.scatter_dims_to_operand_dims,
    operand_batching_dims: dn.operand_batching_dims,
    start_indices_batching_dims: dn.scatter_indices_batching_dims,
  });
  let pos = 0;
  const sliceSizes = operandShape.map((_, i) =>
    dn.inserted_window_dims.includes(i) || dn.operand_batching_dims.includes(i)
      ? 1
      : updatesShape[dn.update_window_dims[pos++]!]!,
  );
  return { gdn, sliceSizes };
}

function gatherBack(
  x: Array,
  indices: Array,
  p: ScatterParams,
  updatesShape: readonly number[],
): Array {
  const { gdn, sliceSizes } = inverseGather(p.dimension_numbers, x.shape, updatesShape);
  return bind1(gatherP, [x, indices], {
    dimension_numbers: gdn,
    slice_sizes: sliceSizes,
    indices_are_sorted: p.indices_are_sorted,
    unique_indices: p.unique_indices,
    mode: p.mode,
    fill_value: p.mode === GatherScatterMode.FILL_OR_DROP ? 0 : null,
  });
}

const prims: Partial<Record<Combine, Primitive<ScatterParams>>> = {};

function defineScatter(name: string, combine: Combine): Primitive<ScatterParams> {
  const self = (): Primitive<ScatterParams> => prims[combine]!;
  const p = definePrimitive<ScatterParams>({
    name,
    abstractEval([operand, indices, updates], params) {
      if (!indices!.dtype.isInt) throw new TypeError("indices must have an integer type");
      sameDtypes("scatter", [operand!, updates!]);
      checkScatter(operand!, indices!, updates!, params);
      return [operand!];
    },
    lower(ctx, [operand, indices, updates], params, [out]) {
      const x = ctx.materialize(operand!);
      const i = ctx.materialize(indices!);
      const u = ctx.materialize(updates!);
      const buffer = ctx.newBuffer(out!);
      const dn = params.dimension_numbers;
      ctx.emit({
        kind: "custom",
        op: "scatter",
        inputs: [x.view.buffer, i.view.buffer, u.view.buffer],
        outputs: [buffer],
        params: {
          combine,
          mode: params.mode.name,
          dtype: out!.dtype.name,
          operandShape: [...x.aval.shape],
          indicesShape: [...i.aval.shape],
          updatesShape: [...u.aval.shape],
          updateWindowDims: [...dn.update_window_dims],
          insertedWindowDims: [...dn.inserted_window_dims],
          scatterDimsToOperandDims: [...dn.scatter_dims_to_operand_dims],
          operandBatchingDims: [...dn.operand_batching_dims],
          scatterIndicesBatchingDims: [...dn.scatter_indices_batching_dims],
        },
      });
      return [bufferLazy(buffer, out!)];
    },
    jvp: (primals, tangents, params) => scatterJvp(combine, self(), primals, tangents, params),
    transpose: (cts, args, params) => scatterTranspose(combine, cts, args, params),
    batch: (args, dims, params, size) => scatterBatch(self(), args, dims, params, size),
  });
  prims[combine] = p;
  return p;
}

function scatterJvp(
  combine: Combine,
  prim: Primitive<ScatterParams>,
  [x, i, u]: Array[],
  [tx, , tu]: Tangent[],
  params: ScatterParams,
): [Array[], Tangent[]] {
  const out = bind1(prim, [x!, i!, u!], params);
  if (isZero(tx) && isZero(tu)) return [[out], [new Zero(out.aval)]];
  const gx = isZero(tx) ? fullLike(x!, 0) : (tx as Array);
  const gu = isZero(tu) ? fullLike(u!, 0) : (tu as Array);
  switch (combine) {
    case "add":
    case "set":
      // Updates are applied in a fixed order, so the tangent follows the same writes.
      return [[out], [bind1(prim, [gx, i!, gu], params)]];
    case "mul": {
      let t = isZero(tx) ? fullLike(x!, 0) : bind1(prim, [tx as Array, i!, u!], params);
      if (!isZero(tu)) {
        if (!params.unique_indices) {
          throw new Error("scatter_mul gradients are only implemented if `unique_indices=True`");
        }
        const added = bind1(prims.add!, [fullLike(x!, 0), i!, tu as Array], {
          ...params,
          update_jaxpr: updateJaxpr("add", x!.dtype),
        });
        t = bind1(ew["add"]!, [t, bind1(ew["mul"]!, [x!, added])]);
      }
      return [[out], [t]];
    }
    case "min":
    case "max": {
      // Ties share the tangent equally between the retained operand value and the winning updates.
      const addP = { ...params, update_jaxpr: updateJaxpr("add", x!.dtype) };
      const target = gatherBack(out, i!, params, u!.shape);
      const won = convertElementType(bind1(ew["eq"]!, [u!, target]), x!.dtype);
      const kept = convertElementType(bind1(ew["eq"]!, [x!, out]), x!.dtype);
      const winners = bind1(prims.add!, [fullLike(x!, 0), i!, won], addP);
      const denom = bind1(ew["add"]!, [winners, kept]);
      const fromUpdates = bind1(
        prims.add!,
        [fullLike(x!, 0), i!, bind1(ew["mul"]!, [gu, won])],
        addP,
      );
      const num = bind1(ew["add"]!, [bind1(ew["mul"]!, [gx, kept]), fromUpdates]);
      return [[out], [bind1(ew["div"]!, [num, denom])]];
    }
  }
}

function scatterTranspose(
  combine: Combine,
  [ct]: Tangent[],
  [x, i, u]: (Array | UndefinedPrimal)[],
  params: ScatterParams,
): (Tangent | null)[] {
  const uAval = u instanceof UndefinedPrimal ? u.aval : (u as Array).aval;
  const undefX = x instanceof UndefinedPrimal;
  const undefU = u instanceof UndefinedPrimal;
  if (isZero(ct)) {
    return [
      undefX ? new Zero((x as UndefinedPrimal).aval) : null,
      null,
      undefU ? new Zero(uAval) : null,
    ];
  }
  const t = ct as Array;
  const idx = i as Array;
  switch (combine) {
    case "add":
      return [undefX ? t : null, null, undefU ? gatherBack(t, idx, params, uAval.shape) : null];
    case "set": {
      if (!params.unique_indices)
        throw new Error("scatter transpose is only implemented where unique_indices=True");
      const opT = undefX
        ? bind1(prims.set!, [t, idx, full(uAval.shape, 0, t.dtype)], params)
        : null;
      return [opT, null, undefU ? gatherBack(t, idx, params, uAval.shape) : null];
    }
    case "mul":
      if (undefU)
        throw new Error("scatter_mul gradients are only implemented with respect to the operand");
      return [undefX ? bind1(prims.mul!, [t, idx, u as Array], params) : null, null, null];
    default:
      throw new Error(
        `Transpose rule (for reverse-mode differentiation) for 'scatter-${combine}' not implemented`,
      );
  }
}

function scatterBatch(
  prim: Primitive<ScatterParams>,
  [x, i, u]: Array[],
  [xd, id, ud]: (number | null)[],
  params: ScatterParams,
  size: number,
): [Array[], (number | null)[]] {
  const dn = params.dimension_numbers;
  const inc = (xs: readonly number[]) => xs.map((d) => d + 1);
  const front = (a: Array, d: number | null) =>
    d === null
      ? broadcastInDim(
          a,
          [size, ...a.shape],
          a.shape.map((_, k) => k + 1),
        )
      : moveAxis(a, d, 0);
  const operand = front(x!, xd!);
  const updates = front(u!, ud!);
  if (id === null) {
    const dnums = ScatterDimensionNumbers.of({
      update_window_dims: [0, ...inc(dn.update_window_dims)],
      inserted_window_dims: inc(dn.inserted_window_dims),
      scatter_dims_to_operand_dims: inc(dn.scatter_dims_to_operand_dims),
      operand_batching_dims: inc(dn.operand_batching_dims),
      scatter_indices_batching_dims: dn.scatter_indices_batching_dims,
    });
    return [[bind1(prim, [operand, i!, updates], { ...params, dimension_numbers: dnums })], [0]];
  }
  const indices = batchAtFront(i!, id);
  const dnums = ScatterDimensionNumbers.of({
    update_window_dims: inc(dn.update_window_dims),
    inserted_window_dims: inc(dn.inserted_window_dims),
    scatter_dims_to_operand_dims: inc(dn.scatter_dims_to_operand_dims),
    operand_batching_dims: [0, ...inc(dn.operand_batching_dims)],
    scatter_indices_batching_dims: [0, ...inc(dn.scatter_indices_batching_dims)],
  });
  return [[bind1(prim, [operand, indices, updates], { ...params, dimension_numbers: dnums })], [0]];
}

export const scatterP = defineScatter("scatter", "set");
export const scatterAddP = defineScatter("scatter-add", "add");
export const scatterMulP = defineScatter("scatter-mul", "mul");
export const scatterMinP = defineScatter("scatter-min", "min");
export const scatterMaxP = defineScatter("scatter-max", "max");

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

function scatterWith(combine: Combine) {
  return (
    operand: Array,
    indices: Array,
    updates: Array,
    dnums: ScatterDimensionNumbers,
    opts: ScatterOptions = {},
  ): Array =>
    bind1(prims[combine]!, [operand, indices, updates], {
      dimension_numbers: dnums,
      indices_are_sorted: !!opts.indicesAreSorted,
      unique_indices: !!opts.uniqueIndices,
      mode: GatherScatterMode.fromAny(opts.mode ?? null),
      update_consts: [],
      update_jaxpr: combine === "set" ? null : updateJaxpr(combine, operand.dtype),
    });
}

/** `lax.scatter` (updates replace operand values). */
export const scatter = scatterWith("set");
export const scatterAdd = scatterWith("add");
export const scatterMul = scatterWith("mul");
export const scatterMin = scatterWith("min");
export const scatterMax = scatterWith("max");

setScatterAddForGather((operand, indices, updates, dnums, o) =>
  scatterAdd(operand, indices, updates, dnums, {
    indicesAreSorted: o.indices_are_sorted,
    uniqueIndices: o.unique_indices,
    mode: o.mode,
  }),
);
setScatterForSlicing((operand, indices, updates, dnums, mode) =>
  scatter(operand, indices, updates, dnums, { indicesAreSorted: true, uniqueIndices: true, mode }),
);
