/**
 * jnp shape tools: meshgrid, indices, ix_, unravel_index, ravel_multi_index, atleast_3d,
 * column_stack, dstack, block, as JAX defines them (jax/_src/numpy/lax_numpy.py).
 * unravel_index clips out-of-range flat indices to the first / last position, as JAX's (numpy
 * raises); ravel_multi_index's mode "raise" checks concrete indices and is not allowed under
 * transformations ("wrap" and "clip" are).
 */
import { ConcretizationTypeError, ValueError } from "../core/errors.js";
import { type DTypeLike, defaultInt, toDType } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import { isConcreteArray } from "../runtime/array.js";
import * as lax from "../primitives/index.js";
import { asarray } from "./coerce.js";
import { any } from "./reductions.js";
import { isPlainObject } from "../core/pytree.js";
import { atleast1d, concatenate, reshape, stack } from "./shape.js";
import { broadcastTo, clip, floorDivide, remainder, where } from "./ufuncs.js";

/** Coordinate arrays from 1-d vectors (`jnp.meshgrid(*xi, indexing, sparse)`). */
export function meshgrid(
  ...args:
    [...ArrayLike[], { indexing?: "xy" | "ij"; sparse?: boolean; copy?: boolean }] | ArrayLike[]
): Array[] {
  const last = args[args.length - 1];
  const opts = isPlainObject(last)
    ? (args.pop() as { indexing?: "xy" | "ij"; sparse?: boolean })
    : {};
  const indexing = opts.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") {
    throw new ValueError(`Valid values for indexing are 'xy' and 'ij', got ${String(indexing)}`);
  }
  const xs = (args as ArrayLike[]).map((x) => asarray(x));
  for (const x of xs) {
    if (x.ndim !== 1)
      throw new ValueError(
        `Arguments to jax.numpy.meshgrid must be 1D, got shape (${x.shape.join(", ")})`,
      );
  }
  const n = xs.length;
  const swap = (s: number[]): number[] =>
    indexing === "xy" && n >= 2 ? [s[1]!, s[0]!, ...s.slice(2)] : s;
  const full = swap(xs.map((x) => x.shape[0]!));
  return xs.map((x, i) => {
    const pos = indexing === "xy" && n >= 2 && i < 2 ? 1 - i : i;
    const shape = full.map((d, j) => (j === pos ? d : 1));
    const r = reshape(x, shape);
    return opts.sparse ? r : broadcastTo(r, full);
  });
}

/** An array of index grids (`jnp.indices(dimensions, dtype, sparse)`). */
export function indices(
  dimensions: readonly number[],
  dtype: DTypeLike | null = null,
  sparse = false,
): Array | Array[] {
  const d = dtype ? toDType(dtype) : defaultInt();
  const grids = dimensions.map((n, i) => {
    const shape = dimensions.map((_, j) => (j === i ? n : 1));
    const r = lax.broadcastInDim(lax.iota(d, [n], 0), shape, [i]);
    return sparse ? r : lax.broadcastInDim(r, [...dimensions], [...dimensions.keys()]);
  });
  if (sparse) return grids;
  return grids.length ? stack(grids, 0) : lax.full([0], 0, d);
}

/** Open mesh arrays for indexing the cross product (`jnp.ix_(*args)`). */
export function ix_(...args: ArrayLike[]): Array[] {
  const n = args.length;
  return args.map((a, i) => {
    const x = asarray(a);
    if (x.ndim !== 1) throw new ValueError(`Cross index must be 1 dimensional, got ${x.ndim}`);
    const v = x.dtype.isBool ? lax.convertElementType(x, defaultInt()) : x;
    return reshape(
      v,
      [...new globalThis.Array<number>(n).fill(1)].map((d, j) => (j === i ? x.shape[0]! : d)),
    );
  });
}

/** The multi-index of each flat index into `shape` (`jnp.unravel_index`; out of range clipped). */
export function unravelIndex(indicesIn: ArrayLike, shape: number | readonly number[]): Array[] {
  let idx = asarray(indicesIn);
  if (!idx.dtype.isInt)
    throw new TypeError(`unravel_index: indices must be integers, got ${idx.dtype.name}`);
  const dims = typeof shape === "number" ? [shape] : [...shape];
  const out: Array[] = new globalThis.Array(dims.length);
  for (let i = dims.length - 1; i >= 0; i--) {
    out[i] = remainder(idx, dims[i]!);
    idx = floorDivide(idx, dims[i]!);
  }
  const oobPos = lax.gt(idx, lax.scalarLike(idx, 0));
  const oobNeg = idx.dtype.isSigned ? lax.lt(idx, lax.scalarLike(idx, -1)) : null;
  return out.map((o, i) => {
    const inner = oobNeg ? where(oobNeg, lax.scalarLike(o, 0), o) : o;
    return where(oobPos, lax.scalarLike(o, dims[i]! - 1), inner);
  });
}

