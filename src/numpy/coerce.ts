/**
 * Turning user values into arrays, and numpy's promotion and broadcasting of operands.
 * JS numbers are weakly typed scalars (int32 when integral, else float32) and never add a
 * conversion equation: they become literals in the promoted dtype.
 */
import {
  type DType,
  type DTypeLike,
  canonicalize,
  defaultFloat,
  dtypeOfTypedArray,
  typedArrayInputDType,
  int32,
  isDTypeLike,
  isTypedArray,
  toDType,
  type TypedArray,
} from "../core/dtype.js";
import { type TypeInfo, promoteTypeInfos } from "../core/promotion.js";
import { Array, type ArrayLike } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { scalarAval } from "../trace/trace.js";
import { arrayFromHost } from "../runtime/array.js";
import { broadcastInDim, concatenate, convertElementType } from "../primitives/index.js";
import { shapeStr } from "../core/shape.js";
import { float16Bits } from "../core/float16.js";
import { OverflowError, ValueError } from "../core/errors.js";
import { isPlainObject } from "../core/pytree.js";
import { type ComplexScalar, isComplexScalar } from "../core/complex-scalar.js";
import { complexScalarArray, weakComplexInfo } from "./complex-scalars.js";

export { complexScalarArray };

export function typeInfoOf(x: ArrayLike): TypeInfo {
  if (x instanceof Array) return { dtype: x.dtype, weakType: x.weakType };
  if (isComplexScalar(x)) return weakComplexInfo();
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
    const a = scalarAval(x);
    return { dtype: a.dtype, weakType: a.weakType };
  }
  const a = asarray(x);
  return { dtype: a.dtype, weakType: a.weakType };
}

