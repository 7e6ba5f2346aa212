/**
 * jax.tree's reductions and structure tools: `all`, `reduce`, `reduceAssociative`,
 * `broadcast`, `transpose`, and jax.tree_util's `allLeaves`, `isTreeNode`, `treedefChildren`,
 * `treedefIsLeaf`, `treedefTuple` (JS arrays stand for Python's tuples and lists alike).
 */
import { ValueError } from "../core/errors.js";
import { flattenUpTo } from "../core/pytree-prefix.js";
import {
  TreeDef,
  customNodeOf,
  treeFlatten,
  treeLeaves,
  treeStructure,
  treeUnflatten,
} from "../core/pytree.js";
import { Array } from "../trace/array.js";

type IsLeaf = ((x: unknown) => boolean) | null | undefined;
const leafFn = (f: IsLeaf): ((x: unknown) => boolean) | undefined => f ?? undefined;

/** Python's truth value of a leaf: arrays must have one element (numpy's rule). */
function truthy(x: unknown): boolean {
  if (x instanceof Array) {
    if (x.size !== 1) {
      throw new ValueError(
        "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()",
      );
    }
    return Boolean(x.item());
  }
  return Boolean(x);
}

/** Whether every leaf is truthy (`jax.tree.all`; an empty tree is true). */
export function all(tree: unknown, options: { isLeaf?: IsLeaf } = {}): boolean {
  for (const leaf of treeLeaves(tree, leafFn(options.isLeaf))) if (!truthy(leaf)) return false;
  return true;
}

const NO_INITIALIZER: unique symbol = Symbol("no initializer");

/**
 * Fold `fn` over the leaves left to right (`jax.tree.reduce(function, tree, initializer,
 * is_leaf)`); without an initializer the first leaf starts, and an empty tree raises TypeError.
 */
export function reduce<T>(
  fn: (acc: T, leaf: never) => T,
  tree: unknown,
  initializer: T | typeof NO_INITIALIZER = NO_INITIALIZER,
  isLeaf?: IsLeaf,
): T {
  const leaves = treeLeaves(tree, leafFn(isLeaf));
  const call = fn as (acc: T, leaf: unknown) => T;
  if (initializer === NO_INITIALIZER) {
    if (leaves.length === 0)
      throw new TypeError("reduce() of empty iterable with no initial value");
    return leaves.slice(1).reduce<T>(call, leaves[0] as T);
  }
  return leaves.reduce<T>(call, initializer);
}

/**
 * Reduce the leaves with an associative `operation` as a balanced tree of depth log₂ n
 * (`jax.tree.reduce_associative`); `identity` is returned for an empty tree (ValueError
 * without one).
 */
export function reduceAssociative<T>(
  operation: (a: T, b: T) => T,
  tree: unknown,
  options: { identity?: T; isLeaf?: IsLeaf } = {},
): T {
  let items = treeLeaves<T>(tree, leafFn(options.isLeaf));
  if (items.length === 0) {
    if (!("identity" in options)) {
      throw new ValueError("Must specify identity for parallel reduction of empty sequence.");
    }
    return options.identity as T;
  }
  while (items.length > 1) {
    const next: T[] = [];
    for (let i = 0; i + 1 < items.length; i += 2) next.push(operation(items[i]!, items[i + 1]!));
    if (items.length % 2 === 1) next.push(items[items.length - 1]!);
    items = next;
  }
  return items[0]!;
}

/**
 * `fullTree`'s structure with each leaf of `prefixTree` repeated over the leaves of the
 * matching subtree (`jax.tree.broadcast`).
 */
export function broadcast(prefixTree: unknown, fullTree: unknown, isLeaf?: IsLeaf): unknown {
  const [prefixLeaves, prefixDef] = treeFlatten(prefixTree, leafFn(isLeaf));
  const subtrees = flattenUpTo(prefixDef, fullTree, (m) => new ValueError(m));
  const leaves: unknown[] = [];
  subtrees.forEach((sub, i) => {
    const n = treeLeaves(sub, leafFn(isLeaf)).length;
    for (let j = 0; j < n; j++) leaves.push(prefixLeaves[i]);
  });
  return treeUnflatten(treeStructure(fullTree), leaves);
}

/** `outer` with a copy of `inner` at each of its leaves (PyTreeDef.compose). */
function compose(outer: TreeDef, inner: TreeDef): TreeDef {
  const innerTree = treeUnflatten(inner, new globalThis.Array(inner.numLeaves).fill(0));
  return treeStructure(treeUnflatten(outer, new globalThis.Array(outer.numLeaves).fill(innerTree)));
}

/**
 * Turn a tree of structure outer∘inner into one of structure inner∘outer
 * (`jax.tree.transpose`); `innerTreedef` null infers it from the first outer leaf's subtree.
 */
export function transpose(
  outerTreedef: TreeDef,
  innerTreedef: TreeDef | null,
  pytreeToTranspose: unknown,
): unknown {
  const [flat, def] = treeFlatten(pytreeToTranspose);
  const inner =
    innerTreedef ??
    treeStructure(flattenUpTo(outerTreedef, pytreeToTranspose, (m) => new ValueError(m))[0]);
  const innerSize = inner.numLeaves;
  const outerSize = outerTreedef.numLeaves;
  if (def.numLeaves !== innerSize * outerSize) {
    throw new TypeError(
      `Mismatch\n${def.toString()}\n != \n${compose(outerTreedef, inner).toString()}`,
    );
  }
  const subtrees: unknown[] = [];
  for (let j = 0; j < innerSize; j++) {
    const column: unknown[] = [];
    for (let i = 0; i < outerSize; i++) column.push(flat[i * innerSize + j]);
    subtrees.push(treeUnflatten(outerTreedef, column));
  }
  return treeUnflatten(inner, subtrees);
}

/** Whether every item of `iterable` is a leaf (`jax.tree_util.all_leaves`). */
export function allLeaves(iterable: Iterable<unknown>, isLeaf?: IsLeaf): boolean {
  const items = [...iterable];
  const leaves = treeLeaves(items, leafFn(isLeaf));
  return leaves.length === items.length && items.every((x, i) => Object.is(x, leaves[i]));
}

/**
 * Whether instances of `typ` are pytree nodes (`jax.tree_util.is_tree_node`): JS arrays,
 * plain objects (`Object`), `null`, and registered classes.
 */
export function isTreeNode(typ: unknown): boolean {
  if (typ === null || typ === undefined || typ === globalThis.Array || typ === Object) return true;
  if (typeof typ !== "function" || typeof typ.prototype !== "object") return false;
  return customNodeOf(Object.create(typ.prototype as object)) !== undefined;
}

/** The treedefs of a treedef's immediate children (`jax.tree_util.treedef_children`). */
export function treedefChildren(treedef: TreeDef): TreeDef[] {
  return [...treedef.children];
}

/** Whether the treedef is a single node: a leaf, null, or an empty container. */
export function treedefIsLeaf(treedef: TreeDef): boolean {
  return treedef.children.length === 0;
}

/** A JS-array treedef of the given children (`jax.tree_util.treedef_tuple`). */
export function treedefTuple(treedefs: Iterable<TreeDef>): TreeDef {
  return new TreeDef("list", [...treedefs]);
}
