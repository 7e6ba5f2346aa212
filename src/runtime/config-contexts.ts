/**
 * JAX's configuration context managers (`with jax.disable_jit():`, `jax.enable_x64`,
 * `jax.log_compiles`, `jax.default_device`) in JS form: each sets its option and returns a
 * `ConfigContext` that restores the previous value when disposed — `using _ = disableJit();`
 * — or, given a function as the last argument, runs it with the option set and restores the
 * option after it returns or throws (`disableJit(() => f(x))`). The function form is for
 * synchronous code: the option is restored when the function returns, not when a promise
 * it returns settles.
 */
import { type ConfigValues, config } from "../core/config.js";
import { Device } from "./device-api.js";

/** Restores the option's previous value when disposed (once). */
export class ConfigContext implements Disposable {
  private restored = false;
  /** @internal */
  constructor(
    private readonly name: keyof ConfigValues,
    private readonly previous: unknown,
  ) {}
  /** Put the previous value back (as leaving JAX's `with` block). */
  restore(): void {
    if (this.restored) return;
    this.restored = true;
    config.update(this.name, this.previous);
  }
  [Symbol.dispose](): void {
    this.restore();
  }
}

function enter(name: keyof ConfigValues, value: unknown): ConfigContext {
  const previous = config.read(name);
  config.update(name, value);
  return new ConfigContext(name, previous);
}

function within<R>(name: keyof ConfigValues, value: unknown, fn: () => R): R {
  const ctx = enter(name, value);
  try {
    return fn();
  } finally {
    ctx.restore();
  }
}

type Body<R> = () => R;

/** A context function: with a body it runs it, without one it returns the context. */
export interface ContextFunction<V> {
  <R>(fn: Body<R>): R;
  <R>(value: V, fn: Body<R>): R;
  (value?: V): ConfigContext;
}

function contextFunction<V>(
  name: keyof ConfigValues,
  convert: (v: V | undefined) => unknown,
): ContextFunction<V> {
  function ctx(...args: unknown[]): unknown {
    const fn = typeof args[args.length - 1] === "function" ? (args.pop() as Body<unknown>) : null;
    const value = convert(args[0] as V | undefined);
    return fn ? within(name, value, fn) : enter(name, value);
  }
  return ctx as never;
}

const flag = (v: boolean | undefined): boolean => v ?? true;

/** Run jitted functions op by op while active (`jax.disable_jit(disable=True)`). */
export const disableJit = contextFunction<boolean>("disableJit", flag);
/** 64-bit types while active (`jax.enable_x64(new_val=True)`). */
export const enableX64 = contextFunction<boolean>("enableX64", flag);
/** Raise FloatingPointError on a NaN output while active (`jax.debug_nans(new_val=True)`). */
export const debugNans = contextFunction<boolean>("debugNans", flag);
/** Raise FloatingPointError on an infinite output while active (`jax.debug_infs(new_val=True)`). */
export const debugInfs = contextFunction<boolean>("debugInfs", flag);
/** Log each compilation while active (`jax.log_compiles(new_val=True)`). */
export const logCompiles = contextFunction<boolean>("logCompiles", flag);
/**
 * Evaluate operations on concrete values eagerly, even inside `jit` or `makeJaxpr`, while
 * active (`jax.ensure_compile_time_eval()`): their results are concrete, usable in JS control
 * flow; operations on traced values are still staged.
 */
export const ensureCompileTimeEval = contextFunction<never>("eagerConstantFolding", () => true);
/**
 * Create arrays and run computations on `device` (a `Device` from `devices()` or a backend
 * name) while active (`jax.default_device(device)`).
 */
export const defaultDevice = contextFunction<Device | string>("defaultDevice", (v) => {
  if (v === undefined) throw new TypeError("defaultDevice() missing 1 required argument: 'device'");
  return v instanceof Device ? v.platform : v;
});
