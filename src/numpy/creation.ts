/** Array creation: zeros/ones/full/empty (+ _like), arange, linspace, eye, identity. */
import { ValueError } from "../core/errors.js";
import {
  type DType,
  type DTypeLike,
  bool,
  canonicalize,
  defaultFloat,
  defaultInt,
  toDType,
} from "../core/dtype.js";
import { checkShape } from "../core/shape.js";
import { type Array, type ArrayLike, concreteDims } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, typeInfoOf } from "./coerce.js";

type ShapeArg = number | readonly number[];
const shapeOf = (s: ShapeArg): number[] =>
  checkShape(concreteDims(typeof s === "number" ? [s] : s));
const dt = (d: DTypeLike | null | undefined, fallback: DType): DType =>
  d ? canonicalize(toDType(d)) : fallback;

export function full(shape: ShapeArg, fillValue: ArrayLike, dtype?: DTypeLike | null): Array {
  const s = shapeOf(shape);
  const v = asarray(fillValue, dtype ?? null);
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
export const zeros = (shape: ShapeArg, dtype?: DTypeLike | null) =>
  lax.full(shapeOf(shape), 0, dt(dtype, defaultFloat()));
export const ones = (shape: ShapeArg, dtype?: DTypeLike | null) =>
  lax.full(shapeOf(shape), 1, dt(dtype, defaultFloat()));
export const empty = zeros;

const likeShape = (x: ArrayLike, shape?: ShapeArg) =>
  shape === undefined ? asarray(x).shape : shapeOf(shape);
const likeDtype = (x: ArrayLike, dtype?: DTypeLike | null) => dt(dtype, typeInfoOf(x).dtype);
export const zerosLike = (x: ArrayLike, dtype?: DTypeLike | null, shape?: ShapeArg) =>
  lax.full(likeShape(x, shape), 0, likeDtype(x, dtype));
export const onesLike = (x: ArrayLike, dtype?: DTypeLike | null, shape?: ShapeArg) =>
  lax.full(likeShape(x, shape), 1, likeDtype(x, dtype));
export const emptyLike = zerosLike;
export function fullLike(
  x: ArrayLike,
  fillValue: ArrayLike,
  dtype?: DTypeLike | null,
  shape?: ShapeArg,
): Array {
  return full(likeShape(x, shape), fillValue, likeDtype(x, dtype));
}

/** `jnp.arange(stop)`, `arange(start, stop, step?)`; integers give int32, else float32. */
export function arange(
  start: number,
  stop?: number | null,
  step?: number | null,
  dtype?: DTypeLike | null,
): Array {
  if (stop === undefined || stop === null) {
    stop = start;
    start = 0;
  }
  const st = step ?? 1;
  if (st === 0) throw new ValueError("arange: step cannot be zero");
  for (const v of [start, stop, st]) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new TypeError(
        `arange requires finite JS numbers for start/stop/step (got ${String(v)}); they must be concrete, not traced.`,
      );
    }
  }
  const isInt = Number.isInteger(start) && Number.isInteger(stop) && Number.isInteger(st);
  const d = dt(dtype, isInt ? defaultInt() : defaultFloat());
  const n = Math.max(0, Math.ceil((stop - start) / st));
  const i = lax.iota(d.isFloat ? d : d, [n], 0);
  if (start === 0 && st === 1) return i;
  if (d.isFloat)
    return lax.add(lax.mul(i, lax.scalarConstantOf(st, d)), lax.scalarConstantOf(start, d));
  return lax.add(lax.mul(i, lax.scalarConstantOf(st, d)), lax.scalarConstantOf(start, d));
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
  const d = dt(dtype, defaultFloat());
  const r = lax.iota(defaultInt(), [n, cols], 0);
  const c = lax.iota(defaultInt(), [n, cols], 1);
  const on = lax.eq(lax.add(r, lax.scalarConstantOf(k, defaultInt())), c);
  return d === bool ? on : lax.convertElementType(on, d);
}

export function identity(n: number, dtype?: DTypeLike | null): Array {
  return eye(n, n, 0, dtype);
}
