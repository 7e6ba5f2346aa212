/**
 * The jaxpr data structures: variables, literals, equations, jaxprs and closed jaxprs.
 * Names (a, b, …) are not stored; the printer assigns them.
 */
import type { ShapedArray } from "../core/aval.js";
import { printJaxpr } from "./print.js";

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
  ) {}
}

export class Jaxpr {
  constructor(
    readonly constvars: readonly Var[],
    readonly invars: readonly Var[],
    readonly outvars: readonly Atom[],
    readonly eqns: readonly Eqn[],
  ) {}

  get inAvals(): ShapedArray[] {
    return this.invars.map((v) => v.aval);
  }
  get outAvals(): ShapedArray[] {
    return this.outvars.map((v) => v.aval);
  }
  /** JAX's jaxpr text. */
  toString(): string {
    return printJaxpr(this);
  }
}

/** A jaxpr together with the values of its constvars. */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: readonly unknown[],
  ) {
    if (consts.length !== jaxpr.constvars.length) {
      throw new Error(
        `ClosedJaxpr: ${consts.length} consts for ${jaxpr.constvars.length} constvars`,
      );
    }
  }
  get inAvals(): ShapedArray[] {
    return this.jaxpr.inAvals;
  }
  get outAvals(): ShapedArray[] {
    return this.jaxpr.outAvals;
  }
  get eqns(): readonly Eqn[] {
    return this.jaxpr.eqns;
  }
  /** JAX's jaxpr text (`str(jax.make_jaxpr(f)(x))`). */
  toString(): string {
    return printJaxpr(this.jaxpr);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Marks a param value that prints as a Python list (`[1, 2]`) rather than a tuple. */
export class PyList<T = unknown> {
  constructor(readonly items: readonly T[]) {}
}
