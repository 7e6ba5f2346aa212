/**
 * Staging: `DynamicJaxprTrace` records every primitive applied to its tracers as a jaxpr
 * equation (omnistaging: even operations on constants are staged while it is the dynamic
 * trace). Scalar constants become literals; other constants are hoisted to constvars.
 */
import type { ShapedArray } from "../core/aval.js";
import {
  ClosedJaxpr,
  DropVar,
  Eqn,
  Jaxpr,
  Literal,
  type Atom,
  type Params,
  Var,
} from "../ir/jaxpr.js";
import { Array } from "./array.js";
import { type ConcretizationKind, concretizationError } from "./errors.js";
import type { Primitive } from "./primitive.js";
import {
  type MainTrace,
  Trace,
  Tracer,
  type Value,
  fullRaise,
  scalarAval,
  withMainTrace,
} from "./trace.js";

/** Where a trace came from, for error messages: `f` traced for `jit`, argument names. */
export interface DebugInfo {
  fnName: string;
  transform: string;
  /** One name per flattened input (e.g. `x`, `params['w']`), "" when unknown. */
  argNames: readonly string[];
}

export class JaxprTracer extends Tracer {
  constructor(
    readonly _trace: DynamicJaxprTrace,
    readonly atom: Atom,
  ) {
    super();
  }
  get aval(): ShapedArray {
    return this.atom.aval;
  }
}

export class JaxprBuilder {
  readonly eqns: Eqn[] = [];
  readonly invars: Var[] = [];
  readonly constvars: Var[] = [];
  readonly constvals: unknown[] = [];
  private readonly constTracers = new Map<unknown, JaxprTracer>();
  constructor(readonly debug?: DebugInfo) {}

  constTracer(trace: DynamicJaxprTrace, value: unknown, aval: ShapedArray): JaxprTracer {
    let t = this.constTracers.get(value);
    if (!t) {
      const v = new Var(aval);
      this.constvars.push(v);
      this.constvals.push(value);
      t = new JaxprTracer(trace, v);
      this.constTracers.set(value, t);
    }
    return t;
  }

  build(outs: readonly Atom[]): ClosedJaxpr {
    // As JAX's `to_jaxpr`: equation outputs nobody reads become `_` (DropVar).
    const used = new Set<Atom>(outs);
    for (const e of this.eqns) for (const a of e.inputs) used.add(a);
    const eqns = this.eqns.map((e) =>
      e.outputs.every((o) => used.has(o))
        ? e
        : new Eqn(
            e.primitive,
            e.inputs,
            e.outputs.map((o) => (used.has(o) ? o : new DropVar(o.aval))),
            e.params,
          ),
    );
    return new ClosedJaxpr(new Jaxpr(this.constvars, this.invars, outs, eqns), this.constvals);
  }

  /** Indices of the inputs a variable depends on (for "depends on the argument x"). */
  inputsFeeding(v: Var): number[] {
    const needed = new Set<Var>([v]);
    for (let i = this.eqns.length - 1; i >= 0; i--) {
      const e = this.eqns[i]!;
      if (e.outputs.some((o) => needed.has(o))) {
        for (const a of e.inputs) if (a instanceof Var) needed.add(a);
      }
    }
    return this.invars.flatMap((iv, i) => (needed.has(iv) ? [i] : []));
  }
}

export class DynamicJaxprTrace extends Trace {
  get builder(): JaxprBuilder {
    return this.main.payload as JaxprBuilder;
  }

  newArg(aval: ShapedArray): JaxprTracer {
    const v = new Var(aval);
    this.builder.invars.push(v);
    return new JaxprTracer(this, v);
  }

  pure(x: Value): Tracer {
    if (typeof x === "number" || typeof x === "boolean") {
      const aval = scalarAval(x);
      return new JaxprTracer(
        this,
        new Literal(aval.dtype.isFloat ? Math.fround(x as number) : x, aval),
      );
    }
    const lit = x._literalValue();
    if (lit !== undefined) return new JaxprTracer(this, new Literal(lit, x.aval));
    return this.builder.constTracer(this, x, x.aval);
  }

  lift(t: Tracer): Tracer {
    return this.builder.constTracer(this, t, t.aval);
  }

  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Value[] {
    const ins = tracers.map((t) => (t as JaxprTracer).atom);
    const outAvals = prim.abstractEval(
      ins.map((a) => a.aval),
      params,
    );
    const outs = outAvals.map((a) => new Var(a));
    this.builder.eqns.push(new Eqn(prim, ins, outs, params));
    return outs.map((v) => new JaxprTracer(this, v));
  }

  override concretize(t: Tracer, kind: ConcretizationKind): never {
    throw concretizationError(t, kind, this.originMessage(t));
  }

  originMessage(t: Tracer): string | undefined {
    const dbg = this.builder.debug;
    if (!dbg || !(t instanceof JaxprTracer)) return undefined;
    let msg = `The error occurred while tracing the function ${dbg.fnName} for ${dbg.transform}.`;
    if (!(t.atom instanceof Var)) return msg;
    const names = this.builder
      .inputsFeeding(t.atom)
      .map((i) => dbg.argNames[i] ?? "")
      .filter((n) => n !== "");
    if (names.length === 0) return msg;
    const list =
      names.length === 1
        ? `the argument ${names[0]}`
        : `the arguments ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
    msg +=
      ` This concrete value was not available in JavaScript because it depends on the ` +
      `value${names.length > 1 ? "s" : ""} of ${list}.`;
    return msg;
  }
}

/**
 * Trace `fn` on abstract inputs into a closed jaxpr. `fn` takes and returns flat lists.
 * `levelText` is how its tracers print their level (`1/0` for make_jaxpr, `0/1` for jit).
 */
export function traceToJaxpr(
  fn: (args: Array[]) => readonly Value[],
  inAvals: readonly ShapedArray[],
  debug?: DebugInfo,
  levelText?: string,
): ClosedJaxpr {
  const builder = new JaxprBuilder(debug);
  return withMainTrace(
    DynamicJaxprTrace,
    builder,
    (main: MainTrace) => {
      const trace = main.makeTrace() as DynamicJaxprTrace;
      const args = inAvals.map((a) => trace.newArg(a));
      const outs = fn(args);
      const atoms = outs.map((o) => (fullRaise(trace, o) as JaxprTracer).atom);
      return builder.build(atoms);
    },
    { dynamic: true, ...(levelText !== undefined ? { levelText } : {}) },
  );
}

export function isJaxprTracer(x: unknown): x is JaxprTracer {
  return x instanceof JaxprTracer;
}

export { Array };
