/**
 * Basic indexing: `x.get(...)` reads with numpy semantics for static ints, slices ("1:3",
 * "::2", `slice(a, b, c)`), `null` (new axis) and "..." (ellipsis), and the normalization of
 * every index. Array indices (gather) and functional updates `x.at(...).set(v)` are
 * advanced-indexing.ts, which also holds the `x.get` entry point.
 */
import { IndexError, ValueError } from "../core/errors.js";
import { normalizeAxis } from "../core/shape.js";
import type { Array, Index, Slice } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { bind1 } from "../trace/trace.js";

/** A slice object, as Python's `slice(start, stop, step)`. */
export function slice(
  start: number | null = null,
  stop: number | null = null,
  step: number | null = null,
): Slice {
  if (step === 0) throw new ValueError("slice step cannot be zero");
  return { start, stop, step };
}

export function isSlice(x: unknown): x is Slice {
  return (
    typeof x === "object" &&
    x !== null &&
    "start" in x &&
    "stop" in x &&
    "step" in x &&
    !globalThis.Array.isArray(x)
  );
}

/** Parse "1:3", ":", "::2", "-1", "..." strings. */
function parseIndexString(s: string): Index {
  const t = s.trim();
  if (t === "..." || t === "…") return "...";
  if (t.includes(":")) {
    const parts = t.split(":").map((p) => p.trim());
    if (parts.length > 3) throw new ValueError(`invalid slice string '${s}'`);
    const num = (p: string | undefined) => {
      if (p === undefined || p === "") return null;
      const v = Number(p);
      if (!Number.isInteger(v)) throw new ValueError(`invalid slice string '${s}'`);
      return v;
    };
    return slice(num(parts[0]), num(parts[1]), num(parts[2]));
  }
  const v = Number(t);
  if (t !== "" && Number.isInteger(v)) return v;
  throw new ValueError(
    `invalid index string '${s}': use an int like "2", a slice like "1:3" or "::2", or "..."`,
  );
}

/** Python slice.indices(): concrete start, stop, step for a dimension of size n. */
export function sliceIndices(sl: Slice, n: number): [number, number, number] {
  for (const b of [sl.start, sl.stop, sl.step]) {
    if (b !== null && b !== undefined && (typeof b !== "number" || !Number.isInteger(b)))
      throw new IndexError(
        `Array slice indices must have static start/stop/step to be used with NumPy indexing ` +
          `syntax; got ${typeof b === "object" ? "an array" : String(b)}. To index a statically ` +
          `sized array at a dynamic position, use lax.dynamicSlice or lax.dynamicUpdateSlice.`,
      );
  }
  const step = sl.step ?? 1;
  if (step === 0) throw new ValueError("slice step cannot be zero");
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let start: number;
  let stop: number;
  if (step > 0) {
    start =
      sl.start === null ? 0 : sl.start < 0 ? clamp(sl.start + n, 0, n) : clamp(sl.start, 0, n);
    stop = sl.stop === null ? n : sl.stop < 0 ? clamp(sl.stop + n, 0, n) : clamp(sl.stop, 0, n);
  } else {
    start =
      sl.start === null
        ? n - 1
        : sl.start < 0
          ? clamp(sl.start + n, -1, n - 1)
          : clamp(sl.start, -1, n - 1);
    stop =
      sl.stop === null
        ? -1
        : sl.stop < 0
          ? clamp(sl.stop + n, -1, n - 1)
          : clamp(sl.stop, -1, n - 1);
  }
  return [start, stop, step];
}

export type NormalizedIndex =
  | { kind: "int"; value: number }
  | { kind: "slice"; slice: Slice }
  | { kind: "newaxis" }
  | { kind: "ellipsis" }
  | { kind: "array"; value: unknown };

export function normalizeIndices(indices: readonly Index[]): NormalizedIndex[] {
  return indices.map((i): NormalizedIndex => {
    if (typeof i === "string") i = parseIndexString(i);
    if (i === null) return { kind: "newaxis" };
    if (i === "...") return { kind: "ellipsis" };
    if (typeof i === "number") {
      if (!Number.isInteger(i)) throw new TypeError(`Indices must be integers, got ${i}`);
      return { kind: "int", value: i };
    }
    if (isSlice(i)) return { kind: "slice", slice: i };
    return { kind: "array", value: i };
  });
}

