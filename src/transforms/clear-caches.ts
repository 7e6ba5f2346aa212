/**
 * `clearCaches()`: JAX's `jax.clear_caches` — forget every traced jaxpr and compiled program
 * (each jitted function's signature cache, staged calls' code, eager primitives' code). The
 * next call of any jitted function traces and compiles again; arrays are not affected.
 */
import { clearCompiledCalls } from "../runtime/compile.js";
import { clearPrimitiveCode } from "../runtime/primitive-code.js";
import { clearAllJitCaches } from "./jit/cache.js";

/** JAX's `jax.clear_caches()`: drop all tracing and compilation caches. */
export function clearCaches(): void {
  clearAllJitCaches();
  clearCompiledCalls();
  clearPrimitiveCode();
}
