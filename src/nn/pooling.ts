/**
 * Pooling as flax.linen has it (`flax.linen.pooling`; JAX's jax.nn has none): `pool`,
 * `avgPool`, `maxPool`, `minPool` over the middle dimensions of `(batch..., window dims...,
 * features)` inputs (NHWC for 2-d windows); an input with no batch dimension gets one for the
 * reduction and loses it after. They reduce with `lax.reduceWindow` (lax.add / lax.max /
 * lax.min with their identities, so the specific reduce_window primitives are staged).
 */
import { ValueError } from "../core/errors.js";
import type { Array, ArrayLike } from "../trace/array.js";
import type { Value } from "../trace/trace.js";
import { add, max, min } from "../primitives/elementwise/functions.js";
import { asarray } from "../numpy/coerce.js";
import { ones } from "../numpy/creation.js";
import { squeeze } from "../numpy/shape.js";
import { trueDivide } from "../numpy/ufuncs.js";
import { expandDims } from "../numpy/shape.js";
import { type Padding, reduceWindow } from "../lax/windowed.js";

export interface PoolOptions {
  /** Window strides (default 1 in every window dimension). */
  strides?: readonly number[] | null;
  /** 'VALID' (default), 'SAME', 'SAME_LOWER', or one (low, high) pair per window dimension. */
  padding?: Padding;
}

export interface AvgPoolOptions extends PoolOptions {
  /** Divide by the whole window (default) or by the number of non-padding elements in it. */
  countIncludePad?: boolean;
}

/**
 * flax's `pool(inputs, init, reduce_fn, window_shape, strides, padding)`: `reduceFn` with
 * `init` over windows of `windowShape` on the dimensions between the batch and feature ones.
 */
export function pool(
  inputs: ArrayLike,
  init: number,
  reduceFn: (a: Array, b: Array) => Value,
  windowShape: readonly number[],
  { strides = null, padding = "VALID" }: PoolOptions = {},
): Array {
  let x = asarray(inputs);
  const nw = windowShape.length;
  const numBatch = x.ndim - (nw + 1);
  if (numBatch < 0) {
    throw new ValueError(
      `pool: inputs of shape (${x.shape.join(", ")}) have too few dimensions for window_shape (${windowShape.join(", ")}): expected (batch..., window dims..., features).`,
    );
  }
  const st = strides ?? windowShape.map(() => 1);
  if (st.length !== nw) {
    throw new ValueError(`len((${windowShape.join(", ")})) must equal len((${st.join(", ")}))`);
  }
  const single = numBatch === 0;
  if (single) x = expandDims(x, 0);
  const lead = single ? 1 : numBatch;
  const ones1 = (n: number) => globalThis.Array.from({ length: n }, () => 1);
  let pads: Padding = padding;
  if (typeof padding !== "string") {
    if (padding.length !== nw || !padding.every((p) => p.length === 2)) {
      throw new ValueError(
        `padding must specify one (low, high) pair for each of the ${nw} window dimensions`,
      );
    }
    const none = globalThis.Array.from({ length: lead }, () => [0, 0] as const);
    pads = [...none, ...padding, [0, 0]];
  }
  const y = reduceWindow(
    x,
    init,
    reduceFn,
    [...ones1(lead), ...windowShape, 1],
    [...ones1(lead), ...st, 1],
    pads,
  );
  return single ? squeeze(y, 0) : y;
}

/** flax's `avg_pool`: the mean over each window. */
export function avgPool(
  inputs: ArrayLike,
  windowShape: readonly number[],
  { countIncludePad = true, ...opts }: AvgPoolOptions = {},
): Array {
  const x = asarray(inputs);
  const y = pool(x, 0, add, windowShape, opts);
  if (countIncludePad)
    return trueDivide(
      y,
      windowShape.reduce((a, b) => a * b, 1),
    );
  let divShape = [...x.shape.slice(0, -1), 1];
  if (divShape.length - 2 === windowShape.length) divShape = [1, ...divShape.slice(1)];
  return trueDivide(y, pool(ones(divShape), 0, add, windowShape, opts));
}

/** flax's `max_pool`: the maximum over each window (padding never wins: it is -inf). */
export function maxPool(
  inputs: ArrayLike,
  windowShape: readonly number[],
  opts: PoolOptions = {},
): Array {
  return pool(inputs, -Infinity, max, windowShape, opts);
}

/** flax's `min_pool`: the minimum over each window. */
export function minPool(
  inputs: ArrayLike,
  windowShape: readonly number[],
  opts: PoolOptions = {},
): Array {
  return pool(inputs, Infinity, min, windowShape, opts);
}
