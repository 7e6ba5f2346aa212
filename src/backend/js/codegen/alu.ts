/**
 * JavaScript spellings of kernel-IR scalar ops, per dtype, with XLA's semantics. Floating
 * point: every float32/float16 result is rounded to its dtype (Math.fround / f16 rounding),
 * so + − × ÷ √ are exactly IEEE float32 and transcendentals are computed in double and
 * rounded once (≤ 1 ulp). Integers wrap; integer division by zero gives -1 (remainder: the
 * dividend); shifts past the bit width give 0 (or the sign fill). int64/uint64 use BigInt.
 * Helpers named `rt.*` live in helpers.ts.
 */
import type { DType } from "../../../core/dtype.js";
import type { BinaryOp, UnaryOp } from "../../../kernel/expr.js";

/** Wrap a JS number expression to the dtype's value set. */
export function wrap(d: DType, x: string): string {
  switch (d.name) {
    case "float32":
      return `Math.fround(${x})`;
    case "float16":
      return `rt.f16round(${x})`;
    case "float64":
      return x;
    case "int32":
      return `((${x}) | 0)`;
    case "uint32":
      return `((${x}) >>> 0)`;
    case "int16":
      return `(((${x}) << 16) >> 16)`;
    case "int8":
      return `(((${x}) << 24) >> 24)`;
    case "uint16":
      return `((${x}) & 0xffff)`;
    case "uint8":
      return `((${x}) & 0xff)`;
    case "bool":
      return `((${x}) ? 1 : 0)`;
    case "int64":
      return `BigInt.asIntN(64, ${x})`;
    case "uint64":
      return `BigInt.asUintN(64, ${x})`;
    default:
      throw new Error(`no wrap for ${d.name}`);
  }
}

export function literal(value: number | bigint, d: DType): string {
  if (d.isBig) return `${BigInt(value)}n`;
  const v = Number(value);
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return v < 0 ? `(${v})` : String(v);
}

const floatUnary: Partial<Record<UnaryOp, (x: string) => string>> = {
  neg: (x) => `-${x}`,
  abs: (x) => `Math.abs(${x})`,
  sign: (x) => `Math.sign(${x})`,
  floor: (x) => `Math.floor(${x})`,
  ceil: (x) => `Math.ceil(${x})`,
  round: (x) => `rt.roundAway(${x})`,
  round_even: (x) => `rt.roundEven(${x})`,
  sqrt: (x) => `Math.sqrt(${x})`,
  rsqrt: (x) => `(1 / Math.sqrt(${x}))`,
  cbrt: (x) => `Math.cbrt(${x})`,
  exp: (x) => `Math.exp(${x})`,
  exp2: (x) => `Math.pow(2, ${x})`,
  expm1: (x) => `Math.expm1(${x})`,
  log: (x) => `Math.log(${x})`,
  log1p: (x) => `Math.log1p(${x})`,
  tanh: (x) => `Math.tanh(${x})`,
  logistic: (x) => `(1 / (1 + Math.exp(-${x})))`,
  sin: (x) => `Math.sin(${x})`,
  cos: (x) => `Math.cos(${x})`,
  tan: (x) => `Math.tan(${x})`,
  asin: (x) => `Math.asin(${x})`,
  acos: (x) => `Math.acos(${x})`,
  atan: (x) => `Math.atan(${x})`,
  sinh: (x) => `Math.sinh(${x})`,
  cosh: (x) => `Math.cosh(${x})`,
  asinh: (x) => `Math.asinh(${x})`,
  acosh: (x) => `Math.acosh(${x})`,
  atanh: (x) => `Math.atanh(${x})`,
  erf: (x) => `rt.erf(${x})`,
  erfc: (x) => `rt.erfc(${x})`,
  erf_inv: (x) => `rt.erfInv(${x})`,
  lgamma: (x) => `rt.lgamma(${x})`,
  digamma: (x) => `rt.digamma(${x})`,
};

