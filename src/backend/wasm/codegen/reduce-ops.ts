/**
 * Reduction arithmetic: identities, accumulator updates (scalar and vector, with the JS
 * device's argmax/argmin rule: the first strictly better element, a NaN beats everything and
 * the first NaN wins), and the fixed-order horizontal combination of lane-parallel
 * accumulators.
 */
import type { DType } from "../../../core/dtype.js";
import { int32 } from "../../../core/dtype.js";
import type { BinaryOp, ReduceExpr } from "../../../kernel/expr.js";
import type { FunctionBuilder } from "./function-builder.js";
import { type Val, isF32, maxOf, minOf, pushS, pushV, stype } from "./codegen-values.js";
import { scalarBinary } from "./ops-scalar.js";
import { vectorBinary } from "./ops-vector.js";

export const isArg = (r: ReduceExpr): boolean => r.fn === "argmax" || r.fn === "argmin";

/** Identity of the reduction (int `and`: all ones, as XLA). */
export function identity(r: ReduceExpr): number {
  const d = r.body.dtype;
  switch (r.fn) {
    case "sum":
    case "or":
      return 0;
    case "prod":
      return 1;
    case "and":
      return d.isBool ? 1 : d.isSigned ? -1 : maxOf(d);
    case "max":
    case "argmax":
      return minOf(d);
    case "min":
    case "argmin":
      return maxOf(d);
  }
}

const BINOP: Record<string, BinaryOp> = {
  sum: "add",
  prod: "mul",
  max: "max",
  min: "min",
  and: "and",
  or: "or",
};

/** Accumulator locals of one reduce node: value (and index for arg reductions). */
export interface Acc {
  readonly val: readonly number[];
  readonly idx: readonly number[];
  readonly vector: boolean;
}

export function newAcc(f: FunctionBuilder, r: ReduceExpr, vector: boolean, parts: number): Acc {
  const n = vector ? parts : 1;
  const type = vector ? "v128" : stype(r.body.dtype);
  const val = Array.from({ length: n }, () => f.addLocal(type));
  const idx = isArg(r) ? Array.from({ length: n }, () => f.addLocal(vector ? "v128" : "i32")) : [];
  return { val, idx, vector };
}

export function initAcc(f: FunctionBuilder, r: ReduceExpr, a: Acc): void {
  const k: Val = { t: "k", value: identity(r) };
  const zero: Val = { t: "k", value: 0 };
  a.val.forEach(
    (l) => (a.vector ? pushV(f, k, r.body.dtype, 0) : pushS(f, k, r.body.dtype), f.localSet(l)),
  );
  a.idx.forEach(
    (l) => (a.vector ? pushV(f, zero, int32, 0) : pushS(f, zero, int32), f.localSet(l)),
  );
}

/** acc[p] ⊕= v[p] for parts [0, parts); `ri` is the reduction index (arg reductions). */
export function updateAcc(
  f: FunctionBuilder,
  r: ReduceExpr,
  a: Acc,
  v: Val,
  ri: Val | undefined,
  parts: number,
): void {
  const d = r.body.dtype;
  for (let p = 0; p < parts; p++) {
    const acc: Val = a.vector ? { t: "v", locals: [a.val[p]!] } : { t: "s", local: a.val[p]! };
    if (!isArg(r)) {
      if (a.vector) vectorBinary(f, BINOP[r.fn]!, d, acc, v, p);
      else scalarBinary(f, BINOP[r.fn]!, d, acc, v);
      f.localSet(a.val[p]!);
      continue;
    }
    const cond = f.acquireLocal(a.vector ? "v128" : "i32");
    better(f, r, d, v, acc, a.vector, p);
    f.localSet(cond);
    if (a.vector) {
      pushV(f, v, d, p);
      f.localGet(a.val[p]!).localGet(cond).op("v128.bitselect").localSet(a.val[p]!);
      pushV(f, ri!, int32, p);
      f.localGet(a.idx[p]!).localGet(cond).op("v128.bitselect").localSet(a.idx[p]!);
    } else {
      pushS(f, v, d);
      f.localGet(a.val[p]!).localGet(cond).op("select").localSet(a.val[p]!);
      pushS(f, ri!, int32);
      f.localGet(a.idx[p]!).localGet(cond).op("select").localSet(a.idx[p]!);
    }
    f.releaseLocal(cond);
  }
}

