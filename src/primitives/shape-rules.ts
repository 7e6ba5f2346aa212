/** Shape and dtype checks shared by primitives, with JAX's error wording. */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";

const tuple = (s: readonly number[]) => shapeStr(s);

/**
 * lax n-ary broadcasting: scalars broadcast against anything; otherwise ranks must match and
 * each dimension must agree or be 1.
 */
export function broadcastingShape(name: string, avals: readonly ShapedArray[]): number[] {
  const shapes = avals.map((a) => a.shape).filter((s) => s.length > 0);
  if (shapes.length === 0) return [];
  const rank = shapes[0]!.length;
  if (shapes.some((s) => s.length !== rank)) {
    throw new TypeError(
      `${name}: arrays must have same number of dimensions, got ${shapes.map(tuple).join(", ")}.`,
    );
  }
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const sizes = shapes.map((s) => s[k]!);
    const non1 = [...new Set(sizes.filter((d) => d !== 1))];
    if (non1.length > 1) {
      throw new TypeError(
        `${name} got incompatible shapes for broadcasting: ${shapes.map(tuple).join(", ")}.`,
      );
    }
    out.push(non1.length ? non1[0]! : 1);
  }
  return out;
}

export function sameDtypes(name: string, avals: readonly ShapedArray[]): DType {
  const d = avals[0]!.dtype;
  if (avals.some((a) => a.dtype !== d)) {
    throw new TypeError(
      `${name} requires arguments to have the same dtypes, got ${avals
        .map((a) => `${a.dtype.name}${a.weakType ? " (weakly typed)" : ""}`)
        .join(", ")}. ` +
        `Convert one operand with lax.convert_element_type or use the jnp function, which promotes.`,
    );
  }
  return d;
}

export type DtypeClass = "float" | "int" | "bool" | "intOrBool" | "numeric" | "any";

/**
 * Primitives of the "float" and "numeric" classes that also accept complex operands (as JAX's
 * `_float | _complex`, `_num`): the ones whose complex lowering exists.
 */
export const acceptsComplex = new Set<string>([
  "neg",
  "sub",
  "div",
  "integer_pow",
  "abs",
  "sign",
  "exp",
  "log",
  "sqrt",
  "rsqrt",
  "sin",
  "cos",
  "tan",
  "sinh",
  "cosh",
  "tanh",
  "expm1",
  "log1p",
  "pow",
  "reduce_sum",
]);

export function checkDtypeClass(name: string, d: DType, cls: DtypeClass): void {
  const ok =
    cls === "any" ||
    (d.isComplex && (cls === "float" || cls === "numeric") && acceptsComplex.has(name)) ||
    (cls === "float" && d.isFloat) ||
    (cls === "int" && d.isInt) ||
    (cls === "bool" && d.isBool) ||
    (cls === "intOrBool" && (d.isInt || d.isBool)) ||
    (cls === "numeric" && (d.isInt || d.isFloat));
  if (!ok) {
    const expected = {
      float: "floating",
      int: "integer",
      bool: "bool",
      intOrBool: "integer or bool",
      numeric: "numeric (integer or floating)",
      any: "",
    }[cls];
    throw new TypeError(
      `${name} does not accept dtype ${d.name}. Accepted dtypes are subtypes of ${expected}.`,
    );
  }
}

/** The n-ary elementwise rule: equal dtypes, broadcasting shapes, weak iff all weak. */
export function naryAval(
  name: string,
  avals: readonly ShapedArray[],
  cls: DtypeClass,
  outDtype?: DType,
): ShapedArray {
  const d = sameDtypes(name, avals);
  checkDtypeClass(name, d, cls);
  const shape = broadcastingShape(name, avals);
  const weak = outDtype ? false : avals.every((a) => a.weakType);
  return new ShapedArray(shape, outDtype ?? d, weak);
}
