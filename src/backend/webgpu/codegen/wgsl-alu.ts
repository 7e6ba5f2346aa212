/**
 * WGSL spellings of kernel-IR scalar ops for the dtypes the webgpu device holds (float32,
 * int32, uint32, bool), with the js device's (XLA's) semantics where WGSL differs: NaN-
 * propagating max/min with +0 > -0, integer division by zero (-1 / all ones; remainder: the
 * dividend), shifts past the width, saturating float → int casts with NaN → 0. NaN and
 * infinity tests use the bits (WGSL lets compilers assume finite floats). An op WGSL cannot
 * do here yet raises NotImplementedError naming the op, its dtype and the device.
 */
import type { DType } from "../../../core/dtype.js";
import { DeviceError, NotImplementedError } from "../../../core/errors.js";
import type { BinaryOp, UnaryOp } from "../../../kernel/expr.js";
import { SPECIAL_PRELUDE } from "./wgsl-special.js";

/** The dtypes the device holds, and their WGSL value types (bool is `u32` in storage). */
const VALUE_TYPE: Readonly<Record<string, string>> = {
  float32: "f32",
  int32: "i32",
  uint32: "u32",
  bool: "bool",
};

export function wgslType(d: DType): string {
  const t = VALUE_TYPE[d.name];
  if (!t) throw unsupportedDtype(d);
  return t;
}

/** The element type of a storage buffer of `d`. */
export const storageType = (d: DType): string => (d.isBool ? "u32" : wgslType(d));

export function unsupportedDtype(d: DType): DeviceError {
  if (d.name === "float16")
    return new DeviceError(
      "dtype float16 is not supported on the webgpu device yet (WGSL's f16 needs the " +
        "adapter's `shader-f16` feature, and the device does not generate f16 shaders yet). " +
        "Cast to float32, or use the js or wasm device for float16.",
    );
  return new DeviceError(
    `dtype ${d.name} is not supported on the webgpu device (it holds float32, int32, uint32 ` +
      `and bool; WGSL has no ${d.name}). Use the js or wasm device for ${d.name}, or cast first.`,
  );
}

export function unsupportedOp(op: string, d?: DType): NotImplementedError {
  return new NotImplementedError(
    `${op}${d ? ` on ${d.name}` : ""} is not implemented on the webgpu device yet; ` +
      `run it on the js or wasm device (config.update("defaultDevice", "wasm")).`,
  );
}

export function literal(value: number | bigint | boolean, d: DType): string {
  const v = Number(value);
  switch (wgslType(d)) {
    case "bool":
      return v ? "true" : "false";
    case "u32":
      return `${v >>> 0}u`;
    case "i32":
      return v === -2147483648 ? "(-2147483647i - 1i)" : v < 0 ? `(${v | 0}i)` : `${v | 0}i`;
    default: {
      const f = Math.fround(v);
      if (Number.isNaN(f)) return "f32_bits(0x7fc00000u)";
      if (f === Infinity) return "f32_bits(0x7f800000u)";
      if (f === -Infinity) return "f32_bits(0xff800000u)";
      if (Object.is(f, -0)) return "f32_bits(0x80000000u)";
      return f < 0 ? `(${f}f)` : `${f}f`;
    }
  }
}

/** Helper functions a shader may call; `preludeFor` picks the ones it uses. */
const PRELUDE = `fn f32_bits(b: u32) -> f32 { return bitcast<f32>(b); }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn fmax_(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return f32_bits(0x7fc00000u); }
  if (a == b) { return bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)); }
  return max(a, b);
}
fn fmin_(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return f32_bits(0x7fc00000u); }
  if (a == b) { return bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)); }
  return min(a, b);
}
fn sign_(x: f32) -> f32 { return select(select(x, 1.0, x > 0.0), -1.0, x < 0.0); }
fn round_away(x: f32) -> f32 { let t = trunc(x); return select(t, t + sign_(x), abs(x - t) >= 0.5); }
fn cbrt_(x: f32) -> f32 {
  if (x == 0.0 || is_nan(x) || is_inf(x)) { return x; }
  var y = sign_(x) * exp2(log2(abs(x)) / 3.0);
  y = y - (y * y * y - x) / (3.0 * y * y);
  return y;
}
fn expm1_(x: f32) -> f32 {
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  if (is_inf(u)) { return u; }
  return um1 * x / log(u);
}
fn log1p_(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (is_inf(u)) { return u; }
  return log(u) * x / (u - 1.0);
}
fn tanh_(x: f32) -> f32 { return select(tanh(x), sign_(x), abs(x) > 10.0); }
fn logistic_(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
fn powf_(a: f32, b: f32) -> f32 {
  if (a == 1.0 || b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f32_bits(0x7fc00000u); }
  if (a == -1.0 && is_inf(b)) { return 1.0; }
  let bint = trunc(b) == b && !is_inf(b);
  let odd = bint && abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
  if (a == 0.0) {
    let z = select(0.0, f32_bits(0x7f800000u), b < 0.0);
    return select(z, -z, odd && bitcast<u32>(a) == 0x80000000u);
  }
  if (a < 0.0) {
    if (!bint) { return f32_bits(0x7fc00000u); }
    let r = exp2(b * log2(-a));
    return select(r, -r, odd);
  }
  return exp2(b * log2(a));
}
fn ipow_i32(a: i32, e: i32) -> i32 {
  if (e < 0) { return select(select(0, select(1, -1, (e & 1) == 1), a == -1), 1, a == 1); }
  var r = 1; var base = a; var k = u32(e);
  loop { if (k == 0u) { break; } if ((k & 1u) == 1u) { r = r * base; } base = base * base; k = k >> 1u; }
  return r;
}
fn ipow_u32(a: u32, e: u32) -> u32 {
  var r = 1u; var base = a; var k = e;
  loop { if (k == 0u) { break; } if ((k & 1u) == 1u) { r = r * base; } base = base * base; k = k >> 1u; }
  return r;
}
fn f2i32(x: f32) -> i32 {
  if (is_nan(x)) { return 0; }
  if (x >= 2147483648.0) { return 2147483647; }
  if (x <= -2147483648.0) { return -2147483647 - 1; }
  return i32(x);
}
fn f2u32(x: f32) -> u32 {
  if (is_nan(x) || x <= 0.0) { return 0u; }
  if (x >= 4294967296.0) { return 0xffffffffu; }
  return u32(x);
}
`;