/** Pushes `v better than acc`: v > acc (argmin: <), or v is the first NaN. */
function better(
  f: FunctionBuilder,
  r: ReduceExpr,
  d: DType,
  v: Val,
  acc: Val,
  vector: boolean,
  p: number,
): void {
  const cmp: BinaryOp = r.fn === "argmax" ? "gt" : "lt";
  const bin = (fn: BinaryOp, x: Val, y: Val) =>
    vector ? vectorBinary(f, fn, d, x, y, p) : scalarBinary(f, fn, d, x, y);
  bin(cmp, v, acc);
  if (!isF32(d)) return;
  bin("ne", v, v);
  bin("eq", acc, acc);
  f.op(vector ? "v128.and" : "i32.and").op(vector ? "v128.or" : "i32.or");
}

/**
 * Folds the vector accumulator `va` (parts × 4 lanes) into the scalar accumulator `sa` in a
 * fixed order: parts pairwise, then lanes (0⊕1)⊕(2⊕3). Arg reductions pick the best lane,
 * ties (and NaNs) going to the smallest index; `sa` must still hold the identity then.
 */
export function combineAcc(f: FunctionBuilder, r: ReduceExpr, va: Acc, sa: Acc): void {
  const d = r.body.dtype;
  const st = stype(d);
  const lane = (local: number, l: number, dt: DType) => {
    f.localGet(local);
    if (isF32(dt)) f.lane("f32x4.extract_lane", l);
    else {
      f.lane("i32x4.extract_lane", l);
      if (dt.isBool) f.i32Const(1).op("i32.and");
    }
  };
  if (isArg(r)) return combineArg(f, r, va, sa, lane);
  const op = BINOP[r.fn]!;
  let parts = [...va.val];
  while (parts.length > 1) {
    for (let i = 0; i + 1 < parts.length; i += 2) {
      vectorBinary(
        f,
        op,
        d,
        { t: "v", locals: [parts[i]!] },
        { t: "v", locals: [parts[i + 1]!] },
        0,
      );
      f.localSet(parts[i]!);
    }
    parts = parts.filter((_, i) => i % 2 === 0);
  }
  const t = [0, 1, 2, 3].map(() => f.acquireLocal(st));
  t.forEach((l, i) => (lane(parts[0]!, i, d), f.localSet(l)));
  const s = (l: number): Val => ({ t: "s", local: l });
  scalarBinary(f, op, d, s(t[0]!), s(t[1]!));
  f.localSet(t[0]!);
  scalarBinary(f, op, d, s(t[2]!), s(t[3]!));
  f.localSet(t[2]!);
  scalarBinary(f, op, d, s(t[0]!), s(t[2]!));
  f.localSet(t[0]!);
  scalarBinary(f, op, d, s(sa.val[0]!), s(t[0]!));
  f.localSet(sa.val[0]!);
  f.releaseLocal(...t);
}

function combineArg(
  f: FunctionBuilder,
  r: ReduceExpr,
  va: Acc,
  sa: Acc,
  lane: (local: number, l: number, d: DType) => void,
): void {
  const d = r.body.dtype;
  const bv = sa.val[0]!;
  const bi = sa.idx[0]!;
  const [cv, ci, c] = [f.acquireLocal(stype(d)), f.acquireLocal("i32"), f.acquireLocal("i32")];
  const S = (l: number): Val => ({ t: "s", local: l });
  const cmp: BinaryOp = r.fn === "argmax" ? "gt" : "lt";
  va.val.forEach((vl, p) => {
    for (let l = 0; l < 4; l++) {
      lane(vl, l, d);
      f.localSet(p === 0 && l === 0 ? bv : cv);
      lane(va.idx[p]!, l, int32);
      f.localSet(p === 0 && l === 0 ? bi : ci);
      if (p === 0 && l === 0) continue;
      // better = (cv ⋛ bv) | (cv == bv & ci < bi) [| cv NaN & (bv not NaN | ci < bi)]
      scalarBinary(f, cmp, d, S(cv), S(bv));
      scalarBinary(f, "eq", d, S(cv), S(bv));
      f.localGet(ci).localGet(bi).op("i32.lt_s").op("i32.and").op("i32.or");
      if (isF32(d)) {
        f.localGet(bv).localGet(bv).op("f32.eq").op("i32.and"); // best is not NaN
        f.localGet(cv).localGet(cv).op("f32.ne");
        f.localGet(bv)
          .localGet(bv)
          .op("f32.eq")
          .localGet(ci)
          .localGet(bi)
          .op("i32.lt_s")
          .op("i32.or");
        f.op("i32.and").op("i32.or");
      }
      f.localSet(c);
      f.localGet(cv).localGet(bv).localGet(c).op("select").localSet(bv);
      f.localGet(ci).localGet(bi).localGet(c).op("select").localSet(bi);
    }
  });
  f.releaseLocal(cv, ci, c);
}
