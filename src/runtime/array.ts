/**
 * `ArrayImpl`: a concrete array — an abstract value plus a device buffer. Arrays are
 * immutable; several arrays may share one buffer.
 */
import { ShapedArray } from "../core/aval.js";
import {
  type DType,
  type TypedArray,
  dtypeOfTypedArray,
  typedArrayInputDType,
  float16,
  realPartDType,
  storageLanes,
  storedScalar,
} from "../core/dtype.js";
import type { ComplexValue } from "../core/format-elements.js";
import { DeviceError } from "../core/errors.js";
import { formatArray, reprArray } from "../core/format.js";
import { float16FromBits } from "../core/float16.js";
import { sizeOf, stridesOf } from "../core/shape.js";
import type { DeviceBuffer } from "../backend/device.js";
import { Array, type NestedList } from "../trace/array.js";
import { scalarAval } from "../trace/trace.js";
import { getDevice } from "./devices.js";
import { type Releasable, registerFinalizer, unregisterFinalizer } from "../core/finalization.js";
import { trackInScope } from "./scope.js";

export type Scalar = number | boolean | bigint;
/** An element as JS gets it: a complex element is `{ re, im }`. */
export type Element = Scalar | ComplexValue;

export class ArrayImpl extends Array {
  private _buffer: DeviceBuffer | undefined;
  constructor(
    readonly aval: ShapedArray,
    buffer: DeviceBuffer,
  ) {
    super();
    this._buffer = buffer;
    const device = buffer.device;
    if (device.retain && device.retain(buffer) !== false) {
      registerFinalizer(this, buffer as Releasable, this);
    }
    trackInScope(this);
  }

  get buffer(): DeviceBuffer {
    if (!this._buffer) {
      throw new DeviceError(
        `This array (${this.aval.str()}) was disposed and its memory freed; it cannot be used ` +
          `anymore. Keep a reference to results you still need outside \`using\`/dispose scopes.`,
      );
    }
    return this._buffer;
  }

  /** Raw stored values (float16 as bit patterns); do not modify. */
  private raw(): TypedArray {
    return this.buffer.device.toHost(this.buffer);
  }

  /**
   * The values as a new TypedArray (bool → Uint8Array of 0/1, float16 → Float32Array, complex →
   * interleaved (re, im) pairs: a Float32Array of 2·size for complex64).
   */
  toTypedArray(): TypedArray {
    const raw = this.raw();
    if (this.dtype === float16) return Float32Array.from(raw as Uint16Array, float16FromBits);
    return raw.slice();
  }

  /** Element values in row-major order as JS values. */
  private values(): ArrayLike<Element> {
    const raw = this.raw();
    if (this.dtype.isComplex) {
      const pairs = raw as Float32Array | Float64Array;
      return globalThis.Array.from({ length: this.size }, (_, i) => ({
        re: pairs[2 * i]!,
        im: pairs[2 * i + 1]!,
      }));
    }
    if (this.dtype === float16) return Float32Array.from(raw as Uint16Array, float16FromBits);
    return raw as ArrayLike<Scalar>;
  }

  /** The single element of a size-1 array (a complex one as `{ re, im }`). */
  item(): Element {
    if (this.size !== 1) {
      throw new TypeError(
        `item() can only be called on arrays of size 1, got shape ${this.aval.str()}. ` +
          `Index the element first, e.g. x.get(0).item().`,
      );
    }
    return toScalar(this.values()[0]!, this.dtype);
  }

  /** Nested JS arrays (numbers, booleans, bigints for 64-bit ints, `{ re, im }` for complex). */
  tolist(): NestedList {
    const vals = this.values();
    const shape = this.shape;
    if (shape.length === 0) return toScalar(vals[0]!, this.dtype);
    const strides = stridesOf(shape);
    const build = (dim: number, off: number): NestedList[] => {
      const out: NestedList[] = [];
      for (let i = 0; i < shape[dim]!; i++) {
        const o = off + i * strides[dim]!;
        out.push(dim === shape.length - 1 ? toScalar(vals[o]!, this.dtype) : build(dim + 1, o));
      }
      return out;
    };
    return build(0, 0);
  }

