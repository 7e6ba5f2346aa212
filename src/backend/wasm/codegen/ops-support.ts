/**
 * What the wasm codegen can compile: dtypes and (op, dtype) pairs. A kernel containing
 * anything else runs on the JS codegen (the program's `fallback` list), so the emitters may
 * assume every node they see passed these checks.
 */
import type { DType } from "../../../core/dtype.js";
import {
  type BinaryOp,
  type Expr,
  type UnaryOp,
  comparisonOps,
  topoSort,
} from "../../../kernel/expr.js";
import { SUPPORTED } from "./codegen-values.js";
import { UNARY_MATH } from "./simd-math.js";

const INT_UNARY = new Set<UnaryOp>([
  "neg",
  "not",
  "abs",
  "sign",
  "popcnt",
  "clz",
  "floor",
  "ceil",
  "round",
  "round_even",
]);
const BOOL_UNARY = new Set<UnaryOp>([
  "neg",
  "not",
  "abs",
  "sign",
  "floor",
  "ceil",
  "round",
  "round_even",
]);
const FLOAT_UNARY = new Set<UnaryOp>([
  "neg",
  "abs",
  "sign",
  "floor",
  "ceil",
  "round",
  "round_even",
  "sqrt",
  "rsqrt",
  "is_finite",
]);
const FLOAT_BINARY = new Set<BinaryOp>([
  "add",
  "sub",
  "mul",
  "div",
  "rem",
  "pow",
  "max",
  "min",
  "atan2",
  "nextafter",
]);
const BOOL_BINARY = new Set<BinaryOp>(["add", "sub", "mul", "max", "min", "and", "or", "xor"]);

export function unaryReason(fn: UnaryOp, inD: DType): string | undefined {
  if (inD.isFloat) {
    if (FLOAT_UNARY.has(fn) || fn in UNARY_MATH) return undefined;
    return `unary ${fn} on ${inD.name}`;
  }
  if (inD.isBool) return BOOL_UNARY.has(fn) ? undefined : `unary ${fn} on bool`;
  return INT_UNARY.has(fn) ? undefined : `unary ${fn} on ${inD.name}`;
}

export function binaryReason(fn: BinaryOp, d: DType): string | undefined {
  if (comparisonOps.has(fn)) return undefined;
  if (d.isFloat) return FLOAT_BINARY.has(fn) ? undefined : `binary ${fn} on ${d.name}`;
  if (d.isBool) return BOOL_BINARY.has(fn) ? undefined : `binary ${fn} on bool`;
  return fn === "atan2" || fn === "nextafter" ? `binary ${fn} on ${d.name}` : undefined;
}

function bitcastOk(from: DType, to: DType): boolean {
  if (from.itemsize !== to.itemsize || from.isBool || to.isBool) return false;
  return true;
}

const dtypeOk = (d: DType): boolean => SUPPORTED.has(d.name);

/** Why the expressions cannot be compiled (undefined: they can). */
export function exprReason(
  roots: readonly Expr[],
  bufferDtype: (id: number) => DType,
): string | undefined {
  for (const e of topoSort(roots)) {
    if (!dtypeOk(e.dtype)) return `dtype ${e.dtype.name}`;
    switch (e.op) {
      case "load":
        if (bufferDtype(e.buffer) !== e.dtype)
          return `load of ${bufferDtype(e.buffer).name} as ${e.dtype.name}`;
        break;
      case "unary": {
        if (!dtypeOk(e.x.dtype)) return `dtype ${e.x.dtype.name}`;
        const r = unaryReason(e.fn, e.x.dtype);
        if (r) return r;
        break;
      }
      case "binary": {
        if (!dtypeOk(e.a.dtype)) return `dtype ${e.a.dtype.name}`;
        const r = binaryReason(e.fn, e.a.dtype);
        if (r) return r;
        break;
      }
      case "bitcast":
        if (!bitcastOk(e.x.dtype, e.dtype)) return `bitcast ${e.x.dtype.name} -> ${e.dtype.name}`;
        break;
      case "const":
        if (typeof e.value === "bigint") return "bigint constant";
        break;
    }
  }
  return undefined;
}
