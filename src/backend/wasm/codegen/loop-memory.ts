/**
 * Loads and stores of kernel buffers. Addresses are `ptr + counter·stride`: the pointer
 * (buffer address + the part of the index that does not move with the loop's counter) is a
 * node of its own, hoisted to where its operands live, so the innermost loop only scales
 * its counter. Vector accesses read/write four consecutive elements per part (8- and 16-bit
 * elements are widened to / narrowed from 32-bit lanes); non-contiguous vector loads gather
 * lane by lane (the strategies avoid them).
 */
import { type DType, int32 } from "../../../core/dtype.js";
import type { Expr } from "../../../kernel/expr.js";
import type { FunctionBuilder } from "./function-builder.js";
import type { MemOp } from "./opcodes.js";
import { type Val, isF32, pushS, pushV, shiftOf } from "./codegen-values.js";
import { type AxisExpr, mulConst, splitOn } from "./loop-index.js";
import type { ValueEmitter } from "./loop-emitter.js";
import { type Scope, targetScope } from "./loop-scope.js";
import { lanewise } from "./ops-vector.js";

const SCALAR_LOAD: Record<string, MemOp> = {
  float32: "f32.load",
  int32: "i32.load",
  uint32: "i32.load",
  int16: "i32.load16_s",
  uint16: "i32.load16_u",
  int8: "i32.load8_s",
  uint8: "i32.load8_u",
  bool: "i32.load8_u",
};
const SCALAR_STORE: Record<number, MemOp> = { 1: "i32.store8", 2: "i32.store16", 4: "i32.store" };

/** `ptr(b, rest)` = address of element `rest` of buffer b, computed in rest's scope. */
function ptr(em: ValueEmitter, b: number, d: DType, rest: Expr, t: Scope): Val {
  const base = em.base(b);
  if (rest.op === "const") {
    const off = Number(rest.value) * d.itemsize;
    if (off === 0) return base;
    return em.rootValue(`ptr${b}:${off}`, "i32", (f) => {
      pushS(f, base, int32);
      f.i32Const(off).op("i32.add");
    });
  }
  const tr = targetScope(rest, t);
  const key = `ptr${b}:${rest.id}`;
  const hit = tr.extra.get(key);
  if (hit) return hit;
  const r = em.get(rest, tr);
  const l = em.f.addLocal("i32");
  tr.code.push((f) => {
    pushS(f, base, int32);
    pushS(f, r, int32);
    f.i32Const(shiftOf(d)).op("i32.shl").op("i32.add").localSet(l);
  });
  const v: Val = { t: "s", local: l };
  tr.extra.set(key, v);
  return v;
}

/** The innermost loop index among the index's direct terms that is bound in `t` itself. */
function mainAxis(index: Expr, t: Scope): AxisExpr | undefined {
  const isBoundHere = (x: Expr): x is AxisExpr =>
    (x.op === "idx" || x.op === "ridx") && targetScope(x, t) === t;
  if (isBoundHere(index)) return index;
  if (index.op !== "lin") return undefined;
  for (const [, x] of index.lin.terms) if (isBoundHere(x)) return x;
  return undefined;
}

/** Schedules code computing the scalar byte address of element `index` of buffer b into a pusher. */
function scalarAddress(
  em: ValueEmitter,
  b: number,
  d: DType,
  index: Expr,
  t: Scope,
): (f: FunctionBuilder) => void {
  const main = mainAxis(index, t);
  const sp = main && splitOn(index, main);
  if (main && sp) {
    const p = ptr(em, b, d, sp.rest, t);
    const c = em.get(main, t);
    return (f) => {
      pushS(f, p, int32);
      pushS(f, c, int32);
      mulConst(f, sp.coef * d.itemsize);
      f.op("i32.add");
    };
  }
  const base = em.base(b);
  const i = em.get(index, t);
  return (f) => {
    pushS(f, base, int32);
    pushS(f, i, int32);
    f.i32Const(shiftOf(d)).op("i32.shl").op("i32.add");
  };
}

