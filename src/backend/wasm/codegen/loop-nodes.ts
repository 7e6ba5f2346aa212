/**
 * Expression nodes -> wasm, one node at a time, each in the scope where it belongs
 * (loop-scope.ts). A node is computed once per scope into fresh locals: scalar nodes into an
 * i32/f32 local, vector nodes into `parts` v128 locals. Scalars feeding vector ops are
 * splatted once, in the scalar's own scope (so splats are hoisted too).
 */
import { int32 } from "../../../core/dtype.js";
import type { Expr } from "../../../kernel/expr.js";
import { bounds } from "../../../kernel/index.js";
import type { FunctionBuilder } from "./function-builder.js";
import { type Val, pushS, pushV, splat, stype } from "./codegen-values.js";
import { linOfTerms, mulConst } from "./loop-index.js";
import { emitLoad } from "./loop-memory.js";
import type { KernelEnv, ValueEmitter } from "./loop-emitter.js";
import { type Scope, dependsOn, targetScope } from "./loop-scope.js";
import { scalarBinary, scalarBitcast, scalarCast, scalarUnary } from "./ops-scalar.js";
import { vectorBinary, vectorUnary } from "./ops-vector.js";
import { vectorBitcast, vectorCast, vectorSelect } from "./ops-vector-misc.js";
import { emitReduceGroup } from "./reduce-group.js";

export class NodeEmitter implements ValueEmitter {
  readonly f: FunctionBuilder;
  constructor(readonly env: KernelEnv) {
    this.f = env.f;
  }

  isVec(e: Expr, s: Scope): boolean {
    return s.vector !== undefined && dependsOn(e, s.vector.axis);
  }

  /** The value of `e` as computed in its scope (scalar, constant or vector). */
  get(e: Expr, s: Scope): Val {
    if (e.op === "const") return { t: "k", value: Number(e.value) };
    const t = targetScope(e, s);
    const hit = t.cache.get(e);
    if (hit) return hit;
    const v = this.compute(e, t);
    t.cache.set(e, v);
    return v;
  }

  /** The vector form of `e` for use in vector scope `s`. */
  vec(e: Expr, s: Scope): Val {
    const v = this.get(e, s);
    if (v.t !== "s") return v;
    const t = targetScope(e, s);
    const hit = t.splats.get(e);
    if (hit) return hit;
    const l = this.f.addLocal("v128");
    t.code.push((f) => {
      f.localGet(v.local);
      splat(f, e.dtype);
      f.localSet(l);
    });
    const out: Val = { t: "v", locals: [l] };
    t.splats.set(e, out);
    return out;
  }

  /** Allocates the result locals of a node computed in `t` and schedules `emit` per part. */
  result(e: Expr, t: Scope, emit: (f: FunctionBuilder, p: number) => void): Val {
    if (this.isVec(e, t)) {
      const locals = Array.from({ length: t.vector!.parts }, () => this.f.addLocal("v128"));
      t.code.push((f) => locals.forEach((l, p) => (emit(f, p), f.localSet(l))));
      return { t: "v", locals };
    }
    const l = this.f.addLocal(stype(e.dtype));
    t.code.push((f) => (emit(f, 0), f.localSet(l)));
    return { t: "s", local: l };
  }

