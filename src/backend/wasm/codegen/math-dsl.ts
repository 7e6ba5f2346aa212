/**
 * A tiny expression DSL over the function builder for the SIMD math emitters: an `Emit` pushes
 * exactly one v128 value; f32x4/i32x4/f64x2 operators, fused multiply-add (relaxed SIMD when
 * the builder allows it), Horner evaluation, selects and scratch locals.
 */
import type { FunctionBuilder } from "./function-builder.js";
import type { PlainOp } from "./opcodes.js";

export type Emit = (f: FunctionBuilder) => void;

export const L =
  (i: number): Emit =>
  (f) =>
    void f.localGet(i);
/** f32x4 splat constant */
export const K =
  (c: number): Emit =>
  (f) =>
    void f.f32x4Const(c);
/** i32x4 splat constant */
export const KI =
  (c: number): Emit =>
  (f) =>
    void f.i32x4Const(c);
/** f64x2 splat constant */
export const KD =
  (c: number): Emit =>
  (f) =>
    void f.f64x2Const(c);

export const op1 =
  (name: PlainOp) =>
  (a: Emit): Emit =>
  (f) => {
    a(f);
    f.op(name);
  };
export const op2 =
  (name: PlainOp) =>
  (a: Emit, b: Emit): Emit =>
  (f) => {
    a(f);
    b(f);
    f.op(name);
  };

// f32x4
export const add = op2("f32x4.add");
export const sub = op2("f32x4.sub");
export const mul = op2("f32x4.mul");
export const div = op2("f32x4.div");
export const fmin = op2("f32x4.min");
export const fmax = op2("f32x4.max");
/** Clamps to constants: pmin/pmax keep NaN from the first operand and are cheaper than min/max. */
export const pmin = op2("f32x4.pmin");
export const pmax = op2("f32x4.pmax");
export const feq = op2("f32x4.eq");
export const flt = op2("f32x4.lt");
export const fgt = op2("f32x4.gt");
export const fabs = op1("f32x4.abs");
export const fneg = op1("f32x4.neg");
export const fsqrt = op1("f32x4.sqrt");
export const nearest = op1("f32x4.nearest");
export const ftrunc = op1("f32x4.trunc");
export const toInt = op1("i32x4.trunc_sat_f32x4_s");
export const toF32 = op1("f32x4.convert_i32x4_s");
// i32x4 / bitwise
export const iadd = op2("i32x4.add");
export const isub = op2("i32x4.sub");
export const imul = op2("i32x4.mul");
export const ilt = op2("i32x4.lt_s");
export const ieq = op2("i32x4.eq");
export const imin = op2("i32x4.min_s");
export const and = op2("v128.and");
export const or = op2("v128.or");
export const xor = op2("v128.xor");
export const andnot = op2("v128.andnot");
export const shift =
  (name: "i32x4.shl" | "i32x4.shr_s" | "i32x4.shr_u") =>
  (a: Emit, k: number): Emit =>
  (f) => {
    a(f);
    f.i32Const(k).op(name);
  };
export const shl = shift("i32x4.shl");
export const shrs = shift("i32x4.shr_s");
// f64x2
export const dadd = op2("f64x2.add");
export const dsub = op2("f64x2.sub");
export const dmul = op2("f64x2.mul");
export const ddiv = op2("f64x2.div");
export const dmin = op2("f64x2.min");
export const dmax = op2("f64x2.max");
export const dnearest = op1("f64x2.nearest");

/**
 * `mask ? t : e`, lane-wise. Every mask here is a whole-lane one (all-ones or all-zeros: a
 * comparison, or logic and arithmetic shifts of comparisons), so with relaxed SIMD the select
 * is `i32x4.relaxed_laneselect` (one `blendvps`; V8 expands `v128.bitselect` to three ops).
 */
export const sel =
  (mask: Emit, t: Emit, e: Emit): Emit =>
  (f) => {
    t(f);
    e(f);
    mask(f);
    f.op(f.relaxedSimd ? "i32x4.relaxed_laneselect" : "v128.bitselect");
  };

/**
 * a·b + c, and c − a·b: one fused `relaxed_madd` / `relaxed_nmadd` where relaxed SIMD is
 * allowed, else a multiply and an add (the plain code computes exactly what it always did).
 * Used where a fused result is at least as accurate: polynomials and Cody-Waite reductions.
 */
export function fusedOps(
  addOp: typeof add,
  subOp: typeof sub,
  mulOp: typeof mul,
  w: "f32x4" | "f64x2",
) {
  const fused =
    (name: "madd" | "nmadd", plain: (a: Emit, b: Emit, c: Emit) => Emit) =>
    (a: Emit, b: Emit, c: Emit): Emit =>
    (f) => {
      if (!f.relaxedSimd) return plain(a, b, c)(f);
      a(f);
      b(f);
      c(f);
      f.op(`${w}.relaxed_${name}`);
    };
  return {
    madd: fused("madd", (a, b, c) => addOp(mulOp(a, b), c)),
    nmadd: fused("nmadd", (a, b, c) => subOp(c, mulOp(a, b))),
  };
}
export const { madd, nmadd } = fusedOps(add, sub, mul, "f32x4");
export const { madd: dmadd } = fusedOps(dadd, dsub, dmul, "f64x2");

/** Horner evaluation of c[0] + c[1] x + ... + c[n] x^n with f32x4 (or f64x2) arithmetic. */
export function hornerWith(maddOp: typeof madd, konst: typeof K) {
  return (x: Emit, c: readonly number[]): Emit =>
    (f) => {
      let acc: Emit = konst(c[c.length - 1]!);
      for (let i = c.length - 2; i >= 0; i--) acc = maddOp(acc, x, konst(c[i]!));
      acc(f);
    };
}
export const horner = hornerWith(madd, K);
export const dhorner = hornerWith(dmadd, KD);

export const SIGN = 0x80000000 | 0;
/** Sets the sign of a non-negative value to the sign of `s`. */
export const withSignOf = (mag: Emit, s: Emit): Emit => or(mag, and(s, KI(SIGN)));
/** 2^n for an i32x4 n in [-126, 127] as f32x4. */
export const pow2i = (n: Emit): Emit => shl(iadd(n, KI(127)), 23);

/** Scratch-local helper: acquires n v128 locals, runs body, releases them. */
export function scratch<T>(f: FunctionBuilder, n: number, body: (...locals: number[]) => T): T {
  const locals = Array.from({ length: n }, () => f.acquireLocal("v128"));
  const out = body(...locals);
  f.releaseLocal(...locals);
  return out;
}
export const set = (f: FunctionBuilder, local: number, e: Emit): void => {
  e(f);
  f.localSet(local);
};
