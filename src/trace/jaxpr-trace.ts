/**
 * Staging: `DynamicJaxprTrace` records every primitive applied to its tracers as a jaxpr
 * equation (omnistaging: even operations on constants are staged while it is the dynamic
 * trace). Scalar constants become literals; other constants are hoisted to constvars.
 */
import type { ShapedArray } from "../core/aval.js";
import { currentNameStack, emptyNameStack, withNameStack } from "../core/name-stack.js";
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
import { scalarConstant } from "./constants.js";
import {
  type MainTrace,
  Trace,
  Tracer,
  type Value,
  evalPrimitive,
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

export class DynamicJaxprTracer extends Tracer {
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
  private readonly constTracers = new Map<unknown, DynamicJaxprTracer>();
  constructor(readonly debug?: DebugInfo) {}

  constTracer(trace: DynamicJaxprTrace, value: unknown, aval: ShapedArray): DynamicJaxprTracer {
    let t = this.constTracers.get(value);
    if (!t) {
      const v = new Var(aval);
      this.constvars.push(v);
      this.constvals.push(value);
      t = new DynamicJaxprTracer(trace, v);
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
            e.nameStack,
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

  newArg(aval: ShapedArray): DynamicJaxprTracer {
    const v = new Var(aval);
    this.builder.invars.push(v);
    return new DynamicJaxprTracer(this, v);
  }

  pure(x: Value): Tracer {
    if (typeof x === "number" || typeof x === "boolean") {
      const aval = scalarAval(x);
      return new DynamicJaxprTracer(
        this,
        new Literal(aval.dtype.isFloat ? Math.fround(x as number) : x, aval),
      );
    }
    const lit = x._literalValue();
    if (lit !== undefined) return new DynamicJaxprTracer(this, new Literal(lit, x.aval));
    return this.builder.constTracer(this, x, x.aval);
  }

  lift(t: Tracer): Tracer {
    return this.builder.constTracer(this, t, t.aval);
  }

  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Value[] {
    const ins = tracers.map((t) => (t as DynamicJaxprTracer).atom);
    if (prim.name === "convert_element_type" && ins[0] instanceof Literal) {
      // JAX's constant-folding rule for convert_element_type of a scalar constant: the
      // converted value is a literal (`x * 3.0` stages `mul a 3.0`, no conversion equation).
      const c = scalarConstant(ins[0].value, ins[0].aval.dtype, ins[0].aval.weakType);
      return [this.pure(evalPrimitive(prim, [c], params)[0]!)];
    }
    const outAvals = prim.abstractEval(
      ins.map((a) => a.aval),
      params,
    );
    const outs = outAvals.map((a) => new Var(a));
    this.builder.eqns.push(new Eqn(prim, ins, outs, params, currentNameStack()));
    return outs.map((v) => new DynamicJaxprTracer(this, v));
  }

  override concretize(t: Tracer, kind: ConcretizationKind): never {
    throw concretizationError(t, kind, this.originMessage(t));
  }

  originMessage(t: Tracer): string | undefined {
    const dbg = this.builder.debug;
    if (!dbg || !(t instanceof DynamicJaxprTracer)) return undefined;
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
  // As JAX's trace_to_jaxpr_dynamic: name stacks are relative to the jaxpr being built.
  return withNameStack(emptyNameStack, () =>
    withMainTrace(
      DynamicJaxprTrace,
      builder,
      (main: MainTrace) => {
        const trace = main.makeTrace() as DynamicJaxprTrace;
        const args = inAvals.map((a) => trace.newArg(a));
        const outs = fn(args);
        outs.forEach((o, i) => checkOutput(o, i, debug));
        const atoms = outs.map((o) => (fullRaise(trace, o) as DynamicJaxprTracer).atom);
        return builder.build(atoms);
      },
      { dynamic: true, ...(levelText !== undefined ? { levelText } : {}) },
    ),
  );
}

/** JAX's TypeError for an output leaf that is not an array or a JS scalar. */
function checkOutput(o: unknown, i: number, debug: DebugInfo | undefined): void {
  if (o instanceof Array || typeof o === "number" || typeof o === "boolean") return;
  const what =
    typeof o === "string"
      ? `'${o}' of type string`
      : o === null || o === undefined
        ? String(o)
        : `of type ${typeof o === "object" ? ((o as object).constructor?.name ?? "Object") : typeof o}`;
  const fn = debug ? ` of the function ${debug.fnName} traced for ${debug.transform}` : "";
  throw new TypeError(
    `Value ${what} is not a valid JAX type: it is output leaf ${i}${fn}. Outputs must be ` +
      `Arrays, JS numbers or booleans, or pytrees (lists, plain objects) of them.`,
  );
}

export function isJaxprTracer(x: unknown): x is DynamicJaxprTracer {
  return x instanceof DynamicJaxprTracer;
}

export { Array };
