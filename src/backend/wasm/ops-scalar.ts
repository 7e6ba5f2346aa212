/**
 * Scalar wasm spellings of kernel-IR ops with the JS device's semantics (src/backend/js/alu.ts):
 * integers wrap, division by zero gives -1 (unsigned: all ones; remainder: the dividend),
 * shifts past the width give 0 / the sign fill, float->int casts truncate with NaN -> 0 and
 * saturate. Each emitter pushes its result; operands are Vals (locals or constants) that may
 * be pushed several times. Transcendentals run the f32x4 math library on lane 0.
 */
import type { DType } from "../../core/dtype.js";
import type { BinaryOp, UnaryOp } from "../kernel/expr.js";
import type { FunctionBuilder, PlainOp } from "./encoder.js";
import { type Val, bitsOf, isF32, isUnsigned, maxOf, minOf, pushS, wrapS } from "./codegen-values.js";
import { BINARY_MATH, UNARY_MATH, type BinaryMathFn, type UnaryMathFn } from "./simd-math.js";

const INT_MIN = -2147483648;

function withTemps(f: FunctionBuilder, types: ("i32" | "f32" | "f64")[], body: (...t: number[]) => void): void {
  const ls = types.map((t) => f.acquireLocal(t));
  body(...ls);
  f.releaseLocal(...ls);
}

export function scalarUnary(f: FunctionBuilder, fn: UnaryOp, outD: DType, inD: DType, x: Val): void {
  const X = () => pushS(f, x, inD);
  if (fn === "is_finite") {
    X();
    f.op("f32.abs").f32Const(Infinity).op("f32.lt");
    return;
  }
  if (isF32(inD)) return floatUnary(f, fn, X);
  if (inD.isBool) {
    X();
    if (fn === "not") f.i32Const(1).op("i32.xor");
    return;
  }
  switch (fn) {
    case "neg":
      f.i32Const(0);
      X();
      f.op("i32.sub");
      wrapS(f, outD);
      return;
    case "not":
      X();
      f.i32Const(-1).op("i32.xor");
      if (!inD.isSigned) wrapS(f, outD);
      return;
    case "abs":
      if (!inD.isSigned) return X();
      f.i32Const(0);
      X();
      f.op("i32.sub");
      X();
      X();
      f.i32Const(0).op("i32.lt_s").op("select");
      wrapS(f, outD);
      return;
    case "sign":
      X();
      f.i32Const(0);
      if (!inD.isSigned) return void f.op("i32.ne");
      f.op("i32.gt_s");
      X();
      f.i32Const(0).op("i32.lt_s").op("i32.sub");
      return;
    case "popcnt":
      X();
      if (inD.isSigned && bitsOf(inD) < 32) f.i32Const(2 ** bitsOf(inD) - 1).op("i32.and");
      f.op("i32.popcnt");
      return;
    case "clz":
      X();
      f.op("i32.clz");
      if (bitsOf(outD) < 32) f.i32Const(32 - bitsOf(outD)).op("i32.sub");
      return;
    default: // floor, ceil, round, round_even: identity on integers
      return X();
  }
}

function floatUnary(f: FunctionBuilder, fn: UnaryOp, X: () => void): void {
  switch (fn) {
    case "neg":
      X();
      f.op("f32.neg");
      return;
    case "abs":
      X();
      f.op("f32.abs");
      return;
    case "floor":
      X();
      f.op("f32.floor");
      return;
    case "ceil":
      X();
      f.op("f32.ceil");
      return;
    case "round_even":
      X();
      f.op("f32.nearest");
      return;
    case "sqrt":
      X();
      f.op("f32.sqrt");
      return;
    case "rsqrt":
      f.f32Const(1);
      X();
      f.op("f32.sqrt").op("f32.div");
      return;
    case "sign":
      // x > 0 ? 1 : x < 0 ? -1 : x  (NaN and ±0 pass through)
      f.f32Const(1).f32Const(-1);
      X();
      X();
      f.f32Const(0).op("f32.lt").op("select");
      X();
      f.f32Const(0).op("f32.gt").op("select");
      return;
    case "round":
      // half away from zero: t + copysign(|x - t| >= 0.5, x), t = trunc(x)
      withTemps(f, ["f32"], (t) => {
        X();
        f.op("f32.trunc").localTee(t);
        f.f32Const(1).f32Const(0);
        X();
        f.localGet(t).op("f32.sub").op("f32.abs").f32Const(0.5).op("f32.ge").op("select");
        X();
        f.op("f32.copysign").op("f32.add");
      });
      return;
    default: {
      const math = UNARY_MATH[fn as UnaryMathFn];
      if (!math) throw new Error(`wasm: unary ${fn} on float32`);
      X();
      f.op("f32x4.splat");
      math(f);
      f.lane("f32x4.extract_lane", 0);
    }
  }
}

