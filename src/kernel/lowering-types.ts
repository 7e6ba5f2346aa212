/**
 * The contract between primitives and the compiler: a primitive's lowering rule receives
 * its operands as lazy arrays (element expressions, not yet computed) and returns lazy
 * results. The compiler (backend/lower.ts) decides what to materialize into buffers.
 */
import type { ShapedArray } from "../core/aval.js";
import type { Expr } from "./expr.js";
import type { Kernel } from "./kernel.js";
import type { Jaxpr } from "../ir/jaxpr.js";

/** An affine view of a buffer: element c at `offset + Σ c[k]·strides[k]`. */
export interface BufferView {
  readonly buffer: number;
  readonly bufferSize: number;
  readonly offset: number;
  readonly strides: readonly number[];
}

export interface LazyArray {
  readonly aval: ShapedArray;
  /** The expression for the element at `coords` (one index expression per dimension). */
  at(coords: readonly Expr[]): Expr;
  /** Set when the value is exactly an affine view of one buffer (no arithmetic). */
  readonly view?: BufferView;
  /** Contains a reduction: consume only elementwise at the same shape, or materialize. */
  readonly hasReduce: boolean;
  /** Rough per-element cost (ALU ops; transcendental functions count more). */
  readonly cost: number;
  /**
   * Set exactly when the value is complex: its real and imaginary parts as real lazy arrays
   * (kernel/complex-lazy.ts). `at` is then not to be called.
   */
  readonly parts?: {
    readonly re: LazyArray;
    readonly im: LazyArray;
    /** Set when the value is exactly a view of interleaved storage (counted in pairs). */
    readonly view?: BufferView;
  };
}

export interface LowerContext {
  /** `x` computed into a fresh contiguous buffer (or `x` itself if it already is one). */
  materialize(x: LazyArray): LazyArray & { view: BufferView };
  /** Emit a kernel writing `x` into an existing buffer (a copy even if `x` is a buffer). */
  materializeInto(x: LazyArray, buffer: number): void;
  /**
   * A complex `x` computed into a fresh contiguous buffer of interleaved (re, im) pairs (or the
   * buffer `x` already is): the buffer id (2·size elements of the part dtype), for kernels that
   * read complex storage directly.
   */
  materializeInterleaved(x: LazyArray): number;
  /** A new temporary buffer for `aval`, to be written by a kernel passed to `emit`. */
  newBuffer(aval: ShapedArray): number;
  emit(kernel: Kernel): void;
  /** The kernels emitted while running `body` (for control flow), instead of the main list. */
  nested(body: () => void): Kernel[];
  /** Lower a (const-free) jaxpr on lazy inputs, emitting its kernels into the current list. */
  lowerJaxpr(jaxpr: Jaxpr, inputs: readonly LazyArray[]): LazyArray[];
}

export type LowerRule<P> = (
  ctx: LowerContext,
  inputs: LazyArray[],
  params: P,
  outAvals: ShapedArray[],
) => LazyArray[];
