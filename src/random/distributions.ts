/**
 * Samplers built on uniform bits, each computing what `jax/_src/random.py` computes so that
 * the same key gives the same values: bits, uniform, normal, truncated normal, bernoulli,
 * randint, exponential, laplace, logistic, gumbel, cauchy, rademacher, pareto, weibull_min,
 * maxwell and categorical.
 */
import {
  type DType,
  type DTypeLike,
  bool,
  canonicalize,
  defaultInt,
  toDType,
  uint32,
} from "../core/dtype.js";
import { normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { argmax, bitcastConvertType } from "../lax/wrappers.js";
import { asarray } from "../numpy/coerce.js";
import { type KeyLike, singleKey } from "./keys.js";
import { randomBitsKeyData, splitKeyData } from "./prng.js";
import {
  ValueError,
  bin,
  broadcastShapesOrThrow,
  broadcastTo,
  checkShape,
  cst,
  finfo,
  floatDtypeArg,
  shapeArg,
  toDtype,
  toRank,
  uintOf,
} from "./util.js";

const keyOf = (key: KeyLike, name: string): Array => singleKey(key, name).data;

/** Uniform bits of an unsigned dtype (default uint32): `jax.random.bits`. */
export function bits(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype: DTypeLike = uint32,
): Array {
  const k = keyOf(key, "bits");
  const d = toDType(dtype);
  if (!(d.isInt && !d.isSigned))
    throw new ValueError(`dtype argument to \`bits\` must be an unsigned int dtype, got ${d.name}`);
  return randomBitsKeyData(k, canonicalize(d).itemsize * 8, shapeArg(shape, "bits"));
}

/** Uniform floats in [0, 1) from raw key data: the mantissa-filling trick of JAX's `_uniform`. */
function unitFloats(k: Array, shape: readonly number[], d: DType): Array {
  const { bits: nbits, nmant, one } = finfo(d);
  const u = uintOf(d);
  const raw = randomBitsKeyData(k, nbits, shape);
  const floatBits = P.or(
    P.shiftRightLogical(raw, P.full([], nbits - nmant, u)),
    P.full([], one as number, u),
  );
  return P.sub(bitcastConvertType(floatBits, d), cst(1, d));
}

/** `uniform` on raw key data (shared by samplers that already hold a key). */
export function uniformData(
  k: Array,
  shape: readonly number[],
  d: DType,
  minval: ArrayLike = 0,
  maxval: ArrayLike = 1,
): Array {
  // A batch of keys [...B, 2] gives [...B, ...shape].
  const full = [...k.shape.slice(0, -1), ...shape];
  const lo = toRank(toDtype(minval, d), full.length);
  const hi = toRank(toDtype(maxval, d), full.length);
  const floats = unitFloats(k, shape, d);
  const span = bin(P.sub, hi, lo);
  const scaled = bin(P.mul, floats, span);
  const shifted = bin(P.add, scaled, lo);
  return bin(P.max, lo, P.reshape(shifted, full));
}

/** Uniform values in [minval, maxval): `jax.random.uniform`. */
export function uniform(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
  minval: ArrayLike = 0,
  maxval: ArrayLike = 1,
): Array {
  const k = keyOf(key, "uniform");
  const d = floatDtypeArg(dtype, "uniform");
  return uniformData(k, shapeArg(shape, "uniform"), d, minval, maxval);
}

/** Standard normal from raw key data: `sqrt(2) * erf_inv(u)`, u uniform in (-1, 1). */
export function normalData(k: Array, shape: readonly number[], d: DType): Array {
  const lo = -1 + finfo(d).epsneg; // nextafter(-1, 0)
  const u = uniformData(k, shape, d, lo, 1);
  return P.mul(cst(Math.SQRT2, d), P.erfInv(u));
}

/** Standard normal values: `jax.random.normal`. */
export function normal(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "normal");
  return normalData(k, shapeArg(shape, "normal"), floatDtypeArg(dtype, "normal"));
}

/** Normal values truncated to (lower, upper): `jax.random.truncated_normal`. */
export function truncatedNormal(
  key: KeyLike,
  lower: ArrayLike,
  upper: ArrayLike,
  shape?: readonly number[] | null,
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "truncated_normal");
  const d = floatDtypeArg(dtype, "truncated_normal");
  const lo = toDtype(asarray(lower), d);
  const hi = toDtype(asarray(upper), d);
  let s: number[];
  if (shape === undefined || shape === null)
    s = broadcastShapesOrThrow("truncated_normal", lo.shape, hi.shape);
  else {
    s = shapeArg(shape, "truncated_normal");
    checkShape("truncated_normal", s, lo.shape, hi.shape);
  }
  const sqrt2 = cst(Math.SQRT2, d);
  const a = P.erf(P.div(lo, sqrt2));
  const b = P.erf(P.div(hi, sqrt2));
  const u = uniformData(k, s, d, a, b);
  const out = P.mul(sqrt2, P.erfInv(u));
  const lower1 = P.nextafter(P.stopGradient(lo), P.full(lo.shape, Infinity, d));
  const upper1 = P.nextafter(P.stopGradient(hi), P.full(hi.shape, -Infinity, d));
  return bin(P.min, bin(P.max, out, lower1), upper1);
}

