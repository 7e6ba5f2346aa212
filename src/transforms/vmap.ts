/**
 * `vmap(f, { inAxes, outAxes, axisSize })`: vectorize `f` over a batch axis of its arguments.
 *
 * `inAxes` is an int, null (not mapped), or a list with one entry per positional argument,
 * each entry a pytree prefix of that argument (ints/null at its leaves). `outAxes` is the same
 * for the output. Negative axes count from the end. `axisSize` is required when no input is
 * mapped (then `f` may take no arguments at all, and its unbatched outputs are broadcast along
 * the out axis). As JAX, `vmap(f, inAxes, outAxes)` also works.
 */
import { ValueError } from "./jit/static-args.js";
import { shapeStr } from "../core/shape.js";
import { isPlainObject, treeUnflatten, type TreeDef } from "../core/pytree.js";
import { checkOptionKeys } from "../core/options.js";
import type { Array } from "../trace/array.js";
import type { AnyFunction, UncheckedFunction } from "../trace/pytree-types.js";
import { type Value, avalOf } from "../trace/trace.js";
import { functionName } from "./param-names.js";
import { argLeafNames, broadcastPrefix, flattenValues, pySpec } from "./pytree-args.js";
import { asArray } from "./eval-jaxpr.js";
import { type BatchDim, batchFlat, matchAxis } from "./vmap-trace.js";

export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

export interface VmapOptions {
  inAxes?: AxisSpec;
  outAxes?: AxisSpec;
  axisSize?: number;
  /**
   * Names the mapped axis, so that collectives in `f` (`lax.psum(x, name)`, `lax.axisIndex`,
   * …) act across the batch (JAX's `axis_name`).
   */
  axisName?: string;
}

const VMAP_OPTION_KEYS = Object.keys({
  inAxes: true,
  outAxes: true,
  axisSize: true,
  axisName: true,
} satisfies Record<keyof VmapOptions, true>);

/**
 * A plain object in vmap's second place is its options (a dict is never a valid in_axes there):
 * an unknown key (`in_axes`) is a TypeError naming the nearest option.
 */
const isOptions = (x: unknown): x is VmapOptions => {
  if (!isPlainObject(x)) return false;
  checkOptionKeys("vmap", x, VMAP_OPTION_KEYS);
  return true;
};

/**
 * `vmap(f)` has `f`'s type: a batched argument or result is an Array where `f`'s is (the
 * batch axis is in the shape, which the types do not track).
 *
 * @example
 * vmap((row: Array) => row.sum())(jnp.arange(6).reshape([2, 3]))
 * // [ 3 12]
 */
