/** Shape arithmetic shared by every layer: sizes, strides, broadcasting, axis handling. */
import { AxisError, ValueError } from "./errors.js";

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function shapeEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Python tuple spelling, as JAX prints shapes in errors and params: `(3,)`, `(2, 3)`, `()`. */
export function shapeStr(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** numpy broadcasting of several shapes, or undefined if incompatible. */
export function broadcastShapes(...shapes: Shape[]): number[] | undefined {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const off = ndim - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[off + i]!;
      if (o === 1) out[off + i] = d;
      else if (d !== 1 && d !== o) return undefined;
    }
  }
  return out;
}

/** Normalize a possibly-negative axis; throws numpy's AxisError wording. */
export function normalizeAxis(axis: number, ndim: number, what = "axis"): number {
  if (!Number.isInteger(axis)) throw new TypeError(`${what} must be an integer, got ${axis}`);
  if (axis < -ndim || axis >= ndim) {
    throw new AxisError(`${what} ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

export function normalizeAxes(
  axis: number | readonly number[] | null | undefined,
  ndim: number,
): number[] {
  if (axis === null || axis === undefined) return [...Array(ndim).keys()];
  const axes = (typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, ndim));
  if (new Set(axes).size !== axes.length) {
    throw new ValueError(`duplicate value in 'axis': (${(axis as readonly number[]).join(", ")})`);
  }
  return axes;
}

export function isShape(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((d) => Number.isInteger(d) && d >= 0);
}

export function checkShape(shape: readonly unknown[], what = "shape"): number[] {
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new TypeError(
        `${what} must be a sequence of non-negative integers, got [${shape.map(String).join(", ")}]`,
      );
    }
  }
  return shape as number[];
}
