/**
 * Pytree plumbing shared by the transformation APIs: flattening arguments and outputs
 * (arrays, JS scalars and TypedArrays are leaves), argument names for error messages, and
 * broadcasting a tree prefix (vmap's in_axes/out_axes) onto a tree.
 */
import { isTypedArray } from "../core/dtype.js";
import { type TreeDef, isPlainObject, treeFlatten, treeLeafPaths } from "../core/pytree.js";
import { Array } from "../trace/array.js";
import type { Value } from "../trace/trace.js";
import { typedArrayToArray } from "../runtime/array.js";
import { parseParams } from "./param-names.js";

export const isLeafValue = (x: unknown): boolean => x instanceof Array || isTypedArray(x);

/** Flatten a pytree of values; TypedArrays become arrays; other leaves must be arrays or scalars. */
export function flattenValues(tree: unknown, what: string): [Value[], TreeDef] {
  const [leaves, def] = treeFlatten<unknown>(tree, isLeafValue);
  const vals = leaves.map((l) => {
    if (l instanceof Array || typeof l === "number" || typeof l === "boolean") return l;
    if (isTypedArray(l)) return typedArrayToArray(l);
    throw new TypeError(
      `${what}: a value of type ${l === null ? "null" : typeof l === "object" ? ((l as object).constructor?.name ?? "object") : typeof l} ` +
        `is not a valid JAX type. Pass arrays, numbers or booleans (or pytrees of them).`,
    );
  });
  return [vals, def];
}

/** Names of the flattened leaves of `args` (`x`, `params['w']`), from `f`'s parameter names. */
export function argLeafNames(
  f: Function,
  args: readonly unknown[],
  positions?: readonly number[],
): string[] {
  const params = parseParams(f);
  const pos = positions ?? args.map((_, i) => i);
  return treeLeafPaths(args, isLeafValue).map((p) => {
    const m = /^\[(\d+)\](.*)$/.exec(p);
    if (!m) return p;
    const i = pos[Number(m[1])]!;
    return `${params[i]?.name ?? `args[${i}]`}${m[2]}`;
  });
}

/**
 * Broadcast a prefix tree of leaf specs (numbers or null) onto `def`: one spec per leaf.
 * Throws `mismatch()` when `spec` is not a prefix of the tree.
 */
export function broadcastPrefix(
  spec: unknown,
  def: TreeDef,
  mismatch: () => Error,
): (number | null)[] {
  if (spec === null || spec === undefined || typeof spec === "number") {
    return globalThis.Array.from({ length: def.numLeaves }, () =>
      spec === undefined ? null : (spec as number | null),
    );
  }
  if (globalThis.Array.isArray(spec)) {
    if ((def.kind !== "list" && def.kind !== "custom") || def.children.length !== spec.length)
      throw mismatch();
    return def.children.flatMap((c, i) => broadcastPrefix(spec[i], c, mismatch));
  }
  if (isPlainObject(spec)) {
    const keys = Object.keys(spec).sort();
    if (def.kind !== "dict") throw mismatch();
    const dkeys = def.meta as string[];
    if (keys.length !== dkeys.length || keys.some((k, i) => k !== dkeys[i])) throw mismatch();
    return def.children.flatMap((c, i) => broadcastPrefix(spec[dkeys[i]!], c, mismatch));
  }
  throw mismatch();
}

/** Python's repr of an axis spec, for messages: `(0, None)`, `0`, `None`. */
export function pySpec(spec: unknown): string {
  if (spec === null || spec === undefined) return "None";
  if (globalThis.Array.isArray(spec))
    return spec.length === 1 ? `(${pySpec(spec[0])},)` : `(${spec.map(pySpec).join(", ")})`;
  if (isPlainObject(spec))
    return `{${Object.keys(spec)
      .map((k) => `'${k}': ${pySpec(spec[k])}`)
      .join(", ")}}`;
  return String(spec);
}
