/**
 * Data types. A `DType` is a value object; `String(dtype)` is its numpy name.
 * `float0` is JAX's tangent type for integer inputs.
 */
import { config } from "./config.js";
import { float16Bits } from "./float16.js";

export type DTypeName =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float16"
  | "float32"
  | "float64"
  | "complex64"
  | "complex128"
  | "float0";

export type DTypeKind = "b" | "i" | "u" | "f" | "c" | "V";

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export type TypedArrayConstructor = {
  new (n: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

export class DType {
  constructor(
    readonly name: DTypeName,
    /** Jaxpr spelling: f32, i32, u8, bool … */
    readonly short: string,
    readonly kind: DTypeKind,
    readonly itemsize: number,
    /** How values are stored on host and on the js device. */
    readonly storage: TypedArrayConstructor,
  ) {}

  get isFloat(): boolean {
    return this.kind === "f";
  }
  get isInt(): boolean {
    return this.kind === "i" || this.kind === "u";
  }
  get isSigned(): boolean {
    return this.kind === "i";
  }
  get isBool(): boolean {
    return this.kind === "b";
  }
  /** complex64/complex128: stored as interleaved (re, im) pairs of their real dtype. */
  get isComplex(): boolean {
    return this.kind === "c";
  }
  /** Stored as BigInt64Array/BigUint64Array (int64/uint64). */
  get isBig(): boolean {
    return this.itemsize === 8 && this.isInt;
  }
  toString(): string {
    return this.name;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `dtype('${this.name}')`;
  }
}

export const bool = new DType("bool", "bool", "b", 1, Uint8Array);
export const int8 = new DType("int8", "i8", "i", 1, Int8Array);
export const int16 = new DType("int16", "i16", "i", 2, Int16Array);
export const int32 = new DType("int32", "i32", "i", 4, Int32Array);
export const int64 = new DType("int64", "i64", "i", 8, BigInt64Array);
export const uint8 = new DType("uint8", "u8", "u", 1, Uint8Array);
export const uint16 = new DType("uint16", "u16", "u", 2, Uint16Array);
export const uint32 = new DType("uint32", "u32", "u", 4, Uint32Array);
export const uint64 = new DType("uint64", "u64", "u", 8, BigUint64Array);
/** float16 values are stored as their IEEE binary16 bit patterns. */
export const float16 = new DType("float16", "f16", "f", 2, Uint16Array);
export const float32 = new DType("float32", "f32", "f", 4, Float32Array);
export const float64 = new DType("float64", "f64", "f", 8, Float64Array);
export const float0 = new DType("float0", "float0", "V", 1, Uint8Array);
/** Complex values are stored as interleaved (re, im) pairs: `storage` of length 2·size. */
export const complex64 = new DType("complex64", "c64", "c", 8, Float32Array);
export const complex128 = new DType("complex128", "c128", "c", 16, Float64Array);

/** The real dtype of a complex one's parts (float32 for complex64); other dtypes unchanged. */
export function realPartDType(d: DType): DType {
  if (d === complex64) return float32;
  if (d === complex128) return float64;
  return d;
}
/** The complex dtype whose parts have float dtype `d` (complex64 for float16/float32). */
export function complexOfFloat(d: DType): DType {
  if (d.isComplex) return d;
  return d === float64 ? complex128 : complex64;
}
/** Storage elements per value: 2 for complex dtypes (re, im), else 1. */
export function storageLanes(d: DType): number {
  return d.isComplex ? 2 : 1;
}

export const allDTypes: readonly DType[] = [
  bool,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  float16,
  float32,
  float64,
  complex64,
  complex128,
];

const byName = new Map<string, DType>([...allDTypes, float0].map((d) => [d.name, d]));
byName.set("bool_", bool);
byName.set("float", float32);
byName.set("int", int32);
byName.set("complex", complex64);

/** Anything accepted where a dtype is: a DType, its name, or a scalar type such as `jnp.float32`. */
export type DTypeLike = DType | DTypeName | "bool_" | { readonly dtype: DType };

export function isDTypeLike(x: unknown): x is DTypeLike {
  if (x instanceof DType) return true;
  if (typeof x === "string") return byName.has(x);
  return (
    (typeof x === "function" || typeof x === "object") &&
    x !== null &&
    (x as { dtype?: unknown }).dtype instanceof DType
  );
}

/** The DType named by `x` (not canonicalized). Throws a TypeError naming the valid dtypes. */
export function toDType(x: DTypeLike): DType {
  if (x instanceof DType) return x;
  if (typeof x === "string") {
    const d = byName.get(x);
    if (d) return d;
  } else if (
    (typeof x === "function" || typeof x === "object") &&
    x !== null &&
    (x as { dtype?: unknown }).dtype instanceof DType
  ) {
    return (x as { dtype: DType }).dtype;
  }
  throw new TypeError(
    `Cannot interpret '${String(x)}' as a data type. Valid dtypes: ${allDTypes.map((d) => d.name).join(", ")}.`,
  );
}

/**
 * As JAX's `canonicalize_dtype`: without x64, 64-bit types become their 32-bit counterparts.
 */
export function canonicalize(d: DType): DType {
  if (config.enableX64) return d;
  if (d === float64) return float32;
  if (d === int64) return int32;
  if (d === uint64) return uint32;
  if (d === complex128) return complex64;
  return d;
}

/**
 * The storage element for the JS scalar `x` in `dtype.storage`: a BigInt for 64-bit ints, the
 * binary16 bit pattern for float16, else the number (the typed array converts it).
 */
export function storedScalar(x: number | boolean | bigint, dtype: DType): number | bigint {
  if (dtype.isBig) return BigInt(x);
  if (dtype === float16) return float16Bits(Number(x));
  return Number(x);
}

/** The default int / float dtypes (int32/float32, or 64-bit with x64). */
export function defaultInt(): DType {
  return config.enableX64 ? int64 : int32;
}
export function defaultFloat(): DType {
  return config.enableX64 ? float64 : float32;
}

/** The dtype of a TypedArray passed by the user (before canonicalization). */
export function dtypeOfTypedArray(a: ArrayBufferView): DType {
  if (a instanceof Float32Array) return float32;
  if (a instanceof Float64Array) return float64;
  if (a instanceof Int32Array) return int32;
  if (a instanceof Uint32Array) return uint32;
  if (a instanceof Int16Array) return int16;
  if (a instanceof Uint16Array) return uint16;
  if (a instanceof Int8Array) return int8;
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return uint8;
  if (a instanceof BigInt64Array) return int64;
  if (a instanceof BigUint64Array) return uint64;
  throw new TypeError(`Unsupported typed array ${a.constructor.name}.`);
}

/**
 * The dtype a user's TypedArray becomes: its own, canonicalized. Where that truncates
 * (Float64Array → float32, BigInt64Array → int32 without x64) JAX's warning is printed, once
 * per dtype.
 */
export function typedArrayInputDType(a: ArrayBufferView): DType {
  const src = dtypeOfTypedArray(a);
  const d = canonicalize(src);
  if (d !== src && !truncationWarned.has(src)) {
    truncationWarned.add(src);
    console.warn(
      `Explicitly requested dtype ${src.name} requested in array is not available, and will be ` +
        `truncated to dtype ${d.name}. To enable more dtypes, set the enableX64 configuration ` +
        `option: config.update("enableX64", true) (JAX's jax_enable_x64).`,
    );
  }
  return d;
}
const truncationWarned = new Set<DType>();

export function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** Largest/smallest finite values, as numpy's iinfo/finfo. */
export function dtypeRange(d: DType): [number, number] {
  switch (d.name) {
    case "bool":
      return [0, 1];
    case "int8":
      return [-128, 127];
    case "int16":
      return [-32768, 32767];
    case "int32":
      return [-2147483648, 2147483647];
    case "uint8":
      return [0, 255];
    case "uint16":
      return [0, 65535];
    case "uint32":
      return [0, 4294967295];
    case "int64":
      return [-(2 ** 63), 2 ** 63 - 1];
    case "uint64":
      return [0, 2 ** 64 - 1];
    case "float16":
      return [-65504, 65504];
    case "float32":
      return [-3.4028234663852886e38, 3.4028234663852886e38];
    default:
      return [-Number.MAX_VALUE, Number.MAX_VALUE];
  }
}
