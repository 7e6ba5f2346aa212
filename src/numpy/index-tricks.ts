/**
 * numpy's index tricks, spelled for JS: Python's `jnp.mgrid[0:3, 0:4]` is
 * `jnp.mgrid.get("0:3", "0:4")` (slices as strings or `jnp.slice(...)`; a step ending in `j`,
 * "0:1:5j", means that many points, endpoint included), likewise `ogrid`, `r_`, `c_`, `s_` and
 * `index_exp`. And `jnp.vectorize(f, { excluded, signature })`, batching with vmap over the
 * broadcast loop dimensions as JAX's.
 */
import { ValueError } from "../core/errors.js";
import { broadcastShapes, normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike, Index, Slice } from "../trace/array.js";
import { vmap } from "../transforms/vmap.js";
import { asarray } from "./coerce.js";
import { arange, linspace } from "./creation.js";
import { concatenate, reshape, stack, transpose } from "./shape.js";
import { broadcastTo } from "./ufuncs.js";
import { meshgrid } from "./shape-tools.js";
import { isSlice } from "./indexing.js";
import { bool, defaultInt, int32 } from "../core/dtype.js";
import * as lax from "../primitives/index.js";
import { sum } from "./reductions.js";
import { nonzero } from "./sorting.js";

type GridItem = string | Slice | ArrayLike;
const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);

/** A slice item as [start, stop, step, isCount] ("0:1:5j" → 5 points). */
function parseSlice(item: string | Slice): [number, number, number, boolean] {
  if (typeof item !== "string") return [item.start ?? 0, item.stop ?? 0, item.step ?? 1, false];
  const parts = item.split(":").map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3) throw new ValueError(`invalid slice string '${item}'`);
  const num = (p: string | undefined, dflt: number): number =>
    p === undefined || p === "" ? dflt : Number(p);
  const stepText = parts[2] ?? "";
  const isCount = stepText.endsWith("j");
  const step = isCount ? Number(stepText.slice(0, -1)) : num(stepText, 1);
  const vals = [num(parts[0], 0), num(parts[1], 0), step];
  if (vals.some((v) => Number.isNaN(v))) throw new ValueError(`invalid slice string '${item}'`);
  return [vals[0]!, vals[1]!, vals[2]!, isCount];
}
const isSliceItem = (x: unknown): x is string | Slice =>
  (typeof x === "string" && x.includes(":")) || isSlice(x);

function sliceRange(item: string | Slice): Array {
  const [start, stop, step, isCount] = parseSlice(item);
  if (isCount) return linspace(start, stop, Math.trunc(Math.abs(step)));
  const ints = [start, stop, step].every(Number.isInteger);
  return arange(start, stop, step, ints ? "int32" : "float32");
}

function grid(sparse: boolean, items: readonly (string | Slice)[]): Array | Array[] {
  const axes = items.map(sliceRange);
  if (axes.length === 1) return axes[0]!;
  const fl = axes.some((a) => a.dtype.isFloat);
  const xs = fl ? axes.map((a) => asarray(a, "float32")) : axes;
  const g = meshgrid(...xs, { indexing: "ij", sparse });
  return sparse ? g : stack(g, 0);
}

/** Dense coordinate grids from slices (`jnp.mgrid.get("0:3", "0:4")` is numpy's `mgrid[0:3, 0:4]`). */
export const mgrid = { get: (...items: (string | Slice)[]): Array => grid(false, items) as Array };
/** Open (sparse) coordinate grids from slices (`jnp.ogrid.get("0:3", "0:4")`). */
export const ogrid = { get: (...items: (string | Slice)[]): Array | Array[] => grid(true, items) };

function concatItems(
  axis0: number,
  ndmin0: number,
  trans0: number,
  items: readonly GridItem[],
): Array {
  let [axis, ndmin, trans1d] = [axis0, ndmin0, trans0];
  let list = items;
  const first = items[0];
  if (typeof first === "string" && !first.includes(":")) {
    const parts = first.split(",").map((p) => Number(p.trim()));
    if (parts.some((p) => !Number.isInteger(p)))
      throw new ValueError(`could not understand directive '${first}'`);
    [axis = axis, ndmin = ndmin, trans1d = trans1d] = parts;
    list = items.slice(1);
  }
  const arrays = list.map((item) => {
    let a = isSliceItem(item) ? sliceRange(item) : asarray(item as ArrayLike);
    const itemNdim = a.ndim;
    if (a.ndim < ndmin) {
      a = reshape(a, [...range(ndmin - a.ndim).map(() => 1), ...a.shape]);
      if (trans1d !== -1) {
        const k2 = ndmin - itemNdim;
        let k1 = trans1d;
        if (k1 < 0) k1 += k2 + 1;
        const def = range(ndmin);
        a = transpose(a, [...def.slice(0, k1), ...def.slice(k2), ...def.slice(k1, k2)]);
      }
    }
    return a.ndim === 0 ? reshape(a, [1]) : a;
  });
  if (arrays.length === 0) return asarray([], "float32");
  return concatenate(arrays, normalizeAxis(axis, arrays[0]!.ndim));
}

