/**
 * jnp dtype helpers: finfo, iinfo, can_cast (numpy's casting tables), issubdtype and isdtype
 * over numpy's abstract scalar hierarchy (generic ⊃ number ⊃ integer ⊃ signedinteger …, as
 * classes with a `contains(dtype)` test), the scalar-type aliases (double, single, int_, uint,
 * complex_, cdouble, csingle, float_), array_repr and array_str.
 */
import {
  type DType,
  type DTypeLike,
  bool,
  complex128,
  complex64,
  float32,
  float64,
  int64,
  isDTypeLike,
  toDType,
  uint64,
} from "../core/dtype.js";
import { NotImplementedError, ValueError } from "../core/errors.js";
import type { ArrayLike } from "../trace/array.js";
import { asarray, typeInfoOf } from "./coerce.js";
import { scalarType } from "./scalar-types.js";

/** Floating-point limits of a float dtype: numpy's finfo fields. */
export class FInfo {
  readonly dtype: DType;
  readonly bits: number;
  readonly nmant: number;
  readonly nexp: number;
  readonly minexp: number;
  readonly maxexp: number;
  readonly machep: number;
  readonly negep: number;
  readonly eps: number;
  readonly epsneg: number;
  readonly max: number;
  readonly min: number;
  readonly tiny: number;
  readonly smallestNormal: number;
  readonly smallestSubnormal: number;
  readonly precision: number;
  readonly resolution: number;
  constructor(dtype: DTypeLike | ArrayLike) {
    let d = isDTypeLike(dtype) ? toDType(dtype) : typeInfoOf(dtype as ArrayLike).dtype;
    if (d === complex64) d = float32;
    if (d === complex128) d = float64;
    const table: Record<string, [number, number, number]> = {
      float16: [16, 10, 5],
      float32: [32, 23, 8],
      float64: [64, 52, 11],
    };
    const row = table[d.name];
    if (!row) throw new ValueError(`data type ${d.name} not inexact`);
    const [bits, nmant, nexp] = row;
    const bias = 2 ** (nexp - 1) - 1;
    this.dtype = d;
    this.bits = bits;
    this.nmant = nmant;
    this.nexp = nexp;
    this.minexp = 1 - bias;
    this.maxexp = bias + 1;
    this.machep = -nmant;
    this.negep = -nmant - 1;
    this.eps = 2 ** -nmant;
    this.epsneg = 2 ** (-nmant - 1);
    this.max = (2 - 2 ** -nmant) * 2 ** bias;
    this.min = -this.max;
    this.tiny = 2 ** (1 - bias);
    this.smallestNormal = this.tiny;
    this.smallestSubnormal = 2 ** (1 - bias - nmant);
    this.precision = Math.floor(nmant * Math.log10(2));
    this.resolution = 10 ** -this.precision;
  }
}

/** Integer limits of an integer dtype: bits, min, max (bigint for 64-bit). */
export class IInfo {
  readonly dtype: DType;
  readonly bits: number;
  readonly min: number | bigint;
  readonly max: number | bigint;
  constructor(dtype: DTypeLike | ArrayLike) {
    const d = isDTypeLike(dtype) ? toDType(dtype) : typeInfoOf(dtype as ArrayLike).dtype;
    if (!d.isInt) throw new ValueError(`Invalid integer data type '${d.kind}'.`);
    this.dtype = d;
    this.bits = 8 * d.itemsize;
    if (this.bits === 64) {
      this.min = d.isSigned ? -(2n ** 63n) : 0n;
      this.max = d.isSigned ? 2n ** 63n - 1n : 2n ** 64n - 1n;
    } else {
      this.min = d.isSigned ? -(2 ** (this.bits - 1)) : 0;
      this.max = d.isSigned ? 2 ** (this.bits - 1) - 1 : 2 ** this.bits - 1;
    }
  }
}

/** Floating-point limits of a float (or complex) dtype (`jnp.finfo(dtype)`). */
export function finfo(dtype: DTypeLike | ArrayLike): FInfo {
  return new FInfo(dtype);
}

/** Integer limits of an integer dtype (`jnp.iinfo(dtype)`). */
export function iinfo(dtype: DTypeLike | ArrayLike): IInfo {
  return new IInfo(dtype);
}

/** numpy's abstract scalar types: `contains(d)` says whether a concrete dtype is below. */
export class generic {
  static contains(_d: DType): boolean {
    return true;
  }
}
/** Abstract numeric scalar type (`jnp.number`). */
class number_ extends generic {
  static override contains(d: DType): boolean {
    return d.isInt || d.isFloat || d.isComplex;
  }
}
/** Abstract integer scalar type (`jnp.integer`). */
export class integer extends number_ {
  static override contains(d: DType): boolean {
    return d.isInt;
  }
}
/** Abstract signed integer scalar type (`jnp.signedinteger`). */
export class signedinteger extends integer {
  static override contains(d: DType): boolean {
    return d.kind === "i";
  }
}
/** Abstract unsigned integer scalar type (`jnp.unsignedinteger`). */
export class unsignedinteger extends integer {
  static override contains(d: DType): boolean {
    return d.kind === "u";
  }
}
/** Abstract inexact (float or complex) scalar type (`jnp.inexact`). */
export class inexact extends number_ {
  static override contains(d: DType): boolean {
    return d.isFloat || d.isComplex;
  }
}
/** Abstract real floating scalar type (`jnp.floating`). */
export class floating extends inexact {
  static override contains(d: DType): boolean {
    return d.isFloat;
  }
}
/** Abstract complex scalar type (`jnp.complexfloating`). */
export class complexfloating extends inexact {
  static override contains(d: DType): boolean {
    return d.isComplex;
  }
}
/** Abstract flexible (string/void) scalar type (`jnp.flexible`): no jaxts dtype is below it. */
export class flexible extends generic {
  static override contains(_d: DType): boolean {
    return false;
  }
}
/** Abstract character scalar type (`jnp.character`): no jaxts dtype is below it. */
export class character extends flexible {}

