/**
 * JAX's error classes — the one home of every error class of the package (re-exported from the
 * package root). Messages follow JAX's wording and always say how to fix the problem.
 *
 * Python's built-in exceptions map as: `TypeError` → JS's built-in `TypeError` (wrong dtypes,
 * argument types, shapes that do not broadcast in lax — as JAX raises TypeError there);
 * `ValueError`, `IndexError` and numpy's `AxisError` (a subclass of both ValueError and
 * IndexError: here it extends ValueError and also passes `instanceof IndexError`) are below.
 */

export class JaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Python's ValueError: an argument of the right type with an invalid value (a shape, a size). */
export class ValueError extends JaxError {}

/** Python's IndexError: an index out of range, too many indices. */
export class IndexError extends JaxError {
  static override [Symbol.hasInstance](x: unknown): boolean {
    // numpy's AxisError subclasses both ValueError and IndexError.
    return (
      Function.prototype[Symbol.hasInstance].call(this, x) ||
      (this === IndexError && x instanceof AxisError)
    );
  }
}

/** Python's KeyError: a missing named field (`debug.print("{x}")` without x). */
export class KeyError extends JaxError {}

/** A boolean mask whose values are not known while tracing (JAX's error of that name). */
export class NonConcreteBooleanIndexError extends IndexError {}

/** numpy's AxisError: an axis out of bounds or repeated (`instanceof` ValueError and IndexError). */
export class AxisError extends ValueError {}

/** A traced value was needed as a concrete value (JAX's `ConcretizationTypeError`). */
export class ConcretizationTypeError extends JaxError {}

/** `if (x > 0)` on a traced value. */
export class TracerBoolConversionError extends ConcretizationTypeError {}

/** A traced value used where a JS integer is needed (an index, a shape). */
export class TracerIntegerConversionError extends ConcretizationTypeError {}

/** Converting a traced value to a JS array/typed array. */
export class TracerArrayConversionError extends JaxError {}

/** A tracer escaped the transformation that created it. */
export class UnexpectedTracerError extends JaxError {}

/** Types that cannot be promoted together. */
export class TypePromotionError extends JaxError {}

/** Invalid key reuse and other misuse of PRNG keys. */
export class KeyReuseError extends JaxError {}

/** Python's RuntimeError: a host callback returned values that do not match its declared results. */
export class RuntimeError extends JaxError {}

/** Device or memory failures: out of memory, a worker that died, use after dispose. */
export class DeviceError extends JaxError {}

/** Python's NameError: a collective names an axis no enclosing `vmap` binds (`unbound axis name: i`). */
export class NameError extends JaxError {}

/** A transformation rule (JVP, transpose, batching) is missing for a primitive. */
export class NotImplementedError extends JaxError {}

/**
 * Python's OverflowError: a JS integer (a Python int) that does not fit the integer dtype it
 * must be stored in (`jnp.array([300], "int8")`, `jnp.add(jnp.int8(1), 1000)`).
 */
export class OverflowError extends JaxError {}

/** A non-finite value found with `jax_debug_nans`. */
export class FloatingPointError extends JaxError {}
