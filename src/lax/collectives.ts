/**
 * JAX's collectives (`jax.lax.psum`, `pmean`, `pmax`, `pmin`, `axisIndex`, `axisSize`,
 * `allGather`, `psumScatter`, `ppermute`) over the named axes of enclosing
 * `vmap(f, { axisName })` calls. Each maps over a pytree of arrays, as JAX's do; an axis name
 * no enclosing vmap binds is JAX's NameError.
 */
import { bool, int32 } from "../core/dtype.js";
import { NotImplementedError, ValueError } from "../core/errors.js";
import { treeFlatten, treeUnflatten } from "../core/pytree.js";
import { normalizeAxis } from "../core/shape.js";
import { Array } from "../trace/array.js";
import { axisSize as boundAxisSize } from "../trace/axis-env.js";
import { type Value, isTracer } from "../trace/trace.js";
import {
  type AllReduceParams,
  allGatherP,
  allToAllP,
  axisIndexP,
  bindCollective,
  bindPsumLike,
  pmaxP,
  pminP,
  ppermuteP,
  psumP,
  reduceScatterP,
} from "../primitives/collectives/index.js";
import type { Primitive } from "../trace/primitive.js";
import { convertElementType } from "../primitives/convert.js";
import { scalarLike } from "../primitives/constants.js";
import { reshape } from "../primitives/shape/reshape.js";
import { add, mul } from "../primitives/elementwise/functions.js";
import { asarray } from "../numpy/coerce.js";

/** An axis name, or several (a tuple in JAX): the collective acts over all of them. */
export type AxisNames = string | readonly string[];

/** JAX's `axis_index_groups` keyword: not supported under vmap (as in JAX). */
export interface CollectiveOptions {
  axisIndexGroups?: null;
}

const namesOf = (axisName: AxisNames): string[] =>
  typeof axisName === "string" ? [axisName] : [...axisName];

function rejectGroups(groups: unknown): void {
  if (groups !== undefined && groups !== null) {
    throw new NotImplementedError(
      "axis_index_groups not supported in vmap collectives. Please open a feature request!",
    );
  }
}

function mapLeaves<T>(x: T, f: (leaf: Value) => Value): T {
  const [leaves, tree] = treeFlatten(x);
  return treeUnflatten(tree, (leaves as Value[]).map(f)) as T;
}

const leafArray = (v: Value): Array => (v instanceof Array ? v : asarray(v));

/** The product of the sizes of named axes (JAX's `psum(1, axis_name)`); NameError if unbound. */
export function axisSize(axisName: AxisNames): number {
  return namesOf(axisName).reduce((n, a) => n * boundAxisSize(a), 1);
}

/**
 * All-reduce sum over the named axes: under `vmap(f, { axisName: "i" })`, every example gets
 * the sum over the batch.
 *
 * @example
 * vmap((x: Array) => lax.psum(x, "i"), { axisName: "i" })(jnp.arange(4)) // [6 6 6 6]
 */
export function psum<T>(x: T, axisName: AxisNames, opts: CollectiveOptions = {}): T {
  rejectGroups(opts.axisIndexGroups);
  const axes = namesOf(axisName);
  if (axes.length === 0) return x;
  const [leaves] = treeFlatten(x);
  // JAX's constant case: no leaf is a tracer, so the sum is the value times the axes' size.
  if (!(leaves as unknown[]).some(isTracer)) {
    const size = axisSize(axes);
    return mapLeaves(x, (l) =>
      typeof l === "number" || typeof l === "boolean"
        ? Number(l) * size
        : mul(asBool(l), scalarLike(asBool(l), size)),
    );
  }
  return mapLeaves(x, (l) => bindPsumLike(psumP, asBool(leafArray(l)), axes));
}

const asBool = (x: Value): Array => {
  const a = leafArray(x);
  return a.dtype === bool ? convertElementType(a, int32) : a;
};

/** All-reduce mean over the named axes (JAX's `pmean`: psum divided by the axes' size). */
export function pmean<T>(x: T, axisName: AxisNames, opts: CollectiveOptions = {}): T {
  const s = psum(x, axisName, opts);
  const n = axisSize(axisName);
  return mapLeaves(s, (l) => leafArray(l).div(n));
}

function extremum(prim: Primitive<AllReduceParams>) {
  return <T>(x: T, axisName: AxisNames, opts: CollectiveOptions = {}): T => {
    rejectGroups(opts.axisIndexGroups);
    const axes = namesOf(axisName);
    if (axes.length === 0) return x;
    return mapLeaves(x, (l) => bindPsumLike(prim, leafArray(l), axes));
  };
}

/** All-reduce maximum over the named axes (JAX's `pmax`). */
export const pmax: <T>(x: T, axisName: AxisNames, opts?: CollectiveOptions) => T = extremum(pmaxP);
/** All-reduce minimum over the named axes (JAX's `pmin`). */
export const pmin: <T>(x: T, axisName: AxisNames, opts?: CollectiveOptions) => T = extremum(pminP);

/**
 * The index along the named axis (an int32 scalar): under `vmap(f, { axisName: "i" })`,
 * example k sees k. Several names index their product, the last varying fastest.
 */
export function axisIndex(axisName: AxisNames): Array {
  if (typeof axisName === "string")
    return bindCollective(axisIndexP, null, { axis_name: axisName });
  let inner = 1;
  let index: Array = asarray(0);
  for (const name of [...axisName].reverse()) {
    index = add(index, mul(axisIndex(name), inner));
    inner *= axisSize(name);
  }
  return index;
}