/** Booleans that are true with probability p: `jax.random.bernoulli`. */
export function bernoulli(
  key: KeyLike,
  p: ArrayLike = 0.5,
  shape?: readonly number[] | null,
): Array {
  const k = keyOf(key, "bernoulli");
  const pa = asarray(p);
  const d = canonicalize(pa.dtype);
  if (!d.isFloat)
    throw new TypeError(`bernoulli probability \`p\` must have a floating dtype, got ${d.name}.`);
  const pp = toDtype(pa, d);
  let s: number[];
  if (shape === undefined || shape === null) s = [...pp.shape];
  else {
    s = shapeArg(shape, "bernoulli");
    checkShape("bernoulli", s, pp.shape);
  }
  return bin(P.lt, uniformData(k, s, d), pp);
}

/** Clip an integer array into the range of `to` and convert (JAX's `_convert_and_clip_integer`). */
function convertAndClip(x: Array, to: DType): Array {
  if (x.dtype === to) return x;
  const range = (d: DType): [number, number] =>
    d.isSigned
      ? [-(2 ** (8 * d.itemsize - 1)), 2 ** (8 * d.itemsize - 1) - 1]
      : [0, 2 ** (8 * d.itemsize) - 1];
  const [smin, smax] = range(x.dtype);
  const [tmin, tmax] = range(to);
  const lo = Math.max(smin, tmin);
  const hi = Math.min(smax, tmax);
  let y = x;
  if (lo > smin) y = P.max(y, P.full([], lo, x.dtype));
  if (hi < smax) y = P.min(y, P.full([], hi, x.dtype));
  return P.convertElementType(y, to);
}

/** Uniform integers in [minval, maxval): `jax.random.randint`. */
export function randint(
  key: KeyLike,
  shape: readonly number[],
  minval: ArrayLike,
  maxval: ArrayLike,
  dtype: DTypeLike = defaultInt(),
): Array {
  const k = keyOf(key, "randint");
  const d = canonicalize(toDType(dtype));
  const s = shapeArg(shape, "randint");
  let lo = asarray(minval);
  let hi = asarray(maxval);
  checkShape("randint", s, lo.shape, hi.shape);
  if (!d.isInt) throw new TypeError(`randint only accepts integer dtypes, got ${d.name}`);
  if (!lo.dtype.isInt) lo = P.convertElementType(lo, defaultInt());
  if (!hi.dtype.isInt) hi = P.convertElementType(hi, defaultInt());
  const dmax = d.isSigned ? 2 ** (8 * d.itemsize - 1) - 1 : 2 ** (8 * d.itemsize) - 1;
  const maxInHi = convertAndClip(P.full([], dmax, d), hi.dtype);
  const outOfRange = P.gt(hi, maxInHi);
  const lo2 = toRank(convertAndClip(lo, d), s.length);
  const hi2 = toRank(convertAndClip(hi, d), s.length);
  const nbits = 8 * d.itemsize;
  const unsigned = toDType(`uint${nbits}` as "uint32");
  const keys = splitKeyData(k, [2]);
  const higher = randomBitsKeyData(P.reshape(P.slice(keys, [0, 0], [1, 2]), [2]), nbits, s);
  const lower = randomBitsKeyData(P.reshape(P.slice(keys, [1, 0], [2, 2]), [2]), nbits, s);
  let span = P.convertElementType(bin(P.sub, hi2, lo2), unsigned);
  const one = P.full([], 1, unsigned);
  span = P.selectN(bin(P.le, hi2, lo2), span, broadcastTo(one, span.shape));
  const bump = P.and(toRank(outOfRange, s.length), bin(P.gt, hi2, lo2));
  span = bin((c, x) => P.selectN(c, x, P.add(x, one)), broadcastTo(bump, span.shape), span);
  let multiplier = P.rem(P.full(span.shape, 2 ** (nbits / 2), unsigned), span);
  multiplier = P.rem(P.mul(multiplier, multiplier), span);
  const sp = broadcastTo(span, s);
  const offset = P.rem(
    P.add(P.mul(P.rem(higher, sp), broadcastTo(multiplier, s)), P.rem(lower, sp)),
    sp,
  );
  return bin(P.add, lo2, P.convertElementType(offset, d));
}