export function unaryJs(fn: UnaryOp, d: DType, x: string, inDtype: DType): string {
  if (fn === "is_finite") return `(Number.isFinite(${x}) ? 1 : 0)`;
  if (d.isFloat) {
    const f = floatUnary[fn];
    if (!f) throw new Error(`unary ${fn} is not defined for ${d.name}`);
    return wrap(d, f(x));
  }
  if (d.isBig) {
    switch (fn) {
      case "neg":
        return wrap(d, `-${x}`);
      case "abs":
        return wrap(d, `(${x} < 0n ? -${x} : ${x})`);
      case "sign":
        return `(${x} > 0n ? 1n : ${x} < 0n ? -1n : 0n)`;
      case "not":
        return wrap(d, `~${x}`);
      case "popcnt":
        return `rt.popcnt64(${x})`;
      default:
        throw new Error(`unary ${fn} is not defined for ${d.name}`);
    }
  }
  switch (fn) {
    case "neg":
      return wrap(d, `-${x}`);
    case "abs":
      return wrap(d, `Math.abs(${x})`);
    case "sign":
      return `Math.sign(${x})`;
    case "not":
      return d.isBool ? `(${x} ^ 1)` : wrap(d, `~${x}`);
    case "popcnt":
      return `rt.popcnt32(${inDtype.isSigned ? `(${x} & ${(2 ** (8 * inDtype.itemsize) - 1) >>> 0})` : x})`;
    case "clz":
      return `(Math.clz32(${x}) - ${32 - 8 * d.itemsize})`;
    case "floor":
    case "ceil":
    case "round":
    case "round_even":
      return x;
    default:
      throw new Error(`unary ${fn} is not defined for ${d.name}`);
  }
}

const cmp: Partial<Record<BinaryOp, string>> = {
  eq: "===",
  ne: "!==",
  lt: "<",
  le: "<=",
  gt: ">",
  ge: ">=",
};

