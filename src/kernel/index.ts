/**
 * Index arithmetic for the kernel IR. Indices are kept as linear forms over non-linear terms
 * (loop indices, floor divisions, remainders, loaded integers) and simplified as they are
 * built, using interval bounds:
 *   (n·q + r) // n = q + r // n          r // n = 0 when 0 ≤ r < n
 *   (n·q + r) %  n = r % n               r %  n = r when 0 ≤ r < n
 *   n·(x // n) + x % n = x               a·((x // a) % b) + x % a = x % (a·b)
 * so reshapes and merged dimensions of contiguous data fold back into flat indices.
 */
import { type DType, dtypeRange, int32 } from "../core/dtype.js";
import { type Expr, type LinForm, binary, constant, linExpr, rawLoad } from "./expr.js";

export type Bounds = readonly [lo: number, hi: number];

const boundsCache = new WeakMap<Expr, Bounds>();

/** Inclusive interval containing every value `e` can take. */
export function bounds(e: Expr): Bounds {
  let b = boundsCache.get(e);
  if (!b) {
    b = computeBounds(e);
    boundsCache.set(e, b);
  }
  return b;
}

function computeBounds(e: Expr): Bounds {
  switch (e.op) {
    case "const":
      return [Number(e.value), Number(e.value)];
    case "idx":
    case "ridx":
      return [0, e.size - 1];
    case "lin": {
      let lo = e.lin.c0;
      let hi = e.lin.c0;
      for (const [c, t] of e.lin.terms) {
        const [tl, th] = bounds(t);
        lo += c > 0 ? c * tl : c * th;
        hi += c > 0 ? c * th : c * tl;
      }
      return [lo, hi];
    }
    case "binary": {
      const [al, ah] = bounds(e.a);
      const [bl, bh] = bounds(e.b);
      switch (e.fn) {
        case "floordiv":
          return [Math.floor(al / bl), Math.floor(ah / bl)];
        case "floormod":
          return al >= 0 ? [0, Math.min(ah, bl - 1)] : [0, bl - 1];
        case "max":
          return [Math.max(al, bl), Math.max(ah, bh)];
        case "min":
          return [Math.min(al, bl), Math.min(ah, bh)];
        default:
          return dtypeRange(e.dtype);
      }
    }
    case "select": {
      const [al, ah] = bounds(e.a);
      const [bl, bh] = bounds(e.b);
      return [Math.min(al, bl), Math.max(ah, bh)];
    }
    case "reduce":
      if (e.fn === "argmax" || e.fn === "argmin") return [0, e.sizes[0]! - 1];
      return dtypeRange(e.dtype);
    default:
      return dtypeRange(e.dtype);
  }
}

/** `e` as a linear form. */
export function linOf(e: Expr): LinForm {
  if (e.op === "lin") return e.lin;
  if (e.op === "const") return { c0: Number(e.value), terms: [] };
  return { c0: 0, terms: [[1, e]] };
}

type Terms = Map<Expr, number>;

function addInto(acc: Terms, form: LinForm, scale: number): number {
  for (const [c, t] of form.terms) acc.set(t, (acc.get(t) ?? 0) + c * scale);
  return form.c0 * scale;
}

function isDivMod(e: Expr, fn: "floordiv" | "floormod"): e is Expr & { op: "binary" } {
  return e.op === "binary" && e.fn === fn && e.b.op === "const";
}
const divisor = (e: Expr): number =>
  e.op === "binary" && e.b.op === "const" ? Number(e.b.value) : 0;

/** Apply the recombination rules until none fires. */
function recombine(acc: Terms, c0: number): number {
  for (let changed = true; changed;) {
    changed = false;
    for (const [t, c] of acc) {
      if (c === 0 || !isDivMod(t, "floormod")) continue;
      const x = t.a;
      const n = divisor(t);
      // n·(x // n) + x % n = x
      for (const [u, cu] of acc) {
        if (cu === c * n && isDivMod(u, "floordiv") && u.a === x && divisor(u) === n) {
          acc.delete(t);
          acc.delete(u);
          c0 += addInto(acc, linOf(x), c);
          changed = true;
          break;
        }
        // a·((x // a) % b) + x % a = x % (a·b)
        if (
          cu === c * n &&
          isDivMod(u, "floormod") &&
          isDivMod(u.a, "floordiv") &&
          u.a.a === x &&
          divisor(u.a) === n
        ) {
          acc.delete(t);
          acc.delete(u);
          const m = ixMod(x, n * divisor(u));
          c0 += addInto(acc, linOf(m), c);
          changed = true;
          break;
        }
      }
      if (changed) break;
    }
  }
  return c0;
}

function fromTerms(acc: Terms, c0: number): Expr {
  c0 = recombine(acc, c0);
  const terms = [...acc].filter(([, c]) => c !== 0).sort((a, b) => a[0].id - b[0].id);
  if (terms.length === 0) return constant(c0, int32);
  if (terms.length === 1 && c0 === 0 && terms[0]![1] === 1) return terms[0]![0];
  return linExpr({ c0, terms: terms.map(([t, c]) => [c, t] as const) });
}

export function ix(n: number): Expr {
  return constant(n, int32);
}

