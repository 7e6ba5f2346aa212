/**
 * The error for a JS array passed where a jitted function expects an Array. jit treats a JS
 * array as a pytree (a list of separate values, as a Python list in JAX), so `f` receives a list
 * of scalars and fails with JS's own `a.sum is not a function`; this adds why, and the fix.
 */

/** JS's messages for using a plain list as an object that it is not. */
const LIST_MISUSE = /is not a function|Cannot read propert|is not iterable|has no method/;

/**
 * `e` rewritten when it is JS's TypeError from using a list argument as an Array (some dynamic
 * argument is a JS array); otherwise `e` itself.
 */
export function listArgumentError(
  e: unknown,
  fnName: string,
  args: readonly unknown[],
  dynPos: readonly number[] | undefined,
  paramName: (pos: number) => string,
): unknown {
  if (!(e instanceof TypeError) || e.constructor !== TypeError || !LIST_MISUSE.test(e.message))
    return e;
  const positions = dynPos ?? args.map((_, i) => i);
  const pos = positions.find((p) => globalThis.Array.isArray(args[p]));
  if (pos === undefined) return e;
  return new TypeError(
    `${e.message}. Argument '${paramName(pos)}' of jitted function ${fnName} is a JS array: JS ` +
      `arrays are pytrees (lists of separate values, as Python lists are in JAX), not arrays, so ` +
      `${fnName} received a list, not an Array. Wrap the data in jnp.array(...) before passing it.`,
    { cause: e },
  );
}
