/** Shape manipulation: reshape, ravel, transpose, swapaxes, moveaxis, squeeze, expand_dims, … */
import { ValueError } from "../core/errors.js";
import { normalizeAxes, normalizeAxis, shapeStr, sizeOf } from "../core/shape.js";
import { type Array, type ArrayLike, type Axis, concreteDims } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgs } from "./coerce.js";

/** `jnp.reshape(x, shape)`; one dimension may be -1. */
export function reshape(x: ArrayLike, shape: number | readonly number[]): Array {
  const a = asarray(x);
  const s = concreteDims(typeof shape === "number" ? [shape] : shape) as number[];
  if (s.some((d) => typeof d !== "number" || !Number.isInteger(d) || d < -1)) {
    throw new TypeError(
      `Shapes must be 1D sequences of concrete values of integer type, got [${s.map(String).join(", ")}].`,
    );
  }
  const neg = s.filter((d) => d === -1).length;
  if (neg > 1) throw new ValueError("can only specify one unknown dimension (-1) in reshape");
  if (neg === 1) {
    const known = sizeOf(s.filter((d) => d !== -1));
    if (known === 0 || a.size % known !== 0) {
      throw new TypeError(
        `cannot reshape array of shape ${shapeStr(a.shape)} (size ${a.size}) into shape ${shapeStr(s)}`,
      );
    }
    s[s.indexOf(-1)] = a.size / known;
  }
  if (sizeOf(s) !== a.size || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(
      `cannot reshape array of shape ${shapeStr(a.shape)} (size ${a.size}) into shape ${shapeStr(s)} (size ${sizeOf(s)})`,
    );
  }
  return lax.reshape(a, s);
}

export function ravel(x: ArrayLike): Array {
  const a = asarray(x);
  return lax.reshape(a, [a.size]);
}

export function transpose(x: ArrayLike, axes?: readonly number[] | null): Array {
  const a = asarray(x);
  const perm = axes
    ? axes.map((ax) => normalizeAxis(ax, a.ndim))
    : a.shape.map((_, i) => a.ndim - 1 - i);
  if (perm.length !== a.ndim || new Set(perm).size !== perm.length) {
    throw new ValueError(
      `axes don't match array: got axes (${axes?.join(", ")}) for an array of dimension ${a.ndim}`,
    );
  }
  return lax.transpose(a, perm);
}

export function swapaxes(x: ArrayLike, a1: number, a2: number): Array {
  const a = asarray(x);
  const perm = a.shape.map((_, i) => i);
  const i = normalizeAxis(a1, a.ndim);
  const j = normalizeAxis(a2, a.ndim);
  [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  return lax.transpose(a, perm);
}

export function moveaxis(
  x: ArrayLike,
  source: number | readonly number[],
  destination: number | readonly number[],
): Array {
  const a = asarray(x);
  const src = (typeof source === "number" ? [source] : [...source]).map((s) =>
    normalizeAxis(s, a.ndim),
  );
  const dst = (typeof destination === "number" ? [destination] : [...destination]).map((s) =>
    normalizeAxis(s, a.ndim),
  );
  if (src.length !== dst.length)
    throw new ValueError("moveaxis: source and destination must have the same number of elements");
  const order = a.shape.map((_, i) => i).filter((i) => !src.includes(i));
  const pairs = dst.map((d, k) => [d, src[k]!] as const).sort((p, q) => p[0] - q[0]);
  for (const [d, s] of pairs) order.splice(d, 0, s);
  return lax.transpose(a, order);
}

export function squeeze(x: ArrayLike, axis?: Axis): Array {
  const a = asarray(x);
  const axes =
    axis === undefined || axis === null
      ? a.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes(axis, a.ndim);
  for (const ax of axes) {
    if (a.shape[ax] !== 1)
      throw new ValueError(
        `cannot select an axis to squeeze out which has size not equal to one (axis ${ax}, shape (${a.shape.join(", ")}))`,
      );
  }
  if (axes.length === 0) return a;
  return bind1(lax.squeezeP, [a], { dimensions: axes });
}

export function expandDims(x: ArrayLike, axis: number | readonly number[]): Array {
  const a = asarray(x);
  const axes = typeof axis === "number" ? [axis] : [...axis];
  const nd = a.ndim + axes.length;
  const norm = axes.map((ax) => normalizeAxis(ax, nd)).sort((p, q) => p - q);
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < nd; i++) shape.push(norm.includes(i) ? 1 : a.shape[j++]!);
  const dims = shape.map((_, i) => i).filter((i) => !norm.includes(i));
  return lax.broadcastInDim(a, shape, dims);
}

export function atleast1d(x: ArrayLike): Array {
  const a = asarray(x);
  return a.ndim >= 1 ? a : lax.reshape(a, [1]);
}
export function atleast2d(x: ArrayLike): Array {
  const a = asarray(x);
  return a.ndim >= 2 ? a : lax.reshape(a, a.ndim === 0 ? [1, 1] : [1, a.shape[0]!]);
}

export function concatenate(xs: readonly ArrayLike[], axis: number | null = 0): Array {
  if (xs.length === 0) throw new ValueError("need at least one array to concatenate");
  let arrs = promoteArgs(...xs);
  if (axis === null) {
    arrs = arrs.map((a) => lax.reshape(a, [a.size]));
    axis = 0;
  }
  if (arrs.some((a) => a.ndim === 0))
    throw new ValueError("zero-dimensional arrays cannot be concatenated");
  const ax = normalizeAxis(axis, arrs[0]!.ndim);
  return arrs.length === 1 ? arrs[0]! : lax.concatenate(arrs, ax);
}

export function stack(xs: readonly ArrayLike[], axis = 0): Array {
  if (xs.length === 0) throw new ValueError("need at least one array to stack");
  const arrs = promoteArgs(...xs);
  const shape = arrs[0]!.shape;
  for (const a of arrs) {
    if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
      throw new ValueError("All input arrays must have the same shape.");
    }
  }
  const ax = normalizeAxis(axis, shape.length + 1);
  return lax.concatenate(
    arrs.map((a) => expandDims(a, ax)),
    ax,
  );
}

export function vstack(xs: readonly ArrayLike[]): Array {
  return concatenate(
    xs.map((x) => {
      const a = asarray(x);
      return a.ndim < 2 ? lax.reshape(a, [1, a.size]) : a;
    }),
    0,
  );
}
export function hstack(xs: readonly ArrayLike[]): Array {
  const arrs = xs.map((x) => asarray(x));
  return concatenate(
    arrs.map((a) => (a.ndim === 0 ? lax.reshape(a, [1]) : a)),
    arrs[0]!.ndim <= 1 ? 0 : 1,
  );
}

export function flip(x: ArrayLike, axis?: Axis): Array {
  const a = asarray(x);
  const axes = normalizeAxes(axis, a.ndim);
  return axes.length ? bind1(lax.revP, [a], { dimensions: axes }) : a;
}