export function vmap<F extends AnyFunction>(f: F, opts?: VmapOptions): F;
export function vmap<F extends AnyFunction>(f: F, inAxes: AxisSpec, outAxes?: AxisSpec): F;
export function vmap<F extends AnyFunction>(f: F, a?: VmapOptions | AxisSpec, b?: AxisSpec): F {
  if (typeof f !== "function") throw new TypeError(`vmap expects a function, got ${typeof f}.`);
  const opts: VmapOptions =
    a === undefined
      ? {}
      : isOptions(a)
        ? a
        : { inAxes: a as AxisSpec, ...(b !== undefined ? { outAxes: b } : {}) };
  const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes;
  const outAxes = opts.outAxes === undefined ? 0 : opts.outAxes;
  if (isPlainObject(inAxes)) {
    throw new TypeError(
      `vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments ` +
        `passed to the function, but got ${pySpec(inAxes)}.`,
    );
  }
  if (
    Array_isArray(inAxes) &&
    inAxes.length > 0 &&
    inAxes.every((x) => x === null) &&
    opts.axisSize === undefined
  ) {
    throw new ValueError("vmap must have at least one non-None value in in_axes");
  }
  const name = functionName(f);
  const wrapped = function (this: unknown, ...args: unknown[]) {
    if (Array_isArray(inAxes) && inAxes.length !== args.length) {
      throw new ValueError(
        `vmap in_axes must be an int, None, or a tuple of entries corresponding to the positional arguments ` +
          `passed to the function, but got len(in_axes)=${inAxes.length}, len(args)=${args.length}`,
      );
    }
    const [leaves, inTree] = flattenValues(args, "vmap");
    const names = argLeafNames(f, args);
    const axes = Array_isArray(inAxes)
      ? inTree.children.flatMap((c, i) =>
          broadcastPrefix(
            inAxes[i],
            c,
            () =>
              new ValueError(
                `vmap in_axes specification must be a tree prefix of the corresponding value, got specification ` +
                  `${pySpec(inAxes[i])} for value tree ${c.toString()}.`,
              ),
          ),
        )
      : broadcastPrefix(
          inAxes,
          inTree,
          () => new ValueError(`vmap in_axes specification ${pySpec(inAxes)} is invalid.`),
        );
    const dims: BatchDim[] = leaves.map((l, i) => {
      const ax = axes[i]!;
      if (ax === null) return null;
      const aval = avalOf(l);
      if (!Number.isInteger(ax) || ax >= aval.ndim || ax < -aval.ndim) {
        const d = ax < 0 ? ax + aval.ndim : ax;
        throw new ValueError(
          `vmap was requested to map its argument along axis ${ax}, which implies that its rank should be at least ` +
            `${(d < 0 ? -ax : d) + 1}, but is only ${aval.ndim} (its shape is ${shapeStr(aval.shape)})`,
        );
      }
      return ax < 0 ? ax + aval.ndim : ax;
    });
    if (leaves.length === 0 && opts.axisSize === undefined) {
      throw new ValueError(
        `vmap wrapped function must be passed at least one argument containing an array, got empty ` +
          `*args=${pySpec(args)} and **kwargs={}; pass axisSize to map a function of no arrays.`,
      );
    }
    const axisSize = mappedAxisSize(leaves, dims, names, opts.axisSize);
    let outTree: TreeDef | undefined;
    const { outs, outDims } = batchFlat(
      (xs) => {
        const out = (f as AnyFunction as UncheckedFunction).apply(
          this,
          treeUnflatten<unknown[]>(inTree, xs),
        );
        const [ol, od] = flattenValues(out, `vmap of ${name}: output`);
        outTree = od;
        return ol;
      },
      leaves.map(asArray),
      dims,
      axisSize,
      opts.axisName,
    );
    const outSpec = broadcastPrefix(
      outAxes,
      outTree!,
      () =>
        new ValueError(
          `vmap out_axes specification must be a tree prefix of the corresponding value, got specification ` +
            `${pySpec(outAxes)} for value tree ${outTree!.toString()}.`,
        ),
    );
    const results = outs.map((o, i) => placeOutput(o, outDims[i]!, outSpec[i]!, axisSize));
    return treeUnflatten(outTree!, results);
  };
  Object.defineProperty(wrapped, "name", { value: name }); // as functools.wraps
  return wrapped as unknown as F;
}

const Array_isArray = (x: unknown): x is readonly AxisSpec[] => globalThis.Array.isArray(x);

function placeOutput(o: Array, src: BatchDim, dst: number | null, axisSize: number): Array {
  if (dst === null) {
    if (src !== null) throw new ValueError("vmap has mapped output but out_axes is None");
    return o;
  }
  const rank = o.ndim + (src === null ? 1 : 0);
  if (!Number.isInteger(dst) || dst >= rank || dst < -rank) {
    throw new ValueError(
      `vmap out_axes ${dst} is out of bounds for an output of rank ${rank - 1} (batched rank ${rank}).`,
    );
  }
  return matchAxis(o, src, dst < 0 ? dst + rank : dst, axisSize);
}

function mappedAxisSize(
  leaves: readonly Value[],
  dims: readonly BatchDim[],
  names: readonly string[],
  axisSize: number | undefined,
): number {
  const sizes = new Map<number, number[]>();
  leaves.forEach((l, i) => {
    if (dims[i] === null) return;
    const s = avalOf(l).shape[dims[i]!]!;
    sizes.set(s, [...(sizes.get(s) ?? []), i]);
  });
  if (sizes.size === 0) {
    if (axisSize === undefined)
      throw new ValueError("vmap must have at least one non-None value in in_axes");
    return axisSize;
  }
  if (sizes.size === 1 && (axisSize === undefined || sizes.has(axisSize)))
    return [...sizes.keys()][0]!;
  const describe = (i: number) => {
    const a = avalOf(leaves[i]!);
    return `axis ${dims[i]} of argument ${names[i] || `args[${i}]`} of type ${a.str()}`;
  };
  const groups = [...sizes.entries()].sort((p, q) => q[1].length - p[1].length);
  const lines: string[] = [];
  if (axisSize !== undefined) lines.push(`  * the \`axis_size\` argument was ${axisSize}`);
  groups.forEach(([sz, idxs], g) => {
    lines.push(
      idxs.length === 1
        ? `  * one axis had size ${sz}: ${describe(idxs[0]!)}`
        : `  * ${g === 0 ? "most" : "some"} axes (${idxs.length} of them) had size ${sz}, e.g. ${describe(idxs[0]!)}`,
    );
  });
  throw new ValueError(
    `vmap got inconsistent sizes for array axes to be mapped:\n${lines.join(";\n")}`,
  );
}
