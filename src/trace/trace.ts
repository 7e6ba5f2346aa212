/**
 * The trace stack and `bind` (autodidax-style). Each transformation is a `Trace` whose
 * `processPrimitive` applies that transformation's rule; `bind` finds the innermost trace
 * among the arguments (and the dynamic, staging trace: omnistaging) and hands it the call.
 */
import { ShapedArray } from "../core/aval.js";
import { config } from "../core/config.js";
import { bool, canonicalize, float64, int32, int64 } from "../core/dtype.js";
import { UnexpectedTracerError } from "../core/errors.js";
import type { Params } from "../ir/jaxpr.js";
import { Array } from "./array.js";
import {
  type AxisMain,
  COLLECTIVE_PRIMITIVES,
  anyAxisBound,
  axisMains,
  namedAxesInNestedJaxprs,
  namesInParams,
} from "./axis-env.js";
import { type ConcretizationKind, concretizationError } from "./errors.js";
import type { Primitive } from "./primitive.js";

/** What `bind` accepts: arrays, tracers, and JS scalars (weakly typed). */
export type Value = Array | number | boolean;

export type TraceClass = new (main: MainTrace) => Trace;

export class MainTrace {
  active = true;
  constructor(
    readonly level: number,
    readonly traceClass: TraceClass,
    /** Per-transformation state (the jaxpr builder, the vmap axis size, …). */
    readonly payload: unknown,
    /** How tracers print their level: `1/0` (make_jaxpr) or `0/1` (jit). */
    readonly levelText: string = `${level}/0`,
  ) {}
  makeTrace(): Trace {
    return new this.traceClass(this);
  }
}

export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Wrap a value that is not a tracer of any trace. */
  abstract pure(x: Value): Tracer;
  /** Wrap a tracer of a lower trace. */
  abstract lift(t: Tracer): Tracer;
  abstract processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): Value[];
  get name(): string {
    return this.constructor.name;
  }
  /** A tracer was used where a concrete value is needed: throw JAX's error. */
  concretize(t: Tracer, kind: ConcretizationKind): never {
    throw concretizationError(t, kind, undefined);
  }
  toString(): string {
    return `${this.name}(level=${this.main.levelText})`;
  }
}

