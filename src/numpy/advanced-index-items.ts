/**
 * An index with arrays in it, brought to canonical items (the first half of JAX's
 * `_rewriting_take`): array-like entries become integer index arrays (concrete boolean masks
 * expanded through `nonzeroHost`), "..." is expanded, missing trailing axes get full slices, and
 * slices and static ints are resolved against the shape. Also numpy's negative-index wrap of
 * traced indices and the common dtype of scalar indices.
 */
import { shapeStr } from "../core/shape.js";
import { IndexError, NonConcreteBooleanIndexError } from "../core/errors.js";
import { type DType, int32 } from "../core/dtype.js";
import { Array, type ArrayLike } from "../trace/array.js";
import { isConcreteArray } from "../runtime/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgs } from "./coerce.js";
import { type NormalizedIndex, sliceIndices } from "./indexing.js";

/** One index entry resolved against its axis (or a new axis). */
export type IndexItem =
  | { kind: "int"; value: number }
  | { kind: "slice"; start: number; stop: number; step: number }
  | { kind: "newaxis" }
  | { kind: "scalar"; value: Array } // a 0-d integer array (traced or concrete)
  | { kind: "array"; value: Array }; // an integer index array (ndim >= 1)

/** A normalized index entry, or an integer index array that an array-like entry became. */
export type PreparedIndex = NormalizedIndex | { kind: "arr"; value: Array };

/** Array-like index entries as arrays; boolean masks (concrete only) expanded to int arrays. */
export function prepareIndices(
  raw: readonly NormalizedIndex[],
  shape?: readonly number[],
): PreparedIndex[] {
  const out: PreparedIndex[] = [];
  // The indexed dimension each entry starts at (known until an ellipsis).
  let dim = 0;
  let afterEllipsis = false;
  raw.forEach((e, pos) => {
    if (e.kind !== "array") {
      if (e.kind === "ellipsis") afterEllipsis = true;
      if (e.kind === "int" || e.kind === "slice") dim++;
      out.push(e);
      return;
    }
    const v = e.value;
    if (typeof v === "boolean")
      throw new IndexError(
        "Boolean scalar indices are not supported by jaxts yet; use x.get(null) or jnp.where.",
      );
    const a = v instanceof Array ? v : asarray(v as ArrayLike);
    if (a.dtype.isBool) {
      if (!isConcreteArray(a)) {
        throw new NonConcreteBooleanIndexError(
          `Array boolean indices must be concrete; got ${a.aval.toString()}\n` +
            `The mask's values are not known while tracing, so the result's shape would depend on ` +
            `data. Use jnp.where(mask, x, fill) to keep the shape, or jnp.nonzero(mask, { size }) ` +
            `with a static size to get index arrays.\n` +
            `See https://jax.readthedocs.io/en/latest/errors.html#jax.errors.NonConcreteBooleanIndexError`,
        );
      }
      const want = shape?.slice(dim, dim + a.ndim);
      if (
        want &&
        !afterEllipsis &&
        (want.length !== a.ndim || want.some((d, k) => d !== a.shape[k]))
      )
        throw new IndexError(
          `boolean index did not match shape of indexed array in index ${pos}: got ` +
            `${shapeStr(a.shape)}, expected ${shapeStr(want)}`,
        );
      dim += a.ndim;
      for (const ix of nonzeroHost(a)) out.push({ kind: "arr", value: ix });
      return;
    }
    dim++;
    if (!a.dtype.isInt) {
      throw new TypeError(
        `Indexer must have integer or boolean type, got indexer with type ${a.dtype.name} at position ${pos}, indexer value ${a.toString()}`,
      );
    }
    out.push({ kind: "arr", value: a });
  });
  return out;
}

/** numpy's nonzero of a concrete mask: one int32 index array per dimension. */
export function nonzeroHost(mask: Array): Array[] {
  if (!isConcreteArray(mask)) throw new Error("nonzeroHost needs a concrete array");
  const vals = mask.toTypedArray();
  const shape = mask.shape;
  const nd = shape.length;
  const hits: number[] = [];
  for (let i = 0; i < vals.length; i++) if (vals[i]) hits.push(i);
  const cols = shape.map(() => new Int32Array(hits.length));
  hits.forEach((flat, j) => {
    let r = flat;
    for (let k = nd - 1; k >= 0; k--) {
      cols[k]![j] = r % shape[k]!;
      r = Math.floor(r / shape[k]!);
    }
  });
  if (nd === 0) return [];
  return cols.map((c) => asarray(c));
}

/** Expand "..." and pad with full slices; resolve slices and static ints against the shape. */
export function canonicalizeIndices(
  shape: readonly number[],
  idx: readonly PreparedIndex[],
): { items: IndexItem[]; advancedContiguous: boolean } {
  const ell = idx.filter((i) => i.kind === "ellipsis").length;
  if (ell > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const consumed = idx.filter((i) => i.kind !== "ellipsis" && i.kind !== "newaxis").length;
  if (consumed > shape.length) {
    throw new IndexError(
      `Too many indices: array is ${shape.length}-dimensional, but ${consumed} were indexed`,
    );
  }
  // Advanced entries (ints count when arrays are present) and whether they are adjacent.
  const isAdv = idx.map((i) => i.kind === "arr" || i.kind === "int");
  const advPos = isAdv.flatMap((b, k) => (b ? [k] : []));
  const advancedContiguous = advPos.every((p, k) => k === 0 || p === advPos[k - 1]! + 1);
  const full: PreparedIndex[] = [];
  for (const i of idx) {
    if (i.kind === "ellipsis")
      for (let k = 0; k < shape.length - consumed; k++)
        full.push({ kind: "slice", slice: { start: null, stop: null, step: null } });
    else full.push(i);
  }
  if (ell === 0)
    for (let k = consumed; k < shape.length; k++)
      full.push({ kind: "slice", slice: { start: null, stop: null, step: null } });
  let axis = 0;
  const items: IndexItem[] = full.map((i): IndexItem => {
    if (i.kind === "newaxis") return { kind: "newaxis" };
    const n = shape[axis]!;
    const ax = axis++;
    if (i.kind === "int") {
      // As JAX: a static int is normalized once (negative + n) and then follows the mode like
      // an index array: out of bounds, reads clamp (promise_in_bounds/clip) and updates drop.
      if (n === 0) throw new IndexError(`index is out of bounds for axis ${ax} with size 0`);
      return { kind: "int", value: i.value < 0 ? i.value + n : i.value };
    }
    if (i.kind === "slice") {
      const [start, stop, step] = sliceIndices(i.slice, n);
      return { kind: "slice", start, stop, step };
    }
    if (i.kind === "arr") {
      if (i.value.ndim === 0) return { kind: "scalar", value: i.value };
      return { kind: "array", value: i.value };
    }
    throw new Error("unreachable");
  });
  return { items, advancedContiguous };
}

/** The dtype the scalar indices `xs` promote to (int32 when there are none). */
export function promoteIndexDtype(xs: readonly Array[]): DType {
  if (xs.length === 0) return int32;
  return promoteArgs(...xs)[0]!.dtype;
}

/** numpy's negative-index wrap (JAX's `_normalize_index`): where(i < 0, i + n, i). */
export function normalizeIndex(i: Array, n: number): Array {
  if (!i.dtype.isSigned) return i;
  const neg = lax.lt(i, lax.scalarConstantOf(0, i.dtype));
  const wrapped = lax.add(i, lax.scalarConstantOf(n, i.dtype));
  return lax.selectN(neg, i, wrapped);
}
