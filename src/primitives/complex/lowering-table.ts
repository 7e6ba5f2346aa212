/**
 * How each primitive lowers complex operands (see lower/complex.ts): "partwise" — its real
 * rule applied to the real and imaginary parts separately (real-linear primitives that never
 * mix the parts); "own" — its lowering rule handles complex lazy arrays itself; or a complex
 * rule here, building the result's parts from real expressions. Absent: not implemented for
 * complex operands (a NotImplementedError naming the primitive).
 */
import { type Expr, binary, cast } from "../../kernel/expr.js";
import { complexLazy, complexMapLazy, partAval, partsOf } from "../../kernel/complex-lazy.js";
import { mapLazy } from "../../kernel/lazy.js";
import type { LazyArray, LowerContext, LowerRule } from "../../kernel/lowering-types.js";
import { ShapedArray } from "../../core/aval.js";
import { broadcastOperand } from "../lowering-helpers.js";

export type ComplexLowering = "partwise" | "own" | LowerRule<unknown>;

type Pair = readonly [Expr, Expr];

/** `broadcastOperand` for real or complex values (a complex one part by part). */
export function broadcastAny(ctx: LowerContext, x: LazyArray, shape: readonly number[]): LazyArray {
  if (!x.parts) return broadcastOperand(ctx, x, shape);
  const aval = new ShapedArray(shape, x.aval.dtype, x.aval.weakType);
  const { re, im } = x.parts;
  return complexLazy(aval, broadcastOperand(ctx, re, shape), broadcastOperand(ctx, im, shape));
}

/** (a + ib)(c + id) = (ac − bd) + i(ad + bc). */
export function cmulExpr([a, b]: Pair, [c, d]: Pair): Pair {
  return [
    binary("sub", binary("mul", a, c), binary("mul", b, d)),
    binary("add", binary("mul", a, d), binary("mul", b, c)),
  ];
}

/** Elementwise complex rule over broadcast operands. */
function complexElementwise(f: (xs: Pair[]) => Pair, cost = 4): LowerRule<unknown> {
  return (ctx, inputs, _p, [out]) => [
    complexMapLazy(
      out!,
      inputs.map((x) => broadcastAny(ctx, x, out!.shape)),
      f,
      cost,
    ),
  ];
}

/** eq / ne: both parts compared; the result is bool. */
function complexCompare(fn: "eq" | "ne"): LowerRule<unknown> {
  return (ctx, [x, y], _p, [out]) => {
    const [px, py] = [x!, y!].map((v) => partsOf(broadcastAny(ctx, v, out!.shape)));
    return [
      mapLazy(out!, [px!.re, px!.im, py!.re, py!.im], ([a, b, c, d]) =>
        binary(fn === "eq" ? "and" : "or", binary(fn, a!, c!), binary(fn, b!, d!)),
      ),
    ];
  };
}

/** convert_element_type to, from or between complex dtypes (complex → real keeps the real part). */
const convertComplex: LowerRule<unknown> = (_ctx, [x], _p, [out]) => {
  const o = out!;
  const { re, im } = partsOf(x!);
  if (!o.dtype.isComplex) return [mapLazy(o, [re], ([r]) => cast(r!, o.dtype), 1)];
  const part = partAval(o);
  // Parts converted separately (a real operand's imaginary part is 0).
  const toPart = (v: LazyArray) => mapLazy(part, [v], ([e]) => cast(e!, part.dtype), 1);
  return [complexLazy(o, toPart(re), toPart(im))];
};

const table = new Map<string, ComplexLowering>([
  // Real-linear, parts never mixed.
  ...[
    "add",
    "sub",
    "neg",
    "add_any",
    "reduce_sum",
    "cumsum",
    "broadcast_in_dim",
    "reshape",
    "transpose",
    "squeeze",
    "rev",
    "slice",
    "pad",
    "concatenate",
    "select_n",
    "dynamic_slice",
    "dynamic_update_slice",
    "gather",
    "scatter",
    "scatter-add",
    "copy",
    "stop_gradient",
  ].map((n) => [n, "partwise"] as const),
  ...["complex", "real", "imag", "conj"].map((n) => [n, "own"] as const),
  ["mul", complexElementwise(([x, y]) => cmulExpr(x!, y!))],
  ["eq", complexCompare("eq")],
  ["ne", complexCompare("ne")],
  ["convert_element_type", convertComplex],
]);

/** How primitive `name` lowers complex values (undefined: not implemented for complex). */
export function complexLoweringOf(name: string): ComplexLowering | undefined {
  return table.get(name);
}

/** Register the complex lowering of a primitive defined elsewhere (complex math, dot…). */
export function setComplexLowering(name: string, how: ComplexLowering): void {
  table.set(name, how);
}
