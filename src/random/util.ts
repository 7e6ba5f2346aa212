/** Argument checks and small array helpers shared by the samplers. */
import {
  type DType,
  type DTypeLike,
  canonicalize,
  defaultFloat,
  float16,
  float32,
  float64,
  toDType,
  uint16,
  uint32,
  uint64,
} from "../core/dtype.js";
import { broadcastShapes, normalizeAxis, shapeStr, sizeOf } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { reduceMax, reduceOr } from "../lax/wrappers.js";
import { ValueError } from "../transforms/jit/static-args.js";

export { ValueError };

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** A shape argument: a sequence of non-negative integers (JAX's `canonicalize_shape`). */
export function shapeArg(shape: unknown, name: string): number[] {
  if (!globalThis.Array.isArray(shape)) {
    throw new TypeError(
      `${name}: shape must be a sequence of non-negative integers (e.g. [3, 4]), got ${String(shape)}.`,
    );
  }
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new TypeError(
        `${name}: shapes must be 1D sequences of non-negative integers, got [${shape.map(String).join(", ")}].`,
      );
    }
  }
  return [...(shape as number[])];
}

/** A floating dtype argument, canonicalized (float64 becomes float32 without x64). */
export function floatDtypeArg(dtype: DTypeLike | null | undefined, name: string): DType {
  const d = dtype === undefined || dtype === null ? defaultFloat() : toDType(dtype);
  if (!d.isFloat)
    throw new ValueError(`dtype argument to \`${name}\` must be a float dtype, got ${d.name}`);
  return canonicalize(d);
}

/** JAX's `_check_shape`: parameter shapes must broadcast to exactly `shape`. */
export function checkShape(
  name: string,
  shape: readonly number[],
  ...paramShapes: (readonly number[])[]
): void {
  if (paramShapes.length === 0) return;
  const b = broadcastShapes(shape, ...paramShapes);
  if (!b || b.length !== shape.length || b.some((d, i) => d !== shape[i])) {
    throw new ValueError(
      `${name} parameter shapes must be broadcast-compatible with shape argument, and the result of ` +
        `broadcasting the shapes must equal the shape argument, but got result ${b ? shapeStr(b) : "(incompatible)"} ` +
        `for shape argument ${shapeStr(shape)}.`,
    );
  }
}

export function broadcastShapesOrThrow(name: string, ...shapes: (readonly number[])[]): number[] {
  const b = broadcastShapes(...shapes);
  if (!b)
    throw new ValueError(
      `${name}: incompatible shapes for broadcasting: ${shapes.map(shapeStr).join(", ")}.`,
    );
  return b;
}

/** numpy's finfo constants per float dtype. */
export function finfo(d: DType): {
  bits: number;
  nmant: number;
  eps: number;
  epsneg: number;
  tiny: number;
  one: number | bigint;
} {
  if (d === float16)
    return { bits: 16, nmant: 10, eps: 2 ** -10, epsneg: 2 ** -11, tiny: 2 ** -14, one: 0x3c00 };
  if (d === float32)
    return {
      bits: 32,
      nmant: 23,
      eps: 2 ** -23,
      epsneg: 2 ** -24,
      tiny: 2 ** -126,
      one: 0x3f800000,
    };
  if (d === float64)
    return {
      bits: 64,
      nmant: 52,
      eps: 2 ** -52,
      epsneg: 2 ** -53,
      tiny: 2 ** -1022,
      one: 0x3ff0000000000000n,
    };
  throw new TypeError(`${d.name} is not a floating dtype`);
}

/** The unsigned dtype of a float's width. */
export function uintOf(d: DType): DType {
  return d.itemsize === 2 ? uint16 : d.itemsize === 4 ? uint32 : uint64;
}

/** `x` converted to dtype `d` (JS numbers become constants of `d`). */
export function toDtype(x: ArrayLike, d: DType): Array {
  if (typeof x === "number" || typeof x === "boolean") return P.full([], x, d);
  const a = x as Array;
  return a.dtype === d ? a : P.convertElementType(a, d);
}

/** Prepend size-1 dimensions up to `rank` (lax's `broadcast_to_rank`). */
export function toRank(x: Array, rank: number): Array {
  if (x.ndim >= rank) return x;
  return P.reshape(x, [...globalThis.Array(rank - x.ndim).fill(1), ...x.shape]);
}

