/**
 * Jaxprs and closed jaxprs (the atoms they are made of are in atoms.ts, re-exported here).
 */
import type { ShapedArray } from "../core/aval.js";
import { type Atom, type Eqn, type JaxprParts, type Var, printedJaxpr } from "./atoms.js";
import { type JaxprPrintOptions, printJaxpr } from "./print.js";

export * from "./atoms.js";
export type { JaxprPrintOptions } from "./print.js";

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
  /** JAX's `pretty_print`: the text, with name-stack annotations when `nameStack` is set. */
  prettyPrint(opts: JaxprPrintOptions = {}): string {
    return printJaxpr(this, 80, opts);
  }
  [printedJaxpr](): JaxprParts {
    return this;
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
  /** JAX's `pretty_print`: the text, with name-stack annotations when `nameStack` is set. */
  prettyPrint(opts: JaxprPrintOptions = {}): string {
    return printJaxpr(this.jaxpr, 80, opts);
  }
  [printedJaxpr](): JaxprParts {
    return this.jaxpr;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
