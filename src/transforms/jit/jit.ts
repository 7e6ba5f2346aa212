/**
 * `jit`: the public wrapper over {@link JitFunction} (jit-function.ts). `jit(f, opts?)`,
 * `jit(opts, f)` (so `partial(jit, opts)(f)` works), `jit(opts)` as a decorator factory, and
 * `@jit` / `@jit({...})` on class methods.
 *
 * Methods: `this` is an implicit static argument compared by identity, as a closure value
 * would be. Each instance gets its own jitted function bound to it (installed at construction,
 * like a Python bound method), so `obj.m(x)`, `obj.m.lower(x)`, `obj.m.cacheSize()` and
 * `obj.m.clearCache()` all concern that instance's entries, which die with the instance.
 * Mutating the instance's fields after the first call does not retrace (clear its cache, or
 * pass the values as arguments).
 */
import type { TypedArray } from "../../core/dtype.js";
import { isPlainObject } from "../../core/pytree.js";
import { checkOptionKeys } from "../../core/options.js";
import type { Array } from "../../trace/array.js";
import type { ShapeDtypeStruct } from "../../core/shape-dtype-struct.js";
import { checkCallable } from "./argnums.js";
import { type JitOptions, JitFunction } from "./jit-function.js";
import type { Lowered, Traced } from "./stages.js";

export type { JitOptions };

/**
 * Any function: the constraint of jit's type parameter, whose own parameter and return types
 * flow into {@link Jitted}. `any` as in TypeScript's `Parameters<T>`: with `never`/`unknown`
 * parameters, a function passed through untyped code (`partial(jit, opts)(f)`) could not be
 * called.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Fn = (...args: any[]) => any;

/**
 * How a jitted function accepts a parameter of type T: where `f` takes an Array (also inside
 * lists and plain objects), the call takes what jit converts to one — a number, boolean or
 * TypedArray (JS arrays are pytrees, so they are not accepted in an Array's place).
 */
export type JitParam<T, D extends unknown[] = []> = D["length"] extends 4
  ? T
  : T extends Array
    ? T | number | boolean | TypedArray
    : T extends Fn
      ? T
      : T extends object
        ? { [K in keyof T]: JitParam<T[K], [...D, 0]> }
        : T;
export type JitArgs<P extends unknown[]> = { [K in keyof P]: JitParam<P[K]> };

/** What `trace`/`lower` accept for a parameter: also a ShapeDtypeStruct in an Array's place. */
export type StageParam<T, D extends unknown[] = []> = D["length"] extends 4
  ? T
  : T extends Array
    ? T | number | boolean | TypedArray | ShapeDtypeStruct
    : T extends Fn
      ? T
      : T extends object
        ? { [K in keyof T]: StageParam<T[K], [...D, 0]> }
        : T;
export type StageArgs<P extends unknown[]> = { [K in keyof P]: StageParam<P[K]> };

export interface Jitted<F extends Fn> {
  (...args: JitArgs<Parameters<F>>): ReturnType<F>;
  /** Trace and lower for these arguments without running: `.asText()`, `.compile()`. */
  lower(...args: StageArgs<Parameters<F>>): Lowered<JitArgs<Parameters<F>>, ReturnType<F>>;
  /** Trace without lowering (jax.stages.Traced): `.jaxpr`, `.outInfo`, `.lower()`. */
  trace(...args: StageArgs<Parameters<F>>): Traced<JitArgs<Parameters<F>>, ReturnType<F>>;
  /**
   * Number of compiled signatures cached for this function and options (for a method's
   * per-instance function, that instance's; for the method on the prototype, calls without a
   * receiver).
   */
  cacheSize(): number;
  /** Drop the cached signatures (on the prototype's method: those of every instance). */
  clearCache(): void;
  /** The wrapped function. */
  readonly fun: F;
}