/** Concatenation along the first axis of arrays, scalars and slices (`jnp.r_.get(...)`). */
export const r_ = { get: (...items: GridItem[]): Array => concatItems(0, 1, -1, items) };
/** Column-wise concatenation: 1-d items become columns (`jnp.c_.get(...)`, numpy's `r_['-1,2,0', ...]`). */
export const c_ = { get: (...items: GridItem[]): Array => concatItems(-1, 2, 0, items) };
/** An index expression as a value: one index or the list (`jnp.s_.get(...)`). */
export const s_ = {
  get: (...items: Index[]): Index | Index[] => (items.length === 1 ? items[0]! : items),
};
/** An index expression as a list, always (`jnp.index_exp.get(...)`). */
export const indexExp = { get: (...items: Index[]): Index[] => items };

/** Options of `jnp.vectorize`. */
export interface VectorizeOptions {
  excluded?: Iterable<number>;
  signature?: string | null;
}

function parseSignature(sig: string): [string[][], string[][]] {
  const m = /^\s*((?:\([^()]*\)\s*,?\s*)*)->\s*((?:\([^()]*\)\s*,?\s*)*)$/.exec(sig);
  if (!m) throw new ValueError(`not a valid gufunc signature: ${sig}`);
  const groups = (s: string): string[][] =>
    [...s.matchAll(/\(([^()]*)\)/g)].map((g) =>
      g[1]!
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== ""),
    );
  return [groups(m[1]!), groups(m[2]!)];
}

/** A function of core-shaped arguments made to broadcast over leading dimensions (`jnp.vectorize`). */
export function vectorize<R>(
  pyfunc: (...args: Array[]) => R,
  options: VectorizeOptions = {},
): (...args: unknown[]) => R {
  const excluded = new Set(options.excluded ?? []);
  const sig = options.signature ? parseSignature(options.signature) : null;
  return (...args: unknown[]): R => {
    const pos = range(args.length).filter((i) => !excluded.has(i));
    const arrs = pos.map((i) => asarray(args[i] as ArrayLike));
    if (sig && sig[0].length !== arrs.length)
      throw new TypeError(
        `wrong number of positional arguments: expected ${sig[0].length}, got ${arrs.length}`,
      );
    const core = arrs.map((_, k) => (sig ? sig[0][k]!.length : 0));
    const sizes = new Map<string, number>();
    arrs.forEach((a, k) => {
      if (a.ndim < core[k]!)
        throw new ValueError(
          `input with shape (${a.shape.join(", ")}) does not have enough dimensions for its core dimensions`,
        );
      (sig ? sig[0][k]! : []).forEach((name, j) => {
        const d = a.shape[a.ndim - core[k]! + j]!;
        if (sizes.has(name) && sizes.get(name) !== d)
          throw new ValueError(
            `inconsistent size for core dimension '${name}': ${d} vs ${sizes.get(name)}`,
          );
        sizes.set(name, d);
      });
    });
    const loops = arrs.map((a, k) => a.shape.slice(0, a.ndim - core[k]!));
    const loop = broadcastShapes(...loops);
    if (!loop) throw new ValueError("vectorize: loop dimensions do not broadcast");
    const bcast = arrs.map((a, k) =>
      broadcastTo(a, [...loop, ...a.shape.slice(a.ndim - core[k]!)]),
    );
    let f = (...xs: Array[]): R => {
      const full = [...args];
      pos.forEach((i, k) => (full[i] = xs[k]));
      return pyfunc(...(full as Array[]));
    };
    for (let i = 0; i < loop.length; i++) f = vmap(f, { inAxes: 0 });
    return f(...bcast);
  };
}

/** Indices where `maskFunc(ones((n, n)), k)` is non-zero (`jnp.mask_indices`). */
export function maskIndices(
  n: number,
  maskFunc: (a: Array, k: number) => ArrayLike,
  k = 0,
  options: { size?: number } = {},
): Array[] {
  const m = asarray(maskFunc(lax.full([n, n], 1, int32), k));
  return nonzero(m, options);
}

/** Number of non-zero elements, along axes (`jnp.count_nonzero(a, axis=None, keepdims)`). */
export function countNonzero(
  a: ArrayLike,
  axis: number | readonly number[] | null = null,
  keepdims = false,
): Array {
  return sum(
    asarray(a).dtype === bool ? asarray(a) : lax.ne(asarray(a), lax.scalarLike(asarray(a), 0)),
    { axis, keepdims, dtype: defaultInt() },
  );
}
