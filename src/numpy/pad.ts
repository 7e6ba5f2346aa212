/**
 * `jnp.pad(array, padWidth, mode, options)` with numpy's modes: "constant" (constantValues),
 * "edge", "reflect" and "symmetric" (reflectType "even" / "odd"), "wrap", "linear_ramp"
 * (endValues), "maximum" / "minimum" / "mean" / "median" (statLength), "empty" (zeros here).
 * Axis by axis: the index modes gather with a host-computed index vector (any pad width,
 * also wider than the axis, as numpy's repeated reflection), the others concatenate computed
 * edge blocks.
 */
import { ValueError } from "../core/errors.js";
import { float32, int32 } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { max, mean, min } from "./reductions.js";
import { median } from "./quantiles.js";
import { concatenate } from "./shape.js";
import { take } from "./take.js";
import { broadcastTo, round } from "./ufuncs.js";

/** `jnp.pad`'s modes, as numpy names them. */
export type PadMode =
  | "constant"
  | "edge"
  | "reflect"
  | "symmetric"
  | "wrap"
  | "linear_ramp"
  | "maximum"
  | "minimum"
  | "mean"
  | "median"
  | "empty";
type Pairs = number | readonly number[] | readonly (readonly number[])[];
/** Keyword arguments of `jnp.pad` (`constantValues`, `endValues`, `reflectType`, `statLength`). */
export interface PadOptions {
  constantValues?: Pairs;
  endValues?: Pairs;
  reflectType?: "even" | "odd";
  statLength?: Pairs | null;
}

/** numpy's `_as_pairs`: a scalar, a (before, after) pair, or one pair per axis. */
function asPairs(x: Pairs, ndim: number, name: string): [number, number][] {
  if (typeof x === "number") return new globalThis.Array(ndim).fill([x, x]);
  const list = x as readonly (number | readonly number[])[];
  if (list.length === 1 && typeof list[0] === "number")
    return new globalThis.Array(ndim).fill([list[0], list[0]]);
  if (list.length === 1 && typeof list[0] !== "number") {
    const p = list[0]!;
    return new globalThis.Array(ndim).fill([p[0]!, p[1] ?? p[0]!]);
  }
  if (list.length === 2 && typeof list[0] === "number")
    return new globalThis.Array(ndim).fill([list[0], list[1]]);
  if (list.length !== ndim)
    throw new ValueError(`${name}: expected ${ndim} pairs, got ${list.length}`);
  return list.map((p) => (typeof p === "number" ? [p, p] : [p[0]!, p[1] ?? p[0]!]));
}

/** The source index of each padded position for the index modes. */
function sourceIndex(mode: string, n: number, before: number, after: number): Int32Array {
  const out = new Int32Array(before + n + after);
  for (let j = 0; j < out.length; j++) {
    let i = j - before;
    if (mode === "edge") i = Math.min(Math.max(i, 0), n - 1);
    else if (mode === "wrap") i = ((i % n) + n) % n;
    else if (mode === "reflect") {
      const period = 2 * (n - 1);
      if (period === 0) i = 0;
      else {
        i = ((i % period) + period) % period;
        if (i >= n) i = period - i;
      }
    } else {
      const period = 2 * n; // symmetric
      i = ((i % period) + period) % period;
      if (i >= n) i = period - 1 - i;
    }
    out[j] = i;
  }
  return out;
}

const sliceAxis = (a: Array, axis: number, start: number, stop: number): Array =>
  lax.slice(
    a,
    a.shape.map((_, i) => (i === axis ? start : 0)),
    a.shape.map((d, i) => (i === axis ? stop : d)),
  );

function withShape(a: Array, axis: number, size: number): number[] {
  return a.shape.map((d, i) => (i === axis ? size : d));
}

