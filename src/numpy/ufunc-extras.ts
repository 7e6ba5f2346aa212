/**
 * More jnp elementwise functions, as jax/_src/numpy/ufuncs.py builds them from lax: the array-API
 * aliases (acos, atan2, bitwise_left_shift, …), fabs, float_power, divmod, gcd, lcm, frexp,
 * ldexp, modf, spacing, nan_to_num, bitwise_count, unwrap and sort_complex.
 * gcd is JAX's Euclid loop, unrolled to the worst-case step count of the integer width (JAX
 * stages a while loop; the values are the same).
 */
import { ValueError } from "../core/errors.js";
import { named } from "../core/naming.js";
import { type DType, complexOfFloat, int32, int64, uint8 } from "../core/dtype.js";
import { broadcastShapes, normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { bind1 } from "../trace/trace.js";
import { asarray, promoteArgsInexact, promoteArgsNumeric, promoteShapes } from "./coerce.js";
import {
  abs,
  arccos,
  broadcastTo,
  clip,
  signbit,
  arccosh,
  arcsin,
  arcsinh,
  arctan,
  arctan2,
  arctanh,
  floorDivide,
  invert,
  isinf,
  isnan,
  leftShift,
  remainder,
  rightShift,
  where,
} from "./ufuncs.js";
import { sort } from "./sorting.js";
import { concatenate } from "./shape.js";
import { cumsum } from "./cumulative.js";

/** `select_n` with broadcasting: `ifTrue` where `c`, else `ifFalse`. */
const pick = (c: Array, ifFalse: ArrayLike, ifTrue: ArrayLike): Array => where(c, ifTrue, ifFalse);

/** `jnp.acos`: the array-API name of `arccos`. */
export const acos = named("acos", (x: ArrayLike): Array => arccos(x));
/** `jnp.acosh`: the array-API name of `arccosh`. */
export const acosh = named("acosh", (x: ArrayLike): Array => arccosh(x));
/** `jnp.asin`: the array-API name of `arcsin`. */
export const asin = named("asin", (x: ArrayLike): Array => arcsin(x));
/** `jnp.asinh`: the array-API name of `arcsinh`. */
export const asinh = named("asinh", (x: ArrayLike): Array => arcsinh(x));
/** `jnp.atan`: the array-API name of `arctan`. */
export const atan = named("atan", (x: ArrayLike): Array => arctan(x));
/** `jnp.atanh`: the array-API name of `arctanh`. */
export const atanh = named("atanh", (x: ArrayLike): Array => arctanh(x));
/** `jnp.atan2`: the array-API name of `arctan2`. */
export const atan2 = named("atan2", (x: ArrayLike, y: ArrayLike): Array => arctan2(x, y));
/** `jnp.bitwise_invert`: the array-API name of `invert`. */
export const bitwiseInvert = named("bitwise_invert", (x: ArrayLike): Array => invert(x));
/** `jnp.bitwise_left_shift`: the array-API name of `left_shift`. */
export const bitwiseLeftShift = named("bitwise_left_shift", (x: ArrayLike, y: ArrayLike): Array =>
  leftShift(x, y),
);
/** `jnp.bitwise_right_shift`: the array-API name of `right_shift`. */
export const bitwiseRightShift = named("bitwise_right_shift", (x: ArrayLike, y: ArrayLike): Array =>
  rightShift(x, y),
);

/** Absolute value of real inputs, promoted to float (`jnp.fabs`; complex input is an error). */
export function fabs(x: ArrayLike): Array {
  const [a] = promoteArgsInexact(x);
  if (a!.dtype.isComplex) throw new TypeError("ufunc 'fabs' does not support complex dtypes");
  return lax.abs(a!);
}

/** `x ** y` computed in the inexact promoted type (`jnp.float_power`). */
export function floatPower(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, y));
  return lax.pow(a!, b!);
}

/** `[floor_divide(x, y), remainder(x, y)]` (`jnp.divmod`). */
export function divmod(x: ArrayLike, y: ArrayLike): [Array, Array] {
  return [floorDivide(x, y), remainder(x, y)];
}

function integerPair(name: string, x: ArrayLike, y: ArrayLike): [Array, Array] {
  const [a, b] = promoteShapes(...promoteArgsNumeric(x, y));
  if (!a!.dtype.isInt) throw new ValueError(`Arguments to jax.numpy.${name} must be integers.`);
  const shape = broadcastShapes(a!.shape, b!.shape)!;
  return [broadcastTo(a!, shape), broadcastTo(b!, shape)];
}

