/**
 * Value representation shared by the wasm kernel emitters.
 *
 * Every dtype the wasm codegen handles lives in a 32-bit lane: float32 as f32, everything
 * else (int32, uint32, int16, uint16, int8, uint8, bool) as i32 holding the *canonical* value
 * (sign-extended for signed types, zero-extended for unsigned ones; uint32 is its bit
 * pattern). Scalars are wasm `f32`/`i32` values, bool as 0/1. Vectors are one or more v128
 * "parts" of four lanes each (f32x4 / i32x4); bool vectors are lane masks (all ones / zero),
 * which is what comparisons produce and `v128.bitselect` consumes.
 */
import type { DType } from "../../../core/dtype.js";
import type { FunctionBuilder } from "./function-builder.js";

export type Code = (f: FunctionBuilder) => void;

/** A computed value: a scalar local, a scalar constant, or vector parts (v128 locals). */
export type Val =
  | { readonly t: "s"; readonly local: number }
  | { readonly t: "k"; readonly value: number }
  | { readonly t: "v"; readonly locals: readonly number[] };

export const SUPPORTED = new Set([
  "float32",
  "int32",
  "uint32",
  "int16",
  "uint16",
  "int8",
  "uint8",
  "bool",
]);

export const isF32 = (d: DType): boolean => d.name === "float32";
export const stype = (d: DType): "i32" | "f32" => (isF32(d) ? "f32" : "i32");
/** log2 of the storage size. */
export const shiftOf = (d: DType): number => Math.log2(d.itemsize);
export const bitsOf = (d: DType): number => 8 * d.itemsize;
/** Unsigned comparisons for unsigned integers and bools (0/1 or masks ordered unsigned). */
export const isUnsigned = (d: DType): boolean => d.kind === "u" || d.kind === "b";

export function minOf(d: DType): number {
  if (d.isFloat) return -Infinity;
  if (d.isBool || !d.isSigned) return 0;
  return -(2 ** (bitsOf(d) - 1));
}
export function maxOf(d: DType): number {
  if (d.isFloat) return Infinity;
  if (d.isBool) return 1;
  return d.isSigned ? 2 ** (bitsOf(d) - 1) - 1 : 2 ** bitsOf(d) - 1;
}

/** Pushes a scalar value (a constant in the dtype's scalar representation). */
export function pushS(f: FunctionBuilder, v: Val, d: DType): void {
  if (v.t === "s") f.localGet(v.local);
  else if (v.t === "k") {
    if (isF32(d)) f.f32Const(v.value);
    else f.i32Const(Number(BigInt.asIntN(32, BigInt(Math.trunc(v.value)))));
  } else throw new Error("vector value used as a scalar");
}

/** Pushes part `p` of a vector value (constants are splatted; bool constants become masks). */
export function pushV(f: FunctionBuilder, v: Val, d: DType, p: number): void {
  if (v.t === "v") f.localGet(v.locals[p] ?? v.locals[0]!);
  else if (v.t === "k") {
    if (isF32(d)) f.f32x4Const(v.value);
    else if (d.isBool) f.i32x4Const(v.value ? -1 : 0);
    else f.i32x4Const(Number(BigInt.asIntN(32, BigInt(Math.trunc(v.value)))));
  } else throw new Error("scalar value used as a vector (splat it first)");
}

/** [s] -> [v]: splat a scalar of dtype d into the vector representation (bool 0/1 -> mask). */
export function splat(f: FunctionBuilder, d: DType): void {
  if (isF32(d)) f.op("f32x4.splat");
  else {
    f.op("i32x4.splat");
    if (d.isBool) f.op("i32x4.neg");
  }
}

/** [x] -> [x wrapped to d] for an i32 scalar holding any 32-bit result. */
export function wrapS(f: FunctionBuilder, d: DType): void {
  switch (d.name) {
    case "int8":
      f.op("i32.extend8_s");
      break;
    case "int16":
      f.op("i32.extend16_s");
      break;
    case "uint8":
      f.i32Const(0xff).op("i32.and");
      break;
    case "uint16":
      f.i32Const(0xffff).op("i32.and");
      break;
    case "bool":
      f.i32Const(0).op("i32.ne");
      break;
  }
}

/** [v] -> [v wrapped to d] for i32x4 lanes holding any 32-bit results (not for bool). */
export function wrapV(f: FunctionBuilder, d: DType): void {
  switch (d.name) {
    case "int8":
    case "int16": {
      const s = 32 - bitsOf(d);
      f.i32Const(s).op("i32x4.shl").i32Const(s).op("i32x4.shr_s");
      break;
    }
    case "uint8":
      f.i32x4Const(0xff).op("v128.and");
      break;
    case "uint16":
      f.i32x4Const(0xffff).op("v128.and");
      break;
  }
}

/** Whether d needs wrapping after add/sub/mul/neg/shl. */
export const needsWrap = (d: DType): boolean => d.itemsize < 4 && !d.isBool;

/** Runs `body` with scratch locals of the given types (returned to the pool afterwards). */
export function withTemps(
  f: FunctionBuilder,
  types: ("i32" | "f32" | "f64")[],
  body: (...t: number[]) => void,
): void {
  const ls = types.map((t) => f.acquireLocal(t));
  body(...ls);
  f.releaseLocal(...ls);
}