const F_CMP: Partial<Record<BinaryOp, PlainOp>> = { eq: "f32.eq", ne: "f32.ne", lt: "f32.lt", le: "f32.le", gt: "f32.gt", ge: "f32.ge" };
const S_CMP: Partial<Record<BinaryOp, PlainOp>> = { eq: "i32.eq", ne: "i32.ne", lt: "i32.lt_s", le: "i32.le_s", gt: "i32.gt_s", ge: "i32.ge_s" };
const U_CMP: Partial<Record<BinaryOp, PlainOp>> = { eq: "i32.eq", ne: "i32.ne", lt: "i32.lt_u", le: "i32.le_u", gt: "i32.gt_u", ge: "i32.ge_u" };
const F_BIN: Partial<Record<BinaryOp, PlainOp>> = { add: "f32.add", sub: "f32.sub", mul: "f32.mul", div: "f32.div", max: "f32.max", min: "f32.min" };

/** `d` is the operand dtype; `nonneg`: the left operand of floordiv/floormod is known ≥ 0. */
export function scalarBinary(f: FunctionBuilder, fn: BinaryOp, d: DType, a: Val, b: Val, nonneg = false): void {
  const A = () => pushS(f, a, d);
  const B = () => pushS(f, b, d);
  if (isF32(d)) {
    const cmp = F_CMP[fn] ?? F_BIN[fn];
    if (cmp) {
      A();
      B();
      f.op(cmp);
      return;
    }
    if (fn === "pow" || fn === "atan2") {
      A();
      f.op("f32x4.splat");
      B();
      f.op("f32x4.splat");
      BINARY_MATH[fn as BinaryMathFn](f);
      f.lane("f32x4.extract_lane", 0);
      return;
    }
    if (fn === "nextafter") return nextafter(f, A, B);
    if (fn === "rem") return fmod(f, A, B);
    throw new Error(`wasm: binary ${fn} on float32`);
  }
  const cmp = (isUnsigned(d) ? U_CMP : S_CMP)[fn];
  if (cmp) {
    A();
    B();
    f.op(cmp);
    return;
  }
  if (d.isBool) return boolBinary(f, fn, A, B);
  intBinary(f, fn, d, A, B, nonneg);
}

function boolBinary(f: FunctionBuilder, fn: BinaryOp, A: () => void, B: () => void): void {
  const op: Partial<Record<BinaryOp, PlainOp>> = {
    add: "i32.or",
    or: "i32.or",
    max: "i32.or",
    mul: "i32.and",
    and: "i32.and",
    min: "i32.and",
    sub: "i32.xor",
    xor: "i32.xor",
  };
  A();
  B();
  f.op(op[fn]!);
}