  override _literalValue(): Scalar | undefined {
    // A complex scalar stays an array (a jaxpr literal holds one real number).
    if (this.ndim !== 0 || this.dtype.isComplex) return undefined;
    return this.dtype.isBool ? Boolean(this.raw()[0]) : (this.item() as Scalar);
  }

  /** numpy's `str()`. */
  override toString(): string {
    return formatArray(this.values(), this.shape, this.dtype.name);
  }

  /** JAX's repr: `Array([1, 2, 3], dtype=int32)`. */
  override repr(): string {
    return reprArray(this.values(), this.shape, this.dtype.name, this.weakType);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.repr();
  }

  [Symbol.toPrimitive](hint: string): string | number | bigint {
    if (hint === "string") return this.toString();
    if (this.size !== 1) {
      throw new TypeError(
        `Only size-1 arrays can be converted to JS scalars; got shape ${this.aval.str()}. ` +
          `Use .any()/.all() for a truth value, or .tolist() for the values.`,
      );
    }
    if (this.dtype.isComplex) {
      throw new TypeError(
        `A complex array cannot be converted to a JS number; take jnp.real/jnp.imag/jnp.abs ` +
          `first, or .item() for { re, im }.`,
      );
    }
    const v = this.item() as Scalar;
    return typeof v === "boolean" ? Number(v) : v;
  }

  get isDisposed(): boolean {
    return this._buffer === undefined;
  }

  override isDeleted(): boolean {
    return this.isDisposed;
  }

  /** Wait until the value is computed; a failed computation raises its DeviceError here. */
  override blockUntilReady(): this {
    const b = this.buffer;
    b.device.blockUntilReady?.(b);
    return this;
  }

  /** Resolves once the value is computed, without blocking the thread. */
  override async ready(): Promise<this> {
    const b = this.buffer;
    await b.device.ready?.(b);
    return this;
  }

  /** Release this array's reference to its memory now (it is also reclaimed automatically). */
  override dispose(): void {
    const b = this._buffer;
    if (!b) return;
    this._buffer = undefined;
    if (b.device.release) {
      unregisterFinalizer(this);
      b.device.release(b);
    }
  }
}

function toScalar(v: Element, dtype: DType): Element {
  if (typeof v === "object") return { re: v.re, im: v.im };
  if (dtype.isBool) return Boolean(v);
  return v;
}

/** A concrete array from host values (copied). */
export function arrayFromHost(
  data: TypedArray,
  shape: readonly number[],
  dtype: DType,
  weakType = false,
): ArrayImpl {
  if (data.length !== sizeOf(shape) * storageLanes(dtype)) {
    throw new Error(`arrayFromHost: ${data.length} values for shape (${shape.join(", ")})`);
  }
  const device = getDevice();
  return new ArrayImpl(
    new ShapedArray(shape, dtype, weakType),
    device.fromHost(data, realPartDType(dtype)),
  );
}

export function isConcreteArray(x: unknown): x is ArrayImpl {
  return x instanceof ArrayImpl;
}

/** A TypedArray given as an argument: a 1-d array of its (canonicalized) dtype. */
export function typedArrayToArray(x: TypedArray): ArrayImpl {
  const src = dtypeOfTypedArray(x);
  const d = typedArrayInputDType(x);
  if (d === src) return arrayFromHost(x, [x.length], d);
  const out = new d.storage(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Number(x[i]) as never;
  return arrayFromHost(out, [x.length], d);
}

/** One element of `dtype` holding the JS scalar `x` (float16 as its binary16 bits). */
export function scalarData(x: Scalar, dtype: DType): TypedArray {
  // A complex scalar from a real one: (x, 0).
  const data = new dtype.storage(storageLanes(dtype));
  data[0] = (dtype.isComplex ? Number(x) : storedScalar(x, dtype)) as never;
  return data;
}

/** A JS scalar as a concrete, weakly typed 0-d array (or of `aval`). */
export function scalarArray(x: Scalar, aval: ShapedArray = scalarAval(x)): ArrayImpl {
  const d = aval.dtype;
  return new ArrayImpl(aval, getDevice().fromHost(scalarData(x, d), realPartDType(d)));
}
