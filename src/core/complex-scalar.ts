/**
 * The JS form of a complex number: a plain `{ re, im }` object. It is what `item()`/`tolist()`
 * give for complex elements and what jnp functions accept where Python takes `1+2j`: a weakly
 * typed complex scalar (complex64, complex128 under x64), in nested lists for `jnp.array`, and
 * as an operand (`jnp.multiply(x, { re: 0, im: 1 })`).
 */
export interface ComplexScalar {
  readonly re: number;
  readonly im: number;
}

/** `{ re, im }` with two numbers and no other keys. */
export function isComplexScalar(x: unknown): x is ComplexScalar {
  if (typeof x !== "object" || x === null || Object.getPrototypeOf(x) !== Object.prototype)
    return false;
  const keys = Object.keys(x);
  const o = x as Record<string, unknown>;
  return keys.length === 2 && typeof o["re"] === "number" && typeof o["im"] === "number";
}