/** A jitted function; `receiver` fixes `this` (a method bound to an instance). */
function makeJitted<F extends Fn>(
  jf: JitFunction,
  f: F,
  mode: "plain" | "method" | "bound",
  receiver?: unknown,
): Jitted<F> {
  const wrapped = (mode === "plain"
    ? (...args: unknown[]) => jf.call(undefined, args)
    : mode === "bound"
      ? (...args: unknown[]) => jf.call(receiver, args)
      : function (this: unknown, ...args: unknown[]) {
          return jf.call(this, args);
        }) as unknown as Jitted<F>;
  Object.defineProperty(wrapped, "name", { value: jf.name });
  // `lower` on the prototype's method is reached as `Cls.prototype.m.lower(x)`: no instance.
  const self = mode === "bound" ? receiver : undefined;
  Object.assign(wrapped, {
    fun: f,
    lower: (...args: unknown[]) => jf.lower(self, args),
    trace: (...args: unknown[]) => jf.traced(self, args),
    cacheSize: () => jf.cacheSize(self),
    clearCache: () => jf.clearCache(self, mode === "method"),
  });
  return wrapped;
}

function isDecoratorContext(x: unknown): x is DecoratorContext {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as { kind?: unknown }).kind === "string" &&
    typeof (x as { addInitializer?: unknown }).addInitializer === "function"
  );
}

/** `@jit` on a class method: a jitted method, plus a bound jitted function per instance. */
function jitMethod<F extends Fn>(f: F, opts: JitOptions, context: DecoratorContext): Jitted<F> {
  if (context.kind !== "method") {
    throw new TypeError(
      `@jit decorates functions and class methods, not a class ${context.kind} ` +
        `(${String(context.name)}).`,
    );
  }
  const jf = new JitFunction(f, opts);
  const method = makeJitted(jf, f, "method");
  if (!context.private) {
    const key = context.name;
    context.addInitializer(function (this: unknown) {
      Object.defineProperty(this, key, {
        value: makeJitted(jf, f, "bound", this),
        configurable: true,
        writable: true,
        enumerable: false,
      });
    });
  }
  return method;
}

type Decorator = <F extends Fn>(f: F, context?: ClassMethodDecoratorContext) => Jitted<F>;

function checkOptions(opts: unknown): JitOptions {
  if (opts === undefined) return {};
  if (!isPlainObject(opts)) {
    throw new TypeError(
      `jit options must be a plain object such as { staticArgnums: 1 }, got ` +
        `${opts === null ? "null" : typeof opts}.`,
    );
  }
  checkOptionKeys("jit", opts, JIT_OPTION_KEYS);
  return opts as JitOptions;
}

/** The options JitFunction reads (JAX's jit keywords that apply here): every key of JitOptions. */
const JIT_OPTIONS: Record<keyof JitOptions, true> = {
  staticArgnums: true,
  staticArgnames: true,
  donateArgnums: true,
  donateArgnames: true,
};
const JIT_OPTION_KEYS: readonly string[] = Object.keys(JIT_OPTIONS);

/**
 * `jit(f, opts?)` — also `jit(opts, f)` (so `partial(jit, opts)(f)` works), `jit(opts)` as a
 * decorator factory, and `@jit` / `@jit({...})` on class methods (TC39 decorators; see the
 * file header for how `this` is treated). Anything else raises JAX's TypeError.
 */
export function jit<F extends Fn>(f: F, opts?: JitOptions): Jitted<F>;
export function jit<F extends Fn>(opts: JitOptions, f: F): Jitted<F>;
export function jit(opts: JitOptions): Decorator;
export function jit<F extends Fn>(f: F, context: ClassMethodDecoratorContext): Jitted<F>;
export function jit(a: unknown, b?: unknown): unknown {
  if (typeof a === "function") {
    const f = a as Fn;
    if (isDecoratorContext(b)) return jitMethod(f, {}, b);
    return makeJitted(new JitFunction(f, checkOptions(b)), f, "plain");
  }
  if (isPlainObject(a)) {
    const opts = checkOptions(a);
    if (b === undefined) {
      return ((f: Fn, context?: DecoratorContext) => {
        checkCallable(f);
        if (isDecoratorContext(context)) return jitMethod(f, opts, context);
        return makeJitted(new JitFunction(f, opts), f, "plain");
      }) as Decorator;
    }
    checkCallable(b);
    const f = b as Fn;
    return makeJitted(new JitFunction(f, opts), f, "plain");
  }
  checkCallable(a);
  throw new Error("unreachable");
}

/** functools.partial: `partial(f, a)(b)` is `f(a, b)`. */
export function partial<A extends unknown[], R>(
  f: (...args: [...A, ...never[]]) => R,
  ...bound: A
): Fn {
  return (...rest: unknown[]) => (f as (...args: unknown[]) => R)(...bound, ...rest);
}
