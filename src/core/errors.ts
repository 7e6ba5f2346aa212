/**
 * JAX's error classes. Messages follow JAX's wording and always say how to fix the problem.
 */

export class JaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

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

/** Device or memory failures: out of memory, a worker that died, use after dispose. */
export class DeviceError extends JaxError {}

/** A transformation rule (JVP, transpose, batching) is missing for a primitive. */
export class NotImplementedError extends JaxError {}

/** A non-finite value found with `jax_debug_nans`. */
export class FloatingPointError extends JaxError {}
