/**
 * sort[dimension is_stable num_keys]: several operands of one shape sorted together along a
 * dimension, lexicographically by the first `num_keys`. NaNs sort last (as numpy), -0.0 equals
 * 0.0, and the sort is always stable. Lowered to a `sort` custom kernel.
 */
import { ValueError } from "../core/errors.js";
import { int32 } from "../core/dtype.js";
import { bufferLazy } from "../kernel/lazy.js";
import type { Array } from "../trace/array.js";
import { type Primitive, type Tangent, Zero, notLinear } from "../trace/primitive.js";
import { bind, bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { moveAxis } from "./batch-rules.js";
import { full } from "./constants.js";
import { definePrimitive } from "./define.js";
import { gatherP } from "./gather.js";
import { GatherDimensionNumbers, GatherScatterMode } from "./gather-scatter-params.js";
import { broadcastInDim } from "./shape/broadcast.js";
import { iota } from "./shape/iota.js";
import { reshape } from "./shape/reshape.js";

type SortParams = { dimension: number; is_stable: boolean; num_keys: number };

export const sortP: Primitive<SortParams> = definePrimitive<SortParams>({
  name: "sort",
  abstractEval(avals, { dimension, num_keys }) {
    if (avals.length === 0) throw new TypeError("sort requires at least one operand");
    const s0 = avals[0]!.shape;
    if (avals.some((a) => a.shape.length !== s0.length || a.shape.some((d, i) => d !== s0[i]))) {
      throw new TypeError(
        `Arguments to sort must have equal shapes, got: ${avals.map((a) => `(${a.shape.join(", ")}${a.shape.length === 1 ? "," : ""})`).join(" ")}`,
      );
    }
    if (dimension < 0 || dimension >= s0.length) {
      throw new TypeError(
        `sort dimension ${dimension} is out of bounds for operands of rank ${s0.length}.`,
      );
    }
    if (!(num_keys >= 1 && num_keys <= avals.length)) {
      throw new TypeError(
        `num_keys=${num_keys} must be between 1 and len(operand)=${avals.length}`,
      );
    }
    return [...avals];
  },
  lower(ctx, inputs, { dimension, num_keys }, outs) {
    const srcs = inputs.map((x) => ctx.materialize(x));
    const buffers = outs.map((o) => ctx.newBuffer(o));
    ctx.emit({
      kind: "custom",
      op: "sort",
      inputs: srcs.map((s) => s.view.buffer),
      outputs: buffers,
      params: {
        dimension,
        numKeys: num_keys,
        shape: [...outs[0]!.shape],
        dtypes: outs.map((o) => o.dtype.name),
      },
    });
    return buffers.map((b, i) => bufferLazy(b, outs[i]!));
  },
  jvp(primals, tangents, params) {
    const { dimension } = params;
    const shape = primals[0]!.shape;
    const perm = iota(int32, shape, dimension);
    const outs = bind(sortP, [...primals, perm], params);
    const p = outs[outs.length - 1]!;
    const tOut: Tangent[] = tangents.map((t, i) =>
      isZero(t) ? new Zero(outs[i]!.aval) : takeAlong(t as Array, p, dimension),
    );
    return [outs.slice(0, -1), tOut];
  },
  transpose: notLinear,
  batch(args, dims, params, size) {
    const moved = args.map((a, i) =>
      dims[i] === null
        ? broadcastInDim(
            a,
            [size, ...a.shape],
            a.shape.map((_, k) => k + 1),
          )
        : moveAxis(a, dims[i]!, 0),
    );
    const outs = bind(sortP, moved, { ...params, dimension: params.dimension + 1 });
    return [outs, outs.map(() => 0)];
  },
});

/** `t` permuted along `axis` by `perm` (same shape): out[..., i, ...] = t[..., perm[..., i, ...], ...]. */
export function takeAlong(t: Array, perm: Array, axis: number): Array {
  // Nothing to take from a size-0 array (and a gather's slice size 1 would not fit an empty
  // axis): zeros of the result's shape, as JAX's indexing does for an empty slice shape.
  if (t.shape.some((d) => d === 0) || perm.shape.some((d) => d === 0))
    return full(perm.shape, 0, t.dtype);
  const others = t.shape.map((_, k) => k).filter((k) => k !== axis);
  const dnums = GatherDimensionNumbers.of({
    offset_dims: [],
    collapsed_slice_dims: [axis],
    start_index_map: [axis],
    operand_batching_dims: others,
    start_indices_batching_dims: others,
  });
  return bind1(gatherP, [t, reshape(perm, [...perm.shape, 1])], {
    dimension_numbers: dnums,
    slice_sizes: t.shape.map(() => 1),
    indices_are_sorted: false,
    unique_indices: false,
    mode: GatherScatterMode.PROMISE_IN_BOUNDS,
    fill_value: null,
  });
}

/** `lax.sort(operands, dimension, isStable, numKeys)`. */
export function sort(
  operands: readonly Array[],
  dimension = -1,
  isStable = true,
  numKeys = 1,
): Array[] {
  const nd = operands[0]!.ndim;
  const dim = dimension < 0 ? dimension + nd : dimension;
  if (!(numKeys >= 1 && numKeys <= operands.length)) {
    throw new ValueError(
      `num_keys=${numKeys} must be between 1 and len(operand)=${operands.length}`,
    );
  }
  return bind(sortP, operands, { dimension: dim, is_stable: isStable, num_keys: numKeys });
}
