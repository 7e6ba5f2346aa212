/**
 * `SymbolicZero` (JAX's `jax.custom_derivatives.SymbolicZero`): what a custom JVP rule defined
 * with `defjvp(rule, { symbolicZeros: true })` receives in place of the tangent of an input
 * that is not being differentiated, and may return for an output tangent that is zero. It
 * carries the tangent's aval (shape, dtype) and no value.
 */
import type { ShapedArray } from "../core/aval.js";
import type { Array } from "../trace/array.js";
import { tangentAval } from "./ad/tangents.js";

/** JAX's `SymbolicZero`: a zero tangent known statically, with the tangent's shape and dtype. */
export class SymbolicZero {
  constructor(readonly aval: ShapedArray) {}
  /** The symbolic zero tangent of a primal value (`SymbolicZero.from_primal_value`). */
  static fromPrimalValue(x: Array): SymbolicZero {
    return new SymbolicZero(tangentAval(x.aval));
  }
  get shape(): readonly number[] {
    return this.aval.shape;
  }
  get dtype(): ShapedArray["dtype"] {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.ndim;
  }
  toString(): string {
    return "SymbolicZero";
  }
}
