/**
 * What the windowed reductions share: their params (JAX's names), the shape rule with JAX's
 * checks and messages, the reduction identities, and the index arithmetic that maps an output
 * element and a window offset to an operand element (padding and base dilation as holes).
 */
import type { ShapedArray } from "../../core/aval.js";
import { type DType, dtypeRange } from "../../core/dtype.js";
import { shapeStr } from "../../core/shape.js";
import { type Expr, binary, ridx } from "../../kernel/expr.js";
import { ix, ixAdd, ixFloorDiv, ixMod, ixMul } from "../../kernel/index.js";
import { dilateDim } from "../window-geometry.js";

export type Pair = [number, number];

/** reduce_window_{sum,max,min} and select_and_gather_add's window geometry. */
export type WindowParams = {
  window_dimensions: number[];
  window_strides: number[];
  padding: Pair[];
  base_dilation: number[];
  window_dilation: number[];
};

/** JAX's `_check_shapelike`: a 1-d sequence of integers ≥ 0 (≥ 1 when `nonZero`). */
export function checkShapelike(
  fn: string,
  arg: string,
  obj: readonly number[],
  nonZero = false,
): void {
  if (!globalThis.Array.isArray(obj)) {
    throw new TypeError(`${fn} ${arg} must be of type tuple/list/ndarray, got ${typeof obj}.`);
  }
  if (!obj.every((d) => Number.isInteger(d))) {
    throw new TypeError(
      `${fn} ${arg} must have every element be an integer type, got ${shapeStr(obj)}.`,
    );
  }
  const [lower, what] = nonZero ? [1, "strictly positive"] : [0, "nonnegative"];
  if (!obj.every((d) => d >= lower)) {
    throw new TypeError(`${fn} ${arg} must have every element be ${what}, got ${shapeStr(obj)}.`);
  }
}

/** Python's str() of a tuple of pairs. */
export function pairsStr(p: readonly Pair[]): string {
  const items = p.map((q) => `(${q[0]}, ${q[1]})`);
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

/** JAX's `reduce_window_shape_tuple`. */
export function windowOutShape(shape: readonly number[], p: WindowParams): number[] {
  return shape.map((d, k) => {
    const padded = dilateDim(d, p.base_dilation[k]!) + p.padding[k]![0] + p.padding[k]![1];
    const w = dilateDim(p.window_dimensions[k]!, p.window_dilation[k]!);
    return Math.max(Math.floor((padded - w) / p.window_strides[k]!) + 1, 0);
  });
}

/** JAX's `_common_reduce_window_shape_rule` (its checks, messages and output shape). */
export function windowShapeRule(operand: ShapedArray, p: WindowParams): number[] {
  const fn = "reduce_window";
  checkShapelike(fn, "window_dimensions", p.window_dimensions, true);
  checkShapelike(fn, "window_strides", p.window_strides, true);
  checkShapelike(fn, "base_dilation", p.base_dilation);
  checkShapelike(fn, "window_dilation", p.window_dilation);
  const wd = shapeStr(p.window_dimensions);
  if (operand.ndim !== p.window_dimensions.length) {
    throw new TypeError(
      `reduce_window got the wrong number of window_dimensions for operand: got operand shape ${shapeStr(operand.shape)} with window_dimensions ${wd}.`,
    );
  }
  const same = (name: string, v: readonly number[]) => {
    if (v.length !== p.window_dimensions.length) {
      throw new TypeError(
        `reduce_window got inconsistent ${name} and window_dimensions: got ${name} ${shapeStr(v)} and window_dimensions ${wd}.`,
      );
    }
  };
  same("window_strides", p.window_strides);
  same("base_dilation", p.base_dilation);
  same("window_dilation", p.window_dilation);
  if (p.padding.length !== operand.ndim || !p.padding.every((q) => q.length === 2)) {
    throw new TypeError(
      `reduce_window padding must be a sequence of (low, high) pairs, one per dimension of operand shape ${shapeStr(operand.shape)}, got ${pairsStr(p.padding)}.`,
    );
  }
  if (![...p.base_dilation, ...p.window_dilation].every((d) => d > 0)) {
    throw new TypeError(
      `All dilations must be positive, got ${shapeStr([...p.base_dilation, ...p.window_dilation])}.`,
    );
  }
  return windowOutShape(operand.shape, p);
}

/** The identity of max (`-inf`, or the dtype's minimum) or of min, as a kernel constant. */
export function extremumIdentity(dtype: DType, of: "max" | "min"): number | bigint | boolean {
  if (dtype.isBool) return of === "min";
  if (dtype.isFloat) return of === "max" ? -Infinity : Infinity;
  if (dtype.itemsize === 8) {
    const signed = dtype.kind === "i";
    if (of === "max") return signed ? -(2n ** 63n) : 0n;
    return signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  }
  const [lo, hi] = dtypeRange(dtype);
  return of === "max" ? lo : hi;
}

/**
 * The operand coordinate read by output element `out` at window offset `r` (per dimension),
 * and the condition that it is a real element (not padding, not a base-dilation hole);
 * `undefined` when it always is.
 */
export function windowSource(
  out: readonly Expr[],
  r: readonly Expr[],
  shape: readonly number[],
  p: WindowParams,
): { coords: Expr[]; valid: Expr | undefined } {
  let valid: Expr | undefined;
  const and = (c: Expr) => {
    if (c.op === "const" && c.value) return;
    valid = valid ? binary("and", valid, c) : c;
  };
  const coords = shape.map((d, k) => {
    const bd = p.base_dilation[k]!;
    const pos = ixAdd(
      ixMul(out[k]!, p.window_strides[k]!),
      ixMul(r[k]!, p.window_dilation[k]!),
      -p.padding[k]![0],
    );
    const q = bd === 1 ? pos : ixFloorDiv(pos, bd);
    and(binary("ge", pos, ix(0)));
    and(binary("lt", q, ix(d)));
    if (bd > 1) and(binary("eq", ixMod(pos, bd), ix(0)));
    return q;
  });
  return { coords, valid };
}

/** The geometry with a size-1, unpadded window inserted at dimension `k` (a batch dim). */
export function withWindowDimAt<P extends Partial<WindowParams>>(p: P, k: number): P {
  const ins = <T>(v: readonly T[] | undefined, x: T): T[] | undefined =>
    v && [...v.slice(0, k), x, ...v.slice(k)];
  const out: P = { ...p };
  const put = <K extends keyof WindowParams>(key: K, v: WindowParams[K] | undefined) => {
    if (v) (out as Partial<WindowParams>)[key] = v;
  };
  put("window_dimensions", ins(p.window_dimensions, 1));
  put("window_strides", ins(p.window_strides, 1));
  put("padding", ins<Pair>(p.padding, [0, 0]));
  put("base_dilation", ins(p.base_dilation, 1));
  put("window_dilation", ins(p.window_dilation, 1));
  return out;
}

/** The window offsets of dimension k: a reduction index where the window is wider than 1. */
export function windowOffsets(window: readonly number[]): { r: Expr[]; sizes: number[] } {
  const sizes: number[] = [];
  const r = window.map((w) => (w > 1 ? ridx(sizes.push(w) - 1, w) : ix(0)));
  return { r, sizes };
}
