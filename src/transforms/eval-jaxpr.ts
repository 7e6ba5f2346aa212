/**
 * Interpreting jaxprs under the current transformations (JAX's `core.eval_jaxpr`), and small
 * helpers shared by the transformation interpreters.
 */
import { currentNameStack, withNameStack } from "../core/name-stack.js";
import { ClosedJaxpr, DropVar, Jaxpr, Literal, type Atom, type Var } from "../ir/jaxpr.js";
import { Array } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { type Value, bind, isTracer, scalarAval } from "../trace/trace.js";

/** A jaxpr literal as a concrete 0-d array of its exact type (a literal again when staged). */
export function literalValue(l: Literal): Array {
  return scalarConstant(l.value, l.aval.dtype, l.aval.weakType);
}

/** JS scalars become concrete (weakly typed) arrays; arrays pass through. */
export function asArray(x: Value): Array {
  if (x instanceof Array) return x;
  const aval = scalarAval(x);
  return scalarConstant(x, aval.dtype, aval.weakType);
}

/** Evaluate `jaxpr` by binding each equation's primitive (so it runs under whatever traces are active). */
export function evalJaxpr(
  jaxpr: Jaxpr,
  consts: readonly unknown[],
  args: readonly Value[],
): Value[] {
  const env = new Map<Var, Value>();
  const read = (a: Atom): Value => {
    if (a instanceof Literal) return literalValue(a);
    const v = env.get(a);
    if (v === undefined) throw new Error(`evalJaxpr: unbound variable ${a.toString()}`);
    return v;
  };
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i] as Value));
  jaxpr.invars.forEach((v, i) => env.set(v, args[i]!));
  for (const eqn of jaxpr.eqns) {
    const outs =
      eqn.nameStack.length === 0
        ? bind(eqn.primitive as never, eqn.inputs.map(read), eqn.params)
        : withNameStack(currentNameStack().concat(eqn.nameStack), () =>
            bind(eqn.primitive as never, eqn.inputs.map(read), eqn.params),
          );
    eqn.outputs.forEach((o, i) => {
      if (!(o instanceof DropVar)) env.set(o, outs[i]!);
    });
  }
  return jaxpr.outvars.map(read);
}

export function evalClosed(c: ClosedJaxpr, args: readonly Value[]): Value[] {
  return evalJaxpr(c.jaxpr, c.consts, args);
}

/**
 * A closed jaxpr as a const-free one whose leading inputs are its former consts (what call
 * primitives like pjit carry), plus those consts.
 */
export function hoistConsts(c: ClosedJaxpr): { jaxpr: ClosedJaxpr; consts: Value[] } {
  if (c.consts.length === 0) return { jaxpr: c, consts: [] };
  const j = c.jaxpr;
  return {
    jaxpr: new ClosedJaxpr(new Jaxpr([], [...j.constvars, ...j.invars], j.outvars, j.eqns), []),
    consts: c.consts as Value[],
  };
}

/** Whether every const is concrete (so a derived jaxpr can be cached). */
export function constsAreConcrete(consts: readonly unknown[]): boolean {
  return consts.every((c) => !isTracer(c));
}

/** Cache of derived jaxprs (jvp, batched, transposed …) per source jaxpr and a key. */
export class DerivedCache<T> {
  private readonly map = new WeakMap<object, Map<string, T>>();
  get(src: object, key: string, make: () => T, cacheable: (t: T) => boolean): T {
    let m = this.map.get(src);
    const hit = m?.get(key);
    if (hit !== undefined) return hit;
    const t = make();
    if (cacheable(t)) {
      if (!m) this.map.set(src, (m = new Map()));
      m.set(key, t);
    }
    return t;
  }
}
