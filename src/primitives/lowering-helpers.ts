/** Lowering helpers shared by primitives. */
import { ShapedArray } from "../core/aval.js";
import { shapeEqual } from "../core/shape.js";
import { type Expr } from "../kernel/expr.js";
import { ix } from "../kernel/index.js";
import { mapLazy, remapLazy } from "../kernel/lazy.js";
import type { LazyArray, LowerContext, LowerRule } from "../kernel/lowering-types.js";

/** `x` seen at `shape` under lax broadcasting (scalars, and size-1 dims of equal rank). */
export function broadcastOperand(
  ctx: LowerContext,
  x: LazyArray,
  shape: readonly number[],
): LazyArray {
  const s = x.aval.shape;
  if (shapeEqual(s, shape)) return x;
  const aval = new ShapedArray(shape, x.aval.dtype, x.aval.weakType);
  if (s.length === 0) {
    return remapLazy(
      ctx,
      x,
      aval,
      () => [],
      (v) => ({ ...v, strides: shape.map(() => 0) }),
    );
  }
  return remapLazy(
    ctx,
    x,
    aval,
    (coords) => coords.map((c, k) => (s[k] === 1 ? ix(0) : c)),
    (v) => ({ ...v, strides: v.strides.map((st, k) => (s[k] === 1 ? 0 : st)) }),
  );
}

/**
 * Lowering of an elementwise op: broadcast operands, then combine elements with `f` (params
 * are not read, so the rule serves a primitive of any params type).
 */
export function elementwiseLowering(
  f: (xs: Expr[], out: ShapedArray) => Expr,
  cost = 1,
): LowerRule<unknown> {
  return (ctx, inputs, _params, [out]) => [
    mapLazy(
      out!,
      inputs.map((x) => broadcastOperand(ctx, x, out!.shape)),
      (xs) => f(xs, out!),
      cost,
    ),
  ];
}