function intBinary(f: FunctionBuilder, fn: BinaryOp, d: DType, A: () => void, B: () => void, nonneg: boolean): void {
  const signed = d.isSigned;
  const bits = bitsOf(d);
  const simple = (op: PlainOp, wrap: boolean) => {
    A();
    B();
    f.op(op);
    if (wrap) wrapS(f, d);
  };
  switch (fn) {
    case "add":
      return simple("i32.add", true);
    case "sub":
      return simple("i32.sub", true);
    case "mul":
      return simple("i32.mul", true);
    case "and":
      return simple("i32.and", false);
    case "or":
      return simple("i32.or", false);
    case "xor":
      return simple("i32.xor", false);
    case "max":
    case "min": {
      A();
      B();
      A();
      B();
      const gt = signed ? "i32.gt_s" : "i32.gt_u";
      const lt = signed ? "i32.lt_s" : "i32.lt_u";
      f.op(fn === "max" ? gt : lt).op("select");
      return;
    }
    case "div": {
      // b == 0 -> -1 (unsigned: the type's max); int32 MIN / -1 -> MIN (divide by 1 instead)
      f.i32Const(signed ? -1 : maxOf(d));
      A();
      f.i32Const(1);
      B();
      B();
      f.op("i32.eqz");
      if (signed && bits === 32) {
        A();
        f.i32Const(INT_MIN).op("i32.eq");
        B();
        f.i32Const(-1).op("i32.eq").op("i32.and").op("i32.or");
      }
      f.op("select").op(signed ? "i32.div_s" : "i32.div_u");
      if (signed) wrapS(f, d);
      B();
      f.op("i32.eqz").op("select");
      return;
    }
    case "rem":
      A();
      A();
      f.i32Const(1);
      B();
      B();
      f.op("i32.eqz").op("select").op(signed ? "i32.rem_s" : "i32.rem_u");
      B();
      f.op("i32.eqz").op("select");
      return;
    case "shl":
      f.i32Const(0);
      simple("i32.shl", true);
      B();
      f.i32Const(bits).op("i32.ge_u").op("select");
      return;
    case "shr_logical":
      f.i32Const(0);
      A();
      if (signed && bits < 32) f.i32Const(2 ** bits - 1).op("i32.and");
      B();
      f.op("i32.shr_u");
      wrapS(f, d);
      B();
      f.i32Const(bits).op("i32.ge_u").op("select");
      return;
    case "shr_arith":
      A();
      if (!signed && bits < 32) f.i32Const(32 - bits).op("i32.shl").i32Const(32 - bits).op("i32.shr_s");
      f.i32Const(bits - 1);
      B();
      B();
      f.i32Const(bits).op("i32.ge_u").op("select").op("i32.shr_s");
      wrapS(f, d);
      return;
    case "pow":
      return ipow(f, d, A, B);
    case "floordiv":
      // b is a positive constant: floor(a / b) = trunc + (remainder < 0 ? -1 : 0)
      A();
      B();
      f.op("i32.div_s");
      if (!nonneg) {
        A();
        B();
        f.op("i32.rem_s").i32Const(31).op("i32.shr_s").op("i32.add");
      }
      return;
    case "floormod":
      A();
      B();
      f.op("i32.rem_s");
      if (!nonneg) {
        withTemps(f, ["i32"], (r) => {
          f.localTee(r);
          B();
          f.localGet(r).i32Const(31).op("i32.shr_s").op("i32.and").op("i32.add");
        });
      }
      return;
    default:
      throw new Error(`wasm: binary ${fn} on ${d.name}`);
  }
}

/** Integer power by squaring with wrapping; negative exponents give 0 unless |a| = 1 (as rt.ipow). */
function ipow(f: FunctionBuilder, d: DType, A: () => void, B: () => void): void {
  withTemps(f, ["i32", "i32", "i32"], (r, base, e) => {
    f.i32Const(1).localSet(r);
    A();
    f.localSet(base);
    B();
    f.localSet(e);
    if (d.isSigned) {
      B();
      f.i32Const(0).op("i32.lt_s");
      f.if();
      // a == 1 ? 1 : a == -1 ? (b & 1 ? -1 : 1) : 0
      f.i32Const(1);
      f.i32Const(-1).i32Const(1);
      B();
      f.i32Const(1).op("i32.and").op("select");
      f.i32Const(0);
      A();
      f.i32Const(-1).op("i32.eq").op("select");
      A();
      f.i32Const(1).op("i32.eq").op("select").localSet(r);
      f.i32Const(0).localSet(e);
      f.end();
    }
    const out = f.block();
    const top = f.loop();
    f.localGet(e).op("i32.eqz").br_if(out);
    f.localGet(e).i32Const(1).op("i32.and");
    f.if();
    f.localGet(r).localGet(base).op("i32.mul").localSet(r);
    f.end();
    f.localGet(base).localGet(base).op("i32.mul").localSet(base);
    f.localGet(e).i32Const(1).op("i32.shr_u").localSet(e);
    f.br(top);
    f.end();
    f.end();
    f.localGet(r);
    wrapS(f, d);
  });
}

/** nextafter on float32 (as rt.nextafter32). */
function nextafter(f: FunctionBuilder, A: () => void, B: () => void): void {
  withTemps(f, ["f32"], (t) => {
    // bits(a) + ((a < b) == (a > 0) ? 1 : -1)
    A();
    f.op("i32.reinterpret_f32");
    A();
    B();
    f.op("f32.lt");
    A();
    f.f32Const(0).op("f32.gt").op("i32.eq").i32Const(1).op("i32.shl").i32Const(1).op("i32.sub");
    f.op("i32.add").op("f32.reinterpret_i32").localSet(t);
    // a == 0 -> smallest subnormal with b's sign
    f.f32Const(1.401298464324817e-45);
    B();
    f.op("f32.copysign").localGet(t);
    A();
    f.f32Const(0).op("f32.eq").op("select").localSet(t);
    B();
    f.localGet(t);
    A();
    B();
    f.op("f32.eq").op("select").localSet(t);
    f.f32Const(NaN).localGet(t);
    A();
    A();
    f.op("f32.ne");
    B();
    B();
    f.op("f32.ne").op("i32.or").op("select");
  });
}

