/**
 * `jax.nn.initializers`: functions `(key, shape, dtype?) => Array`, with JAX's definitions.
 * Variance scaling draws from a normal truncated to (-2, 2) standard deviations and divides by
 * 0.87962566103423978 (that truncated normal's standard deviation) so the result has the
 * requested variance, as JAX.
 */
import { type DType, type DTypeLike, canonicalize, defaultFloat, toDType } from "../core/dtype.js";
import { normalizeAxis, sizeOf } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as jnp from "../numpy/index.js";
import * as random from "../random/index.js";
import type { KeyLike } from "../random/keys.js";
import { ValueError } from "../transforms/jit/static-args.js";
import { bindArgs } from "./options.js";

export type Initializer = (
  key: KeyLike,
  shape: readonly number[],
  dtype?: DTypeLike | null,
) => Array;

const dt = (d: DTypeLike | null | undefined, fallback: DTypeLike | null | undefined): DType =>
  canonicalize(d ? toDType(d) : fallback ? toDType(fallback) : defaultFloat());
const scalar = (v: ArrayLike, d: DType): Array => jnp.asarray(v, d);

/** An array of zeros (the key is ignored). */
export const zeros: Initializer = (_key, shape, dtype) => jnp.zeros(shape, dt(dtype, null));
/** An array of ones (the key is ignored). */
export const ones: Initializer = (_key, shape, dtype) => jnp.ones(shape, dt(dtype, null));

/** Arrays full of `value`. */
export function constant(value: ArrayLike, dtype?: DTypeLike | null): Initializer {
  return (_key, shape, d) => jnp.full(shape, value, dt(d, dtype));
}

/** Uniform values in [0, scale). */
export function uniform(scale: ArrayLike = 1e-2, dtype?: DTypeLike | null): Initializer {
  return (key, shape, d) => {
    const t = dt(d, dtype);
    return jnp.multiply(random.uniform(key, shape, t), scalar(scale, t));
  };
}

/** Normal values with mean 0 and standard deviation `stddev`. */
export function normal(stddev: ArrayLike = 1e-2, dtype?: DTypeLike | null): Initializer {
  return (key, shape, d) => {
    const t = dt(d, dtype);
    return jnp.multiply(random.normal(key, shape, t), scalar(stddev, t));
  };
}

/** Normal values truncated to (lower, upper), then scaled by `stddev` (no variance correction). */
export function truncatedNormal(
  stddev: ArrayLike = 1e-2,
  dtype?: DTypeLike | null,
  lower: number = -2.0,
  upper: number = 2.0,
): Initializer {
  return (key, shape, d) => {
    const t = dt(d, dtype);
    return jnp.multiply(random.truncatedNormal(key, lower, upper, shape, t), scalar(stddev, t));
  };
}

type Axes = number | readonly number[];

/** Effective fan-in and fan-out of a weight shape (JAX's `_compute_fans`). */
export function computeFans(
  shape: readonly number[],
  inAxis: Axes = -2,
  outAxis: Axes = -1,
  batchAxis: Axes = [],
): [number, number] {
  if (shape.length <= 1) {
    throw new ValueError(
      `Can't compute input and output sizes of a ${shape.length}-dimensional weights tensor. Must be at least 2D.`,
    );
  }
  const prod = (ax: Axes) =>
    typeof ax === "number"
      ? shape[normalizeAxis(ax, shape.length)]!
      : ax.reduce((p, a) => p * shape[normalizeAxis(a, shape.length)]!, 1);
  const inSize = prod(inAxis);
  const outSize = prod(outAxis);
  const batchSize = prod(batchAxis);
  const receptive = sizeOf(shape) / inSize / outSize / batchSize;
  return [inSize * receptive, outSize * receptive];
}

export type FanMode = "fan_in" | "fan_out" | "fan_avg";
export type ScalingDistribution = "truncated_normal" | "normal" | "uniform";

/** The keyword arguments of the variance-scaling initializers. */
export type AxisOptions = {
  inAxis?: Axes;
  outAxis?: Axes;
  batchAxis?: Axes;
  dtype?: DTypeLike | null;
};
/**
 * JAX's `in_axis, out_axis, batch_axis, dtype`, positionally and/or as a trailing options
 * object: `glorotNormal(0, 2)`, `glorotNormal({ inAxis: 0, outAxis: 2 })`, `glorotNormal(0, {
 * outAxis: 2 })`.
 */
export type AxisArgs =
  | [options?: AxisOptions]
  | [inAxis: Axes, options?: AxisOptions]
  | [inAxis: Axes, outAxis: Axes, options?: AxisOptions]
  | [inAxis: Axes, outAxis: Axes, batchAxis: Axes, options?: AxisOptions]
  | [inAxis: Axes, outAxis: Axes, batchAxis: Axes, dtype: DTypeLike | null, options?: AxisOptions];