  private compute(e: Expr, t: Scope): Val {
    const vecMode = this.isVec(e, t);
    const arg = (x: Expr) => (vecMode ? this.vec(x, t) : this.get(x, t));
    switch (e.op) {
      case "idx":
      case "ridx": {
        const b = t.bindingOf(e);
        if (b.lanes === 1) return { t: "s", local: b.counter };
        return this.result(e, t, (f, p) => {
          f.localGet(b.counter)
            .op("i32x4.splat")
            .i32x4Const(4 * p, 4 * p + 1, 4 * p + 2, 4 * p + 3)
            .op("i32x4.add");
        });
      }
      case "load":
        return emitLoad(this, e, t);
      case "unary": {
        const x = arg(e.x);
        return this.result(e, t, (f, p) =>
          vecMode
            ? vectorUnary(f, e.fn, e.dtype, e.x.dtype, x, p)
            : scalarUnary(f, e.fn, e.dtype, e.x.dtype, x),
        );
      }
      case "binary": {
        const a = arg(e.a);
        const b = arg(e.b);
        const nonneg = bounds(e.a)[0] >= 0;
        return this.result(e, t, (f, p) =>
          vecMode
            ? vectorBinary(f, e.fn, e.a.dtype, a, b, p, nonneg)
            : scalarBinary(f, e.fn, e.a.dtype, a, b, nonneg),
        );
      }
      case "cast": {
        const x = arg(e.x);
        return this.result(e, t, (f, p) =>
          vecMode ? vectorCast(f, e.x.dtype, e.dtype, x, p) : scalarCast(f, e.x.dtype, e.dtype, x),
        );
      }
      case "bitcast": {
        const x = arg(e.x);
        return this.result(e, t, (f, p) =>
          vecMode
            ? vectorBitcast(f, e.x.dtype, e.dtype, x, p)
            : scalarBitcast(f, e.x.dtype, e.dtype, x),
        );
      }
      case "select": {
        const c = vecMode && !this.isVec(e.cond, t) ? this.get(e.cond, t) : arg(e.cond);
        const a = arg(e.a);
        const b = arg(e.b);
        return this.result(e, t, (f, p) => {
          if (vecMode) return vectorSelect(f, e.dtype, c, a, b, p, e.cond.dtype);
          pushS(f, a, e.dtype);
          pushS(f, b, e.dtype);
          pushS(f, c, e.cond.dtype);
          if (e.cond.dtype.name === "float32") f.op("f32.abs").f32Const(0).op("f32.gt"); // JS truthiness
          f.op("select");
        });
      }
      case "lin":
        return this.lin(e, t, vecMode);
      case "reduce":
        emitReduceGroup(this, e, t);
        return t.cache.get(e)!;
      default:
        throw new Error(`wasm codegen: unexpected ${e.op}`);
    }
  }

  /**
   * `c0 + Σ c·term`. The terms computed in this scope are added to the rest, which is its own
   * (hoisted) node; in vector mode the rest is the part that does not depend on the vector index.
   */
  private lin(e: Expr & { op: "lin" }, t: Scope, vecMode: boolean): Val {
    const { c0, terms } = e.lin;
    const inner = terms.filter(([, x]) => (vecMode ? this.isVec(x, t) : targetScope(x, t) === t));
    const outer = terms.filter((term) => !inner.includes(term));
    const rest = this.get(linOfTerms(c0, outer), t);
    const restV = vecMode && rest.t === "s" ? this.vec(linOfTerms(c0, outer), t) : rest;
    const ins = inner.map(([c, x]) => [c, vecMode ? this.vec(x, t) : this.get(x, t)] as const);
    return this.result(e, t, (f, p) => {
      if (vecMode) pushV(f, restV, int32, p);
      else pushS(f, rest, int32);
      for (const [c, v] of ins) {
        if (vecMode) pushV(f, v, int32, p);
        else pushS(f, v, int32);
        mulConst(f, c, vecMode);
        f.op(vecMode ? "i32x4.add" : "i32.add");
      }
    });
  }

  /** A value computed once at the function entry (cached by key). */
  rootValue(key: string, type: "i32" | "f32", emit: (f: FunctionBuilder) => void): Val {
    const root = this.env.root;
    const hit = root.extra.get(key);
    if (hit) return hit;
    const l = this.f.addLocal(type);
    root.code.push((f) => (emit(f), f.localSet(l)));
    const v: Val = { t: "s", local: l };
    root.extra.set(key, v);
    return v;
  }

  /** Byte address of buffer `b` (read from the pointer table). */
  base(b: number): Val {
    return this.rootValue(`base${b}`, "i32", (f) =>
      f.localGet(0).mem("i32.load", { offset: 4 * b }),
    );
  }
}
