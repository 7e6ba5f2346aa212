/**
 * scatter, scatter-add, scatter-mul, scatter-min, scatter-max (JAX's names): XLA's Scatter
 * with JAX's ScatterDimensionNumbers. Lowered to a `scatter` custom kernel: the output starts
 * as a copy of the operand and updates are combined in order; out-of-bounds windows are
 * dropped (FILL_OR_DROP, PROMISE_IN_BOUNDS) or clamped (CLIP).
 */
import { ShapedArray } from "../core/aval.js";
import { config } from "../core/config.js";
import { type DType, uint32, uint64 } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { Eqn, Jaxpr, Var } from "../ir/jaxpr.js";
import { bufferLazy } from "../kernel/lazy.js";
import type { Array } from "../trace/array.js";
import { type Primitive, type Tangent, UndefinedPrimal, Zero } from "../trace/primitive.js";
import { scalarConstant } from "../trace/constants.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { addTangents } from "./add-any.js";
import { batchAtFront, moveAxis } from "./batch-rules.js";
import { full } from "./constants.js";
import { definePrimitive } from "./define.js";
import { prims as ew } from "./elementwise.js";
import { gather, gatherP, setScatterAddForGather } from "./gather.js";
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
import { selectN } from "./select.js";
import { broadcastInDim, iota, reshape } from "./shape-ops.js";
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
  // As JAX's transpose rules: `gather(t, indices, mode=mode, fill_value=0)`, other options default.
  const { gdn, sliceSizes } = inverseGather(p.dimension_numbers, x.shape, updatesShape);
  return bind1(gatherP, [x, indices], {
    dimension_numbers: gdn,
    slice_sizes: sliceSizes,
    indices_are_sorted: false,
    unique_indices: false,
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
  switch (combine) {
    case "add":
      return scatterAddJvp(prim, x!, i!, u!, tx!, tu!, params);
    case "set":
      return scatterSetJvp(x!, i!, u!, tx!, tu!, params);
    case "mul":
      return scatterMulJvp(x!, i!, u!, tx!, tu!, params);
    case "min":
    case "max":
      return scatterExtremalJvp(prim, x!, i!, u!, tx!, tu!, params);
  }
}

/** The user-facing options of a scatter's params (to stage another scatter like it). */
const scatterOptions = (p: ScatterParams) => ({
  indicesAreSorted: p.indices_are_sorted,
  uniqueIndices: p.unique_indices,
  mode: p.mode,
});

/** JAX's `lax.full_like(x, v)`: x's shape, dtype and weak type. */
const filled = (x: Array, v: number): Array => full(x.shape, v, x.dtype, x.weakType);
/** JAX's `ad.instantiate_zeros`: a symbolic zero becomes a broadcast 0. */
const instantiate = (t: Tangent, like: Array): Array => (isZero(t) ? filled(like, 0) : t);
const binop = (name: string) => (a: Array, b: Array) => bind1(ew[name]!, [a, b]);
const add = binop("add");
const mul = binop("mul");
const div = binop("div");
const eq = binop("eq");
/** A weakly typed scalar of x's dtype (how Python scalars enter JAX's rules). */
const weak = (x: Array, v: number): Array => scalarConstant(v, x.dtype, true);

/** scatter-add is linear in (operand, updates): the tangent is the same scatter-add of tangents. */
function scatterAddJvp(
  prim: Primitive<ScatterParams>,
  x: Array,
  i: Array,
  u: Array,
  tx: Tangent,
  tu: Tangent,
  params: ScatterParams,
): [Array[], Tangent[]] {
  const out = bind1(prim, [x, i, u], params);
  if (isZero(tx) && isZero(tu)) return [[out], [new Zero(out.aval)]];
  return [[out], [bind1(prim, [instantiate(tx, x), i, instantiate(tu, u)], params)]];
}

/**
 * JAX's `_scatter_jvp`. With unique indices the tangent is the same scatter of tangents (its
 * transpose needs unique indices). Otherwise which update wins a location is found by
 * scattering ids (1, 2, …, one per update window) and gathering them back; operand and updates
 * that do not reach the output are masked to zero and both primal and tangent are computed by
 * scatter-add, which transposes without any uniqueness promise. With duplicate indices the
 * winner is the update the device applies last (the scatter is sequential here; JAX leaves the
 * choice to XLA), and only the winner's tangent reaches the output.
 */
function scatterSetJvp(
  x: Array,
  i: Array,
  u: Array,
  tx: Tangent,
  tu: Tangent,
  params: ScatterParams,
): [Array[], Tangent[]] {
  const scatterP = prims.set!;
  if (isZero(tx) && isZero(tu)) {
    const out = bind1(scatterP, [x, i, u], params);
    return [[out], [new Zero(out.aval)]];
  }
  const gx = instantiate(tx, x);
  const gu = instantiate(tu, u);
  if (params.unique_indices) {
    const p = { ...params, unique_indices: true };
    return [[bind1(scatterP, [x, i, u], p)], [bind1(scatterP, [gx, i, gu], p)]];
  }
  const dn = params.dimension_numbers;
  const opts = scatterOptions(params);
  // a) a positive id per update window, scattered like the updates
  const idsShape = u.shape.map((d, k) => (dn.update_window_dims.includes(k) ? 1 : d));
  const numIds = idsShape.reduce((a, b) => a * b, 1);
  const idDtype = numIds + 1 < 2 ** 32 - 1 || !config.enableX64 ? uint32 : uint64;
  const updateIds = add(reshape(iota(idDtype, [numIds]), idsShape), full(u.shape, 1, idDtype));
  const scatteredIds = scatter(full(x.shape, 0, idDtype), i, updateIds, dn, opts);
  // b) the inverse gather: the id that won each update's target
  const { gdn, sliceSizes } = inverseGather(dn, scatteredIds.shape, u.shape);
  const gatheredIds = gather(scatteredIds, i, gdn, sliceSizes);
  // c) mask off operand elements that were overwritten and updates that lost (each mask is
  // staged at each use, as JAX's rule does, so the jaxpr matches JAX's equation for equation)
  const keep = (p: Array, v: Array) => selectN(p, filled(v, 0), v);
  const untouched = () => eq(scatteredIds, filled(scatteredIds, 0));
  const won = () => eq(updateIds, gatheredIds);
  const maskedOperand = keep(untouched(), x);
  const maskedUpdates = keep(won(), u);
  const maskedGOperand = keep(untouched(), gx);
  const maskedGUpdates = keep(won(), gu);
  // d) scatter-adds of what survives
  const out = scatterAdd(maskedOperand, i, maskedUpdates, dn, opts);
  const t = scatterAdd(maskedGOperand, i, maskedGUpdates, dn, opts);
  return [[out], [t]];
}

/**
 * JAX's `defjvp` of scatter-mul: the operand's contribution scatter-multiplies its tangent;
 * the updates' contribution (x · scatter-add of the tangent) needs unique indices.
 */
function scatterMulJvp(
  x: Array,
  i: Array,
  u: Array,
  tx: Tangent,
  tu: Tangent,
  params: ScatterParams,
): [Array[], Tangent[]] {
  const out = bind1(prims.mul!, [x, i, u], params);
  let t: Tangent = new Zero(out.aval);
  if (!isZero(tx)) t = addTangents(t, bind1(prims.mul!, [tx, i, u], params), out);
  if (!isZero(tu)) {
    if (!params.unique_indices) {
      throw new Error("scatter_mul gradients are only implemented if `unique_indices=True`");
    }
    const added = scatterAdd(filled(x, 0), i, tu, params.dimension_numbers, scatterOptions(params));
    t = addTangents(t, mul(x, added), out);
  }
  return [[out], [t]];
}

/**
 * JAX's `_scatter_extremal_jvp` (scatter-min/max): where several values tie for a location
 * (the retained operand value and any number of winning updates) the tangent is their
 * average. Expressed with gathers and scatter-adds, so it transposes.
 */
function scatterExtremalJvp(
  prim: Primitive<ScatterParams>,
  x: Array,
  i: Array,
  u: Array,
  tx: Tangent,
  tu: Tangent,
  params: ScatterParams,
): [Array[], Tangent[]] {
  const dn = params.dimension_numbers;
  const out = bind1(prim, [x, i, u], params);
  if (isZero(tx) && isZero(tu)) return [[out], [new Zero(out.aval)]];
  const gx = instantiate(tx, x);
  const gu = instantiate(tu, u);
  const { gdn, sliceSizes } = inverseGather(dn, x.shape, u.shape);
  const back = (a: Array) => gather(a, i, gdn, sliceSizes);
  const select = (p: Array, onTrue: Array, onFalse: Array) => selectN(p, onFalse, onTrue);
  const initialVals = back(x);
  const targetVals = back(out);
  const successfulUpdates = eq(u, targetVals);
  const retainedValues = eq(initialVals, targetVals);
  const numUpdates = back(
    scatterAdd(filled(x, 0), i, select(successfulUpdates, filled(u, 1), filled(u, 0)), dn),
  );
  const numRefs = back(scatterAdd(filled(x, 0), i, filled(u, 1), dn));
  const updatesNormalizer = select(
    retainedValues,
    div(weak(numUpdates, 1), add(numUpdates, weak(numUpdates, 1))),
    div(weak(numUpdates, 1), numUpdates),
  );
  const updatesCoef = select(successfulUpdates, updatesNormalizer, filled(u, 0));
  const operandNormalizer = select(
    retainedValues,
    div(weak(numUpdates, 1), add(numUpdates, weak(numUpdates, 1))),
    filled(numUpdates, 0),
  );
  const operandCoef = div(add(weak(operandNormalizer, -1), operandNormalizer), numRefs);
  const targetTangents = back(gx);
  const tangentUpdates = add(mul(targetTangents, operandCoef), mul(gu, updatesCoef));
  const t = scatterAdd(gx, i, tangentUpdates, dn, scatterOptions(params));
  return [[out], [t]];
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
    case "mul": {
      // Linear in one argument at a time: the other one is a known value.
      const opT = undefX ? bind1(prims.mul!, [t, idx, u as Array], params) : null;
      let updT: Array | null = null;
      if (undefU) {
        if (!params.unique_indices)
          throw new Error("scatter_mul gradients are only implemented if `unique_indices=True`");
        updT = gatherBack(bind1(ew["mul"]!, [t, x as Array]), idx, params, uAval.shape);
      }
      return [opT, null, updT];
    }
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
