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

/**
 * JAX's `CustomVJPPrimal`: what a `customVjp` fwd rule defined with `defvjp(fwd, bwd, {
 * symbolicZeros: true })` receives for each primal leaf — its value and whether it is
 * perturbed (differentiated).
 */
export class CustomVJPPrimal {
  constructor(
    readonly value: Array,
    readonly perturbed: boolean,
  ) {}
}

/** JAX's `custom_vjp_primal_tree_values`: the values of a tree of CustomVJPPrimals. */
export function customVjpPrimalTreeValues(tree: unknown): unknown {
  if (tree instanceof CustomVJPPrimal) return tree.value;
  if (globalThis.Array.isArray(tree)) return tree.map(customVjpPrimalTreeValues);
  if (
    tree !== null &&
    typeof tree === "object" &&
    Object.getPrototypeOf(tree) === Object.prototype
  ) {
    return Object.fromEntries(
      Object.entries(tree).map(([k, v]) => [k, customVjpPrimalTreeValues(v)]),
    );
  }
  return tree;
}

/** A tree with each SymbolicZero leaf replaced by `null` (a zero cotangent of that subtree). */
export function symbolicZerosToNull(tree: unknown): unknown {
  if (tree instanceof SymbolicZero) return null;
  if (globalThis.Array.isArray(tree)) return tree.map(symbolicZerosToNull);
  if (
    tree !== null &&
    typeof tree === "object" &&
    Object.getPrototypeOf(tree) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, symbolicZerosToNull(v)]));
  }
  return tree;
}