/** Greatest common divisor of integers, elementwise (`jnp.gcd`). */
export function gcd(x: ArrayLike, y: ArrayLike): Array {
  const [a0, b0] = integerPair("gcd", x, y);
  let a = lax.abs(a0);
  let b = lax.abs(b0);
  // Euclid needs at most log_phi(2^bits) + 2 steps (Lamé).
  const steps = Math.ceil(8 * a.dtype.itemsize * 1.4405) + 2;
  const zero = lax.scalarLike(a, 0);
  const one = lax.scalarLike(a, 1);
  for (let i = 0; i < steps; i++) {
    const nz = lax.ne(b, zero);
    const r = lax.rem(a, pick(nz, one, b));
    const a1 = pick(nz, a, b);
    const b1 = pick(nz, zero, r);
    a = a1;
    b = b1;
  }
  return a;
}

/** Least common multiple of integers, elementwise (`jnp.lcm`). */
export function lcm(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = integerPair("lcm", x, y);
  const d = gcd(a, b);
  const zero = lax.scalarLike(d, 0);
  const safe = pick(lax.eq(d, zero), d, lax.scalarLike(d, 1));
  return pick(lax.eq(d, zero), lax.abs(lax.mul(a, floorDivide(b, safe))), zero);
}

interface FloatLayout {
  nmant: number;
  nexp: number;
  bias: number;
  int: DType;
}
function layout(d: DType): FloatLayout {
  if (d.name === "float64") return { nmant: 52, nexp: 11, bias: 1023, int: int64 };
  if (d.name === "float32") return { nmant: 23, nexp: 8, bias: 127, int: int32 };
  throw new TypeError(`${d.name} is not supported here: use float32 or float64`);
}
const intOf = (d: DType): DType => layout(d).int;

const bitcast = (x: Array, d: DType): Array =>
  bind1(lax.bitcastConvertTypeP, [x], { new_dtype: d });

/** Mantissa in [0.5, 1) and int32 exponent with `x = m * 2**e` (`jnp.frexp`). */
export function frexp(x: ArrayLike): [Array, Array] {
  const [a] = promoteArgsInexact(x);
  if (a!.dtype.isComplex) throw new TypeError("frexp does not support complex-valued inputs");
  const d = a!.dtype;
  const { nmant, nexp, bias } = layout(d);
  const it = intOf(d);
  // Subnormals: scale into the normal range first.
  const subnormal = lax.lt(lax.abs(a!), lax.scalarLike(a!, 2 ** (1 - bias)));
  const scaled = pick(subnormal, a!, lax.mul(a!, lax.scalarLike(a!, 2 ** nmant)));
  const extra = pick(subnormal, lax.full([], 0, it), lax.full([], -nmant, it));
  const bitsOf = bitcast(scaled, it);
  const mask = 2 ** nexp - 1;
  const field = lax.and(
    lax.shiftRightLogical(bitsOf, lax.full([], nmant, it)),
    lax.full([], mask, it),
  );
  const e = lax.add(lax.add(field, lax.full([], 1 - bias, it)), extra);
  const expMask = lax.not(lax.shiftLeft(lax.full([], mask, it), lax.full([], nmant, it)));
  const half = lax.shiftLeft(lax.full([], bias - 1, it), lax.full([], nmant, it));
  const m = bitcast(lax.or(lax.and(bitsOf, expMask), half), d);
  const special = lax.or(lax.or(isinf(a!), isnan(a!)), lax.eq(a!, lax.scalarLike(a!, 0)));
  const e32 = lax.convertElementType(pick(special, e, lax.fullLike(e, 0)), int32);
  return [pick(special, m, a!), e32];
}

/** `2**k` for integer k in the normal exponent range, built from its bits. */
function pow2(k: Array, d: DType): Array {
  const { nmant, bias } = layout(d);
  const it = intOf(d);
  const biased = lax.add(lax.convertElementType(k, it), lax.full([], bias, it));
  return bitcast(lax.shiftLeft(biased, lax.full([], nmant, it)), d);
}

/** `x * 2**n` (`jnp.ldexp`; `n` must be an integer array). */
export function ldexp(x: ArrayLike, n: ArrayLike): Array {
  const nn = asarray(n);
  if (!nn.dtype.isInt)
    throw new TypeError(`ldexp: the exponent must be an integer, got ${nn.dtype.name}`);
  const [a0] = promoteArgsInexact(x);
  if (a0!.dtype.isComplex) throw new TypeError("ldexp does not support complex-valued inputs");
  const [a, e0] = promoteShapes(a0!, lax.convertElementType(nn, int32));
  const shape = broadcastShapes(a!.shape, e0!.shape)!;
  let y = broadcastTo(a!, shape);
  const { bias } = layout(y.dtype);
  // Three factors, each a normal power of two, cover every exponent that can matter.
  const lo = 2 - bias;
  const hi = bias;
  let rest = clip(broadcastTo(e0!, shape), 3 * lo, 3 * hi);
  for (let i = 0; i < 3; i++) {
    const part = clip(rest, lo, hi);
    y = lax.mul(y, pow2(part, y.dtype));
    rest = lax.sub(rest, part);
  }
  return y;
}

