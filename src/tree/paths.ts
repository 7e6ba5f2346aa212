/**
 * Key paths, as jax.tree_util: each leaf's path from the root is a list of key entries —
 * `SequenceKey(i)` for a JS array's element, `DictKey(k)` for a plain object's property,
 * `GetAttrKey(name)` and any key a class registered with `registerPytreeWithKeys` gives,
 * `FlattenedIndexKey(i)` for the children of other registered classes. `keystr` prints them as
 * JAX does (`[0]['w']`, or `0/w` with `{ simple: true, separator: "/" }`). The walk visits
 * nodes in `tree.flatten`'s order, so the i-th path belongs to the i-th leaf.
 */
import { ValueError } from "../core/errors.js";
import { customNodeOf, isPlainObject, registerPytreeNode, treeFlatten } from "../core/pytree.js";
import type { TreeDef } from "../core/pytree.js";
import { flattenUpTo } from "../core/pytree-prefix.js";
import { treeUnflatten } from "../core/pytree.js";

/** A JS array element's key (JAX's SequenceKey: `[0]`). */
export class SequenceKey {
  constructor(readonly idx: number) {}
  toString(): string {
    return `[${this.idx}]`;
  }
}
/** A plain object's property key (JAX's DictKey: `['w']`). */
export class DictKey {
  constructor(readonly key: string) {}
  toString(): string {
    return `['${this.key}']`;
  }
}
/** An attribute's key (JAX's GetAttrKey: `.name`). */
export class GetAttrKey {
  constructor(readonly name: string) {}
  toString(): string {
    return `.${this.name}`;
  }
}
/** The i-th child of a registered class without keys (JAX's FlattenedIndexKey). */
export class FlattenedIndexKey {
  constructor(readonly key: number) {}
  toString(): string {
    return `[<flat index ${this.key}>]`;
  }
}

/** One step of a key path (JAX's `KeyEntry`: any value; these four are JAX's). */
export type KeyEntry = SequenceKey | DictKey | GetAttrKey | FlattenedIndexKey | unknown;
/** A leaf's path from the root (JAX's `KeyPath`, a tuple of entries). */
export type KeyPath = KeyEntry[];

type IsLeaf = ((x: unknown) => boolean) | null | undefined;
type AnyClass = new (...args: never[]) => unknown;
type FlattenWithKeys = (x: never) => [children: [KeyEntry, unknown][], aux: unknown];

const keyedNodes = new Map<unknown, FlattenWithKeys>();

/**
 * Register `cls` as a pytree node whose children have keys (`jax.tree_util.
 * register_pytree_with_keys`): `flattenWithKeys(x)` returns `[[key, child], …]` and the aux
 * data; `flatten` (default: `flattenWithKeys` without the keys) is the fast path.
 */
export function registerPytreeWithKeys<T, C>(
  cls: new (...args: never[]) => T,
  flattenWithKeys: (x: T) => [children: [KeyEntry, unknown][], aux: C],
  unflatten: (aux: C, children: unknown[]) => T,
  flatten?: ((x: T) => [children: unknown[], aux: C]) | null,
): void {
  const plain =
    flatten ??
    ((x: T): [unknown[], C] => {
      const [kids, aux] = flattenWithKeys(x);
      return [kids.map(([, c]) => c), aux];
    });
  registerPytreeNode(cls, plain, unflatten);
  keyedNodes.set(cls, flattenWithKeys as FlattenWithKeys);
}

/**
 * Register a class with methods `treeFlattenWithKeys()` and a static `treeUnflatten(aux,
 * children)` (`register_pytree_with_keys_class`); returns the class.
 */
export function registerPytreeWithKeysClass<
  C extends AnyClass & { treeUnflatten(aux: never, children: unknown[]): unknown },
>(cls: C): C {
  registerPytreeWithKeys(
    cls,
    (x) => (x as { treeFlattenWithKeys(): [[KeyEntry, unknown][], unknown] }).treeFlattenWithKeys(),
    (aux, children) => cls.treeUnflatten(aux as never, children),
  );
  return cls;
}

