/**
 * SIMD (f32x4 / i32x4 / lane-mask) spellings of kernel-IR ops, same semantics as ops-scalar.ts.
 * Each emitter pushes part `p` of its result; operands are vector Vals (or constants, which
 * are splatted). Ops without a SIMD form (integer division, remainders, variable shifts,
 * integer pow, popcnt/clz, float rem) run the scalar op lane by lane.
 */
import type { DType } from "../../../core/dtype.js";
import type { BinaryOp, UnaryOp } from "../../../kernel/expr.js";
import type { FunctionBuilder } from "./function-builder.js";
import type { PlainOp } from "./opcodes.js";
import { type Val, isF32, isUnsigned, pushV, stype, wrapV } from "./codegen-values.js";
import { scalarBinary, scalarUnary } from "./ops-scalar.js";
import { constShift, nextafterV } from "./ops-vector-misc.js";
import { emitBinaryMath, emitUnaryMath } from "./math-calls.js";
import { UNARY_MATH, type BinaryMathFn, type UnaryMathFn } from "./simd-math.js";

const SIGN = 0x80000000 | 0;

/** Runs a scalar emitter on each lane of part p of the inputs; pushes the vector result. */
export function lanewise(
  f: FunctionBuilder,
  outD: DType,
  ins: readonly (readonly [Val, DType])[],
  p: number,
  emit: (scalars: Val[]) => void,
): void {
  const res = f.acquireLocal("v128");
  const tmps = ins.map(([, d]) => f.acquireLocal(stype(d)));
  for (let l = 0; l < 4; l++) {
    ins.forEach(([v, d], i) => {
      pushV(f, v, d, p);
      if (isF32(d)) f.lane("f32x4.extract_lane", l);
      else {
        f.lane("i32x4.extract_lane", l);
        if (d.isBool) f.i32Const(1).op("i32.and");
      }
      f.localSet(tmps[i]!);
    });
    if (l > 0) f.localGet(res);
    emit(tmps.map((local) => ({ t: "s", local }) as const));
    if (outD.isBool) f.i32Const(-1).op("i32.mul");
    if (l === 0) f.op(isF32(outD) ? "f32x4.splat" : "i32x4.splat");
    else f.lane(isF32(outD) ? "f32x4.replace_lane" : "i32x4.replace_lane", l);
    f.localSet(res);
  }
  f.localGet(res);
  f.releaseLocal(res, ...tmps);
}

export function vectorUnary(
  f: FunctionBuilder,
  fn: UnaryOp,
  outD: DType,
  inD: DType,
  x: Val,
  p: number,
): void {
  const X = () => pushV(f, x, inD, p);
  const one = (op: PlainOp) => {
    X();
    f.op(op);
  };
  if (fn === "is_finite") {
    one("f32x4.abs");
    f.f32x4Const(Infinity).op("f32x4.lt");
    return;
  }
  if (isF32(inD)) {
    const direct: Partial<Record<UnaryOp, PlainOp>> = {
      neg: "f32x4.neg",
      abs: "f32x4.abs",
      floor: "f32x4.floor",
      ceil: "f32x4.ceil",
      round_even: "f32x4.nearest",
      sqrt: "f32x4.sqrt",
    };
    const d = direct[fn];
    if (d) return one(d);
    switch (fn) {
      case "rsqrt":
        f.f32x4Const(1);
        one("f32x4.sqrt");
        f.op("f32x4.div");
        return;
      case "sign":
        f.f32x4Const(1).f32x4Const(-1);
        X();
        X();
        f.f32x4Const(0).op("f32x4.lt").op("v128.bitselect");
        X();
        f.f32x4Const(0).op("f32x4.gt").op("v128.bitselect");
        return;
      case "round": {
        const t = f.acquireLocal("v128");
        one("f32x4.trunc");
        f.localTee(t);
        X();
        f.localGet(t).op("f32x4.sub").op("f32x4.abs").f32x4Const(0.5).op("f32x4.ge");
        f.f32x4Const(1).op("v128.and");
        X();
        f.i32x4Const(SIGN).op("v128.and").op("v128.or").op("f32x4.add");
        f.releaseLocal(t);
        return;
      }
      default: {
        if (!(fn in UNARY_MATH)) throw new Error(`wasm: unary ${fn} on float32`);
        X();
        emitUnaryMath(f, fn as UnaryMathFn);
        return;
      }
    }
  }
  if (inD.isBool) {
    X();
    if (fn === "not") f.op("v128.not");
    return;
  }
  switch (fn) {
    case "neg":
      one("i32x4.neg");
      wrapV(f, outD);
      return;
    case "not":
      one("v128.not");
      if (!inD.isSigned) wrapV(f, outD);
      return;
    case "abs":
      if (!inD.isSigned) return X();
      one("i32x4.abs");
      wrapV(f, outD);
      return;
    case "sign":
      X();
      f.i32x4Const(0);
      if (!inD.isSigned) {
        f.op("i32x4.ne").op("i32x4.neg");
        return;
      }
      f.op("i32x4.lt_s");
      X();
      f.i32x4Const(0).op("i32x4.gt_s").op("i32x4.sub");
      return;
    case "popcnt":
    case "clz":
      return lanewise(f, outD, [[x, inD]], p, ([s]) => scalarUnary(f, fn, outD, inD, s!));
    default:
      return X();
  }
}