const AXIS_DEFAULTS: Required<AxisOptions> = {
  inAxis: -2,
  outAxis: -1,
  batchAxis: [],
  dtype: null,
};

const isAxes = (a: unknown): a is Axes =>
  Number.isInteger(a) || (globalThis.Array.isArray(a) && a.every((v) => Number.isInteger(v)));

/** Binds and checks the axis arguments: wrong types raise TypeError (nothing is ignored). */
function axisArgs(fn: string, leading: readonly string[], args: readonly unknown[]) {
  const o = bindArgs(fn, AXIS_DEFAULTS, args, 4, leading);
  for (const [name, v] of [
    ["inAxis", o.inAxis],
    ["outAxis", o.outAxis],
    ["batchAxis", o.batchAxis],
  ] as const) {
    if (!isAxes(v)) {
      throw new TypeError(
        `${fn}(): ${name} must be an int or a sequence of ints, got ${reprArg(v)}.`,
      );
    }
  }
  if (o.dtype !== null) toDType(o.dtype); // raises TypeError for what is not a dtype
  return o;
}

const reprArg = (v: unknown): string =>
  typeof v === "string"
    ? `'${v}'`
    : globalThis.Array.isArray(v)
      ? `[${v.map(reprArg).join(", ")}]`
      : String(v);

/**
 * Scale-adaptive initializer: variance `scale / n`, n the fan selected by `mode`
 * (`variance_scaling(scale, mode, distribution, in_axis=-2, out_axis=-1, batch_axis=(),
 * dtype)`).
 */
export function varianceScaling(
  scale: number,
  mode: FanMode,
  distribution: ScalingDistribution,
  ...rest: AxisArgs
): Initializer {
  if (typeof scale !== "number") {
    throw new TypeError(`varianceScaling(): scale must be a number, got ${reprArg(scale)}.`);
  }
  if (mode !== "fan_in" && mode !== "fan_out" && mode !== "fan_avg") {
    throw new ValueError(`invalid mode for variance scaling initializer: ${String(mode)}`);
  }
  if (
    distribution !== "truncated_normal" &&
    distribution !== "normal" &&
    distribution !== "uniform"
  ) {
    throw new ValueError(
      `invalid distribution for variance scaling initializer: ${String(distribution)}`,
    );
  }
  const opts = axisArgs("varianceScaling", ["scale", "mode", "distribution"], rest);
  return (key, shape, d) => {
    const t = dt(d, opts.dtype);
    const [fanIn, fanOut] = computeFans(shape, opts.inAxis, opts.outAxis, opts.batchAxis);
    const denominator =
      mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const variance = scalar(scale / denominator, t);
    if (distribution === "truncated_normal") {
      // 0.879...: the standard deviation of a standard normal truncated to (-2, 2).
      const stddev = jnp.divide(jnp.sqrt(variance), scalar(0.87962566103423978, t));
      return jnp.multiply(random.truncatedNormal(key, -2, 2, shape, t), stddev);
    }
    if (distribution === "normal")
      return jnp.multiply(random.normal(key, shape, t), jnp.sqrt(variance));
    return jnp.multiply(random.uniform(key, shape, t, -1), jnp.sqrt(jnp.multiply(3, variance)));
  };
}

/** A named variance-scaling initializer taking JAX's `(in_axis, out_axis, batch_axis, dtype)`. */
const scaled =
  (name: string, scale: number, mode: FanMode, distribution: ScalingDistribution) =>
  (...args: AxisArgs): Initializer =>
    varianceScaling(scale, mode, distribution, axisArgs(name, [], args));

/** Glorot/Xavier uniform: variance_scaling(1, "fan_avg", "uniform"). */
export const glorotUniform = scaled("glorotUniform", 1.0, "fan_avg", "uniform");
/** Glorot/Xavier normal: variance_scaling(1, "fan_avg", "truncated_normal"). */
export const glorotNormal = scaled("glorotNormal", 1.0, "fan_avg", "truncated_normal");
/** LeCun uniform: variance_scaling(1, "fan_in", "uniform"). */
export const lecunUniform = scaled("lecunUniform", 1.0, "fan_in", "uniform");
/** LeCun normal: variance_scaling(1, "fan_in", "truncated_normal"). */
export const lecunNormal = scaled("lecunNormal", 1.0, "fan_in", "truncated_normal");
/** He/Kaiming uniform: variance_scaling(2, "fan_in", "uniform"). */
export const heUniform = scaled("heUniform", 2.0, "fan_in", "uniform");
/** He/Kaiming normal: variance_scaling(2, "fan_in", "truncated_normal"). */
export const heNormal = scaled("heNormal", 2.0, "fan_in", "truncated_normal");
export const xavierUniform = glorotUniform;
export const xavierNormal = glorotNormal;
export const kaimingUniform = heUniform;
export const kaimingNormal = heNormal;
export { orthogonal, deltaOrthogonal } from "./orthogonal-init.js";