/** Flat indices of the multi-indices into `dims` (`jnp.ravel_multi_index(multi_index, dims, mode, order)`). */
export function ravelMultiIndex(
  multiIndex: readonly ArrayLike[],
  dims: readonly number[],
  mode: "raise" | "wrap" | "clip" = "raise",
  order: "C" | "F" = "C",
): Array {
  if (multiIndex.length !== dims.length) {
    throw new ValueError(`parameter multi_index must be a sequence of length ${dims.length}`);
  }
  if (order !== "C" && order !== "F")
    throw new ValueError(`invalid order=${String(order)}. Expected 'C' or 'F'`);
  const idx = multiIndex.map((m) => {
    const a = asarray(m);
    if (!a.dtype.isInt) throw new TypeError("only int indices permitted");
    return a;
  });
  const fixed = idx.map((a, i) => {
    const d = dims[i]!;
    if (mode === "wrap") return remainder(a, d);
    if (mode === "clip") return clip(a, 0, d - 1);
    if (mode !== "raise")
      throw new ValueError(`invalid mode=${String(mode)}. Expected 'raise', 'wrap', or 'clip'`);
    if (!isConcreteArray(a)) {
      throw new ConcretizationTypeError(
        "The error occurred because ravel_multi_index was jit-compiled with mode='raise'. Use mode='wrap' or mode='clip' instead.",
      );
    }
    if (any(lax.or(lax.lt(a, lax.scalarLike(a, 0)), lax.ge(a, lax.scalarLike(a, d)))).item()) {
      throw new ValueError("invalid entry in coordinates array");
    }
    return a;
  });
  const axes = order === "C" ? [...dims.keys()] : [...dims.keys()].reverse();
  let out: Array | null = null;
  let stride = 1;
  for (const i of [...axes].reverse()) {
    const term = lax.mul(fixed[i]!, lax.scalarLike(fixed[i]!, stride));
    out = out === null ? term : lax.add(out, term);
    stride *= dims[i]!;
  }
  return out ?? lax.scalarConstantOf(0, defaultInt());
}

/** At least 3 dims: (N,) → (1, N, 1), (M, N) → (M, N, 1) (`jnp.atleast_3d`). */
export function atleast3d(x: ArrayLike): Array {
  const a = asarray(x);
  if (a.ndim === 0) return reshape(a, [1, 1, 1]);
  if (a.ndim === 1) return reshape(a, [1, a.shape[0]!, 1]);
  if (a.ndim === 2) return reshape(a, [...a.shape, 1]);
  return a;
}

/** 1-d arrays as columns of a 2-d array (`jnp.column_stack`). */
export function columnStack(xs: readonly ArrayLike[]): Array {
  return concatenate(
    xs.map((x) => {
      const a = asarray(x);
      return a.ndim < 2 ? reshape(atleast1d(a), [a.size, 1]) : a;
    }),
    1,
  );
}

/** Stack along the third axis (`jnp.dstack`). */
export function dstack(xs: readonly ArrayLike[]): Array {
  return concatenate(xs.map(atleast3d), 2);
}

type Nested = ArrayLike | readonly Nested[];

/** An array assembled from nested lists of blocks (`jnp.block`). */
export function block(arrays: Nested): Array {
  const depthOf = (x: Nested): number =>
    globalThis.Array.isArray(x) ? 1 + depthOf((x as readonly Nested[])[0]!) : 0;
  const listDepth = depthOf(arrays);
  const leaves: Array[] = [];
  const collect = (x: Nested): void => {
    if (globalThis.Array.isArray(x)) (x as readonly Nested[]).forEach(collect);
    else leaves.push(asarray(x as ArrayLike));
  };
  collect(arrays);
  const ndim = Math.max(listDepth, ...leaves.map((a) => a.ndim));
  const go = (x: Nested, depth: number): Array => {
    if (!globalThis.Array.isArray(x)) {
      if (depth !== listDepth) throw new ValueError("List depths are mismatched");
      const a = asarray(x as ArrayLike);
      return reshape(a, [...new globalThis.Array<number>(ndim - a.ndim).fill(1), ...a.shape]);
    }
    const list = x as readonly Nested[];
    if (list.length === 0) throw new ValueError("Lists cannot be empty");
    if (depthOf(x) !== listDepth - depth) throw new ValueError("List depths are mismatched");
    return concatenate(
      list.map((c) => go(c, depth + 1)),
      ndim - listDepth + depth,
    );
  };
  return go(arrays, 0);
}
