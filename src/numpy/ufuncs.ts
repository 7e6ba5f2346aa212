/**
 * jax.numpy elementwise functions over lax primitives: numpy promotion (JS numbers are weak
 * literals), rank promotion, and numpy's semantics where they differ from lax
 * (true division, floor division and modulo with the divisor's sign, …).
 */
import { NotImplementedError, ValueError } from "../core/errors.js";
import { named } from "../core/naming.js";
import { bool, int16, int32, int64 } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import * as lax from "../primitives/index.js";
import {
  asarray,
  promoteAndBroadcast,
  promoteArgs,
  promoteArgsInexact,
  promoteArgsNumeric,
  promoteShapes,
} from "./coerce.js";

const P = lax.prims;

// Factories of the elementwise functions: `name` is the function's JAX name (what jit prints
// as `pjit[name=...]`), `prim` the primitive it binds.
const binary = (name: string, prim = name) =>
  named(name, (x: ArrayLike, y: ArrayLike): Array => {
    const [a, b] = promoteAndBroadcast(x, y);
    return bind1(P[prim]!, [a!, b!]);
  });

const inexactBinary = (name: string, prim = name) =>
  named(name, (x: ArrayLike, y: ArrayLike): Array => {
    const [a, b] = promoteShapes(...promoteArgsInexact(x, y));
    return bind1(P[prim]!, [a!, b!]);
  });

const unary = (name: string, prim = name) =>
  named(name, (x: ArrayLike): Array => bind1(P[prim]!, [asarray(x)]));

const inexactUnary = (name: string, prim = name) =>
  named(name, (x: ArrayLike): Array => bind1(P[prim]!, [promoteArgsInexact(x)[0]!]));

export const add = binary("add");
export const subtract = binary("subtract", "sub");
export const multiply = binary("multiply", "mul");
export const maximum = binary("maximum", "max");
export const minimum = binary("minimum", "min");
export const equal = binary("equal", "eq");
export const notEqual = binary("not_equal", "ne");
export const less = binary("less", "lt");
export const lessEqual = binary("less_equal", "le");
export const greater = binary("greater", "gt");
export const greaterEqual = binary("greater_equal", "ge");
export const arctan2 = inexactBinary("arctan2", "atan2");
export const nextafter = inexactBinary("nextafter");

/** True division: integers are divided as floats (JAX's `divide` and `true_divide`). */
export const divide = inexactBinary("divide", "div");
export const trueDivide = inexactBinary("true_divide", "div");

export function negative(x: ArrayLike): Array {
  return lax.neg(asarray(x));
}
export function positive(x: ArrayLike): Array {
  return asarray(x);
}
export const abs = unary("abs");
export const absolute = unary("absolute", "abs");
export const sign = unary("sign");

export function floor(x: ArrayLike): Array {
  const a = asarray(x);
  return a.dtype.isFloat ? lax.floor(a) : a;
}
export function ceil(x: ArrayLike): Array {
  const a = asarray(x);
  return a.dtype.isFloat ? lax.ceil(a) : a;
}
export function trunc(x: ArrayLike): Array {
  const a = asarray(x);
  if (!a.dtype.isFloat) return a;
  return lax.selectN(lax.lt(a, lax.scalarLike(a, 0)), lax.floor(a), lax.ceil(a));
}
/** numpy round: half to even, with `decimals`. */
export function round(x: ArrayLike, decimals = 0): Array {
  const a = asarray(x);
  if (!a.dtype.isFloat) {
    if (decimals >= 0) return a;
    throw new NotImplementedError(
      "jnp.round of integers with negative decimals is not supported yet",
    );
  }
  if (decimals === 0) return bind1(P["round"]!, [a], { rounding_method: 1 });
  const f = lax.scalarLike(a, 10 ** decimals);
  return lax.div(bind1(P["round"]!, [lax.mul(a, f)], { rounding_method: 1 }), f);
}
export const around = round;
export function rint(x: ArrayLike): Array {
  return round(x, 0);
}

