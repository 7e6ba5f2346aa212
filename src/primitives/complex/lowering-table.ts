/**
 * How each primitive lowers complex operands (see lower/complex.ts): "partwise" — its real
 * rule applied to the real and imaginary parts separately (real-linear primitives that never
 * mix the parts); "own" — its lowering rule handles complex lazy arrays itself; or a complex
 * rule here, building the result's parts from real expressions. Absent: not implemented for
 * complex operands (a NotImplementedError naming the primitive).
 */
import { type DType, float64, realPartDType } from "../../core/dtype.js";
import type { Params } from "../../ir/jaxpr.js";
import { binary, cast } from "../../kernel/expr.js";
import { TRANSCENDENTAL } from "../elementwise/rows.js";
import {
  type Pair,
  ccos,
  ccosh,
  cdiv,
  cexp,
  cexpm1,
  cintegerPow,
  clog,
  clog1p,
  cmul,
  cpow,
  crecip,
  csign,
  csin,
  csinh,
  csqrt,
  ctan,
  ctanh,
  hypot,
  narrow,
  widen,
} from "./complex-expr.js";
import { complexLazy, complexMapLazy, partAval, partsOf } from "../../kernel/complex-lazy.js";
import { mapLazy } from "../../kernel/lazy.js";
import type { LazyArray, LowerContext, LowerRule } from "../../kernel/lowering-types.js";
import { ShapedArray } from "../../core/aval.js";
import { broadcastOperand } from "../lowering-helpers.js";

/** A complex rule; `realRule` is the primitive's own (real) lowering rule, to reuse. */
export type ComplexRule = (
  ctx: LowerContext,
  inputs: LazyArray[],
  params: Params,
  outAvals: ShapedArray[],
  realRule: LowerRule<Params>,
) => LazyArray[];
export type ComplexLowering = "partwise" | "own" | ComplexRule;

/** `broadcastOperand` for real or complex values (a complex one part by part). */
export function broadcastAny(ctx: LowerContext, x: LazyArray, shape: readonly number[]): LazyArray {
  if (!x.parts) return broadcastOperand(ctx, x, shape);
  const aval = new ShapedArray(shape, x.aval.dtype, x.aval.weakType);
  const { re, im } = x.parts;
  return complexLazy(aval, broadcastOperand(ctx, re, shape), broadcastOperand(ctx, im, shape));
}

/** Elementwise complex rule over broadcast operands. */
function complexElementwise(f: (xs: Pair[], part: DType) => Pair, cost = 4): ComplexRule {
  return (ctx, inputs, _p, [out]) => [
    complexMapLazy(
      out!,
      inputs.map((x) => broadcastAny(ctx, x, out!.shape)),
      (xs) => f(xs, realPartDType(out!.dtype)),
      cost,
    ),
  ];
}

/** A complex function evaluated in float64 and rounded to the part dtype. */
const widened = (f: (z: Pair) => Pair) =>
  complexElementwise(([z], part) => narrow(f(widen(z!)), part), TRANSCENDENTAL);

/** integer_pow[y]: repeated complex multiplies in the part dtype (as JAX's). */
const complexIntegerPow: ComplexRule = (_ctx, [x], params, [out]) => {
  const n = params["y"] as number;
  return [
    complexMapLazy(
      out!,
      [x!],
      ([z]) => cintegerPow(z!, n),
      4 * Math.ceil(Math.log2(Math.abs(n) + 2)),
    ),
  ];
};

/** abs: |z| = hypot(re, im), a real result of the part dtype. */
const complexAbs: ComplexRule = (ctx, [x], _p, [out]) => {
  const { re, im } = partsOf(x!);
  return [
    mapLazy(
      out!,
      [re, im],
      ([a, b]) => cast(hypot(cast(a!, float64), cast(b!, float64)), out!.dtype),
      6,
    ),
  ];
};

/**
 * dot_general of complex operands as four real dots of the parts (the real rule, so each is a
 * dot kernel on either device): (A + iB)(C + iD) = (AC − BD) + i(AD + BC).
 */
const complexDot: ComplexRule = (ctx, [x, y], params, [out], realRule) => {
  const part = partAval(out!);
  const px = partsOf(x!);
  const py = partsOf(y!);
  const dot = (a: LazyArray, b: LazyArray) => realRule(ctx, [a, b], params, [part])[0]!;
  const ac = dot(px.re, py.re);
  const bd = dot(px.im, py.im);
  const ad = dot(px.re, py.im);
  const bc = dot(px.im, py.re);
  return [
    complexLazy(
      out!,
      mapLazy(part, [ac, bd], ([p, q]) => binary("sub", p!, q!)),
      mapLazy(part, [ad, bc], ([p, q]) => binary("add", p!, q!)),
    ),
  ];
};

/** eq / ne: both parts compared; the result is bool. */
function complexCompare(fn: "eq" | "ne"): ComplexRule {
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
const convertComplex: ComplexRule = (_ctx, [x], _p, [out]) => {
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
  ["mul", complexElementwise(([x, y]) => cmul(x!, y!))],
  ["div", complexElementwise(([x, y]) => cdiv(x!, y!), 12)],
  ["integer_pow", complexIntegerPow],
  ["abs", complexAbs],
  ["sign", widened(csign)],
  ["exp", widened(cexp)],
  ["log", widened(clog)],
  ["sqrt", widened(csqrt)],
  ["rsqrt", widened((z) => crecip(csqrt(z)))],
  ["sin", widened(csin)],
  ["cos", widened(ccos)],
  ["tan", widened(ctan)],
  ["sinh", widened(csinh)],
  ["cosh", widened(ccosh)],
  ["tanh", widened(ctanh)],
  ["expm1", widened(cexpm1)],
  ["log1p", complexElementwise(([z], part) => narrow(clog1p(z!, part), part), TRANSCENDENTAL)],
  ["pow", complexElementwise(([x, y], part) => narrow(cpow(widen(x!), widen(y!)), part), 20)],
  ["dot_general", complexDot],
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
