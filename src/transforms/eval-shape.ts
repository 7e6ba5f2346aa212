/**
 * `evalShape(f, ...args)`: the shapes and dtypes of `f`'s outputs, as a pytree of
 * ShapeDtypeStructs, by tracing only (no kernel runs), as JAX's `jax.eval_shape` (which is
 * `jit(f).trace(*args).out_info`). Arguments may be arrays, scalars, ShapeDtypeStructs or
 * pytrees of them. The trace is cached with `jit(f)`'s, so a second call with the same
 * signature does not retrace.
 */
import type { Fn } from "./jit/jit.js";
import { JitFunction } from "./jit/jit-function.js";
import { checkCallable } from "./jit/argnums.js";

/**
 * JAX's `jax.eval_shape`: the shapes and dtypes of `f(...args)` as a pytree of
 * ShapeDtypeStructs, by tracing only (nothing runs).
 *
 * @example
 * evalShape((x: Array) => x.sum(0), new ShapeDtypeStruct([3, 4], "float32"))
 * // ShapeDtypeStruct(shape=(4,), dtype=float32)
 */
export function evalShape(f: Fn, ...args: unknown[]): unknown {
  checkCallable(f);
  return new JitFunction(f, {}).traced(undefined, args).outInfo;
}
