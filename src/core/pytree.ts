/**
 * Pytrees: nested JS arrays (lists) and plain objects (dicts, keys sorted as JAX sorts dict
 * keys) whose leaves are arrays or scalars. `null`/`undefined` are empty subtrees (None).
 * Classes can be registered as nodes with `registerPytreeNode`.
 */

export type PyTree<T = unknown> = T | PyTree<T>[] | { [key: string]: PyTree<T> } | null | undefined;

/** Any class: `never` parameters accept every constructor's signature. */
type AnyClass<T> = new (...args: never[]) => T;

/** A registered node class, type-erased: `flatten` is only ever called on instances of `cls`. */
export interface CustomNode {
  cls: AnyClass<unknown>;
  name: string;
  flatten: (x: unknown) => [children: unknown[], aux: unknown];
  unflatten: (aux: unknown, children: unknown[]) => unknown;
}

const customNodes = new Map<unknown, CustomNode>();

/** Make instances of `cls` pytree nodes (as `jax.tree_util.register_pytree_node`). */
export function registerPytreeNode<T, C>(
  cls: AnyClass<T>,
  flatten: (x: T) => [children: unknown[], aux: C],
  unflatten: (aux: C, children: unknown[]) => T,
): void {
  // The map is keyed by `cls`, so a looked-up node only sees `T`s and the aux its flatten made.
  const erased: CustomNode = {
    cls,
    name: cls.name,
    flatten: flatten as CustomNode["flatten"],
    unflatten: unflatten as CustomNode["unflatten"],
  };
  customNodes.set(cls, erased);
}

/** The registered node class named `name` (the export format rebuilds nodes by name); undefined when none or several. */
export function customNodeByName(name: string): CustomNode | undefined {
  const found = [...customNodes.values()].filter((n) => n.name === name);
  return found.length === 1 ? found[0] : undefined;
}

export type TreeKind = "leaf" | "none" | "list" | "dict" | "custom";

/** A pytree's structure without its leaves (JAX's `PyTreeDef`): what `treeFlatten` returns beside the leaves. */
export class TreeDef {
  constructor(
    readonly kind: TreeKind,
    readonly children: readonly TreeDef[],
    /** dict keys (sorted) or custom aux data */
    readonly meta: unknown = undefined,
    readonly node?: CustomNode,
  ) {
    let n = kind === "leaf" ? 1 : 0;
    for (const c of children) n += c.numLeaves;
    this.numLeaves = n;
  }
  readonly numLeaves: number;

  private _str?: string;
  /** Structure only; equal structures print equal. */
  toString(): string {
    return (this._str ??= `PyTreeDef(${this.body()})`);
  }
  /** A compact key for caches. */
  get key(): string {
    return this.body();
  }
  private body(): string {
    switch (this.kind) {
      case "leaf":
        return "*";
      case "none":
        return "None";
      case "list":
        return `[${this.children.map((c) => c.body()).join(", ")}]`;
      case "dict": {
        const keys = this.meta as string[];
        return `{${keys.map((k, i) => `'${k}': ${this.children[i]!.body()}`).join(", ")}}`;
      }
      case "custom":
        return `CustomNode(${this.node!.name}[${JSON.stringify(this.meta) ?? ""}], [${this.children
          .map((c) => c.body())
          .join(", ")}])`;
    }
  }
  equals(o: TreeDef): boolean {
    return this === o || this.key === o.key;
  }
}

const leafDef = new TreeDef("leaf", []);
const noneDef = new TreeDef("none", []);

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Flatten a pytree into its leaves and structure. `isLeaf` can stop the recursion early
 * (as `jax.tree_util.tree_flatten(..., is_leaf=)`).
 */
export function treeFlatten<T = unknown>(
  tree: unknown,
  isLeaf?: (x: unknown) => boolean,
): [T[], TreeDef] {
  const leaves: T[] = [];
  const def = flattenInto(tree, leaves as unknown[], isLeaf);
  return [leaves, def];
}

function flattenInto(x: unknown, leaves: unknown[], isLeaf?: (x: unknown) => boolean): TreeDef {
  if (isLeaf?.(x)) {
    leaves.push(x);
    return leafDef;
  }
  if (x === null || x === undefined) return noneDef;
  if (Array.isArray(x)) {
    return new TreeDef(
      "list",
      x.map((c) => flattenInto(c, leaves, isLeaf)),
    );
  }
  if (isPlainObject(x)) {
    const keys = Object.keys(x).sort();
    return new TreeDef(
      "dict",
      keys.map((k) => flattenInto(x[k], leaves, isLeaf)),
      keys,
    );
  }
  if (typeof x === "object" || typeof x === "function") {
    const node = customNodes.get((x as object).constructor);
    if (node) {
      const [children, aux] = node.flatten(x);
      return new TreeDef(
        "custom",
        children.map((c) => flattenInto(c, leaves, isLeaf)),
        aux,
        node,
      );
    }
  }
  leaves.push(x);
  return leafDef;
}

/** JAX's `tree_util.tree_unflatten(treedef, leaves)`: rebuild a pytree of `def`'s structure from its leaves. */
export function treeUnflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  if (leaves.length !== def.numLeaves) {
    throw new TypeError(
      `Tree structure ${def.toString()} expects ${def.numLeaves} leaves, got ${leaves.length}.`,
    );
  }
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        return leaves[i++];
      case "none":
        return null;
      case "list":
        return d.children.map(build);
      case "dict": {
        const out: Record<string, unknown> = {};
        (d.meta as string[]).forEach((k, j) => (out[k] = build(d.children[j]!)));
        return out;
      }
      case "custom":
        return d.node!.unflatten(d.meta, d.children.map(build));
    }
  };
  return build(def) as T;
}

/** JAX's `tree_util.tree_leaves(tree, is_leaf)`: the leaves of `tree` in flattening order. */
export function treeLeaves<T = unknown>(tree: unknown, isLeaf?: (x: unknown) => boolean): T[] {
  return treeFlatten<T>(tree, isLeaf)[0];
}

/** JAX's `tree_util.tree_structure(tree, is_leaf)`: the TreeDef of `tree`. */
export function treeStructure(tree: unknown, isLeaf?: (x: unknown) => boolean): TreeDef {
  return treeFlatten(tree, isLeaf)[1];
}

/** The registered pytree node of `x`'s class, if any. */
export function customNodeOf(x: unknown): CustomNode | undefined {
  // Functions too: a registered class may make callable instances (tree_util.Partial).
  return (typeof x === "object" && x !== null) || typeof x === "function"
    ? customNodes.get(x.constructor)
    : undefined;
}

/** Leaf paths in JAX's `keystr` style: `[0]`, `['w']`, `[0]['b']` (same order as flatten). */
export function treeLeafPaths(tree: unknown, isLeaf?: (x: unknown) => boolean): string[] {
  const out: string[] = [];
  const go = (x: unknown, path: string): void => {
    if (isLeaf?.(x)) {
      out.push(path);
      return;
    }
    if (x === null || x === undefined) return;
    if (Array.isArray(x)) {
      x.forEach((c, i) => go(c, `${path}[${i}]`));
      return;
    }
    if (isPlainObject(x)) {
      for (const k of Object.keys(x).sort()) go(x[k], `${path}['${k}']`);
      return;
    }
    if (typeof x === "object" || typeof x === "function") {
      const node = customNodes.get((x as object).constructor);
      if (node) {
        node.flatten(x)[0].forEach((c, i) => go(c, `${path}[${i}]`));
        return;
      }
    }
    out.push(path);
  };
  go(tree, "");
  return out;
}
