/**
 * What the fuzzer's op makers see while a program grows: the random source, the values so far
 * (with the avals the reference run gave them), the dtypes in play, and a way to add a fresh
 * input of a chosen aval. Also the shape helpers the makers share (broadcast partners, axes).
 */
import { type Aval, type Rng, isFloat } from "./program.js";

export interface Value {
  readonly name: string;
  readonly aval: Aval;
  /**
   * Computed through a transcendental function: devices may differ in its last ulp (each
   * device has its own float32 math; fused kernels round once), so ops that turn a 1-ulp
   * difference into a different integer or bool (floor, round, sign, comparisons, casts to
   * integer types, argmax/argsort, gathers by it) are not applied to it.
   */
  readonly approx?: boolean;
}

export interface Ctx {
  readonly r: Rng;
  readonly x64: boolean;
  /** Gradient programs: only differentiable float ops, float64 data without ties. */
  readonly smooth: boolean;
  /** Dtypes fresh inputs may have. */
  readonly dtypes: readonly string[];
  values(): readonly Value[];
  /** Adds a fresh input of `aval` and returns its name. */
  newInput(aval: Aval): string;
}

export const DIMS = [0, 1, 1, 2, 2, 3, 3, 5];
export const shapeText = (s: readonly number[]): string => `[${s.join(", ")}]`;

/** numpy's broadcast of two shapes, or null when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

export const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** A shape that broadcasts with `s`: leading dims dropped or added, dims set to 1 or grown from 1. */
export function partnerShape(c: Ctx, s: readonly number[]): number[] {
  const r = c.r;
  let out = [...s];
  if (out.length && r.chance(0.3)) out = out.slice(r.int(1, out.length));
  out = out.map((d) => (r.chance(0.2) ? 1 : d === 1 && r.chance(0.3) ? r.pick([0, 2, 3]) : d));
  if (out.length >= s.length && out.length < 4 && r.chance(0.15)) out = [r.pick([1, 2, 3]), ...out];
  return out;
}

/** A fresh dtype: usually `like`, sometimes any dtype in play. */
export const dtypeNear = (c: Ctx, like: string): string =>
  c.smooth ? like : c.r.chance(0.6) ? like : c.r.pick(c.dtypes);

/**
 * A second operand broadcasting with `a`: an earlier value when one fits (half the time), else
 * a fresh input. `filter` restricts dtypes (e.g. bool conditions).
 */
export function partner(
  c: Ctx,
  a: Value,
  filter?: (dtype: string) => boolean,
  dtype?: string,
  exact = false,
): Value {
  const fits = c
    .values()
    .filter(
      (v) =>
        broadcastShapes(v.aval.shape, a.aval.shape) !== null &&
        (!filter || filter(v.aval.dtype)) &&
        !(exact && v.approx) &&
        (!c.smooth || isFloat(v.aval.dtype)),
    );
  if (fits.length && c.r.chance(0.5)) return c.r.pick(fits);
  const aval = { shape: partnerShape(c, a.aval.shape), dtype: dtype ?? dtypeNear(c, a.aval.dtype) };
  return { name: c.newInput(aval), aval };
}

/** A fresh input, or an earlier value of exactly `shape` (a third of the time). */
export function operandOfShape(c: Ctx, shape: readonly number[], dtype: string): Value {
  const fits = c
    .values()
    .filter((v) => sameShape(v.aval.shape, shape) && (!c.smooth || isFloat(v.aval.dtype)));
  if (fits.length && c.r.chance(0.35)) return c.r.pick(fits);
  const aval = { shape: [...shape], dtype };
  return { name: c.newInput(aval), aval };
}

/** An axis of an `nd`-dimensional array, negative half the time. */
export const axisOf = (c: Ctx, nd: number): number => {
  const k = c.r.int(0, nd - 1);
  return c.r.chance(0.5) ? k - nd : k;
};

/** A JS scalar operand (weakly typed) suited to `dtype`. */
export function scalarLiteral(c: Ctx, dtype: string): string {
  if (dtype === "bool" && c.r.chance(0.5)) return c.r.pick(["true", "false"]);
  // JAX raises OverflowError for a negative JS int meeting an unsigned array.
  if (!isFloat(dtype) && c.r.chance(0.7)) return String(c.r.int(dtype.startsWith("u") ? 0 : -3, 3));
  return c.r.pick(["0.5", "-1.25", "2", "3.5", "-0.75"]);
}