export const exp = inexactUnary("exp");
export const exp2 = inexactUnary("exp2");
export const expm1 = inexactUnary("expm1");
export const log = inexactUnary("log");
export const log1p = inexactUnary("log1p");
export const sqrt = inexactUnary("sqrt");
export const cbrt = inexactUnary("cbrt");
export const sin = inexactUnary("sin");
export const cos = inexactUnary("cos");
export const tan = inexactUnary("tan");
export const arcsin = inexactUnary("arcsin", "asin");
export const arccos = inexactUnary("arccos", "acos");
export const arctan = inexactUnary("arctan", "atan");
export const sinh = inexactUnary("sinh");
export const cosh = inexactUnary("cosh");
export const tanh = inexactUnary("tanh");
export const arcsinh = inexactUnary("arcsinh", "asinh");
export const arccosh = inexactUnary("arccosh", "acosh");
export const arctanh = inexactUnary("arctanh", "atanh");

export function log2(x: ArrayLike): Array {
  const a = promoteArgsInexact(x)[0]!;
  return lax.div(lax.log(a), lax.log(lax.scalarLike(a, 2)));
}
export function log10(x: ArrayLike): Array {
  const a = promoteArgsInexact(x)[0]!;
  return lax.div(lax.log(a), lax.log(lax.scalarLike(a, 10)));
}
export function square(x: ArrayLike): Array {
  return bind1(P["integer_pow"]!, [asarray(x)], { y: 2 });
}
export function reciprocal(x: ArrayLike): Array {
  const a = promoteArgsInexact(x)[0]!;
  return bind1(P["integer_pow"]!, [a], { y: -1 });
}

/** `x ** y`: a JS integer exponent stages `integer_pow[y=n]`, as `x ** 3` does in JAX. */
export function power(x: ArrayLike, y: ArrayLike): Array {
  if (typeof y === "number" && Number.isInteger(y) && typeof x !== "number") {
    const a = asarray(x);
    if (a.dtype.isFloat || y >= 0) return bind1(P["integer_pow"]!, [a], { y });
  }
  const [a, b] = promoteAndBroadcast(x, y);
  if (a!.dtype.isInt || a!.dtype.isBool) return intPower(a!, b!);
  return lax.pow(a!, b!);
}
export const pow = power;

/** Integer power by squaring, unrolled over the exponent's bits (as JAX's `_pow_int_int`). */
function intPower(x: Array, y: Array): Array {
  let acc = lax.fullLike(x, 1);
  let base = x;
  let e = y;
  const bits = 8 * x.dtype.itemsize;
  const one = lax.scalarLike(e, 1);
  const zero = lax.scalarLike(e, 0);
  for (let i = 0; i < bits; i++) {
    const bit = lax.ne(lax.and(e, one), zero);
    acc = lax.selectN(bit, acc, lax.mul(acc, base));
    base = lax.mul(base, base);
    e = lax.shiftRightLogical(e, one);
  }
  return lax.selectN(lax.lt(y, zero), acc, lax.fullLike(acc, 0));
}

/**
 * numpy floor division: rounds toward −∞ (integers: adjusts lax's truncating division).
 * Booleans are divided as int32, as JAX's `promote_args_numeric` (numpy would give int8).
 */
export function floorDivide(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsNumeric(x, y));
  if (a!.dtype.isFloat) return lax.floor(lax.div(a!, b!));
  if (!a!.dtype.isSigned) return lax.div(a!, b!);
  // JAX's floor_divide for signed ints, op for op: adjust where the signs differ and the
  // division is inexact.
  const q = lax.div(a!, b!);
  const signsDiffer = lax.ne(lax.sign(a!), lax.sign(b!));
  const inexact = lax.ne(lax.rem(a!, b!), lax.scalarLike(a!, 0));
  return lax.selectN(lax.and(signsDiffer, inexact), q, lax.sub(q, lax.scalarLike(a!, 1)));
}

