/**
 * Lowering helpers for data-dependent indices (dynamic_slice, gather): an integer value loaded
 * from an index buffer becomes an int32 index expression clamped into range, so it can appear
 * inside the index expression of another load.
 */
import { type DType, bool, int32 } from "../core/dtype.js";
import { type Expr, binary, cast, constant } from "../kernel/expr.js";
import { ixClamp } from "../kernel/index.js";
import type { LazyArray, LowerContext } from "../kernel/lowering-types.js";

/** Dtypes whose every value fits an int32 index exactly. */
function fitsInt32(d: DType): boolean {
  return d.isBool || (d.isInt && d.itemsize < 4) || d.name === "int32";
}

/** `e` (any integer dtype) clamped into [lo, hi], as an int32 index expression. */
export function clampedIndex(e: Expr, lo: number, hi: number): Expr {
  if (hi < lo) hi = lo;
  if (fitsInt32(e.dtype)) return ixClamp(cast(e, int32), lo, hi);
  // Clamp in the source dtype first so that wide values cannot wrap when narrowed.
  const d = e.dtype;
  const c = (v: number) => constant(d.isBig ? BigInt(v) : v, d);
  const inRange = binary("min", binary("max", e, c(d.isSigned ? lo : Math.max(lo, 0))), c(hi), d);
  return ixClamp(cast(inRange, int32), lo, hi);
}

/** Whether `lo <= e <= hi` (evaluated in e's dtype). */
export function inBounds(e: Expr, lo: number, hi: number): Expr {
  const d = e.dtype;
  const c = (v: number) => constant(d.isBig ? BigInt(v) : v, d);
  if (hi < lo) return constant(false, bool);
  const upper = binary("le", e, c(hi));
  if (!d.isSigned && lo <= 0) return upper;
  return binary("and", binary("ge", e, c(lo)), upper);
}

/** A lazy operand that may appear inside index expressions (reductions are materialized). */
export function indexSource(ctx: LowerContext, x: LazyArray): LazyArray {
  return x.hasReduce ? ctx.materialize(x) : x;
}
