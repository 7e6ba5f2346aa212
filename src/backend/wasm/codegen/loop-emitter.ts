/**
 * What the emitters of loads, stores and reduction groups (loop-memory.ts, reduce-group.ts)
 * ask of the expression-node emitter (loop-nodes.ts, which calls them): the kernel's
 * environment, node values by scope, result locals, and values computed at the function entry.
 */
import type { DType } from "../../../core/dtype.js";
import type { Expr, ReduceExpr } from "../../../kernel/expr.js";
import type { Val } from "./codegen-values.js";
import type { FunctionBuilder } from "./function-builder.js";
import type { Scope } from "./loop-scope.js";

export interface KernelEnv {
  readonly f: FunctionBuilder;
  readonly bufDtype: (id: number) => DType;
  /** Every reduce node of the kernel, operands first (for grouping). */
  readonly reduces: readonly ReduceExpr[];
  /** Vectorize reduction loops along their innermost index when they are contiguous there. */
  readonly vectorizeReductions: boolean;
  /** Scope at the function entry (buffer addresses live there). */
  root: Scope;
}

/** The node emitter as its helpers see it (implemented by loop-nodes.ts's NodeEmitter). */
export interface ValueEmitter {
  readonly f: FunctionBuilder;
  readonly env: KernelEnv;
  /** Whether `e` is a vector value in scope `s`. */
  isVec(e: Expr, s: Scope): boolean;
  /** The value of `e` as computed in its scope (scalar, constant or vector). */
  get(e: Expr, s: Scope): Val;
  /** The vector form of `e` for use in vector scope `s`. */
  vec(e: Expr, s: Scope): Val;
  /** Allocates the result locals of a node computed in `t` and schedules `emit` per part. */
  result(e: Expr, t: Scope, emit: (f: FunctionBuilder, p: number) => void): Val;
  /** A value computed once at the function entry (cached by key). */
  rootValue(key: string, type: "i32" | "f32", emit: (f: FunctionBuilder) => void): Val;
  /** Byte address of buffer `b` (read from the pointer table). */
  base(b: number): Val;
}