/** The prelude's functions, by name. */
const HELPERS: readonly (readonly [string, string])[] = (PRELUDE + SPECIAL_PRELUDE)
  .split(/\n(?=fn )/)
  .map((f) => [/^fn (\w+)/.exec(f)![1]!, f.trimEnd()]);

/**
 * The helper functions `code` calls, transitively, in prelude order (each shader compiles only
 * what it uses: on lavapipe every function costs LLVM compile time).
 */
export function preludeFor(code: string): string {
  const used = new Set<string>();
  let text = code;
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, fn] of HELPERS) {
      if (!used.has(name) && new RegExp(`\\b${name}\\(`).test(text)) {
        used.add(name);
        text += fn;
        changed = true;
      }
    }
  }
  return HELPERS.filter(([n]) => used.has(n))
    .map(([, f]) => f)
    .join("\n");
}

const FLOAT_UNARY: Partial<Record<UnaryOp, (x: string) => string>> = {
  neg: (x) => `(-${x})`,
  abs: (x) => `abs(${x})`,
  sign: (x) => `sign_(${x})`,
  floor: (x) => `floor(${x})`,
  ceil: (x) => `ceil(${x})`,
  round: (x) => `round_away(${x})`,
  round_even: (x) => `round(${x})`,
  sqrt: (x) => `sqrt(${x})`,
  rsqrt: (x) => `(1.0 / sqrt(${x}))`,
  cbrt: (x) => `cbrt_(${x})`,
  exp: (x) => `exp(${x})`,
  exp2: (x) => `exp2(${x})`,
  expm1: (x) => `expm1_(${x})`,
  log: (x) => `log(${x})`,
  log1p: (x) => `log1p_(${x})`,
  tanh: (x) => `tanh_(${x})`,
  logistic: (x) => `logistic_(${x})`,
  sin: (x) => `sin(${x})`,
  cos: (x) => `cos(${x})`,
  tan: (x) => `tan(${x})`,
  asin: (x) => `asin(${x})`,
  acos: (x) => `acos(${x})`,
  atan: (x) => `atan(${x})`,
  sinh: (x) => `sinh(${x})`,
  cosh: (x) => `cosh(${x})`,
  asinh: (x) => `asinh(${x})`,
  acosh: (x) => `acosh(${x})`,
  atanh: (x) => `atanh(${x})`,
  erf: (x) => `erf_(${x})`,
  erfc: (x) => `erfc_(${x})`,
  erf_inv: (x) => `erf_inv_(${x})`,
};

/** `inDtype` is the operand's dtype; `d` the result's. */
export function unaryWgsl(fn: UnaryOp, d: DType, x: string, inDtype: DType): string {
  if (fn === "is_finite") return `((bitcast<u32>(${x}) & 0x7f800000u) != 0x7f800000u)`;
  const t = wgslType(inDtype);
  if (t === "f32") {
    const f = FLOAT_UNARY[fn];
    if (!f) throw unsupportedOp(fn, inDtype);
    return f(x);
  }
  if (t === "bool") {
    if (fn === "not") return `(!${x})`;
    if (fn === "abs" || fn === "floor" || fn === "ceil" || fn === "round" || fn === "round_even")
      return x;
    throw unsupportedOp(fn, inDtype);
  }
  switch (fn) {
    case "neg":
      return t === "i32" ? `(0i - ${x})` : `(0u - ${x})`;
    case "abs":
      return t === "i32" ? `select(${x}, 0i - ${x}, ${x} < 0i)` : x;
    case "sign":
      return t === "i32" ? `sign(${x})` : `select(0u, 1u, ${x} != 0u)`;
    case "not":
      return `(~${x})`;
    case "popcnt":
      return `${wgslType(d)}(countOneBits(${x}))`;
    case "clz":
      return `${wgslType(d)}(countLeadingZeros(${x}))`;
    case "floor":
    case "ceil":
    case "round":
    case "round_even":
      return x;
    default:
      throw unsupportedOp(fn, inDtype);
  }
}

