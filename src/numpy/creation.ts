/** Array creation: zeros/ones/full/empty (+ _like), arange, linspace, eye, identity. */
import { ValueError } from "../core/errors.js";
import {
  type DType,
  type DTypeLike,
  bool,
  canonicalize,
  defaultFloat,
  defaultInt,
  isDTypeLike,
  toDType,
  type TypedArray,
  realPartDType,
} from "../core/dtype.js";
import { checkShape } from "../core/shape.js";
import { type Array, type ArrayLike, concreteDims } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, toArray, toStorage, typeInfoOf } from "./coerce.js";
import { isPlainObject } from "../core/pytree.js";
import { roundToFloat16 } from "../core/float16.js";
import { arrayFromHost } from "../runtime/array.js";

type ShapeArg = number | readonly number[];
const shapeOf = (s: ShapeArg): number[] => {
  if (typeof s !== "number" && !globalThis.Array.isArray(s))
    throw new TypeError(
      `Shapes must be 1D sequences of concrete values of integer type, got ${typeof s === "string" ? `'${s}'` : String(s)}.`,
    );
  return checkShape(concreteDims(typeof s === "number" ? [s] : s));
};
const dt = (d: DTypeLike | null | undefined, fallback: DType): DType =>
  d ? canonicalize(toDType(d)) : fallback;

export function full(shape: ShapeArg, fillValue: ArrayLike, dtype?: DTypeLike | null): Array {
  const s = shapeOf(shape);
  const v = toArray(fillValue, dtype ?? null);
  if (v.ndim === 0) {
    const strong = dtype ? v : lax.convertElementType(v, v.dtype, false);
    return s.length === 0 ? strong : lax.broadcastInDim(strong, s, []);
  }
  return lax.broadcastInDim(
    v,
    s,
    v.shape.map((_, i) => i + s.length - v.ndim),
  );
}
/**
 * `jnp.zeros(shape, dtype=None)`: an array of zeros (default dtype float32, float64 with x64).
 *
 * @example
 * jnp.zeros([2, 3])
 * // [[0. 0. 0.]
 * //  [0. 0. 0.]]
 */
export const zeros = (shape: ShapeArg, dtype?: DTypeLike | null) =>
  lax.full(shapeOf(shape), 0, dt(dtype, defaultFloat()));
/**
 * `jnp.ones(shape, dtype=None)`: an array of ones (default dtype float32, float64 with x64).
 *
 * @example
 * jnp.ones(3, "int32")
 * // [1 1 1]
 */
export const ones = (shape: ShapeArg, dtype?: DTypeLike | null) =>
  lax.full(shapeOf(shape), 1, dt(dtype, defaultFloat()));
/** `jnp.empty`: zeros (arrays are immutable, so there is nothing to leave uninitialized). */
export const empty = (shape: ShapeArg, dtype?: DTypeLike | null) => zeros(shape, dtype);

const likeShape = (x: ArrayLike, shape?: ShapeArg) =>
  shape === undefined ? asarray(x).shape : shapeOf(shape);
const likeDtype = (x: ArrayLike, dtype?: DTypeLike | null) => dt(dtype, typeInfoOf(x).dtype);
export const zerosLike = (x: ArrayLike, dtype?: DTypeLike | null, shape?: ShapeArg) =>
  lax.full(likeShape(x, shape), 0, likeDtype(x, dtype));
export const onesLike = (x: ArrayLike, dtype?: DTypeLike | null, shape?: ShapeArg) =>
  lax.full(likeShape(x, shape), 1, likeDtype(x, dtype));
export const emptyLike = (x: ArrayLike, dtype?: DTypeLike | null, shape?: ShapeArg) =>
  zerosLike(x, dtype, shape);
export function fullLike(
  x: ArrayLike,
  fillValue: ArrayLike,
  dtype?: DTypeLike | null,
  shape?: ShapeArg,
): Array {
  return full(likeShape(x, shape), fillValue, likeDtype(x, dtype));
}

/** `jnp.arange`'s keyword arguments. */
export interface ArangeOptions {
  dtype?: DTypeLike | null;
}
type ArangeArg = number | null | undefined;

/**
 * `jnp.arange(stop)`, `arange(start, stop, step?)`, with numpy's positional dtype
 * (`arange(0, 10, 2, "int8")`), a dtype in place of a missing stop or step (`arange(5,
 * "float32")`, a JS convenience) or an options object (`arange(5, { dtype: "float32" })`).
 * Without a dtype: int32 for integer arguments, else float32. As JAX: `arange(stop)` and
 * `arange(0, stop)` are `iota`; with a start or a step the values are numpy's (the first two
 * computed exactly, the rest `start + i * delta` in the dtype) as a constant.
 */
