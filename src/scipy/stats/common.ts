/**
 * Shared pieces of jax.scipy.stats: argument promotion (JAX's promote_args_inexact: one
 * inexact dtype, Python numbers weak; shapes broadcast by the operations themselves) and the
 * named namespace objects that stand for JAX's distribution modules (`stats.norm.pdf`).
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { promoteArgsInexact } from "../../numpy/coerce.js";

/** The arguments promoted to one inexact dtype. */
export function inexact(...xs: ArrayLike[]): Array[] {
  return promoteArgsInexact(...xs);
}

/** A distribution module's functions, each named as JAX names it (`pdf`, `logcdf`, …). */
export function distribution<T extends Record<string, (...args: never[]) => Array>>(
  functions: T,
): Readonly<T> {
  for (const [name, f] of Object.entries(functions))
    Object.defineProperty(f, "name", { value: name, configurable: true });
  return Object.freeze(functions);
}
