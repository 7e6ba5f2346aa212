/**
 * `jax.tree.map(f, tree, ...rest, { isLeaf })`. As JAX, `tree` fixes the structure: each of
 * `rest` must have `tree`'s structure as a prefix (`flatten_up_to`), and its subtree at each of
 * `tree`'s leaves is passed whole — `map(f, { x: 1 }, { x: [1, 2] })` calls `f(1, [1, 2])`.
 * Mismatches raise ValueError with jaxlib's messages. `isLeaf` (applied to `tree` only, as
 * JAX's `is_leaf`) goes in a trailing options object whose only key is `isLeaf`.
 */
import { flattenUpTo } from "../core/pytree-prefix.js";
import { isPlainObject, treeFlatten, treeUnflatten } from "../core/pytree.js";
import type { AnyFunction, LeafOf, MapLeaves, UncheckedFunction } from "../trace/pytree-types.js";
import { ValueError } from "../transforms/jit/static-args.js";

export interface TreeMapOptions {
  /** Stop flattening `tree` at the nodes for which this is true (they become leaves). */
  isLeaf?: ((x: unknown) => boolean) | null;
}

function isMapOptions(x: unknown): x is TreeMapOptions {
  if (!isPlainObject(x)) return false;
  const keys = Object.keys(x);
  const v = x.isLeaf;
  return (
    keys.length === 1 &&
    keys[0] === "isLeaf" &&
    (v === null || v === undefined || typeof v === "function")
  );
}

/** The leaves `f` receives from the trees `Rest` (where they share the first tree's structure). */
type RestLeaves<Rest extends unknown[]> = { [K in keyof Rest]: LeafOf<Rest[K]> };

/**
 * With `isLeaf` the leaves may be whole subtrees, so `f`'s arguments are the caller's to type
 * and the result is untyped.
 */
export function map(
  f: (...leaves: never[]) => unknown,
  tree: unknown,
  ...restAndOptions: [...rest: unknown[], options: { isLeaf: TreeMapOptions["isLeaf"] }]
): unknown;
/** `tree`'s structure with `f`'s result at each leaf. */
export function map<T, const Rest extends unknown[], R>(
  f: (leaf: LeafOf<T>, ...rest: RestLeaves<Rest>) => R,
  tree: T,
  ...rest: Rest
): MapLeaves<T, R>;
export function map(f: AnyFunction, tree: unknown, ...rest: unknown[]): unknown {
  if (typeof f !== "function") throw new TypeError(`tree.map expects a function, got ${typeof f}.`);
  let isLeaf: ((x: unknown) => boolean) | undefined;
  if (rest.length > 0 && isMapOptions(rest[rest.length - 1])) {
    isLeaf = (rest.pop() as TreeMapOptions).isLeaf ?? undefined;
  }
  const [leaves, def] = treeFlatten(tree, isLeaf);
  const others = rest.map((r, k) =>
    flattenUpTo(
      def,
      r,
      (m) =>
        new ValueError(
          `${m} (tree.map: rest[${k}] must have the first tree's structure ` +
            `${def.toString()} as a prefix; make them match, or pass isLeaf to stop ` +
            `flattening the first tree earlier.)`,
        ),
    ),
  );
  return treeUnflatten(
    def,
    leaves.map((x, i) => (f as UncheckedFunction)(x, ...others.map((o) => o[i]))),
  );
}
