/**
 * scatter, scatter-add, scatter-mul, scatter-min, scatter-max (JAX's names): XLA's Scatter
 * with JAX's ScatterDimensionNumbers. Lowered to a `scatter` custom kernel: the output starts
 * as a copy of the operand and updates are combined in order; out-of-bounds windows are
 * dropped (FILL_OR_DROP) or clamped (CLIP, PROMISE_IN_BOUNDS, as gather clamps).
 */
import { config } from "../core/config.js";
import { uint32, uint64 } from "../core/dtype.js";
import { NotImplementedError } from "../core/errors.js";
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
import { prims as ew } from "./elementwise/index.js";
import { gather } from "./gather.js";
import { ScatterDimensionNumbers } from "./gather-scatter-params.js";
import {
  type Combine,
  type ScatterOptions,
  type ScatterParams,
  scatterParams,
} from "./scatter-params.js";
import { gatherBack, inverseGather } from "./scatter-inverse-gather.js";
import { checkScatter } from "./scatter-shape.js";
import { selectN } from "./select.js";
import { broadcastInDim } from "./shape/broadcast.js";
import { iota } from "./shape/iota.js";
import { reshape } from "./shape/reshape.js";
import { sameDtypes } from "./shape-rules.js";

export type { ScatterOptions, ScatterParams } from "./scatter-params.js";

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
      throw new NotImplementedError(
        "scatter_mul gradients are only implemented if `unique_indices=True`",
      );
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
        throw new NotImplementedError(
          "scatter transpose is only implemented where unique_indices=True",
        );
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
          throw new NotImplementedError(
            "scatter_mul gradients are only implemented if `unique_indices=True`",
          );
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

function scatterWith(combine: Combine) {
  return (
    operand: Array,
    indices: Array,
    updates: Array,
    dnums: ScatterDimensionNumbers,
    opts: ScatterOptions = {},
  ): Array =>
    bind1(
      prims[combine]!,
      [operand, indices, updates],
      scatterParams(combine, operand.dtype, dnums, opts),
    );
}

/** `lax.scatter` (updates replace operand values). */
export const scatter = scatterWith("set");
export const scatterAdd = scatterWith("add");
export const scatterMul = scatterWith("mul");
export const scatterMin = scatterWith("min");
export const scatterMax = scatterWith("max");
