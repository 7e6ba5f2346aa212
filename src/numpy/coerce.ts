/**
 * Turning user values into arrays, and numpy's promotion and broadcasting of operands.
 * JS numbers are weakly typed scalars (int32 when integral, else float32) and never add a
 * conversion equation: they become literals in the promoted dtype.
 */
import { config } from "../core/config.js";
import {
  type DType,
  type DTypeLike,
  bool,
  canonicalize,
  defaultFloat,
  dtypeOfTypedArray,
  int32,
  isTypedArray,
  toDType,
  type TypedArray,
} from "../core/dtype.js";
import { type TypeInfo, promoteTypeInfos } from "../core/promotion.js";
import { Array, type ArrayLike } from "../trace/array.js";
import { scalarConstant } from "../trace/constants.js";
import { scalarAval } from "../trace/trace.js";
import { arrayFromHost } from "../runtime/array.js";
import { broadcastInDim, convertElementType } from "../primitives/index.js";
import { float16Bits } from "../core/format-float.js";

export function typeInfoOf(x: ArrayLike): TypeInfo {
  if (x instanceof Array) return { dtype: x.dtype, weakType: x.weakType };
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
    const a = scalarAval(x);
    return { dtype: a.dtype, weakType: a.weakType };
  }
  const a = asarray(x);
  return { dtype: a.dtype, weakType: a.weakType };
}

/** Shape and dtype of a nested JS array (numpy rules), or a clear error if ragged. */
function inspectNested(x: readonly unknown[]): {
  shape: number[];
  kind: "bool" | "int" | "float";
  hasArray: boolean;
} {
  const shape: number[] = [];
  let level: readonly unknown[] = x;
  while (true) {
    shape.push(level.length);
    if (level.length === 0 || !globalThis.Array.isArray(level[0])) break;
    level = level[0] as unknown[];
  }
  let kind: "bool" | "int" | "float" = "bool";
  let seen = false;
  let hasArray = false;
  const visit = (v: unknown, depth: number, path: string): void => {
    if (depth < shape.length) {
      if (!globalThis.Array.isArray(v) || v.length !== shape[depth]) {
        throw new ValueError(
          `setting an array element with a sequence. The requested array has an inhomogeneous ` +
            `shape after ${depth} dimensions: the element at ${path || "the top level"} ` +
            `${globalThis.Array.isArray(v) ? `has length ${v.length}, expected ${shape[depth]}` : "is not a list"}.`,
        );
      }
      v.forEach((c, i) => visit(c, depth + 1, `${path}[${i}]`));
      return;
    }
    if (typeof v === "boolean") {
      if (!seen) kind = "bool";
    } else if (typeof v === "number") {
      if (kind === "bool" || !seen) kind = Number.isInteger(v) ? "int" : "float";
      else if (!Number.isInteger(v)) kind = "float";
    } else if (v instanceof Array && v.ndim === 0) {
      hasArray = true;
      kind = v.dtype.isFloat
        ? "float"
        : kind === "float"
          ? "float"
          : v.dtype.isBool && !seen
            ? "bool"
            : "int";
    } else {
      throw new TypeError(
        `Cannot convert ${globalThis.Array.isArray(v) ? "a ragged nested list" : typeof v} at ${path} to an array element: ` +
          `elements must be numbers, booleans or scalar arrays.`,
      );
    }
    seen = true;
  };
  visit(x, 0, "");
  return { shape, kind, hasArray };
}

export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValueError";
  }
}

function flattenNested(x: unknown, out: unknown[]): void {
  if (globalThis.Array.isArray(x)) for (const c of x) flattenNested(c, out);
  else
    out.push(
      x instanceof Array ? (x._literalValue() ?? (x as unknown as { item(): unknown }).item()) : x,
    );
}

/** Fill a storage array for `dtype` from JS values. */
export function toStorage(
  values: { readonly length: number; readonly [i: number]: unknown },
  dtype: DType,
): TypedArray {
  const n = values.length;
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
export function asarray(x: ArrayLike, dtype?: DTypeLike | null): Array {
  const d = dtype === undefined || dtype === null ? undefined : canonicalize(toDType(dtype));
  if (x instanceof Array) return d && d !== x.dtype ? convertElementType(x, d, false) : x;
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
    const a = scalarAval(x);
    return d ? scalarConstant(x, d, false) : scalarConstant(x, a.dtype, a.weakType);
  }
  if (isTypedArray(x)) {
    const src = canonicalize(dtypeOfTypedArray(x));
    const target = d ?? src;
    const data = target === dtypeOfTypedArray(x) ? x : toStorage(x as unknown as number[], target);
    return arrayFromHost(data, [x.length], target);
  }
  if (globalThis.Array.isArray(x)) {
    const { shape, kind } = inspectNested(x);
    const flat: unknown[] = [];
    flattenNested(x, flat);
    const inferred =
      kind === "bool"
        ? bool
        : kind === "int"
          ? config.enableX64
            ? canonicalize(toDType("int64"))
            : int32
          : defaultFloat();
    const target = d ?? inferred;
    return arrayFromHost(toStorage(flat, target), shape, target);
  }
  if (ArrayBuffer.isView(x)) throw new TypeError("DataView is not supported; pass a TypedArray.");
  throw new TypeError(
    `Value ${String(x)} of type ${x === null ? "null" : typeof x} is not a valid JAX array type. ` +
      `Pass an Array, a number, a boolean, a TypedArray or a nested JS array of numbers.`,
  );
}

/** `jnp.array(x, dtype)`: like asarray (arrays are immutable, so no copy is needed). */
export function array(x: ArrayLike, dtype?: DTypeLike | null): Array {
  return asarray(x, dtype);
}

/** Convert one operand to a promoted type (JS scalars become literals of that type). */
function convertTo(x: ArrayLike, info: TypeInfo): Array {
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") {
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
  const info = to.dtype.isFloat ? to : { dtype: defaultFloat(), weakType: to.weakType };
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