/** Exponential(1) values: `jax.random.exponential`. */
export function exponential(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "exponential");
  const d = floatDtypeArg(dtype, "exponential");
  const u = uniformData(k, shapeArg(shape, "exponential"), d);
  return P.neg(P.log1p(P.neg(u)));
}

/** Laplace(0, 1) values: `jax.random.laplace`. */
export function laplace(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "laplace");
  const d = floatDtypeArg(dtype, "laplace");
  const u = uniformData(k, shapeArg(shape, "laplace"), d, -1 + finfo(d).epsneg, 1);
  return P.mul(P.sign(u), P.log1p(P.neg(P.abs(u))));
}

/** Standard logistic values: `jax.random.logistic`. */
export function logistic(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "logistic");
  const d = floatDtypeArg(dtype, "logistic");
  const x = uniformData(k, shapeArg(shape, "logistic"), d, finfo(d).eps, 1);
  return P.log(P.div(x, P.sub(cst(1, d), x)));
}

/** Standard Gumbel values from raw key data. */
export function gumbelData(k: Array, shape: readonly number[], d: DType): Array {
  const u = uniformData(k, shape, d, finfo(d).tiny, 1);
  return P.neg(P.log(P.neg(P.log(u))));
}

/** Standard Gumbel values: `jax.random.gumbel`. */
export function gumbel(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "gumbel");
  return gumbelData(k, shapeArg(shape, "gumbel"), floatDtypeArg(dtype, "gumbel"));
}

/** Standard Cauchy values: `jax.random.cauchy`. */
export function cauchy(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "cauchy");
  const d = floatDtypeArg(dtype, "cauchy");
  const u = uniformData(k, shapeArg(shape, "cauchy"), d, finfo(d).eps, 1);
  return P.tan(P.mul(cst(Math.PI, d), P.sub(u, cst(0.5, d))));
}

/** ±1 with equal probability: `jax.random.rademacher`. */
export function rademacher(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype: DTypeLike = defaultInt(),
): Array {
  const d = canonicalize(toDType(dtype));
  const b = P.convertElementType(bernoulli(key, 0.5, shape), d);
  return P.sub(P.mul(cst(2, d), b), cst(1, d));
}

/** Pareto(b) values: `jax.random.pareto`. */
export function pareto(
  key: KeyLike,
  b: ArrayLike,
  shape?: readonly number[] | null,
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "pareto");
  const bb = toDtype(asarray(b), d);
  const s = shape === undefined || shape === null ? [...bb.shape] : shapeArg(shape, "pareto");
  checkShape("pareto", s, bb.shape);
  const e = exponential(key, s, d);
  return P.exp(bin(P.div, e, bb));
}

/** Weibull values: `jax.random.weibull_min(key, scale, concentration, shape, dtype)`. */
export function weibullMin(
  key: KeyLike,
  scale: ArrayLike,
  concentration: ArrayLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "weibull_min");
  const d = floatDtypeArg(dtype, "weibull_min");
  const u = uniformData(k, shapeArg(shape, "weibull_min"), d);
  const c = toDtype(asarray(concentration), d);
  const base = P.neg(P.log1p(P.neg(u)));
  const powed = bin(P.pow, base, P.div(cst(1, d), c));
  return bin(P.mul, powed, toDtype(asarray(scale), d));
}

/** Maxwell values (norm of 3 normals): `jax.random.maxwell`. */
export function maxwell(
  key: KeyLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const k = keyOf(key, "maxwell");
  const d = floatDtypeArg(dtype, "maxwell");
  const s = shapeArg(shape, "maxwell");
  const n = normalData(k, [...s, 3], d);
  return P.sqrt(P.reduceSum(P.mul(n, n), [s.length]));
}

/** Samples of categorical distributions given by logits (Gumbel-max): `jax.random.categorical`. */
export function categorical(
  key: KeyLike,
  logits: ArrayLike,
  axis = -1,
  shape?: readonly number[] | null,
): Array {
  const k = keyOf(key, "categorical");
  const lg = asarray(logits);
  const nd = lg.ndim;
  const ax = normalizeAxis(axis, nd);
  const batch = lg.shape.filter((_, i) => i !== ax);
  let s: number[];
  if (shape === undefined || shape === null) s = [...batch];
  else {
    s = shapeArg(shape, "categorical");
    checkShape("categorical", s, batch);
  }
  const prefix = s.slice(0, s.length - batch.length);
  const lshape = s.slice(s.length - batch.length);
  lshape.splice(ax, 0, lg.shape[ax]!);
  const d = lg.dtype.isFloat ? lg.dtype : floatDtypeArg(null, "categorical");
  const g = gumbelData(k, [...prefix, ...lshape], d);
  const lx = P.reshape(toDtype(lg, d), [...prefix.map(() => 1), ...lg.shape]);
  return argmax(bin(P.add, g, lx), prefix.length + ax, defaultInt());
}

export { bool };
