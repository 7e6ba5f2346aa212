/**
 * Static arguments of jit: which positions are static, and their cache keys. Static values
 * are compared by value when they are numbers, strings, booleans, null/undefined, bigints,
 * or plain arrays/objects of those; functions and class instances by identity. Arrays
 * (device arrays, TypedArrays) are not hashable and raise, as in JAX.
 */
import { ValueError } from "../../core/errors.js";
import { isPlainObject } from "../../core/pytree.js";
import { identityKey } from "../../ir/params-key.js";
import { Array } from "../../trace/array.js";
import { type Param, argnamePositions, asList, functionName } from "../param-names.js";

export { ValueError };

export interface StaticSpec {
  /** Sorted, non-negative positions; negative ones are resolved per call. */
  readonly nums: readonly number[];
}

export function resolveStatic(
  f: Function,
  params: readonly Param[],
  argnums: number | readonly number[] | undefined,
  argnames: string | readonly string[] | undefined,
): number[] {
  const name = functionName(f);
  const positional = params.filter((p) => !p.rest).length;
  const hasRest = params.some((p) => p.rest);
  const nums = asList(argnums);
  for (const n of nums) {
    if (!Number.isInteger(n))
      throw new TypeError(`staticArgnums must be integers, got ${String(n)}.`);
    if (!hasRest && params.length > 0 && (n >= positional || n < -positional)) {
      throw new ValueError(
        `jitted function ${name} has staticArgnums=[${nums.join(", ")}], but only accepts ${positional} ` +
          `positional argument${positional === 1 ? "" : "s"} (${params.map((p) => p.name ?? "<pattern>").join(", ")}).`,
      );
    }
  }
  const out = new Set(nums.map((n) => (n < 0 && positional > 0 && !hasRest ? n + positional : n)));
  for (const i of argnamePositions(name, params, argnames, "staticArgnames")) out.add(i);
  return [...out].sort((a, b) => a - b);
}

/**
 * The cache key of a static argument value. `where` names it for errors ("Static argument n
 * (index 1)"), `fnName` the jitted function.
 */
export function staticKey(v: unknown, where: string, fnName?: string): string {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "n-0" : `n${v}`;
    case "string":
      return `s${JSON.stringify(v)}`;
    case "boolean":
      return v ? "T" : "F";
    case "bigint":
      return `b${v}`;
    case "undefined":
      return "U";
    case "function":
      return `f#${identityKey(v)}`;
    case "symbol":
      return `y${String(v)}`;
  }
  if (v === null) return "N";
  if (v instanceof Array || ArrayBuffer.isView(v)) {
    // JAX's argnums_partial_except wording; the type is the class (ArrayImpl, a tracer class,
    // Float32Array), as Python shows `type(static_arg)`.
    throw new ValueError(
      `Non-hashable static arguments are not supported, as this can lead to unexpected cache-misses. ` +
        `${where} of type ${v.constructor.name}${fnName ? ` for function ${fnName}` : ""} is non-hashable. ` +
        `Pass it as a regular (traced) argument instead of marking it static, or pass JS numbers ` +
        `(or a plain array of them).`,
    );
  }
  if (globalThis.Array.isArray(v))
    return `[${v.map((x, i) => staticKey(x, `${where}, element [${i}],`, fnName)).join(",")}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map(
        (k) =>
          `${JSON.stringify(k)}:${staticKey(v[k], `${where}, entry ${JSON.stringify(k)},`, fnName)}`,
      )
      .join(",")}}`;
  }
  return `o#${identityKey(v as object)}`;
}