/** numpy remainder: the result has the divisor's sign. */
export function remainder(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsNumeric(x, y));
  const r = lax.rem(a!, b!);
  if (!a!.dtype.isSigned && !a!.dtype.isFloat) return r;
  const zero = lax.scalarLike(a!, 0);
  const fix = lax.and(lax.ne(r, zero), lax.ne(lax.lt(r, zero), lax.lt(b!, zero)));
  return lax.selectN(fix, r, lax.add(r, b!));
}
export const mod = remainder;

export function fmod(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsNumeric(x, y));
  return lax.rem(a!, b!);
}

function boolOrInt(name: string, x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteAndBroadcast(x, y);
  if (a!.dtype.isFloat)
    throw new TypeError(
      `${name} is only defined for integer and boolean arrays, got ${a!.dtype.name}.`,
    );
  return bind1(
    P[
      name === "bitwise_and" || name === "logical_and"
        ? "and"
        : name === "bitwise_or" || name === "logical_or"
          ? "or"
          : "xor"
    ]!,
    [a!, b!],
  );
}
export const bitwiseAnd = (x: ArrayLike, y: ArrayLike) => boolOrInt("bitwise_and", x, y);
export const bitwiseOr = (x: ArrayLike, y: ArrayLike) => boolOrInt("bitwise_or", x, y);
export const bitwiseXor = (x: ArrayLike, y: ArrayLike) => boolOrInt("bitwise_xor", x, y);
export function bitwiseNot(x: ArrayLike): Array {
  return lax.not(asarray(x));
}
export function invert(x: ArrayLike): Array {
  return lax.not(asarray(x));
}
export function leftShift(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteAndBroadcast(x, y);
  return lax.shiftLeft(a!, b!);
}
export function rightShift(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteAndBroadcast(x, y);
  return a!.dtype.isSigned ? lax.shiftRightArithmetic(a!, b!) : lax.shiftRightLogical(a!, b!);
}

const toBool = (x: ArrayLike): Array => {
  const a = asarray(x);
  return a.dtype === bool ? a : lax.ne(a, lax.scalarLike(a, 0));
};
export function logicalAnd(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(toBool(x), toBool(y));
  return lax.and(a!, b!);
}
export function logicalOr(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(toBool(x), toBool(y));
  return lax.or(a!, b!);
}
export function logicalXor(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(toBool(x), toBool(y));
  return lax.xor(a!, b!);
}
export function logicalNot(x: ArrayLike): Array {
  return lax.not(toBool(x));
}

export function isnan(x: ArrayLike): Array {
  const a = asarray(x);
  if (a.dtype.isComplex) return lax.or(isnan(lax.real(a)), isnan(lax.imag(a)));
  return a.dtype.isFloat ? lax.ne(a, a) : lax.fullLike(a, false, bool);
}
export function isinf(x: ArrayLike): Array {
  const a = asarray(x);
  if (a.dtype.isComplex) return lax.or(isinf(lax.real(a)), isinf(lax.imag(a)));
  if (!a.dtype.isFloat) return lax.fullLike(a, false, bool);
  return lax.eq(lax.abs(a), lax.scalarLike(a, Infinity));
}
export function isfinite(x: ArrayLike): Array {
  const a = asarray(x);
  if (a.dtype.isComplex) return lax.and(isfinite(lax.real(a)), isfinite(lax.imag(a)));
  return a.dtype.isFloat ? lax.isFinite(a) : lax.fullLike(a, true, bool);
}
export function isposinf(x: ArrayLike): Array {
  const a = asarray(x);
  return a.dtype.isFloat ? lax.eq(a, lax.scalarLike(a, Infinity)) : lax.fullLike(a, false, bool);
}
export function isneginf(x: ArrayLike): Array {
  const a = asarray(x);
  return a.dtype.isFloat ? lax.eq(a, lax.scalarLike(a, -Infinity)) : lax.fullLike(a, false, bool);
}
export function signbit(x: ArrayLike): Array {
  const a = asarray(x);
  if (!a.dtype.isFloat) return lax.lt(a, lax.scalarLike(a, 0));
  const intType = a.dtype.itemsize === 8 ? int64 : a.dtype.itemsize === 2 ? int16 : int32;
  const i = bind1(lax.bitcastConvertTypeP, [a], { new_dtype: intType });
  return lax.lt(i, lax.scalarLike(i, 0));
}
export function copysign(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, y));
  return lax.selectN(signbit(b!), lax.abs(a!), lax.neg(lax.abs(a!)));
}

