/**
 * `namedCall(f, { name })` and `namedScope(name, fn)` (JAX's `jax.named_call` /
 * `jax.named_scope`): push a name onto the name stack while `f` runs, so every equation it
 * stages carries the name (shown by `jaxpr.prettyPrint({ nameStack: true })`, as JAX's
 * `pretty_print(name_stack=True)`). As in JAX they stage no call primitive: the default
 * jaxpr text is unchanged.
 */
import { checkOptionKeys } from "../core/options.js";
import { extendNameStack } from "../core/name-stack.js";
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { functionName } from "./param-names.js";

/** Options of `namedCall`. */
export interface NamedCallOptions {
  /** The scope name (default: the function's name). */
  name?: string;
}

/** `jax.named_call(f, name=…)`: `f` with every equation it stages under scope `name`. */
export function namedCall<F extends AnyFunction>(f: F, opts: NamedCallOptions = {}): F {
  if (typeof f !== "function")
    throw new TypeError(`namedCall expects a function, got ${typeof f}.`);
  checkOptionKeys("namedCall", opts, ["name"]);
  const name = opts.name ?? functionName(f);
  if (typeof name !== "string") throw new TypeError("named_call name argument must be a string.");
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return extendNameStack(name, () => (f as AnyFunction as UncheckedFunction).apply(this, args));
  };
  Object.defineProperty(wrapped, "name", { value: functionName(f) }); // as functools.wraps
  return wrapped as unknown as F;
}

/**
 * `jax.named_scope(name)`: with a function, runs it under scope `name` and returns its result
 * (the `with` block); without one, returns a decorator (`namedScope("layer")(f)`).
 */
export function namedScope<T>(name: string, fn: () => T): T;
export function namedScope(name: string): <F extends AnyFunction>(f: F) => F;
export function namedScope<T>(
  name: string,
  fn?: () => T,
): T | (<F extends AnyFunction>(f: F) => F) {
  if (typeof name !== "string") throw new TypeError("named_scope name argument must be a string.");
  if (fn === undefined) return <F extends AnyFunction>(f: F): F => namedCall(f, { name });
  if (typeof fn !== "function") {
    throw new TypeError(`namedScope expects a function to run, got ${typeof fn}.`);
  }
  return extendNameStack(name, fn);
}
