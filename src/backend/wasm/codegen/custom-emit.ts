/**
 * Small emitters shared by the compiled custom kernels (sort, cumulative, scatter): buffer
 * addresses from the kernel table, counted loops over locals, and element loads/stores/copies
 * by element size. Every custom kernel is `(table, begin, end)` like the loop kernels.
 */
import type { FunctionBuilder } from "./function-builder.js";
import type { MemOp } from "./opcodes.js";

/** Local index of the table parameter, and of [begin, end). */
export const TABLE = 0;
export const BEGIN = 1;
export const END = 2;

/** Where a compiled custom kernel stands: trip, work, scratch and a one-line summary. */
export interface CustomPlan {
  readonly trip: number;
  readonly workPerIter: number;
  readonly scratchBytes: number;
  readonly summary: string;
}

/** Set local `dst` to the byte address of program buffer `id` (table entry `id`). */
export function loadBufferAddress(f: FunctionBuilder, id: number, dst: number): void {
  f.localGet(TABLE)
    .mem("i32.load", { offset: id * 4 })
    .localSet(dst);
}

/** Declare `n` fresh i32 locals. */
export function i32Locals(f: FunctionBuilder, n: number): number[] {
  return Array.from({ length: n }, () => f.addLocal("i32"));
}

/** `for (counter = from(); counter < to(); counter++) body()` (signed compare; no-op when empty). */
export function forUp(
  f: FunctionBuilder,
  counter: number,
  from: () => void,
  to: () => void,
  body: () => void,
): void {
  from();
  f.localTee(counter);
  to();
  f.op("i32.lt_s");
  f.if();
  const top = f.loop();
  body();
  f.localGet(counter).i32Const(1).op("i32.add").localTee(counter);
  to();
  f.op("i32.lt_s").br_if(top);
  f.end();
  f.end();
}

/** `local += c` for an i32 local. */
export function addTo(f: FunctionBuilder, local: number, c: number): void {
  f.localGet(local).i32Const(c).op("i32.add").localSet(local);
}

/** Push `a + b·scale` for i32 locals (scale a power of two, ≥ 1). */
export function pushScaled(f: FunctionBuilder, a: number, b: number, scale: number): void {
  f.localGet(a).localGet(b);
  if (scale > 1) f.i32Const(Math.log2(scale)).op("i32.shl");
  f.op("i32.add");
}

const LOAD_BY_SIZE: Record<number, MemOp> = {
  1: "i32.load8_u",
  2: "i32.load16_u",
  4: "i32.load",
  8: "i64.load",
};
const STORE_BY_SIZE: Record<number, MemOp> = {
  1: "i32.store8",
  2: "i32.store16",
  4: "i32.store",
  8: "i64.store",
};

/**
 * Copy one element of `size` bytes: the destination address, then the source address, must
 * be pushed by `dst` and `src` (bits are moved as integers, so NaN payloads survive).
 */
export function copyElement(
  f: FunctionBuilder,
  size: number,
  dst: () => void,
  src: () => void,
): void {
  const load = LOAD_BY_SIZE[size];
  const store = STORE_BY_SIZE[size];
  if (!load || !store) throw new Error(`no element copy for ${size}-byte elements`);
  dst();
  src();
  f.mem(load).mem(store);
}