/** Sum of index expressions and integers. */
export function ixAdd(...xs: (Expr | number)[]): Expr {
  const acc: Terms = new Map();
  let c0 = 0;
  for (const x of xs) c0 += typeof x === "number" ? x : addInto(acc, linOf(x), 1);
  return fromTerms(acc, c0);
}

export function ixMul(x: Expr, k: number): Expr {
  if (k === 0) return ix(0);
  if (k === 1) return x;
  const acc: Terms = new Map();
  const c0 = addInto(acc, linOf(x), k);
  return fromTerms(acc, c0);
}

/** Index division is by positive integers only (a zero would recurse without end). */
function checkDivisor(n: number): void {
  if (!(Number.isInteger(n) && n > 0))
    throw new Error(`internal error: index division or remainder by ${n}`);
}

/** Floor division by a positive integer constant. */
export function ixFloorDiv(x: Expr, n: number): Expr {
  checkDivisor(n);
  if (n === 1) return x;
  const [lo, hi] = bounds(x);
  if (lo >= 0 && hi < n) return ix(0);
  const form = linOf(x);
  const q: Terms = new Map();
  const r: Terms = new Map();
  for (const [c, t] of form.terms) {
    if (c % n === 0) q.set(t, c / n);
    else r.set(t, c);
  }
  const cq = Math.floor(form.c0 / n);
  const rest = fromTerms(r, form.c0 - cq * n);
  const [rl, rh] = bounds(rest);
  const quotient = fromTerms(q, cq);
  if (rl >= 0 && rh < n) return quotient;
  if (q.size === 0 && cq === 0) {
    if (isDivMod(rest, "floordiv")) return ixFloorDiv(rest.a, divisor(rest) * n);
    return binary("floordiv", rest, ix(n), int32);
  }
  return ixAdd(quotient, ixFloorDiv(rest, n));
}

/** Non-negative remainder by a positive integer constant. */
export function ixMod(x: Expr, n: number): Expr {
  checkDivisor(n);
  if (n === 1) return ix(0);
  const form = linOf(x);
  const r: Terms = new Map();
  for (const [c, t] of form.terms) if (c % n !== 0) r.set(t, c);
  const c0 = ((form.c0 % n) + n) % n;
  const rest = fromTerms(r, c0);
  const [lo, hi] = bounds(rest);
  if (lo >= 0 && hi < n) return rest;
  if (isDivMod(rest, "floormod") && divisor(rest) % n === 0) return ixMod(rest.a, n);
  return binary("floormod", rest, ix(n), int32);
}

export function ixMin(a: Expr, b: Expr): Expr {
  const [al, ah] = bounds(a);
  const [bl, bh] = bounds(b);
  if (ah <= bl) return a;
  if (bh <= al) return b;
  return binary("min", a, b, int32);
}

export function ixMax(a: Expr, b: Expr): Expr {
  const [al, ah] = bounds(a);
  const [bl, bh] = bounds(b);
  if (al >= bh) return a;
  if (bl >= ah) return b;
  return binary("max", a, b, int32);
}

export function ixClamp(x: Expr, lo: number, hi: number): Expr {
  return ixMin(ixMax(x, ix(lo)), ix(hi));
}

/**
 * A load that can never read out of bounds: the index is clamped unless provably in range.
 * An empty buffer has no element to read: its loads only stand in branches no element selects
 * (a concatenate or pad operand of size 0), so they are a zero constant — a load would read
 * past the buffer wherever code generators hoist it (int64 code raised on `undefined`).
 */
export function loadAt(buffer: number, index: Expr, size: number, dtype: DType): Expr {
  if (size === 0) return constant(0, dtype);
  return rawLoad(buffer, ixClamp(index, 0, Math.max(0, size - 1)), dtype);
}

/** Row-major flat index of `coords` in `shape`. */
export function flatIndex(coords: readonly Expr[], shape: readonly number[]): Expr {
  const parts: Expr[] = [];
  let stride = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    parts.push(ixMul(coords[k]!, stride));
    stride *= shape[k]!;
  }
  return ixAdd(...parts);
}

/**
 * Coordinates in `shape` of row-major flat index `flat`. A shape with a zero dimension has no
 * elements (its strides past that dimension are 0, nothing to divide by): every coordinate is 0.
 */
export function unflatIndex(flat: Expr, shape: readonly number[]): Expr[] {
  if (shape.includes(0)) return shape.map(() => ix(0));
  const coords = new Array<Expr>(shape.length);
  let stride = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    coords[k] = ixMod(ixFloorDiv(flat, stride), shape[k]!);
    stride *= shape[k]!;
  }
  return coords;
}

/** `offset + Σ coords[k]·strides[k]`. */
export function stridedIndex(
  coords: readonly Expr[],
  strides: readonly number[],
  offset = 0,
): Expr {
  return ixAdd(offset, ...coords.map((c, k) => ixMul(c, strides[k]!)));
}

/** Whether an index expression needs per-element division (not affine in the loop indices). */
export function isAffine(e: Expr): boolean {
  const form = linOf(e);
  return form.terms.every(([, t]) => t.op === "idx" || t.op === "ridx");
}