type Abstract = typeof generic;
const isAbstract = (x: unknown): x is Abstract =>
  typeof x === "function" && (x === generic || x.prototype instanceof generic);
const dtypeArg = (x: unknown): DType =>
  isDTypeLike(x) ? toDType(x) : typeInfoOf(x as ArrayLike).dtype;

/** Whether `arg1`'s dtype is below `arg2` (a dtype or an abstract type) (`jnp.issubdtype`). */
export function issubdtype(arg1: DTypeLike | Abstract, arg2: DTypeLike | Abstract): boolean {
  if (isAbstract(arg1))
    return isAbstract(arg2) && (arg1 === arg2 || arg1.prototype instanceof arg2);
  const d = dtypeArg(arg1);
  if (isAbstract(arg2)) return arg2.contains(d);
  return d === dtypeArg(arg2);
}

type KindName =
  | "bool"
  | "signed integer"
  | "unsigned integer"
  | "integral"
  | "real floating"
  | "complex floating"
  | "numeric";
const KINDS: Record<KindName, (d: DType) => boolean> = {
  bool: (d) => d === bool,
  "signed integer": (d) => d.kind === "i",
  "unsigned integer": (d) => d.kind === "u",
  integral: (d) => d.isInt,
  "real floating": (d) => d.isFloat,
  "complex floating": (d) => d.isComplex,
  numeric: (d) => d.isInt || d.isFloat || d.isComplex,
};

/** The array API's dtype-kind test (`jnp.isdtype(dtype, kind)`; kind a name, dtype, or list). */
export function isdtype(
  dtype: DTypeLike,
  kind: KindName | DTypeLike | readonly (KindName | DTypeLike)[],
): boolean {
  const d = toDType(dtype);
  const kinds = globalThis.Array.isArray(kind) ? kind : [kind];
  return kinds.some((k) => {
    if (typeof k === "string" && k in KINDS) return KINDS[k as KindName](d);
    if (isDTypeLike(k)) return toDType(k) === d;
    throw new ValueError(`Unrecognized kind for isdtype: ${String(k)}`);
  });
}

const order = ["b", "u", "i", "f", "c"];
/** Whether numpy's "safe" casting allows `from` → `to`. */
function safeCast(a: DType, b: DType): boolean {
  if (a === b || a === bool) return true;
  if (b === bool) return false;
  const bits = (d: DType): number => (d.isComplex ? d.itemsize * 4 : d.itemsize * 8);
  if (a.isComplex) return b.isComplex && bits(b) >= bits(a);
  if (a.isFloat) return (b.isFloat || b.isComplex) && bits(b) >= bits(a);
  // integers
  if (b.isInt) {
    if (a.kind === b.kind) return b.itemsize >= a.itemsize;
    if (a.kind === "u" && b.kind === "i") return b.itemsize > a.itemsize;
    return false;
  }
  const need = a.itemsize === 1 ? 16 : a.itemsize === 2 ? 32 : 64;
  return bits(b) >= need;
}

/** numpy's casting rules (`jnp.can_cast(from, to, casting="safe")`). */
export function canCast(
  from: DTypeLike | ArrayLike,
  to: DTypeLike,
  casting: "no" | "equiv" | "safe" | "same_kind" | "unsafe" = "safe",
): boolean {
  const a = dtypeArg(from);
  const b = toDType(to);
  switch (casting) {
    case "no":
    case "equiv":
      return a === b;
    case "safe":
      return safeCast(a, b);
    case "same_kind":
      return safeCast(a, b) || order.indexOf(b.kind) >= order.indexOf(a.kind);
    case "unsafe":
      return true;
    default:
      throw new ValueError(
        `casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'`,
      );
  }
}

/** numpy's `double` (float64; float32 when x64 is off, as every 64-bit type). */
export const double = scalarType(float64);
/** numpy's `single` (float32). */
export const single = scalarType(float32);
/** numpy's `float_` (float64). */
export const float_ = scalarType(float64);
/** numpy's `int_` (int64). */
export const int_ = scalarType(int64);
/** numpy's `uint` (uint64). */
export const uint = scalarType(uint64);
/** numpy's `complex_` (complex128). */
export const complex_ = scalarType(complex128);
/** numpy's `cdouble` (complex128). */
export const cdouble = scalarType(complex128);
/** numpy's `csingle` (complex64). */
export const csingle = scalarType(complex64);

/** numpy `str` of an array (`jnp.array_str(a)`). */
export function arrayStr(
  a: ArrayLike,
  maxLineWidth: number | null = null,
  precision: number | null = null,
  suppressSmall: boolean | null = null,
): string {
  if (maxLineWidth !== null || precision !== null || suppressSmall !== null)
    throw new NotImplementedError(
      "jnp.array_str: max_line_width, precision and suppress_small are not supported",
    );
  return String(asarray(a));
}

/** JAX's repr of an array (`jnp.array_repr(a)`). */
export function arrayRepr(
  a: ArrayLike,
  maxLineWidth: number | null = null,
  precision: number | null = null,
  suppressSmall: boolean | null = null,
): string {
  if (maxLineWidth !== null || precision !== null || suppressSmall !== null)
    throw new NotImplementedError(
      "jnp.array_repr: max_line_width, precision and suppress_small are not supported",
    );
  return asarray(a).repr();
}

export { number_ as number };