/** The value range of an integer dtype, as bigints. */
function intRange(d: DType): [bigint, bigint] {
  const bits = BigInt(8 * d.itemsize);
  return d.isSigned ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

/** An integral JS number or a bigint — what stands for a Python int — outside `d`'s range. */
function outOfRange(v: unknown, d: DType): boolean {
  if (!d.isInt) return false;
  if (typeof v === "number") {
    if (!Number.isInteger(v)) return false;
    const [lo, hi] = intRange(d);
    return v < Number(lo) || v > Number(hi);
  }
  if (typeof v !== "bigint") return false;
  const [lo, hi] = intRange(d);
  return v < lo || v > hi;
}

/** numpy 2's error for a Python int stored into an integer dtype it does not fit. */
function checkStorable(v: unknown, d: DType): void {
  if (outOfRange(v, d))
    throw new OverflowError(`Python integer ${String(v)} out of bounds for ${d.name}`);
}

/**
 * JAX's error for a weakly typed JS integer operand converted to the other operand's integer
 * dtype that cannot hold it (`jnp.add(jnp.int8(1), 1000)`).
 */
function checkWeakIntFits(v: unknown, d: DType): void {
  if (outOfRange(v, d))
    throw new OverflowError(`Python int ${String(v)} too large to convert to ${d.name}`);
}

/** A leaf of a nested JS list (JAX's `tree_leaves` of a list argument). */
type Leaf = number | boolean | bigint | ComplexScalar | Array | TypedArray;

const isLeafArray = (v: Leaf): v is Array | TypedArray => v instanceof Array || isTypedArray(v);

function collectLeaves(v: unknown, path: string, out: Leaf[]): void {
  if (globalThis.Array.isArray(v)) {
    v.forEach((c, i) => collectLeaves(c, `${path}[${i}]`, out));
  } else if (
    typeof v === "number" ||
    typeof v === "boolean" ||
    typeof v === "bigint" ||
    isComplexScalar(v) ||
    v instanceof Array ||
    isTypedArray(v)
  ) {
    out.push(v);
  } else {
    throw new TypeError(
      `Cannot convert ${v === null ? "null" : typeof v} at ${path} to an array element: elements ` +
        `must be numbers, booleans, { re, im } complex numbers, arrays or nested lists of them.`,
    );
  }
}

/** The type a leaf promotes with: JS numbers weakly (the scalar rule), arrays as they are. */
function leafInfo(v: Leaf): TypeInfo {
  if (isComplexScalar(v)) return weakComplexInfo();
  if (isTypedArray(v)) {
    typedArrayInputDType(v); // warns where x64 is off and the list will be truncated
    return { dtype: dtypeOfTypedArray(v), weakType: false };
  }
  return typeInfoOf(v as ArrayLike);
}

/** The shape of a nested list of JS scalars, or numpy's error if it is ragged. */
function nestedShape(x: readonly unknown[]): number[] {
  const shape: number[] = [];
  let level: readonly unknown[] = x;
  while (true) {
    shape.push(level.length);
    if (level.length === 0 || !globalThis.Array.isArray(level[0])) break;
    level = level[0] as unknown[];
  }
  const visit = (v: unknown, depth: number, path: string): void => {
    const isList = globalThis.Array.isArray(v);
    const inner = depth < shape.length;
    if (inner ? !isList || v.length !== shape[depth] : isList) {
      const what = !isList
        ? "is not a list"
        : inner
          ? `has length ${(v as unknown[]).length}, expected ${shape[depth]}`
          : "is a list where a scalar was expected";
      throw new ValueError(
        `setting an array element with a sequence. The requested array has an inhomogeneous ` +
          `shape after ${depth} dimensions: the element at ${path || "the top level"} ${what}.`,
      );
    }
    if (inner) (v as unknown[]).forEach((c, i) => visit(c, depth + 1, `${path}[${i}]`));
  };
  visit(x, 0, "");
  return shape;
}

/**
 * `jnp.array` of a nested list, as JAX: the dtype is the promotion of the leaves (JS numbers
 * weakly typed by the scalar rule, so an integer outside int32 or a fraction makes the list
 * float32; `[]` is float32), canonicalized and strong. Lists of JS scalars are converted on the
 * host; lists holding arrays (concrete or traced) are stacked with broadcast_in_dim and
 * concatenate, each element converted to the dtype first.
 */
function listToArray(x: readonly unknown[], d: DType | undefined): Array {
  const leaves: Leaf[] = [];
  collectLeaves(x, "", leaves);
  const target =
    d ??
    (leaves.length ? canonicalize(promoteTypeInfos(leaves.map(leafInfo)).dtype) : defaultFloat());
  if (!leaves.some(isLeafArray)) {
    if (d) for (const v of leaves) checkStorable(v, d);
    return arrayFromHost(toStorage(leaves, target), nestedShape(x), target);
  }
  const parts = x.map((e) => asarray(e as ArrayLike, target));
  const shape = parts[0]!.shape;
  if (parts.some((p) => p.ndim !== shape.length || p.shape.some((n, i) => n !== shape[i]))) {
    throw new ValueError(
      `setting an array element with a sequence. The requested array has an inhomogeneous ` +
        `shape after 1 dimensions: the elements have shapes ` +
        `${parts.map((q) => shapeStr(q.shape)).join(", ")}; all elements must have the same shape.`,
    );
  }
  const expanded = parts.map((p) =>
    broadcastInDim(
      p,
      [1, ...shape],
      shape.map((_, i) => i + 1),
    ),
  );
  return expanded.length === 1 ? expanded[0]! : concatenate(expanded, 0);
}

/** Fill a storage array for `dtype` from JS values. */
export function toStorage(
  values: { readonly length: number; readonly [i: number]: unknown },
  dtype: DType,
): TypedArray {
  const n = values.length;
  if (dtype.isComplex) {
    // Interleaved (re, im); a real value's imaginary part is 0.
    const out = new dtype.storage(2 * n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (isComplexScalar(v)) {
        out[2 * i] = v.re;
        out[2 * i + 1] = v.im;
      } else out[2 * i] = Number(v);
    }
    return out;
  }
  if (globalThis.Array.prototype.some.call(values, isComplexScalar)) {
    // numpy's complex → real cast (its ComplexWarning): the imaginary part is dropped.
    values = globalThis.Array.from(values as globalThis.ArrayLike<unknown>, (v) =>
      isComplexScalar(v) ? v.re : v,
    );
  }
  const out = new dtype.storage(n);
  if (dtype.isBig) {
    for (let i = 0; i < n; i++)
      (out as BigInt64Array)[i] = BigInt(Math.trunc(Number(values[i] as number)));
  } else if (dtype.name === "float16") {
    for (let i = 0; i < n; i++) out[i] = float16Bits(Number(values[i]));
  } else if (dtype.isBool) {
    for (let i = 0; i < n; i++) out[i] = values[i] ? 1 : 0;
  } else if (dtype.isInt) {
    for (let i = 0; i < n; i++) {
      const v = Number(values[i]);
      out[i] = Number.isFinite(v) ? Math.trunc(v) : 0;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = Number(values[i]);
  }
  return out;
}

/**
 * `jnp.asarray(x, dtype)`: arrays pass through (converted if `dtype` differs); JS scalars
 * become weakly typed 0-d arrays; TypedArrays keep their dtype (canonicalized); nested JS
 * arrays follow numpy (all ints → int32, any fraction → float32, all booleans → bool).
 */
export function asarray(x: ArrayLike, dtype?: DTypeLike | null | ArrayOptions): Array {
  if (isPlainObject(dtype) && !isDTypeLike(dtype)) {
    return asarrayChecked(x, arrayOptions("asarray", dtype, ["dtype", "copy"]).dtype);
  }
  return asarrayChecked(x, dtype as DTypeLike | null | undefined);
}

function asarrayChecked(x: ArrayLike, dtype: DTypeLike | null | undefined): Array {
  if (dtype !== undefined && dtype !== null && (typeof x === "number" || typeof x === "bigint"))
    checkStorable(x, canonicalize(toDType(dtype)));
  return toArray(x, dtype);
}

/**
 * `asarray` without numpy's overflow check of JS integers (a fill value converted as lax's
 * `convert_element_type` does, wrapping).
 */
export function toArray(x: ArrayLike, dtype?: DTypeLike | null): Array {
  const d = dtype === undefined || dtype === null ? undefined : canonicalize(toDType(dtype));
  // As JAX, a requested dtype always gives a strongly typed result.
  if (x instanceof Array) return d ? convertElementType(x, d, false) : x;
  if (isComplexScalar(x)) {
    const a = complexScalarArray(x, weakComplexInfo().dtype, true);
    return d ? convertElementType(a, d, false) : a;
  }
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
    const a = scalarAval(x);
    return d ? scalarConstant(x, d, false) : scalarConstant(x, a.dtype, a.weakType);
  }
  if (isTypedArray(x)) {
    const src = typedArrayInputDType(x);
    const target = d ?? src;
    const data = target === dtypeOfTypedArray(x) ? x : toStorage(x as unknown as number[], target);
    return arrayFromHost(data, [x.length], target);
  }
  if (globalThis.Array.isArray(x)) return listToArray(x, d);
  if (ArrayBuffer.isView(x)) throw new TypeError("DataView is not supported; pass a TypedArray.");
  throw new TypeError(
    `Value ${String(x)} of type ${x === null ? "null" : typeof x} is not a valid JAX array type. ` +
      `Pass an Array, a number, a boolean, a TypedArray or a nested JS array of numbers.`,
  );
}

/** The keyword arguments of `jnp.array` (and `dtype`/`copy` of `jnp.asarray`). */
export interface ArrayOptions {
  dtype?: DTypeLike | null;
  /** Accepted for JAX's signature; arrays are immutable, so a copy is never observable. */
  copy?: boolean | null;
  /** Minimum number of dimensions: leading 1s are added, as numpy. */
  ndmin?: number;
}

function arrayOptions(fn: string, o: object, valid: readonly string[]): ArrayOptions {
  for (const k of Object.keys(o)) {
    if (!valid.includes(k))
      throw new TypeError(
        `${fn}() got an unexpected keyword argument '${k}'; valid options are: ${valid.join(", ")}.`,
      );
  }
  const opts = o as ArrayOptions;
  if (opts.copy !== undefined && opts.copy !== null && typeof opts.copy !== "boolean")
    throw new TypeError(`${fn}(): copy must be a boolean or null, got ${String(opts.copy)}.`);
  if (opts.ndmin !== undefined && (!Number.isInteger(opts.ndmin) || opts.ndmin < 0))
    throw new TypeError(
      `${fn}(): ndmin must be a non-negative integer, got ${String(opts.ndmin)}.`,
    );
  return opts;
}

/**
 * `jnp.array(x, dtype?)` or `jnp.array(x, { dtype, copy, ndmin })` (or `array(x, dtype, {
 * copy, ndmin })`): like asarray (arrays are immutable, so `copy` changes nothing observable).
 * JS integers that do not fit an explicit integer dtype raise numpy's OverflowError.
 */
export function array(
  x: ArrayLike,
  dtype?: DTypeLike | null | ArrayOptions,
  options?: Omit<ArrayOptions, "dtype">,
): Array {
  let opts: ArrayOptions = {};
  if (isPlainObject(dtype) && !isDTypeLike(dtype)) {
    if (options !== undefined)
      throw new TypeError("array() takes at most one options object after the dtype.");
    opts = arrayOptions("array", dtype, ["dtype", "copy", "ndmin"]);
  } else {
    opts = {
      ...(options === undefined ? {} : arrayOptions("array", options, ["copy", "ndmin"])),
      dtype: dtype as DTypeLike | null | undefined,
    };
  }
  const a = asarrayChecked(x, opts.dtype);
  const ndmin = opts.ndmin ?? 0;
  if (a.ndim >= ndmin) return a;
  const shape = [...globalThis.Array(ndmin - a.ndim).fill(1), ...a.shape];
  return broadcastInDim(
    a,
    shape,
    a.shape.map((_, i) => i + ndmin - a.ndim),
  );
}

/** Convert one operand to a promoted type (JS scalars become literals of that type). */
function convertTo(x: ArrayLike, info: TypeInfo): Array {
  if (isComplexScalar(x) && info.dtype.isComplex)
    return complexScalarArray(x, info.dtype, info.weakType);
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
    checkWeakIntFits(x, info.dtype);
    return scalarConstant(x, info.dtype, info.weakType);
  }
  const a = asarray(x);
  if (a.dtype === info.dtype && a.weakType === info.weakType) return a;
  return convertElementType(a, info.dtype, info.weakType);
}