/** [addr] -> [v]: vector part p (four elements) at addr. */
function vectorLoad(f: FunctionBuilder, d: DType, p: number): void {
  const offset = 4 * d.itemsize * p;
  if (d.itemsize === 4) return void f.mem("v128.load", { offset, align: 4 });
  const s = d.isSigned ? "s" : "u";
  if (d.itemsize === 2) {
    f.mem("v128.load64_zero", { offset, align: 2 }).op(`i32x4.extend_low_i16x8_${s}`);
    return;
  }
  f.mem("v128.load32_zero", { offset, align: 1 });
  f.op(`i16x8.extend_low_i8x16_${s}`).op(`i32x4.extend_low_i16x8_${s}`);
  if (d.isBool) f.op("i32x4.neg");
}

const ZERO16 = new Array<number>(16).fill(0);
const NARROW8 = [0, 4, 8, 12, ...new Array<number>(12).fill(16)];
const NARROW16 = [0, 1, 4, 5, 8, 9, 12, 13, ...new Array<number>(8).fill(16)];

/** [addr, v] -> []: store vector part p (8/16-bit lanes truncated; bool masks become 0/1). */
function vectorStore(f: FunctionBuilder, d: DType, p: number): void {
  const offset = 4 * d.itemsize * p;
  if (d.itemsize === 4) return void f.mem("v128.store", { offset, align: 4 });
  if (d.isBool) f.op("i32x4.neg");
  f.v128Const(ZERO16);
  if (d.itemsize === 2) f.shuffle(NARROW16).memLane("v128.store64_lane", 0, { offset, align: 2 });
  else f.shuffle(NARROW8).memLane("v128.store32_lane", 0, { offset, align: 1 });
}

export function emitLoad(em: ValueEmitter, e: Expr & { op: "load" }, t: Scope): Val {
  const d = e.dtype;
  if (!em.isVec(e, t)) {
    const addr = scalarAddress(em, e.buffer, d, e.index, t);
    return em.result(e, t, (f) => (addr(f), f.mem(SCALAR_LOAD[d.name]!)));
  }
  const binding = t.vector!;
  const sp = splitOn(e.index, binding.axis);
  if (sp && sp.coef === 1) {
    const p0 = ptr(em, e.buffer, d, sp.rest, t);
    const addr = em.f.addLocal("i32");
    return em.result(e, t, (f, p) => {
      if (p === 0) {
        pushS(f, p0, int32);
        f.localGet(binding.counter);
        mulConst(f, d.itemsize);
        f.op("i32.add").localTee(addr);
      } else f.localGet(addr);
      vectorLoad(f, d, p);
    });
  }
  const base = em.base(e.buffer);
  const iv = em.vec(e.index, t);
  return em.result(e, t, (f, p) =>
    lanewise(f, d, [[iv, int32]], p, ([i]) => {
      pushS(f, base, int32);
      pushS(f, i!, int32);
      f.i32Const(shiftOf(d)).op("i32.shl").op("i32.add").mem(SCALAR_LOAD[d.name]!);
    }),
  );
}

/** Stores the value of `expr` at element `index` of `buffer` (scheduled in scope s). */
export function emitStore(
  em: ValueEmitter,
  buffer: number,
  index: Expr,
  expr: Expr,
  s: Scope,
): void {
  const d = em.env.bufDtype(buffer);
  const b = s.vector;
  const sp = b && splitOn(index, b.axis);
  if (b && sp && sp.coef === 1) {
    const v = em.vec(expr, s);
    const p0 = ptr(em, buffer, d, sp.rest, s);
    const addr = em.f.addLocal("i32");
    s.code.push((f) => {
      pushS(f, p0, int32);
      f.localGet(b.counter);
      mulConst(f, d.itemsize);
      f.op("i32.add").localSet(addr);
      for (let p = 0; p < b.parts; p++) {
        f.localGet(addr);
        pushV(f, v, d, p);
        vectorStore(f, d, p);
      }
    });
    return;
  }
  if (b) throw new Error("wasm codegen: non-contiguous vector store");
  const addr = scalarAddress(em, buffer, d, index, s);
  const v = em.get(expr, s);
  s.code.push((f) => {
    addr(f);
    pushS(f, v, d);
    f.mem(isF32(d) ? "f32.store" : SCALAR_STORE[d.itemsize]!);
  });
}