const CMP: Partial<Record<BinaryOp, string>> = {
  eq: "==",
  ne: "!=",
  lt: "<",
  le: "<=",
  gt: ">",
  ge: ">=",
};

/** `d` is the operand dtype (comparisons give bool). */
export function binaryWgsl(fn: BinaryOp, d: DType, a: string, b: string): string {
  const t = wgslType(d);
  const c = CMP[fn];
  if (c) {
    if (t === "bool" && c !== "==" && c !== "!=") return `(u32(${a}) ${c} u32(${b}))`;
    // Shader compilers may fold NaN tests away: NaN operands are handled by their bits.
    if (t === "f32") {
      const nan = `is_nan(${a}) || is_nan(${b})`;
      return c === "!=" ? `((${a} != ${b}) || ${nan})` : `((${a} ${c} ${b}) && !(${nan}))`;
    }
    return `(${a} ${c} ${b})`;
  }
  if (t === "bool") {
    switch (fn) {
      case "and":
      case "min":
      case "mul":
        return `(${a} && ${b})`;
      case "or":
      case "max":
      case "add":
        return `(${a} || ${b})`;
      case "xor":
      case "ne":
        return `(${a} != ${b})`;
      default:
        throw unsupportedOp(fn, d);
    }
  }
  if (t === "f32") {
    switch (fn) {
      case "add":
        return `(${a} + ${b})`;
      case "sub":
        return `(${a} - ${b})`;
      case "mul":
        return `(${a} * ${b})`;
      case "div":
        return `(${a} / ${b})`;
      case "rem":
        return `(${a} % ${b})`;
      case "pow":
        return `powf_(${a}, ${b})`;
      case "max":
        return `fmax_(${a}, ${b})`;
      case "min":
        return `fmin_(${a}, ${b})`;
      case "atan2":
        return `atan2(${a}, ${b})`;
      default:
        throw unsupportedOp(fn, d);
    }
  }
  const zero = t === "i32" ? "0i" : "0u";
  switch (fn) {
    case "add":
      return `(${a} + ${b})`;
    case "sub":
      return `(${a} - ${b})`;
    case "mul":
      return `(${a} * ${b})`;
    case "div":
      return `select(${a} / ${b}, ${t === "i32" ? "-1i" : "0xffffffffu"}, ${b} == ${zero})`;
    case "rem":
      return `select(${a} % ${b}, ${a}, ${b} == ${zero})`;
    case "pow":
      return t === "i32" ? `ipow_i32(${a}, ${b})` : `ipow_u32(${a}, ${b})`;
    case "max":
      return `max(${a}, ${b})`;
    case "min":
      return `min(${a}, ${b})`;
    case "and":
      return `(${a} & ${b})`;
    case "or":
      return `(${a} | ${b})`;
    case "xor":
      return `(${a} ^ ${b})`;
    case "shl":
      return `select(${a} << u32(${b}), ${zero}, u32(${b}) >= 32u)`;
    case "shr_logical":
      return t === "i32"
        ? `select(bitcast<i32>(bitcast<u32>(${a}) >> u32(${b})), 0i, u32(${b}) >= 32u)`
        : `select(${a} >> ${b}, 0u, ${b} >= 32u)`;
    case "shr_arith":
      return t === "i32"
        ? `(${a} >> min(u32(${b}), 31u))`
        : `bitcast<u32>(bitcast<i32>(${a}) >> min(${b}, 31u))`;
    case "floordiv":
      return `((${a} - (((${a} % ${b}) + ${b}) % ${b})) / ${b})`;
    case "floormod":
      return `(((${a} % ${b}) + ${b}) % ${b})`;
    default:
      throw unsupportedOp(fn, d);
  }
}

/** convert_element_type: float → int truncates toward zero, NaN → 0, saturating. */
export function castWgsl(from: DType, to: DType, x: string): string {
  const f = wgslType(from);
  const t = wgslType(to);
  if (f === t) return x;
  if (t === "bool")
    return f === "f32"
      ? `((${x} != 0.0) || is_nan(${x}))`
      : `(${x} != ${f === "i32" ? "0i" : "0u"})`;
  if (f === "bool") return `select(${literal(0, to)}, ${literal(1, to)}, ${x})`;
  if (t === "f32") return `f32(${x})`;
  if (f === "f32") return t === "i32" ? `f2i32(${x})` : `f2u32(${x})`;
  return `bitcast<${t}>(${x})`;
}

export function bitcastWgsl(from: DType, to: DType, x: string): string {
  const f = wgslType(from);
  const t = wgslType(to);
  if (f === "bool" || t === "bool") throw unsupportedOp("bitcast_convert_type", from);
  return f === t ? x : `bitcast<${t}>(${x})`;
}