/** Pad `array` by `padWidth` (before, after) per axis (`jnp.pad`). */
export function pad(
  array: ArrayLike,
  padWidth: Pairs,
  mode: PadMode = "constant",
  options: PadOptions = {},
): Array {
  let a = asarray(array);
  const widths = asPairs(padWidth, a.ndim, "pad_width");
  for (const [b, c] of widths) {
    if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
      throw new ValueError(
        `index can't contain negative values; got pad_width=${JSON.stringify(padWidth)}`,
      );
    }
  }
  const consts = asPairs(options.constantValues ?? 0, a.ndim, "constant_values");
  const ends = asPairs(options.endValues ?? 0, a.ndim, "end_values");
  const stats =
    options.statLength === undefined || options.statLength === null
      ? null
      : asPairs(options.statLength, a.ndim, "stat_length");
  for (let ax = 0; ax < a.ndim; ax++) {
    const [before, after] = widths[ax]!;
    if (before === 0 && after === 0) continue;
    const n = a.shape[ax]!;
    const block = (v: Array | number, size: number): Array =>
      broadcastTo(
        typeof v === "number" ? lax.scalarConstantOf(v, a.dtype) : v,
        withShape(a, ax, size),
      );
    switch (mode) {
      case "constant":
      case "empty": {
        const [cb, ca] = mode === "empty" ? [0, 0] : consts[ax]!;
        a = concatenate([block(cb, before), a, block(ca, after)], ax);
        break;
      }
      case "edge":
      case "wrap":
      case "reflect":
      case "symmetric": {
        if (n === 0)
          throw new ValueError(
            `can't extend empty axis ${ax} using modes other than 'constant' or 'empty'`,
          );
        const idx = sourceIndex(mode, n, before, after);
        let padded = take(a, lax.convertElementType(asarray(idx), int32), ax);
        if ((mode === "reflect" || mode === "symmetric") && options.reflectType === "odd") {
          // Odd reflection: 2·edge − reflected value, on each side.
          const first = sliceAxis(a, ax, 0, 1);
          const last = sliceAxis(a, ax, n - 1, n);
          const parts = [
            lax.sub(
              lax.mul(lax.scalarLike(first, 2), broadcastTo(first, withShape(a, ax, before))),
              sliceAxis(padded, ax, 0, before),
            ),
            a,
            lax.sub(
              lax.mul(lax.scalarLike(last, 2), broadcastTo(last, withShape(a, ax, after))),
              sliceAxis(padded, ax, before + n, before + n + after),
            ),
          ];
          padded = concatenate(parts, ax);
        }
        a = padded;
        break;
      }
      case "linear_ramp": {
        const [eb, ea] = ends[ax]!;
        // Before: end + (edge − end)·k/width, k = 0…width−1; after: the mirror image.
        const ramp = (edge: Array, end: number, size: number, rising: boolean): Array => {
          const fdt = a.dtype.isFloat ? a.dtype : float32;
          const k = lax.iota(fdt, [size], 0);
          const steps = rising ? k : lax.sub(lax.scalarLike(k, size - 1), k);
          const frac = lax.div(steps, lax.scalarLike(k, Math.max(size, 1)));
          const t = lax.broadcastInDim(frac, withShape(a, ax, size), [ax]);
          const e = lax.convertElementType(broadcastTo(edge, withShape(a, ax, size)), fdt);
          const endv = lax.scalarLike(e, end);
          const v = lax.add(endv, lax.mul(lax.sub(e, endv), t));
          return lax.convertElementType(a.dtype.isFloat ? v : round(v), a.dtype);
        };
        if (n === 0)
          throw new ValueError(
            `can't extend empty axis ${ax} using modes other than 'constant' or 'empty'`,
          );
        a = concatenate(
          [
            ramp(sliceAxis(a, ax, 0, 1), eb, before, true),
            a,
            ramp(sliceAxis(a, ax, n - 1, n), ea, after, false),
          ],
          ax,
        );
        break;
      }
      case "maximum":
      case "minimum":
      case "mean":
      case "median": {
        if (n === 0)
          throw new ValueError(
            `can't extend empty axis ${ax} using modes other than 'constant' or 'empty'`,
          );
        const [sb, sa] = stats ? stats[ax]! : [n, n];
        const stat = (part: Array): Array => {
          const r =
            mode === "maximum"
              ? max(part, ax, { keepdims: true })
              : mode === "minimum"
                ? min(part, ax, { keepdims: true })
                : mode === "mean"
                  ? mean(part, ax, { keepdims: true })
                  : median(part, ax, { keepdims: true });
          return a.dtype.isFloat ? r : lax.convertElementType(round(r), a.dtype);
        };
        const lo = stat(sliceAxis(a, ax, 0, Math.min(Math.max(sb, 1), n)));
        const hi = stat(sliceAxis(a, ax, n - Math.min(Math.max(sa, 1), n), n));
        a = concatenate([block(lo, before), a, block(hi, after)], ax);
        break;
      }
      default:
        throw new ValueError(`Unimplemented padding mode '${String(mode)}' for np.pad.`);
    }
  }
  return a;
}