/** Options of `allGather`: the output axis of the gathered dimension, and `tiled`. */
export interface AllGatherOptions extends CollectiveOptions {
  axis?: number;
  tiled?: boolean;
}

/**
 * Gathers `x` from every example along the named axis: a new axis `axis` of the axis's size
 * (or, `tiled`, concatenated along the existing `axis`).
 */
export function allGather<T>(x: T, axisName: AxisNames, opts: AllGatherOptions = {}): T {
  rejectGroups(opts.axisIndexGroups);
  const names = namesOf(axisName);
  if (names.length === 0) return x;
  const size = axisSize(names);
  const tiled = opts.tiled ?? false;
  return mapLeaves(x, (l) => {
    const a = leafArray(l);
    const dim = normalizeAxis(opts.axis ?? 0, tiled ? a.ndim : a.ndim + 1);
    return bindCollective(allGatherP, a, {
      all_gather_dimension: dim,
      axis_name: names,
      axis_index_groups: null,
      axis_size: size,
      tiled,
    });
  });
}

/** Options of `psumScatter`: the dimension scattered over the axis, and `tiled`. */
export interface PsumScatterOptions extends CollectiveOptions {
  scatterDimension?: number;
  tiled?: boolean;
}

/**
 * `psum(x, axisName)` of which example k keeps only slice k along `scatterDimension` (whose
 * size must be the axis's size; with `tiled`, a multiple of it, each keeping one block).
 */
export function psumScatter<T>(x: T, axisName: AxisNames, opts: PsumScatterOptions = {}): T {
  rejectGroups(opts.axisIndexGroups);
  const names = namesOf(axisName);
  if (names.length === 0) return x;
  const size = axisSize(names);
  return mapLeaves(x, (l) => {
    const a = leafArray(l);
    return bindCollective(reduceScatterP, a, {
      scatter_dimension: normalizeAxis(opts.scatterDimension ?? 0, a.ndim),
      axis_name: names,
      axis_index_groups: null,
      axis_size: size,
      tiled: opts.tiled ?? false,
    });
  });
}

/**
 * Sends example `src`'s value to example `dst` for each `[src, dst]` pair of `perm` along the
 * named axis (under vmap, `perm` must be a full permutation of the axis).
 */
export function ppermute<T>(
  x: T,
  axisName: AxisNames,
  perm: readonly (readonly [number, number])[],
): T {
  if (!globalThis.Array.isArray(perm)) {
    throw new TypeError(
      `\`perm\` passed to \`jax.lax.ppermute\` must be a list or a tuple. Got perm of type ${typeof perm}`,
    );
  }
  const names = namesOf(axisName);
  const pairs = perm.map(([s, d]): [number, number] => [s, d]);
  const srcs = new Set(pairs.map((p) => p[0]));
  const dsts = new Set(pairs.map((p) => p[1]));
  if (srcs.size !== pairs.length || dsts.size !== pairs.length) {
    throw new ValueError(
      `ppermute sources and destinations must be unique, got ${JSON.stringify(pairs)}.`,
    );
  }
  return mapLeaves(x, (l) =>
    bindCollective(ppermuteP, leafArray(l), { axis_name: names, perm: pairs }),
  );
}

/** Options of `allToAll`: `tiled` splits `splitAxis` in chunks and concatenates them. */
export interface AllToAllOptions extends CollectiveOptions {
  tiled?: boolean;
}

/**
 * Materializes the named axis at `concatAxis` and maps the operand's `splitAxis` in its place:
 * example k gets chunk k of every example's `splitAxis`, stacked along `concatAxis` (whose
 * size, untiled, must be the axis's size). One axis name under vmap.
 */
export function allToAll<T>(
  x: T,
  axisName: AxisNames,
  splitAxis: number,
  concatAxis: number,
  opts: AllToAllOptions = {},
): T {
  rejectGroups(opts.axisIndexGroups);
  const names = namesOf(axisName);
  const tiled = opts.tiled ?? false;
  return mapLeaves(x, (l) => {
    let a = leafArray(l);
    let split = normalizeAxis(splitAxis, a.ndim);
    let concat = normalizeAxis(concatAxis, a.ndim);
    const size = axisSize(names);
    const n = a.shape[split]!;
    if (tiled) {
      if (n % size !== 0) {
        throw new ValueError(
          `The size of all_to_all split_axis (${n}) has to be divisible by the size of the named axis ${typeof axisName === "string" ? axisName : axesTuple(names)} (${size})`,
        );
      }
    } else {
      if (size !== n) {
        throw new ValueError(
          `all_to_all requires the size of the mapped axis axis_name to equal x.shape[split_axis], but they are ${size} and ${n} respectively.`,
        );
      }
      if (split !== concat) {
        if (split < concat) concat += 1;
        else split += 1;
        const s = [...a.shape];
        s.splice(concat, 0, 1);
        a = reshape(a, s);
      }
    }
    let out = bindCollective(allToAllP, a, {
      axis_name: names,
      split_axis: split,
      concat_axis: concat,
      axis_index_groups: null,
      tiled,
      axis_size: size,
    });
    if (!tiled && split !== concat)
      out = reshape(
        out,
        out.shape.filter((_, i) => i !== split),
      );
    return out;
  });
}

const axesTuple = (names: readonly string[]) =>
  names.length === 1 ? `('${names[0]}',)` : `(${names.map((n) => `'${n}'`).join(", ")})`;
