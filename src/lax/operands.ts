/**
 * Argument checking for the public `lax` functions: operands are Arrays or JS scalars (weakly
 * typed, as JAX's lax takes Python scalars); dtypes are anything `toDType` accepts (a DType,
 * its name, `jnp.float32`), canonicalized. Everything else is a TypeError naming the function.
 */
import { type DType, type DTypeLike, canonicalize, isTypedArray, toDType } from "../core/dtype.js";
import { Array } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { scalarAval } from "../trace/trace.js";

/** What a lax function accepts as an operand. */
export type Operand = Array | number | boolean;

export function describeValue(x: unknown): string {
  if (globalThis.Array.isArray(x)) return `the JS list [${x.map(String).join(", ")}]`;
  if (isTypedArray(x)) return `a ${x.constructor.name}`;
  if (typeof x === "string") return `the string '${x}'`;
  if (x === null || x === undefined) return String(x);
  if (typeof x === "object") return `an object of type ${x.constructor?.name ?? "Object"}`;
  return `${String(x)} of type ${typeof x}`;
}

/** `x` as an Array: a JS scalar becomes a weakly typed 0-d array (a literal when traced). */
export function operand(fn: string, x: unknown, what = "operand"): Array {
  if (x instanceof Array) return x;
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
    const a = scalarAval(x);
    return scalarConstant(x, a.dtype, a.weakType);
  }
  throw new TypeError(
    `lax.${fn}: ${what} ${describeValue(x)} is not a valid JAX type. lax functions take Arrays ` +
      `and JS scalars; convert lists and TypedArrays with jnp.asarray first.`,
  );
}

/** A list of operands (`concatenate`, `sort`). */
export function operands(fn: string, xs: unknown, what = "operands"): Array[] {
  if (!globalThis.Array.isArray(xs)) {
    throw new TypeError(`lax.${fn}: ${what} must be a list of arrays, got ${describeValue(xs)}.`);
  }
  return xs.map((x, i) => operand(fn, x, `${what}[${i}]`));
}

/** A dtype argument, canonicalized (64-bit types become 32-bit without x64, as in JAX). */
export function dtypeArg(dtype: DTypeLike): DType {
  return canonicalize(toDType(dtype));
}