/** numpy-broadcast `x` to `shape`. */
export function broadcastTo(x: Array, shape: readonly number[]): Array {
  if (x.ndim === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const off = shape.length - x.ndim;
  const r = toRank(x, shape.length);
  const squeezed = r.shape
    .map((d, i) => (d === 1 && shape[i] !== 1 ? -1 : i))
    .filter((i) => i >= 0);
  const src = P.reshape(
    r,
    squeezed.map((i) => r.shape[i]!),
  );
  void off;
  return P.broadcastInDim(src, shape, squeezed);
}

/** numpy-style binary op with broadcasting of both operands. */
export function bin(f: (a: Array, b: Array) => Array, a: Array, b: Array): Array {
  const s = broadcastShapesOrThrow("random", a.shape, b.shape);
  return f(broadcastTo(a, s), broadcastTo(b, s));
}

/** A scalar constant of `d`. */
export const cst = (v: number, d: DType): Array => P.full([], v, d);

/** Move axis `from` of `x` to position `to`. */
export function moveAxis(x: Array, from: number, to: number): Array {
  if (from === to) return x;
  const perm = range(x.ndim).filter((a) => a !== from);
  perm.splice(to, 0, from);
  return P.transpose(x, perm);
}

/**
 * The stable sort positions along the last axis of `keys` (any ordered dtype): element i goes to
 * position #{j : k_j < k_i or (k_j = k_i and j < i)}, as a stable `sort_key_val` would put
 * it. Computed by comparisons (O(n²) per row), so no sort kernel is needed.
 */
export function stableRanks(keys: Array): Array {
  const n = keys.shape[keys.ndim - 1]!;
  const lead = keys.shape.slice(0, -1);
  const pair = [...lead, n, n]; // [..., i, j]
  const ki = P.broadcastInDim(keys, pair, [...range(lead.length), lead.length]);
  const kj = P.broadcastInDim(keys, pair, [...range(lead.length), lead.length + 1]);
  const ii = P.iota(uint32, pair, lead.length);
  const jj = P.iota(uint32, pair, lead.length + 1);
  const before = P.or(P.lt(kj, ki), P.and(P.eq(kj, ki), P.lt(jj, ii)));
  return P.reduceSum(P.convertElementType(before, uint32), [lead.length + 1]);
}

/**
 * `out[..., p] = x[..., i]` where `pos[..., i] == p`, along the last axis (a permutation given
 * as destinations), by a masked reduction: exact for every dtype.
 */
export function scatterByPosition(x: Array, pos: Array): Array {
  const n = x.shape[x.ndim - 1]!;
  const lead = x.shape.slice(0, -1);
  const pair = [...lead, n, n]; // [..., p, i]
  const xi = P.broadcastInDim(x, pair, [...range(lead.length), lead.length + 1]);
  const pi = P.broadcastInDim(pos, pair, [...range(lead.length), lead.length + 1]);
  const pp = P.iota(uint32, pair, lead.length);
  return maskedPick(P.eq(pi, pp), xi, lead.length + 1);
}

/** Reduce `x` over `axis` keeping only the (single) element where `mask` holds. */
export function maskedPick(mask: Array, x: Array, axis: number): Array {
  const d = x.dtype;
  if (d.isBool) return reduceOr(P.and(mask, x), [axis]);
  if (d.isFloat) {
    // max over {x_i, -inf...} keeps -0.0 and NaN as they are.
    return reduceMax(P.selectN(mask, P.full(x.shape, -Infinity, d), x), [axis]);
  }
  return P.reduceSum(P.selectN(mask, P.full(x.shape, 0, d), x), [axis]);
}

/** `jnp.take(x, ind, axis)` for in-range integer indices, by masked reduction. */
export function take(x: Array, ind: Array, axis: number): Array {
  const ax = normalizeAxis(axis, x.ndim);
  const n = x.shape[ax]!;
  const pre = x.shape.slice(0, ax);
  const post = x.shape.slice(ax + 1);
  const outShape = [...pre, ...ind.shape, ...post];
  const full = [...outShape, n];
  const xb = P.broadcastInDim(moveAxis(x, ax, x.ndim - 1), full, [
    ...range(pre.length),
    ...range(post.length).map((k) => pre.length + ind.ndim + k),
    outShape.length,
  ]);
  const ib = P.broadcastInDim(
    P.convertElementType(ind, uint32),
    full,
    range(ind.ndim).map((k) => pre.length + k),
  );
  const ii = P.iota(uint32, full, outShape.length);
  return maskedPick(P.eq(ib, ii), xb, outShape.length);
}

export { sizeOf, shapeStr };

/** `pred ? onTrue : onFalse` elementwise, with numpy broadcasting of all three. */
export function select(pred: Array, onTrue: Array, onFalse: Array): Array {
  const s = broadcastShapesOrThrow("select", pred.shape, onTrue.shape, onFalse.shape);
  return P.selectN(broadcastTo(pred, s), broadcastTo(onFalse, s), broadcastTo(onTrue, s));
}