/** numpy's dtype promotion of operands (JAX's `promote_dtypes`). */
export function promoteArgs(...xs: ArrayLike[]): Array[] {
  const infos = xs.map(typeInfoOf);
  const to = promoteTypeInfos(infos);
  return xs.map((x) => convertTo(x, to));
}

/** Promotion to an inexact (float) type, as `promote_dtypes_inexact`. */
export function promoteArgsInexact(...xs: ArrayLike[]): Array[] {
  const to = promoteTypeInfos(xs.map(typeInfoOf));
  const inexact = to.dtype.isFloat || to.dtype.isComplex;
  const info = inexact ? to : { dtype: defaultFloat(), weakType: to.weakType };
  return xs.map((x) => convertTo(x, info));
}

/**
 * Promotion to a numeric type, as JAX's `promote_dtypes_numeric`: the promoted type, except
 * that bool becomes int32 (`to_numeric_dtype`), keeping the weak type.
 */
export function promoteArgsNumeric(...xs: ArrayLike[]): Array[] {
  const to = promoteTypeInfos(xs.map(typeInfoOf));
  const info = to.dtype.isBool ? { dtype: int32, weakType: to.weakType } : to;
  return xs.map((x) => convertTo(x, info));
}

/** Rank promotion for lax: lower-rank non-scalar operands get leading size-1 dims. */
export function promoteShapes(...xs: Array[]): Array[] {
  const ranks = xs.map((x) => x.ndim);
  if (ranks.every((r) => r === ranks[0])) return xs;
  const nonscalar = new Set(ranks.filter((r) => r > 0));
  if (nonscalar.size < 2) return xs;
  const rank = Math.max(...ranks);
  return xs.map((x) =>
    x.ndim === rank || x.ndim === 0
      ? x
      : broadcastInDim(
          x,
          [...globalThis.Array(rank - x.ndim).fill(1), ...x.shape],
          x.shape.map((_, i) => i + rank - x.ndim),
        ),
  );
}

export function promoteAndBroadcast(...xs: ArrayLike[]): Array[] {
  return promoteShapes(...promoteArgs(...xs));
}

export function dtypeOf(x: ArrayLike): DType {
  return typeInfoOf(x).dtype;
}
