/** JAX-style messages for tracers used where concrete values are required. */
import {
  ConcretizationTypeError,
  TracerArrayConversionError,
  TracerBoolConversionError,
  TracerIntegerConversionError,
} from "../core/errors.js";
import type { ShapedArray } from "../core/aval.js";

/** What these messages read of the offending tracer. */
interface Traced {
  readonly aval: ShapedArray;
}

export type ConcretizationKind = "bool" | "int" | "array";

const docs = "https://jax.readthedocs.io/en/latest/errors.html#jax.errors.";

const fix =
  "If the value is data, keep it traced: use jnp.where or lax.cond/lax.select instead of `if`, " +
  "and lax.fori_loop/lax.while_loop instead of a JS loop over it. If it is a configuration " +
  "value (a size, a flag, a mode), mark that argument static: " +
  "jit(f, { staticArgnums: [...] }) or jit(f, { staticArgnames: [...] }).";

/**
 * @param origin a sentence saying where the tracer came from, e.g. "The error occurred while
 * tracing the function f for jit. This concrete value was not available in JavaScript because
 * it depends on the value of the argument x."
 */
export function concretizationError(
  t: Traced,
  kind: ConcretizationKind,
  origin: string | undefined,
): Error {
  const what = `traced array with shape ${t.aval.str()}`;
  const tail = `${origin ? `${origin}\n` : ""}${fix}\n`;
  switch (kind) {
    case "bool":
      return new TracerBoolConversionError(
        `Attempted boolean conversion of ${what}.\n` +
          `(JavaScript converted the value to a number or boolean: a comparison such as \`x > 0\`, ` +
          `an \`if\`, arithmetic with JS numbers, or Number(x).)\n${tail}See ${docs}TracerBoolConversionError`,
      );
    case "int":
      return new TracerIntegerConversionError(
        `An integer conversion (an index or a size) was attempted on ${what}.\n${tail}` +
          `See ${docs}TracerIntegerConversionError`,
      );
    case "array":
      return new TracerArrayConversionError(
        `The conversion to a JavaScript array or TypedArray was called on ${what}. ` +
          `Values of traced arrays are not available while tracing.\n${tail}` +
          `See ${docs}TracerArrayConversionError`,
      );
  }
}

export function genericConcretizationError(t: Traced, what: string, origin?: string): Error {
  return new ConcretizationTypeError(
    `Abstract tracer value encountered where concrete value is expected: traced array with ` +
      `shape ${t.aval.str()}.\nThe problem arose with ${what}.\n${origin ? `${origin}\n` : ""}${fix}\n` +
      `See ${docs}ConcretizationTypeError`,
  );
}

/**
 * JAX's `_invalid_shape_error` for a shape with a traced dimension (the hint is JAX 0.4's
 * wording), followed by the integer conversion error that caused it — as Python's traceback
 * shows both — which names where the tracer came from. The class stays the cause's
 * (TracerIntegerConversionError, a ConcretizationTypeError); JAX re-raises a plain TypeError.
 */
export function invalidShapeError(shape: readonly unknown[], cause: Error): Error {
  const msg =
    `Shapes must be 1D sequences of concrete values of integer type, got [${shape.map(String).join(", ")}].\n` +
    "If using `jit`, try using `static_argnums` or applying `jit` to smaller subfunctions.\n" +
    cause.message;
  const Ctor = cause.constructor as new (message: string, options?: { cause: unknown }) => Error;
  return new Ctor(msg, { cause });
}
