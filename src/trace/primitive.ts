/**
 * The primitive interface. Each primitive (primitives/) is one object with all of its rules
 * side by side: abstract evaluation, lowering to the kernel IR, JVP, transpose, batching.
 * A missing rule is reported by the transformation that needs it, naming the primitive.
 */
import type { ShapedArray } from "../core/aval.js";
import type { EqnPrimitive, Params } from "../ir/jaxpr.js";
import type { LowerRule } from "../kernel/lowering-types.js";
import type { Array } from "./array.js";

/** A symbolic zero tangent/cotangent (JAX's `ad.Zero`). */
export class Zero {
  constructor(readonly aval: ShapedArray) {}
  toString(): string {
    return `Zero(${this.aval.toString()})`;
  }
}
export type Tangent = Array | Zero;

/** Marks a linear input of a transpose rule (JAX's `UndefinedPrimal`). */
export class UndefinedPrimal {
  constructor(readonly aval: ShapedArray) {}
}

export type JvpRule<P> = (
  primals: Array[],
  tangents: Tangent[],
  params: P,
) => [outPrimals: Array[], outTangents: Tangent[]];

/** Given output cotangents, the cotangent of each linear input (null for non-linear ones). */
export type TransposeRule<P> = (
  cts: Tangent[],
  args: (Array | UndefinedPrimal)[],
  params: P,
) => (Tangent | null)[];

/** Batched outputs and their batch dims (null: not batched) from batched inputs. */
export type BatchRule<P> = (
  args: Array[],
  dims: (number | null)[],
  params: P,
  axisSize: number,
) => [Array[], (number | null)[]];

/**
 * Rule `F` with its parameters compared bivariantly, as a method's are: a primitive's rules
 * take its own params type, and a `Primitive<ItsParams>` is still a `Primitive`.
 */
type BivariantRule<F extends (...args: never[]) => unknown> = {
  rule(...args: Parameters<F>): ReturnType<F>;
}["rule"];

export interface Primitive<P extends Params = Params> extends EqnPrimitive {
  readonly name: string;
  /** Output avals from input avals; throws JAX-style errors naming the primitive. */
  abstractEval(avals: readonly ShapedArray[], params: P): ShapedArray[];
  readonly lower?: BivariantRule<LowerRule<P>>;
  readonly jvp?: BivariantRule<JvpRule<P>>;
  readonly transpose?: BivariantRule<TransposeRule<P>>;
  readonly batch?: BivariantRule<BatchRule<P>>;
  printParams?(params: Params): [string, unknown][];
}