export function hypot(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, y));
  const ax = lax.abs(a!);
  const ay = lax.abs(b!);
  const hi = lax.max(ax, ay);
  const lo = lax.min(ax, ay);
  const isZero = lax.eq(hi, lax.scalarLike(hi, 0));
  const safe = lax.selectN(isZero, hi, lax.fullLike(hi, 1));
  const r = lax.div(lo, safe);
  return lax.selectN(
    isZero,
    lax.mul(hi, lax.sqrt(lax.add(lax.scalarLike(r, 1), lax.mul(r, r)))),
    hi,
  );
}

export function deg2rad(x: ArrayLike): Array {
  const a = promoteArgsInexact(x)[0]!;
  return lax.mul(a, lax.scalarLike(a, Math.PI / 180));
}
export function rad2deg(x: ArrayLike): Array {
  const a = promoteArgsInexact(x)[0]!;
  return lax.mul(a, lax.scalarLike(a, 180 / Math.PI));
}
export const radians = deg2rad;
export const degrees = rad2deg;

export function fmax(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteAndBroadcast(x, y);
  return lax.selectN(isnan(a!), lax.selectN(isnan(b!), lax.max(a!, b!), a!), b!);
}
export function fmin(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteAndBroadcast(x, y);
  return lax.selectN(isnan(a!), lax.selectN(isnan(b!), lax.min(a!, b!), a!), b!);
}

export function heaviside(x: ArrayLike, h0: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, h0));
  const zero = lax.scalarLike(a!, 0);
  return lax.selectN(
    lax.lt(a!, zero),
    lax.selectN(lax.gt(a!, zero), lax.add(b!, lax.fullLike(a!, 0)), lax.fullLike(a!, 1)),
    lax.fullLike(a!, 0),
  );
}

/** `jnp.where(cond, x, y)`: elementwise choice with broadcasting and promotion. */
export function where(condition: ArrayLike, x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteArgs(x, y);
  const c = toBool(condition);
  const shape = broadcastShapesOf(c, a!, b!);
  const bc = (t: Array) => broadcastTo(t, shape);
  return lax.selectN(bc(c), bc(b!), bc(a!));
}

/** `jnp.clip(x, min, max)`. */
export function clip(x: ArrayLike, min?: ArrayLike | null, max?: ArrayLike | null): Array {
  let a = asarray(x);
  if (min !== undefined && min !== null) a = maximum(min, a);
  if (max !== undefined && max !== null) a = minimum(max, a);
  return a;
}

import { broadcastShapes, checkShape } from "../core/shape.js";
function broadcastShapesOf(...xs: Array[]): number[] {
  const s = broadcastShapes(...xs.map((x) => x.shape));
  if (!s) {
    throw new ValueError(
      `Incompatible shapes for broadcasting: ${xs.map((x) => `(${x.shape.join(", ")}${x.ndim === 1 ? "," : ""})`).join(", ")}`,
    );
  }
  return s;
}

/** `jnp.broadcast_to(x, shape)`. */
export function broadcastTo(x: ArrayLike, shape: readonly number[]): Array {
  const a = asarray(x);
  checkShape(globalThis.Array.isArray(shape) ? shape : [shape], "broadcast_to: shape");
  if (a.shape.length === shape.length && a.shape.every((d, i) => d === shape[i])) return a;
  const off = shape.length - a.ndim;
  const ok = off >= 0 && a.shape.every((d, i) => d === 1 || d === shape[off + i]);
  if (!ok) {
    throw new ValueError(
      `Incompatible shapes for broadcasting: (${a.shape.join(", ")}${a.ndim === 1 ? "," : ""}) and requested shape (${shape.join(", ")}${shape.length === 1 ? "," : ""})`,
    );
  }
  return lax.broadcastInDim(
    a,
    shape,
    a.shape.map((_, i) => i + off),
  );
}
