/**
 * The atoms of a jaxpr: variables, literals, equations and their params. Names (a, b, …) are
 * not stored; the printer assigns them. Jaxprs themselves are in jaxpr.ts.
 */
import type { ShapedArray } from "../core/aval.js";
import { type NameStack, emptyNameStack } from "../core/name-stack.js";

let nextVarId = 0;

export class Var {
  readonly id = nextVarId++;
  constructor(readonly aval: ShapedArray) {}
  toString(): string {
    return `Var(${this.id}):${this.aval.strShort()}`;
  }
}

/** An output nobody reads, printed `_`. */
export class DropVar extends Var {}

/** An inlined scalar constant, printed by value (`1.0`, `2`, `True`). */
export class Literal {
  constructor(
    readonly value: number | boolean | bigint,
    readonly aval: ShapedArray,
  ) {}
}

export type Atom = Var | Literal;

/** What an equation needs to know about its primitive. */
export interface EqnPrimitive {
  readonly name: string;
  /** Params in print order; default: all, sorted by name. */
  printParams?(params: Params): [string, unknown][];
}

export type Params = Readonly<Record<string, unknown>>;

export class Eqn {
  constructor(
    readonly primitive: EqnPrimitive,
    readonly inputs: readonly Atom[],
    readonly outputs: readonly Var[],
    readonly params: Params,
    /** The scopes and transformations it was staged under, relative to its jaxpr. */
    readonly nameStack: NameStack = emptyNameStack,
  ) {}
}

/** Marks a param value that prints as a Python list (`[1, 2]`) rather than a tuple. */
export class PyList<T = unknown> {
  constructor(readonly items: readonly T[]) {}
}

/** The parts of a jaxpr that the printer reads. */
export interface JaxprParts {
  readonly constvars: readonly Var[];
  readonly invars: readonly Var[];
  readonly outvars: readonly Atom[];
  readonly eqns: readonly Eqn[];
}

/**
 * Implemented by jaxprs and closed jaxprs: the jaxpr to print where one appears as a param
 * (the printer recognizes them by this key, so it need not import their classes).
 */
export const printedJaxpr: unique symbol = Symbol("printedJaxpr");
export interface PrintableJaxpr {
  [printedJaxpr](): JaxprParts;
}