const F_OPS: Partial<Record<BinaryOp, PlainOp>> = {
  add: "f32x4.add",
  sub: "f32x4.sub",
  mul: "f32x4.mul",
  div: "f32x4.div",
  max: "f32x4.max",
  min: "f32x4.min",
  eq: "f32x4.eq",
  ne: "f32x4.ne",
  lt: "f32x4.lt",
  le: "f32x4.le",
  gt: "f32x4.gt",
  ge: "f32x4.ge",
};
const I_OPS: Partial<Record<BinaryOp, PlainOp>> = {
  add: "i32x4.add",
  sub: "i32x4.sub",
  mul: "i32x4.mul",
  and: "v128.and",
  or: "v128.or",
  xor: "v128.xor",
  eq: "i32x4.eq",
  ne: "i32x4.ne",
};
const S_OPS: Partial<Record<BinaryOp, PlainOp>> = {
  max: "i32x4.max_s",
  min: "i32x4.min_s",
  lt: "i32x4.lt_s",
  le: "i32x4.le_s",
  gt: "i32x4.gt_s",
  ge: "i32x4.ge_s",
};
const U_OPS: Partial<Record<BinaryOp, PlainOp>> = {
  max: "i32x4.max_u",
  min: "i32x4.min_u",
  lt: "i32x4.lt_u",
  le: "i32x4.le_u",
  gt: "i32x4.gt_u",
  ge: "i32x4.ge_u",
};
/** Bool masks: add = or, mul = and, max = or, min = and, sub = xor; comparisons unsigned. */
const B_OPS: Partial<Record<BinaryOp, PlainOp>> = {
  add: "v128.or",
  or: "v128.or",
  max: "v128.or",
  mul: "v128.and",
  and: "v128.and",
  min: "v128.and",
  sub: "v128.xor",
  xor: "v128.xor",
};

const isPow2 = (v: Val): v is { t: "k"; value: number } =>
  v.t === "k" && v.value > 0 && Number.isInteger(Math.log2(v.value));

export function vectorBinary(
  f: FunctionBuilder,
  fn: BinaryOp,
  d: DType,
  a: Val,
  b: Val,
  p: number,
  nonneg = false,
): void {
  const A = () => pushV(f, a, d, p);
  const B = () => pushV(f, b, d, p);
  const two = (op: PlainOp) => {
    A();
    B();
    f.op(op);
  };
  if (isF32(d)) {
    const op = F_OPS[fn];
    if (op) return two(op);
    if (fn === "pow" || fn === "atan2") {
      A();
      B();
      emitBinaryMath(f, fn as BinaryMathFn);
      return;
    }
    if (fn === "nextafter") return nextafterV(f, A, B);
    return lanewise(
      f,
      d,
      [
        [a, d],
        [b, d],
      ],
      p,
      ([x, y]) => scalarBinary(f, fn, d, x!, y!),
    );
  }
  if (d.isBool) {
    const op = B_OPS[fn] ?? I_OPS[fn] ?? U_OPS[fn];
    if (op) return two(op);
    throw new Error(`wasm: binary ${fn} on bool`);
  }
  const op = I_OPS[fn] ?? (isUnsigned(d) ? U_OPS : S_OPS)[fn];
  if (op) {
    two(op);
    if (fn === "add" || fn === "sub" || fn === "mul") wrapV(f, d);
    return;
  }
  // Constant power-of-two index arithmetic: floor division is an arithmetic shift, the
  // non-negative remainder a mask.
  if (fn === "floordiv" && isPow2(b)) {
    A();
    f.i32Const(Math.log2(b.value)).op("i32x4.shr_s");
    return;
  }
  if (fn === "floormod" && isPow2(b)) {
    A();
    f.i32x4Const(b.value - 1).op("v128.and");
    return;
  }
  if ((fn === "shl" || fn === "shr_logical" || fn === "shr_arith") && b.t === "k") {
    return constShift(f, fn, d, A, b.value);
  }
  const outD = d;
  lanewise(
    f,
    outD,
    [
      [a, d],
      [b, d],
    ],
    p,
    ([x, y]) => scalarBinary(f, fn, d, x!, y!, nonneg),
  );
}
