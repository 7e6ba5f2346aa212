/** SIMD ops with several steps: constant shifts, nextafter, casts, bitcasts, selects (see ops-vector.ts). */
import type { DType } from "../../../core/dtype.js";
import type { BinaryOp } from "../../../kernel/expr.js";
import type { FunctionBuilder } from "./function-builder.js";
import { type Val, bitsOf, isF32, maxOf, minOf, pushV, wrapV } from "./codegen-values.js";

const SIGN = 0x80000000 | 0;

export function constShift(
  f: FunctionBuilder,
  fn: BinaryOp,
  d: DType,
  A: () => void,
  k: number,
): void {
  const bits = bitsOf(d);
  const big = k >>> 0 >= bits;
  if (fn === "shl") {
    if (big) return void f.i32x4Const(0);
    A();
    f.i32Const(k).op("i32x4.shl");
    wrapV(f, d);
  } else if (fn === "shr_logical") {
    if (big) return void f.i32x4Const(0);
    A();
    if (d.isSigned && bits < 32) f.i32x4Const(2 ** bits - 1).op("v128.and");
    f.i32Const(k).op("i32x4.shr_u");
    wrapV(f, d);
  } else {
    A();
    if (!d.isSigned && bits < 32)
      f.i32Const(32 - bits)
        .op("i32x4.shl")
        .i32Const(32 - bits)
        .op("i32x4.shr_s");
    f.i32Const(big ? bits - 1 : k).op("i32x4.shr_s");
    wrapV(f, d);
  }
}

export function nextafterV(f: FunctionBuilder, A: () => void, B: () => void): void {
  const t = f.acquireLocal("v128");
  // bits(a) - 1 - 2·((a < b) == (a > 0) mask)
  A();
  f.i32x4Const(-1).op("i32x4.add");
  A();
  B();
  f.op("f32x4.lt");
  A();
  f.f32x4Const(0)
    .op("f32x4.gt")
    .op("i32x4.eq")
    .localTee(t)
    .op("i32x4.sub")
    .localGet(t)
    .op("i32x4.sub")
    .localSet(t);
  // a == 0 -> smallest subnormal with b's sign
  f.i32x4Const(1);
  B();
  f.i32x4Const(SIGN).op("v128.and").op("v128.or").localGet(t);
  A();
  f.f32x4Const(0).op("f32x4.eq").op("v128.bitselect").localSet(t);
  B();
  f.localGet(t);
  A();
  B();
  f.op("f32x4.eq").op("v128.bitselect").localSet(t);
  f.f32x4Const(NaN).localGet(t);
  A();
  A();
  f.op("f32x4.ne");
  B();
  B();
  f.op("f32x4.ne").op("v128.or").op("v128.bitselect");
  f.releaseLocal(t);
}

export function vectorCast(f: FunctionBuilder, from: DType, to: DType, x: Val, p: number): void {
  pushV(f, x, from, p);
  if (from.isBool) {
    if (isF32(to)) f.f32x4Const(1).op("v128.and");
    else if (!to.isBool) f.op("i32x4.neg");
    return;
  }
  if (to.isBool) {
    if (isF32(from)) f.f32x4Const(0).op("f32x4.ne");
    else f.i32x4Const(0).op("i32x4.ne");
    return;
  }
  if (isF32(to)) {
    if (!isF32(from))
      f.op(from.name === "uint32" ? "f32x4.convert_i32x4_u" : "f32x4.convert_i32x4_s");
    return;
  }
  if (isF32(from)) {
    if (to.isSigned) {
      f.op("i32x4.trunc_sat_f32x4_s");
      if (bitsOf(to) < 32)
        f.i32x4Const(minOf(to)).op("i32x4.max_s").i32x4Const(maxOf(to)).op("i32x4.min_s");
    } else {
      f.op("i32x4.trunc_sat_f32x4_u");
      if (bitsOf(to) < 32) f.i32x4Const(maxOf(to)).op("i32x4.min_u");
    }
    return;
  }
  wrapV(f, to);
}

export function vectorBitcast(f: FunctionBuilder, from: DType, to: DType, x: Val, p: number): void {
  pushV(f, x, from, p);
  if (!isF32(from) && !isF32(to)) wrapV(f, to);
}

/** `c ? a : b` with a vector mask or a scalar 0/1 condition. */
export function vectorSelect(
  f: FunctionBuilder,
  d: DType,
  c: Val,
  a: Val,
  b: Val,
  p: number,
  condD: DType,
): void {
  pushV(f, a, d, p);
  pushV(f, b, d, p);
  if (c.t === "v") {
    pushV(f, c, condD, p);
    // bool vectors are masks; other conditions select where JS-truthy (nonzero, not NaN)
    if (isF32(condD)) f.op("f32x4.abs").f32x4Const(0).op("f32x4.gt");
    else if (!condD.isBool) f.i32x4Const(0).op("i32x4.ne");
    // whole-lane masks of 32-bit lanes: one blendvps with relaxed SIMD (three ops otherwise)
    f.op(f.relaxedSimd ? "i32x4.relaxed_laneselect" : "v128.bitselect");
  } else {
    if (c.t === "s") {
      f.localGet(c.local);
      if (isF32(condD)) f.op("f32.abs").f32Const(0).op("f32.gt");
    } else f.i32Const(c.value ? 1 : 0);
    f.op("select");
  }
}
