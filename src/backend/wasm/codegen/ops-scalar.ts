/**
 * Scalar wasm spellings of kernel-IR ops with the JS device's semantics (src/backend/js/alu.ts):
 * integers wrap, division by zero gives -1 (unsigned: all ones; remainder: the dividend),
 * shifts past the width give 0 / the sign fill, float->int casts truncate with NaN -> 0 and
 * saturate. Each emitter pushes its result; operands are Vals (locals or constants) that may
 * be pushed several times. Transcendentals run the f32x4 math library on lane 0.
 */
import type { DType } from "../../../core/dtype.js";
import type { BinaryOp, UnaryOp } from "../../../kernel/expr.js";
import type { FunctionBuilder } from "./function-builder.js";
import type { PlainOp } from "./opcodes.js";
import {
  type Val,
  bitsOf,
  isF32,
  isUnsigned,
  maxOf,
  minOf,
  pushS,
  withTemps,
  wrapS,
} from "./codegen-values.js";
import { fmod, nextafter } from "./ops-scalar-float.js";
import { intBinary } from "./ops-scalar-int.js";
import { emitBinaryMath, emitUnaryMath } from "./math-calls.js";
import { UNARY_MATH, type BinaryMathFn, type UnaryMathFn } from "./simd-math.js";

export function scalarUnary(
  f: FunctionBuilder,
  fn: UnaryOp,
  outD: DType,
  inD: DType,
  x: Val,
): void {
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
      if (!(fn in UNARY_MATH)) throw new Error(`wasm: unary ${fn} on float32`);
      X();
      f.op("f32x4.splat");
      emitUnaryMath(f, fn as UnaryMathFn);
      f.lane("f32x4.extract_lane", 0);
    }
  }
}

const F_CMP: Partial<Record<BinaryOp, PlainOp>> = {
  eq: "f32.eq",
  ne: "f32.ne",
  lt: "f32.lt",
  le: "f32.le",
  gt: "f32.gt",
  ge: "f32.ge",
};
const S_CMP: Partial<Record<BinaryOp, PlainOp>> = {
  eq: "i32.eq",
  ne: "i32.ne",
  lt: "i32.lt_s",
  le: "i32.le_s",
  gt: "i32.gt_s",
  ge: "i32.ge_s",
};
const U_CMP: Partial<Record<BinaryOp, PlainOp>> = {
  eq: "i32.eq",
  ne: "i32.ne",
  lt: "i32.lt_u",
  le: "i32.le_u",
  gt: "i32.gt_u",
  ge: "i32.ge_u",
};
const F_BIN: Partial<Record<BinaryOp, PlainOp>> = {
  add: "f32.add",
  sub: "f32.sub",
  mul: "f32.mul",
  div: "f32.div",
  max: "f32.max",
  min: "f32.min",
};

/** `d` is the operand dtype; `nonneg`: the left operand of floordiv/floormod is known ≥ 0. */
export function scalarBinary(
  f: FunctionBuilder,
  fn: BinaryOp,
  d: DType,
  a: Val,
  b: Val,
  nonneg = false,
): void {
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
      emitBinaryMath(f, fn as BinaryMathFn);
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

/** convert_element_type semantics (castJs). */
export function scalarCast(f: FunctionBuilder, from: DType, to: DType, x: Val): void {
  pushS(f, x, from);
  if (to.isBool) {
    if (isF32(from)) f.f32Const(0).op("f32.ne");
    else if (!from.isBool) f.i32Const(0).op("i32.ne");
    return;
  }
  if (isF32(to)) {
    if (!isF32(from))
      f.op(
        to.name === "float32" && from.name === "uint32" ? "f32.convert_i32_u" : "f32.convert_i32_s",
      );
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