/**
 * Exact float32 remainder with the sign of the dividend (C fmod, as JS `%`), in f64: the
 * divisor is scaled by 2^26 steps so that every partial quotient stays below 2^26 and each
 * step x - q·t is exact.
 */
function fmod(f: FunctionBuilder, A: () => void, B: () => void): void {
  withTemps(f, ["f64", "f64", "f64", "f64"], (x, y, t, q) => {
    A();
    f.op("f32.abs").op("f64.promote_f32").localSet(x);
    B();
    f.op("f32.abs").op("f64.promote_f32").localSet(y);
    const outer = f.block();
    f.localGet(y).f64Const(0).op("f64.gt").op("i32.eqz").br_if(outer); // b == 0 or NaN
    const again = f.loop();
    f.localGet(x).localGet(y).op("f64.lt").br_if(outer);
    f.localGet(y).localSet(t);
    // grow t by 2^26 while t·2^26 <= x (y finite nonzero here; inf/0/NaN are patched below)
    const grown = f.block();
    const grow = f.loop();
    f.localGet(t).f64Const(67108864).op("f64.mul").localTee(q).localGet(x).op("f64.gt").br_if(grown);
    f.localGet(q).op("f64.abs").f64Const(Infinity).op("f64.eq").br_if(grown);
    f.localGet(q).localSet(t).br(grow);
    f.end();
    f.end();
    f.localGet(x).localGet(x).localGet(t).op("f64.div").op("f64.trunc").localGet(t).op("f64.mul").op("f64.sub").localTee(x);
    f.f64Const(0).op("f64.lt");
    f.if();
    f.localGet(x).localGet(t).op("f64.add").localSet(x);
    f.end();
    // stop on non-finite / NaN inputs (handled by the selects below)
    f.localGet(x).localGet(x).op("f64.ne").br_if(outer);
    f.br(again);
    f.end();
    f.end();
    // result = copysign(x, a); NaN if b == 0, a infinite or either NaN; a if b infinite
    f.f32Const(NaN);
    A();
    f.localGet(x).op("f32.demote_f64");
    A();
    f.op("f32.copysign");
    B();
    f.op("f32.abs").f32Const(Infinity).op("f32.eq").op("select");
    B();
    f.f32Const(0).op("f32.eq");
    A();
    f.op("f32.abs").f32Const(Infinity).op("f32.eq").op("i32.or");
    A();
    A();
    f.op("f32.ne").op("i32.or");
    B();
    B();
    f.op("f32.ne").op("i32.or").op("select");
  });
}

/** convert_element_type semantics (castJs). */
export function scalarCast(f: FunctionBuilder, from: DType, to: DType, x: Val): void {
  pushS(f, x, from);
  if (to.isBool) {
    if (isF32(from)) f.f32Const(0).op("f32.ne");
    else if (!from.isBool) f.i32Const(0).op("i32.ne");
    return;
  }
  if (isF32(to)) {
    if (!isF32(from)) f.op(to.name === "float32" && from.name === "uint32" ? "f32.convert_i32_u" : "f32.convert_i32_s");
    return;
  }
  if (isF32(from)) {
    const bits = bitsOf(to);
    if (to.isSigned) {
      f.op("i32.trunc_sat_f32_s");
      if (bits < 32) clampS(f, minOf(to), maxOf(to));
    } else {
      f.op("i32.trunc_sat_f32_u");
      if (bits < 32) clampU(f, maxOf(to));
    }
    return;
  }
  if (from.isBool) return;
  wrapS(f, to);
}

function clampS(f: FunctionBuilder, lo: number, hi: number): void {
  withTemps(f, ["i32"], (t) => {
    f.localTee(t).i32Const(lo).localGet(t).i32Const(lo).op("i32.gt_s").op("select").localTee(t);
    f.i32Const(hi).localGet(t).i32Const(hi).op("i32.lt_s").op("select");
  });
}
function clampU(f: FunctionBuilder, hi: number): void {
  withTemps(f, ["i32"], (t) => {
    f.localTee(t).i32Const(hi).localGet(t).i32Const(hi).op("i32.lt_u").op("select");
  });
}

export function scalarBitcast(f: FunctionBuilder, from: DType, to: DType, x: Val): void {
  pushS(f, x, from);
  if (isF32(from) && !isF32(to)) f.op("i32.reinterpret_f32");
  else if (!isF32(from) && isF32(to)) f.op("f32.reinterpret_i32");
  else wrapS(f, to);
}
