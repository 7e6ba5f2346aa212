/** Index-expression helpers for the loop emitters: splitting off a loop index, constant scaling. */
import { int32 } from "../../../core/dtype.js";
import { type Expr, constant, linExpr } from "../../../kernel/expr.js";
import type { FunctionBuilder } from "./function-builder.js";
import { dependsOn } from "./loop-scope.js";

export type AxisExpr = Expr & { op: "idx" | "ridx"; axis: number };

/** `c0 + Σ terms` as an index expression (the interned node itself when it is one term). */
export function linOfTerms(c0: number, terms: readonly (readonly [number, Expr])[]): Expr {
  if (terms.length === 0) return constant(c0, int32);
  if (terms.length === 1 && c0 === 0 && terms[0]![0] === 1) return terms[0]![1];
  return linExpr({ c0, terms });
}

/**
 * `index = rest + coef·axis` with `rest` independent of `axis`, when the index has that form
 * (coef 1: contiguous along the axis; no dependence at all: undefined as well).
 */
export function splitOn(index: Expr, axis: AxisExpr): { rest: Expr; coef: number } | undefined {
  if (index === axis) return { rest: constant(0, int32), coef: 1 };
  if (index.op !== "lin") return undefined;
  let coef = 0;
  const others: (readonly [number, Expr])[] = [];
  for (const [c, t] of index.lin.terms) {
    if (t === axis) coef += c;
    else if (dependsOn(t, axis)) return undefined;
    else others.push([c, t]);
  }
  if (coef === 0) return undefined;
  return { rest: linOfTerms(index.lin.c0, others), coef };
}

/** Whether a load/store index reads consecutive elements as `axis` steps (or ignores it). */
export function contiguousOrInvariant(index: Expr, axis: AxisExpr): boolean {
  if (!dependsOn(index, axis)) return true;
  return splitOn(index, axis)?.coef === 1;
}

/** [x] -> [x·c] for an i32 (or i32x4) value. */
export function mulConst(f: FunctionBuilder, c: number, vec = false): void {
  if (c === 1) return;
  if (c > 0 && Number.isInteger(Math.log2(c))) {
    f.i32Const(Math.log2(c)).op(vec ? "i32x4.shl" : "i32.shl");
    return;
  }
  if (vec) f.i32x4Const(c).op("i32x4.mul");
  else f.i32Const(c).op("i32.mul");
}