export abstract class Tracer extends Array {
  abstract readonly _trace: Trace;
  /** The tracer with the fewest transformations that still represents this value. */
  fullLower(): Value {
    return this;
  }
  override toString(): string {
    return `Traced<${this.aval.toString()}>with<${this._trace.toString()}>`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
  item(): never {
    return this._trace.concretize(this, "int");
  }
  tolist(): never {
    return this._trace.concretize(this, "array");
  }
  toTypedArray(): never {
    return this._trace.concretize(this, "array");
  }
  [Symbol.toPrimitive](hint: string): string | number {
    if (hint === "string") return this.toString();
    return this._trace.concretize(this, "bool");
  }
}

/** The eval trace at the bottom of the stack executes primitives on concrete arrays. */
export type EagerImpl = (prim: Primitive, args: Value[], params: Params) => Array[];
let eagerImpl: EagerImpl | undefined;
export function setEagerImpl(f: EagerImpl): void {
  eagerImpl = f;
}

export class EvalTrace extends Trace {
  pure(x: Value): Tracer {
    return x as unknown as Tracer; // values pass through untouched
  }
  lift(t: Tracer): Tracer {
    return t;
  }
  processPrimitive(prim: Primitive, args: Tracer[], params: Params): Value[] {
    if (!eagerImpl) throw new Error("jaxts: no device runtime installed");
    return eagerImpl(prim, args as unknown as Value[], params);
  }
}

/** Execute a primitive on concrete values now, whatever traces are active (constant folding). */
export function evalPrimitive(prim: Primitive, args: Value[], params: Params): Array[] {
  if (!eagerImpl) throw new Error("jaxts: no device runtime installed");
  return eagerImpl(prim, args, params);
}

const evalMain = new MainTrace(0, EvalTrace, undefined);
const evalTrace = new EvalTrace(evalMain);
const stack: MainTrace[] = [evalMain];
let dynamicMain: MainTrace = evalMain;

export function currentLevel(): number {
  return stack.length;
}

/** Whether a staging trace (make_jaxpr, jit tracing) is active: every op is recorded. */
export function isStaging(): boolean {
  return dynamicMain !== evalMain;
}

/** Whether any transformation is active (the stack holds more than the eval trace). */
export function isTransforming(): boolean {
  return stack.length > 1;
}

/** Run `body` with a new main trace on the stack; `dynamic` also makes it the staging trace. */
export function withMainTrace<T>(
  traceClass: TraceClass,
  payload: unknown,
  body: (main: MainTrace) => T,
  opts: { dynamic?: boolean; levelText?: string } = {},
): T {
  const main = new MainTrace(stack.length, traceClass, payload, opts.levelText);
  stack.push(main);
  const prevDynamic = dynamicMain;
  if (opts.dynamic) dynamicMain = main;
  try {
    return body(main);
  } finally {
    stack.pop();
    dynamicMain = prevDynamic;
    main.active = false;
  }
}

export function isTracer(x: unknown): x is Tracer {
  return x instanceof Tracer;
}

function checkLive(t: Tracer): void {
  if (!t._trace.main.active) {
    throw new UnexpectedTracerError(
      `Encountered an unexpected tracer. A function transformed by JAX had a side effect, ` +
        `allowing for a reference to an intermediate value with type ${t.aval.str()} wrapped in a ` +
        `${t.constructor.name} to escape the scope of the transformation.\n` +
        `JAX transformations require that functions explicitly return their outputs, and disallow ` +
        `saving intermediate values to global state.\n` +
        `The tracer was created by a ${t._trace.name} that has already finished.\n` +
        `See https://jax.readthedocs.io/en/latest/errors.html#jax.errors.UnexpectedTracerError`,
    );
  }
}

export function findTopTrace(args: readonly unknown[]): Trace {
  let top = dynamicMain;
  for (const a of args) {
    if (a instanceof Tracer) {
      checkLive(a);
      if (a._trace.main.level > top.level) top = a._trace.main;
    }
  }
  return top === evalMain ? evalTrace : top.makeTrace();
}

export function fullRaise(trace: Trace, x: Value): Tracer {
  if (!(x instanceof Tracer)) return trace.pure(x);
  checkLive(x);
  const level = x._trace.main.level;
  if (x._trace.main === trace.main) return x;
  if (level < trace.main.level) return trace.lift(x);
  throw new UnexpectedTracerError(
    `Can't lift a tracer of level ${level} to level ${trace.main.level}: a value from an inner ` +
      `transformation escaped into an outer one (${x.toString()}).`,
  );
}

export function fullLower(x: Value): Value {
  return x instanceof Tracer ? x.fullLower() : x;
}

/** Apply a primitive to arguments under the current transformations. */
export function bind(prim: Primitive, args: readonly Value[], params: Params = {}): Array[] {
  for (const a of args) if (!isValue(a)) throw invalidOperand(prim, a);
  // A collective, or a call whose nested jaxpr uses one, goes (at least) to the batch traces
  // of the axes it names (JAX's AxisPrimitive / named-axis effects).
  if (anyAxisBound()) {
    const names = COLLECTIVE_PRIMITIVES.has(prim.name)
      ? namesInParams(params)
      : namedAxesInNestedJaxprs(params);
    if (names.length > 0) return bindAbove(prim, args, params, axisMains(names));
  }
  // ensureCompileTimeEval: operations on concrete values run now, even while staging.
  if (config.values.eagerConstantFolding && !args.some((a) => a instanceof Tracer)) {
    return evalPrimitive(prim, [...args], params);
  }
  const trace = findTopTrace(args);
  const tracers = args.map((a) => fullRaise(trace, a));
  const outs = trace.processPrimitive(prim, tracers, params);
  return outs.map(fullLower) as Array[];
}

/**
 * `bind` for a collective (JAX's `AxisPrimitive.bind`): the trace that handles it is at least
 * the one that binds each of its named axes (`floors`, the vmaps' main traces), so a
 * collective over an axis reaches that axis's batch trace even when no operand is batched.
 */
export function bindAbove(
  prim: Primitive,
  args: readonly Value[],
  params: Params,
  floors: readonly AxisMain[],
): Array[] {
  for (const a of args) if (!isValue(a)) throw invalidOperand(prim, a);
  let trace = findTopTrace(args);
  for (const m of floors) {
    if (m instanceof MainTrace && m.active && m.level > trace.main.level) trace = m.makeTrace();
  }
  const tracers = args.map((a) => fullRaise(trace, a));
  return trace.processPrimitive(prim, tracers, params).map(fullLower) as Array[];
}

const isValue = (x: unknown): x is Value =>
  x instanceof Array || typeof x === "number" || typeof x === "boolean" || typeof x === "bigint";

/** JAX's "is not a valid JAX type" for a list, string, object … passed to a primitive. */
function invalidOperand(prim: Primitive, x: unknown): TypeError {
  const what = globalThis.Array.isArray(x)
    ? `[${x.map(String).join(", ")}] of type list`
    : x === null || x === undefined
      ? String(x)
      : typeof x === "object"
        ? `of type ${(x as object).constructor?.name ?? "Object"}`
        : `${typeof x === "string" ? `'${x}'` : String(x)} of type ${typeof x}`;
  return new TypeError(
    `Value ${what} is not a valid JAX type (an operand of ${prim.name}). Operands must be ` +
      `Arrays or JS scalars; convert lists and TypedArrays with jnp.asarray.`,
  );
}

export function bind1(prim: Primitive, args: readonly Value[], params: Params = {}): Array {
  return bind(prim, args, params)[0]!;
}

/** The aval of any bindable value (JS numbers are weakly typed). */
export function avalOf(x: Value): ShapedArray {
  if (x instanceof Array) return x.aval;
  return scalarAval(x);
}

/** JS number → weak int32 when integral and in range, else weak float32 (x64: int64/float64). */
const boolScalar = new ShapedArray([], bool, false);
const weakScalars = new Map<string, ShapedArray>();
function weakScalar(d: ShapedArray["dtype"]): ShapedArray {
  let a = weakScalars.get(d.name);
  if (!a) weakScalars.set(d.name, (a = new ShapedArray([], d, true)));
  return a;
}

export function scalarAval(x: number | boolean | bigint): ShapedArray {
  if (typeof x === "boolean") return boolScalar;
  if (typeof x === "bigint") return weakScalar(canonicalize(int64));
  const isInt = Number.isInteger(x) && !Object.is(x, -0);
  if (isInt && (config.enableX64 ? Number.isSafeInteger(x) : x >= -(2 ** 31) && x < 2 ** 31)) {
    return weakScalar(config.enableX64 ? int64 : int32);
  }
  return weakScalar(canonicalize(float64));
}