/** `d` is the operand dtype (the result dtype of comparisons is bool). */
export function binaryJs(fn: BinaryOp, d: DType, a: string, b: string): string {
  const c = cmp[fn];
  if (c) return `(${a} ${c} ${b} ? 1 : 0)`;
  if (d.isFloat) {
    switch (fn) {
      case "add":
        return wrap(d, `${a} + ${b}`);
      case "sub":
        return wrap(d, `${a} - ${b}`);
      case "mul":
        return wrap(d, `${a} * ${b}`);
      case "div":
        return wrap(d, `${a} / ${b}`);
      case "rem":
        return wrap(d, `${a} % ${b}`);
      case "pow":
        return wrap(d, `rt.powf(${a}, ${b})`);
      case "max":
        return `rt.fmax(${a}, ${b})`;
      case "min":
        return `rt.fmin(${a}, ${b})`;
      case "atan2":
        return wrap(d, `Math.atan2(${a}, ${b})`);
      case "nextafter":
        return d.name === "float32" ? `rt.nextafter32(${a}, ${b})` : `rt.nextafter64(${a}, ${b})`;
      default:
        throw new Error(`binary ${fn} is not defined for ${d.name}`);
    }
  }
  if (d.isBig) {
    switch (fn) {
      case "add":
        return wrap(d, `${a} + ${b}`);
      case "sub":
        return wrap(d, `${a} - ${b}`);
      case "mul":
        return wrap(d, `${a} * ${b}`);
      case "div":
        return `(${b} === 0n ? ${d.isSigned ? "-1n" : "18446744073709551615n"} : ${wrap(d, `${a} / ${b}`)})`;
      case "rem":
        return `(${b} === 0n ? ${a} : ${a} % ${b})`;
      case "max":
        return `(${a} > ${b} ? ${a} : ${b})`;
      case "min":
        return `(${a} < ${b} ? ${a} : ${b})`;
      case "and":
        return wrap(d, `${a} & ${b}`);
      case "or":
        return wrap(d, `${a} | ${b}`);
      case "xor":
        return wrap(d, `${a} ^ ${b}`);
      case "pow":
        return wrap(d, `rt.ipowBig(${a}, ${b})`);
      case "shl":
        return `(${b} >= 64n || ${b} < 0n ? 0n : ${wrap(d, `${a} << ${b}`)})`;
      case "shr_logical":
        return `(${b} >= 64n || ${b} < 0n ? 0n : ${wrap(d, `BigInt.asUintN(64, ${a}) >> ${b}`)})`;
      case "shr_arith":
        return wrap(d, `BigInt.asIntN(64, ${a}) >> (${b} >= 64n || ${b} < 0n ? 63n : ${b})`);
      default:
        throw new Error(`binary ${fn} is not defined for ${d.name}`);
    }
  }
  const bits = 8 * d.itemsize;
  switch (fn) {
    case "add":
      return wrap(d, `${a} + ${b}`);
    case "sub":
      return wrap(d, `${a} - ${b}`);
    case "mul":
      return wrap(d, `Math.imul(${a}, ${b})`);
    case "div":
      return `(${b} === 0 ? ${d.isSigned ? -1 : 2 ** bits - 1} : ${wrap(d, `Math.trunc(${a} / ${b})`)})`;
    case "rem":
      return `(${b} === 0 ? ${a} : ${wrap(d, `${a} % ${b}`)})`;
    case "pow":
      return wrap(d, `rt.ipow(${a}, ${b})`);
    case "max":
      return `(${a} > ${b} ? ${a} : ${b})`;
    case "min":
      return `(${a} < ${b} ? ${a} : ${b})`;
    case "and":
      return d.isBool ? `(${a} & ${b})` : wrap(d, `${a} & ${b}`);
    case "or":
      return d.isBool ? `(${a} | ${b})` : wrap(d, `${a} | ${b}`);
    case "xor":
      return d.isBool ? `(${a} ^ ${b})` : wrap(d, `${a} ^ ${b}`);
    case "shl":
      return `(${b} >>> 0 >= ${bits} ? 0 : ${wrap(d, `${a} << ${b}`)})`;
    case "shr_logical": {
      const ua = d.isSigned ? `(${a} & ${2 ** bits - 1})` : a;
      return `(${b} >>> 0 >= ${bits} ? 0 : ${wrap(d, `${ua} >>> ${b}`)})`;
    }
    case "shr_arith": {
      const sa = d.isSigned ? a : `(${a} << ${32 - bits} >> ${32 - bits})`;
      return wrap(d, `${sa} >> (${b} >>> 0 >= ${bits} ? ${bits - 1} : ${b})`);
    }
    case "floordiv":
      return `Math.floor(${a} / ${b})`;
    case "floormod":
      return `(((${a} % ${b}) + ${b}) % ${b})`;
    default:
      throw new Error(`binary ${fn} is not defined for ${d.name}`);
  }
}

/** convert_element_type semantics: float→int truncates toward zero, NaN→0, saturating. */
export function castJs(from: DType, to: DType, x: string): string {
  if (to.isBool) return from.isBig ? `(${x} !== 0n ? 1 : 0)` : `(${x} !== 0 ? 1 : 0)`;
  if (to.isBig) {
    if (from.isBig) return wrap(to, x);
    // `?? 0`: a load from an empty buffer (hoisted out of a loop that never selects it) is
    // undefined, which BigInt() would throw on.
    if (from.isFloat) return `rt.f2big(${x} ?? 0, ${to.isSigned})`;
    return wrap(to, `BigInt(${x} ?? 0)`);
  }
  if (from.isBig)
    return to.isFloat ? wrap(to, `Number(${x})`) : wrap(to, `Number(BigInt.asIntN(32, ${x}))`);
  if (to.isFloat) return wrap(to, x);
  if (from.isFloat)
    return `rt.f2i(${x}, ${to.isSigned ? -(2 ** (8 * to.itemsize - 1)) : 0}, ${to.isSigned ? 2 ** (8 * to.itemsize - 1) - 1 : 2 ** (8 * to.itemsize) - 1})`;
  return wrap(to, x);
}

export function bitcastJs(from: DType, to: DType, x: string): string {
  return `rt.bitcast_${from.name}_${to.name}(${x})`;
}