export function arange(start: number, ...rest: (ArangeArg | DTypeLike | ArangeOptions)[]): Array {
  const args = [...rest];
  let dtype: DTypeLike | null | undefined;
  const last = args[args.length - 1];
  if (isPlainObject(last) && !isDTypeLike(last)) {
    args.pop();
    for (const k of Object.keys(last)) {
      if (k !== "dtype")
        throw new TypeError(
          `arange() got an unexpected keyword argument '${k}'; valid options are: dtype.`,
        );
    }
    dtype = (last as ArangeOptions).dtype;
  }
  const dtypeAt = args.findIndex((a) => a !== null && a !== undefined && isDTypeLike(a));
  if (dtypeAt >= 0) {
    if (dtype !== undefined || dtypeAt < args.length - 1)
      throw new TypeError("arange() got multiple values for argument 'dtype'.");
    dtype = args.pop() as DTypeLike;
  }
  if (args.length > 2) {
    throw new TypeError(
      `arange() takes at most 4 positional arguments (start, stop, step, dtype) but ${args.length + 1} were given.`,
    );
  }
  let stop = args[0] as ArangeArg;
  const step = args[1] as ArangeArg;
  for (const v of [start, stop, step]) {
    if (v !== null && v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) {
      throw new TypeError(
        `arange requires finite JS numbers for start/stop/step (got ${String(v)}); they must be concrete, not traced.`,
      );
    }
  }
  if (step === 0) throw new ValueError("arange: step cannot be zero");
  const given = [start, stop, step].filter((v): v is number => typeof v === "number");
  const d = dt(dtype, given.every(Number.isInteger) ? defaultInt() : defaultFloat());
  if (d.isComplex) {
    // Complex arange: the values in the part dtype, as complex (imaginary parts 0).
    const re = arange(start, ...(args as ArangeArg[]), realPartDType(d));
    return lax.convertElementType(re, d);
  }
  if ((stop === undefined || stop === null) && (step === undefined || step === null)) {
    return lax.iota(d, [Math.max(0, Math.ceil(start))], 0);
  }
  if ((step === undefined || step === null) && start === 0) {
    return lax.iota(d, [Math.max(0, Math.ceil(stop!))], 0);
  }
  if (stop === undefined || stop === null) {
    stop = start;
    start = 0;
  }
  return arrayFromHost(
    numpyArange(start, stop, step ?? 1, d),
    [numpyArangeLength(start, stop, step ?? 1)],
    d,
  );
}

const numpyArangeLength = (start: number, stop: number, step: number): number =>
  Math.max(0, Math.ceil((stop - start) / step));

/**
 * numpy's arange values in `d`: the first two elements computed in double and rounded, then
 * `start + i * delta` with `delta = a[1] - a[0]`, in float32 arithmetic for float32 and
 * float16 (numpy's `FLOAT_fill`/`HALF_fill`), in double for float64.
 */
function numpyArange(start: number, stop: number, step: number, d: DType): TypedArray {
  const n = numpyArangeLength(start, stop, step);
  const values = new Float64Array(n);
  if (!d.isFloat) {
    for (let i = 0; i < n; i++) values[i] = start + i * step;
    return toStorage(values, d);
  }
  const r = d.name === "float64" ? (x: number) => x : Math.fround;
  const rd = d.name === "float16" ? roundToFloat16 : r;
  const a0 = rd(start);
  const a1 = rd(start + step);
  const delta = r(a1 - a0);
  for (let i = 0; i < n; i++) values[i] = i === 0 ? a0 : i === 1 ? a1 : rd(r(a0 + r(i * delta)));
  return toStorage(values, d);
}

export function linspace(
  start: number,
  stop: number,
  num = 50,
  opts: { endpoint?: boolean; dtype?: DTypeLike | null } = {},
): Array {
  const d = dt(opts.dtype, defaultFloat());
  const endpoint = opts.endpoint ?? true;
  if (num < 0) throw new ValueError(`Number of samples, ${num}, must be non-negative.`);
  if (num === 0) return lax.full([0], 0, d);
  const div = endpoint ? num - 1 : num;
  const i = lax.iota(d.isFloat ? d : defaultFloat(), [num], 0);
  const step = div > 0 ? (stop - start) / div : 0;
  let r = lax.add(
    lax.mul(i, lax.scalarConstantOf(step, i.dtype)),
    lax.scalarConstantOf(start, i.dtype),
  );
  if (endpoint && num > 1) {
    // Exact endpoint, as numpy.
    const last = lax.eq(
      lax.iota(defaultInt(), [num], 0),
      lax.scalarConstantOf(num - 1, defaultInt()),
    );
    r = lax.selectN(last, r, lax.full([num], stop, i.dtype));
  }
  return d === r.dtype ? r : lax.convertElementType(r, d);
}

export function eye(n: number, m?: number | null, k = 0, dtype?: DTypeLike | null): Array {
  const cols = m ?? n;
  checkShape([n, cols], "eye: N and M");
  const d = dt(dtype, defaultFloat());
  const r = lax.iota(defaultInt(), [n, cols], 0);
  const c = lax.iota(defaultInt(), [n, cols], 1);
  const on = lax.eq(lax.add(r, lax.scalarConstantOf(k, defaultInt())), c);
  return d === bool ? on : lax.convertElementType(on, d);
}

export function identity(n: number, dtype?: DTypeLike | null): Array {
  return eye(n, n, 0, dtype);
}