/** Fractional and integral parts, both with x's sign (`jnp.modf`). */
export function modf(x: ArrayLike): [Array, Array] {
  const [a] = promoteArgsInexact(x);
  const whole = pick(lax.ge(a!, lax.scalarLike(a!, 0)), lax.ceil(a!), lax.floor(a!));
  return [lax.sub(a!, whole), whole];
}

/** Distance to the next representable number away from zero (`jnp.spacing`). */
export function spacing(x: ArrayLike): Array {
  const [a] = promoteArgsInexact(x);
  if (a!.dtype.isComplex) throw new ValueError("spacing is not defined for complex inputs.");
  const inf = lax.fullLike(a!, Infinity);
  const toward = pick(signbit(a!), inf, lax.neg(inf));
  const r = lax.sub(lax.nextafter(a!, toward), a!);
  return pick(isinf(a!), r, lax.fullLike(a!, NaN));
}

/** Options of `jnp.nan_to_num`. */
export interface NanToNumOptions {
  copy?: boolean;
  nan?: number;
  posinf?: number | null;
  neginf?: number | null;
}

/** NaN → `nan` (0), ±inf → `posinf`/`neginf` (the dtype's largest finite values). */
export function nanToNum(x: ArrayLike, options: NanToNumOptions = {}): Array {
  const a = asarray(x);
  if (!a.dtype.isFloat && !a.dtype.isComplex) return a;
  if (a.dtype.isComplex) {
    const re = nanToNum(lax.real(a), options);
    const im = nanToNum(lax.imag(a), options);
    return lax.complex(re, im);
  }
  const max =
    a.dtype.name === "float64"
      ? Number.MAX_VALUE
      : a.dtype.name === "float16"
        ? 65504
        : 3.4028234663852886e38;
  const posinf = options.posinf ?? max;
  const neginf = options.neginf ?? -max;
  let out = where(isnan(a), lax.scalarLike(a, options.nan ?? 0), a);
  out = where(lax.eq(out, lax.scalarLike(a, Infinity)), lax.scalarLike(a, posinf), out);
  out = where(lax.eq(out, lax.scalarLike(a, -Infinity)), lax.scalarLike(a, neginf), out);
  return out;
}

/** Number of 1 bits of |x|, as uint8 (`jnp.bitwise_count`). */
export function bitwiseCount(x: ArrayLike): Array {
  const a = asarray(x);
  if (!a.dtype.isInt && !a.dtype.isBool)
    throw new TypeError(`bitwise_count requires integer input, got ${a.dtype.name}`);
  const v = a.dtype.isSigned ? lax.abs(a) : a;
  return lax.convertElementType(lax.populationCount(v), uint8);
}

/** Options of `jnp.unwrap`. */
export interface UnwrapOptions {
  discont?: number | null;
  axis?: number;
  period?: number;
}

/** Unwrap phase jumps larger than `discont` along an axis (`jnp.unwrap`). */
export function unwrap(p: ArrayLike, options: UnwrapOptions = {}): Array {
  let a = asarray(p);
  if (a.dtype.isComplex) throw new ValueError("jnp.unwrap does not support complex inputs.");
  if (a.ndim === 0) throw new ValueError("unwrap requires an array of at least one dimension");
  if (!a.dtype.isFloat) [a] = promoteArgsInexact(a) as [Array];
  const axis = normalizeAxis(options.axis ?? -1, a.ndim);
  const period = options.period ?? 2 * Math.PI;
  const interval = period / 2;
  const discont = options.discont ?? interval;
  const n = a.shape[axis]!;
  const sl = (start: number, stop: number): Array =>
    lax.slice(
      a,
      a.shape.map((_, i) => (i === axis ? start : 0)),
      a.shape.map((d, i) => (i === axis ? stop : d)),
    );
  if (n < 2) return a;
  const dd = lax.sub(sl(1, n), sl(0, n - 1));
  const shifted = remainder(lax.add(dd, lax.scalarLike(dd, interval)), period);
  let ddmod = lax.sub(shifted, lax.scalarLike(dd, interval));
  ddmod = where(
    lax.and(lax.eq(ddmod, lax.scalarLike(dd, -interval)), lax.gt(dd, lax.scalarLike(dd, 0))),
    interval,
    ddmod,
  );
  const correct = where(lax.lt(abs(dd), lax.scalarLike(dd, discont)), 0, lax.sub(ddmod, dd));
  return concatenate([sl(0, 1), lax.add(sl(1, n), cumsum(correct, axis))], axis);
}

/** Sort along the last axis and return a complex array (`jnp.sort_complex`). */
export function sortComplex(a: ArrayLike): Array {
  const s = sort(a);
  const d = s.dtype.isComplex ? s.dtype : complexOfFloat(promoteArgsInexact(s)[0]!.dtype);
  return lax.convertElementType(s, d);
}
