/** WebAssembly value, block and function types, and the emitter's label and memarg shapes. */

export type NumType = "i32" | "i64" | "f32" | "f64";
export type ValType = NumType | "v128";
/** Block result type: no result, or a single value. */
export type BlockType = "void" | ValType;

export const VALTYPE_CODE: Readonly<Record<ValType, number>> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
};
export const BLOCKTYPE_VOID = 0x40;

/** Alignment/offset immediate of memory instructions. `align` is in bytes (a power of two). */
export interface MemArg {
  offset?: number;
  align?: number;
}

/** A control-flow label returned by `block`/`loop`/`if`; pass it to `br`/`br_if`. */
export interface Label {
  readonly kind: "block" | "loop" | "if";
  /** Nesting level at which the label was opened (1 = outermost block in the body). */
  readonly level: number;
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** log2 of a memarg alignment in bytes (a power of two). */
export function log2Exact(n: number): number {
  const l = Math.log2(n);
  if (!Number.isInteger(l) || l < 0) throw new RangeError(`alignment must be a power of two: ${n}`);
  return l;
}
