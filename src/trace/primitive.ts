/**
 * The primitive interface. Each primitive (primitives/) is one object with all of its rules
 * side by side: abstract evaluation, lowering to the kernel IR, JVP, transpose, batching.
 * Every rule is a required field, so a missing one is a type error where the primitive is
 * defined. Where a primitive has no rule of a kind, its definition says so with a marker
 * (`notDifferentiable`, `notLinear`, `notBatchable`); the transformation that would need the
 * rule reports it at run time, naming the primitive. Rules that need the transformation
 * machinery (jaxpr-level JVP, transpose, batching, partial evaluation of pjit and control
 * flow) are declared `providedByTransforms` and registered by transforms/ with
 * `provideRules` (primitives/define.ts). Call-like primitives whose jaxpr the compiler
 * inlines declare `lower: inlineCallJaxpr(param)`.
 */
import type { ShapedArray } from "../core/aval.js";
import type { ClosedJaxpr, EqnPrimitive, Params } from "../ir/jaxpr.js";
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

/**
 * A rule's function type, checked as a method's is (bivariantly in its parameters), so that a
 * `Primitive<P>` is a `Primitive`: equations and the registry hold primitives of every params
 * type, and call their rules with an equation's params.
 */
export type Bivariant<F extends (...args: never[]) => unknown> = {
  rule(...args: Parameters<F>): ReturnType<F>;
}["rule"];

export type JvpRule<P> = Bivariant<
  (
    primals: Array[],
    tangents: Tangent[],
    params: P,
  ) => [outPrimals: Array[], outTangents: Tangent[]]
>;

/** Given output cotangents, the cotangent of each linear input (null for non-linear ones). */
export type TransposeRule<P> = Bivariant<
  (cts: Tangent[], args: (Array | UndefinedPrimal)[], params: P) => (Tangent | null)[]
>;

/** Batched outputs and their batch dims (null: not batched) from batched inputs. */
export type BatchRule<P> = Bivariant<
  (
    args: Array[],
    dims: (number | null)[],
    params: P,
    axisSize: number,
  ) => [Array[], (number | null)[]]
>;

// ---------------------------------------------------------------- markers for absent rules

/** The primitive has no derivative rule; differentiating through it is an error. */
export interface NotDifferentiable {
  readonly kind: "notDifferentiable";
  /** Why (documentation: the run-time error names the primitive, as JAX's does). */
  readonly reason: string;
}
export function notDifferentiable(reason: string): NotDifferentiable {
  return { kind: "notDifferentiable", reason };
}

/** The primitive is not linear in any input, so it has no transpose rule. */
export interface NotLinear {
  readonly kind: "notLinear";
}
export const notLinear: NotLinear = { kind: "notLinear" };

/** The primitive has no batching rule; vmap over it is an error. */
export interface NotBatchable {
  readonly kind: "notBatchable";
  /** Why (documentation: the run-time error names the primitive, as JAX's does). */
  readonly reason: string;
}
export function notBatchable(reason: string): NotBatchable {
  return { kind: "notBatchable", reason };
}

/**
 * The rule needs the transformation machinery (jaxpr interpreters), which this layer cannot
 * import: transforms/ registers it with `provideRules` (primitives/define.ts).
 */
export interface ProvidedByTransforms {
  readonly kind: "providedByTransforms";
}
export const providedByTransforms: ProvidedByTransforms = { kind: "providedByTransforms" };

/** Names of the (declared, not index-signature) params of `P` that hold a closed jaxpr. */
export type JaxprParam<P> = keyof {
  [K in keyof P as string extends K ? never : P[K] extends ClosedJaxpr ? K : never]: true;
} &
  string;

/** The compiler inlines the (const-free) jaxpr held in param `param` instead of a lowering rule. */
export interface InlineCallJaxpr {
  readonly kind: "inlineCallJaxpr";
  readonly param: string;
}
/** `lower: inlineCallJaxpr<MyParams>("jaxpr")`: the param must name a ClosedJaxpr of `P`. */
export function inlineCallJaxpr<P>(param: JaxprParam<P>): InlineCallJaxpr {
  return { kind: "inlineCallJaxpr", param };
}

export interface Primitive<P extends Params = Params> extends EqnPrimitive {
  readonly name: string;
  /** Output avals from input avals; throws JAX-style errors naming the primitive. */
  abstractEval(avals: readonly ShapedArray[], params: P): ShapedArray[];
  /** Lowering to the device-neutral kernel IR (one rule for every device). */
  readonly lower: Bivariant<LowerRule<P>> | InlineCallJaxpr;
  readonly jvp: JvpRule<P> | NotDifferentiable | ProvidedByTransforms;
  /** Linear primitives only: the cotangents of the linear inputs. */
  readonly transpose: TransposeRule<P> | NotLinear | ProvidedByTransforms;
  readonly batch: BatchRule<P> | NotBatchable | ProvidedByTransforms;
  /**
   * A partial-evaluation rule for equations with some unknown inputs, provided by transforms/
   * (absent: the equation is staged whole when any input is unknown).
   */
  readonly partialEval?: ProvidedByTransforms;
  printParams?(params: Params): [string, unknown][];
}