/** The node's children with their keys and its aux data, or null for a leaf. */
function childrenWithKeys(x: unknown): [[KeyEntry, unknown][], unknown] | null {
  if (x === null || x === undefined) return [[], null];
  if (Array.isArray(x)) return [x.map((c, i) => [new SequenceKey(i), c]), null];
  if (isPlainObject(x)) {
    const keys = Object.keys(x).sort();
    return [keys.map((k) => [new DictKey(k), x[k]]), keys];
  }
  const node = customNodeOf(x);
  if (!node) return null;
  const keyed = keyedNodes.get(node.cls);
  if (keyed) return keyed(x as never);
  const [children, aux] = node.flatten(x);
  return [children.map((c, i) => [new FlattenedIndexKey(i), c]), aux];
}

/** `tree`'s leaves with their key paths, and its structure (`jax.tree.flatten_with_path`). */
export function flattenWithPath<T = unknown>(
  tree: unknown,
  isLeaf?: IsLeaf,
): [[KeyPath, T][], TreeDef] {
  const out: [KeyPath, T][] = [];
  const go = (x: unknown, path: KeyPath): void => {
    if (isLeaf?.(x)) {
      out.push([path, x as T]);
      return;
    }
    const kids = childrenWithKeys(x);
    if (kids === null) out.push([path, x as T]);
    else for (const [k, c] of kids[0]) go(c, [...path, k]);
  };
  go(tree, []);
  return [out, treeFlatten(tree, isLeaf ?? undefined)[1]];
}

/** `tree`'s leaves with their key paths (`jax.tree.leaves_with_path`). */
export function leavesWithPath<T = unknown>(tree: unknown, isLeaf?: IsLeaf): [KeyPath, T][] {
  return flattenWithPath<T>(tree, isLeaf)[0];
}

function isOptions(x: unknown): x is { isLeaf: IsLeaf } {
  return isPlainObject(x) && Object.keys(x).length === 1 && "isLeaf" in x;
}

/**
 * `f(path, leaf, ...restLeaves)` at each leaf of `tree` (`jax.tree.map_with_path`); the other
 * trees must have `tree`'s structure as a prefix; `{ isLeaf }` last.
 */
export function mapWithPath(
  f: (path: KeyPath, leaf: never, ...rest: never[]) => unknown,
  tree: unknown,
  ...rest: unknown[]
): unknown {
  const isLeaf =
    rest.length > 0 && isOptions(rest[rest.length - 1])
      ? (rest.pop() as { isLeaf: IsLeaf }).isLeaf
      : undefined;
  const [pairs, def] = flattenWithPath(tree, isLeaf);
  const others = rest.map((r) => flattenUpTo(def, r, (m) => new ValueError(m)));
  const call = f as (...args: unknown[]) => unknown;
  return treeUnflatten(
    def,
    pairs.map(([p, x], i) => call(p, x, ...others.map((o) => o[i]))),
  );
}

/**
 * `x`'s children and aux data, one level down (`jax.tree_util.flatten_one_level`); a leaf
 * raises ValueError.
 */
export function flattenOneLevel(tree: unknown): [unknown[], unknown] {
  const kids = childrenWithKeys(tree);
  if (kids === null) throw new ValueError(`can't tree-flatten type: ${typeName(tree)}`);
  return [kids[0].map(([, c]) => c), kids[1]];
}

/** As `flattenOneLevel`, with each child's key (`flatten_one_level_with_keys`). */
export function flattenOneLevelWithKeys(tree: unknown): [[KeyEntry, unknown][], unknown] {
  const kids = childrenWithKeys(tree);
  if (kids === null) throw new ValueError(`can't tree-flatten type: ${typeName(tree)}`);
  return kids;
}

function typeName(x: unknown): string {
  if (typeof x === "object" && x !== null) return `<class '${x.constructor?.name ?? "object"}'>`;
  return `<class '${typeof x}'>`;
}

/** JAX's short form of a key: the index, key or name alone. */
function simpleEntry(k: KeyEntry): string {
  if (k instanceof SequenceKey) return String(k.idx);
  if (k instanceof DictKey) return k.key;
  if (k instanceof GetAttrKey) return k.name;
  if (k instanceof FlattenedIndexKey) return String(k.key);
  return String(k);
}

/** A key path as text (`jax.tree_util.keystr`): `[0]['w']`, or `0/w` with simple and "/". */
export function keystr(
  keys: KeyPath,
  options: { simple?: boolean; separator?: string } = {},
): string {
  const str = options.simple ? simpleEntry : (k: KeyEntry) => String(k);
  return keys.map(str).join(options.separator ?? "");
}