/** Whether a static int index lies outside its axis (before "..." is expanded). */
function hasOutOfBoundsInt(shape: readonly number[], idx: readonly NormalizedIndex[]): boolean {
  const consumed = idx.filter((i) => i.kind === "int" || i.kind === "slice").length;
  let dim = 0;
  for (const i of idx) {
    if (i.kind === "ellipsis") dim += Math.max(0, shape.length - consumed);
    else if (i.kind === "int" || i.kind === "slice") {
      const n = shape[dim++];
      if (i.kind === "int" && n !== undefined && (i.value < -n || i.value >= n)) return true;
    }
  }
  return false;
}

/**
 * Static basic indexing: slice, reverse, squeeze integer axes, insert new axes. Undefined when
 * the index needs a gather (advanced-indexing.ts): index arrays, or out-of-bounds static ints,
 * which are clamped like index arrays (JAX's gather), not raised.
 */
export function basicGetItem(x: Array, idx: readonly NormalizedIndex[]): Array | undefined {
  if (idx.some((i) => i.kind === "array") || hasOutOfBoundsInt(x.shape, idx)) return undefined;
  const ell = idx.filter((i) => i.kind === "ellipsis").length;
  if (ell > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  const consumed = idx.filter((i) => i.kind === "int" || i.kind === "slice").length;
  if (consumed > x.ndim) {
    throw new IndexError(
      `Too many indices: array is ${x.ndim}-dimensional, but ${consumed} were indexed`,
    );
  }
  // Expand the ellipsis (or pad at the end) with full slices.
  const full: NormalizedIndex[] = [];
  for (const i of idx) {
    if (i.kind === "ellipsis")
      for (let k = 0; k < x.ndim - consumed; k++) full.push({ kind: "slice", slice: slice() });
    else full.push(i);
  }
  if (ell === 0)
    for (let k = consumed; k < x.ndim; k++) full.push({ kind: "slice", slice: slice() });

  const start: number[] = [];
  const limit: number[] = [];
  const strides: number[] = [];
  const revDims: number[] = [];
  const outShape: number[] = [];
  const squeezed: number[] = [];
  let dim = 0;
  const newAxesAt: number[] = [];
  for (const i of full) {
    if (i.kind === "newaxis") {
      newAxesAt.push(outShape.length);
      outShape.push(1);
      continue;
    }
    const n = x.shape[dim]!;
    if (i.kind === "int") {
      const v = i.value < 0 ? i.value + n : i.value;
      start.push(v);
      limit.push(v + 1);
      strides.push(1);
      squeezed.push(dim);
    } else if (i.kind === "slice") {
      const [s, e, st] = sliceIndices(i.slice, n);
      if (st > 0) {
        const len = Math.max(0, Math.ceil((e - s) / st));
        start.push(s);
        limit.push(len === 0 ? s : s + (len - 1) * st + 1);
        strides.push(st);
        outShape.push(len);
      } else {
        const len = Math.max(0, Math.ceil((e - s) / st));
        // Reverse, then slice forward.
        const rs = n - 1 - s;
        start.push(len === 0 ? 0 : rs);
        limit.push(len === 0 ? 0 : rs + (len - 1) * -st + 1);
        strides.push(-st);
        revDims.push(dim);
        outShape.push(len);
      }
    }
    dim++;
  }
  let r = x;
  if (revDims.length) r = bind1(lax.revP, [r], { dimensions: revDims });
  const trivial = start.every((s, k) => s === 0 && limit[k] === x.shape[k] && strides[k] === 1);
  if (!trivial) r = lax.slice(r, start, limit, strides);
  const finalShape = outShape;
  // As JAX's slice fast path: integer indices squeeze their (size-1) dims.
  if (squeezed.length && !newAxesAt.length) r = bind1(lax.squeezeP, [r], { dimensions: squeezed });
  else if (squeezed.length || newAxesAt.length) r = lax.reshape(r, finalShape);
  return r;
}

export { IndexError };

export { normalizeAxis };
