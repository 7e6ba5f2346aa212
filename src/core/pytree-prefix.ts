/**
 * `treedef.flatten_up_to(tree)` (JAX's C++ pytree): the subtrees of `tree` at the leaves of
 * `def`, where `def` must be a prefix of `tree`'s structure. Mismatches are reported with
 * jaxlib's messages (`List arity mismatch: 1 != 2; list: [1].`); the caller picks the class.
 */
import { type TreeDef, customNodeOf, isPlainObject } from "./pytree.js";

/** Python's repr of a pytree-ish JS value (arrays show their own repr). */
export function pyRepr(x: unknown): string {
  if (x === null || x === undefined) return "None";
  if (typeof x === "boolean") return x ? "True" : "False";
  if (typeof x === "number") {
    return Number.isNaN(x) ? "nan" : Number.isFinite(x) ? String(x) : x > 0 ? "inf" : "-inf";
  }
  if (typeof x === "string") return `'${x}'`;
  if (typeof x === "function") return `<function ${x.name || "<lambda>"}>`;
  if (Array.isArray(x)) return `[${x.map(pyRepr).join(", ")}]`;
  if (isPlainObject(x)) {
    return `{${Object.keys(x)
      .map((k) => `'${k}': ${pyRepr(x[k])}`)
      .join(", ")}}`;
  }
  const repr = (x as { repr?: unknown }).repr;
  if (typeof repr === "function") return String(repr.call(x));
  if (typeof x === "object" && x.toString === Object.prototype.toString) {
    return `<${x.constructor?.name ?? "object"} object>`;
  }
  return String(x);
}

export function flattenUpTo(
  def: TreeDef,
  tree: unknown,
  mkError: (message: string) => Error,
): unknown[] {
  const out: unknown[] = [];
  const arity = (kind: string, got: number, d: TreeDef, x: unknown) => {
    if (got !== d.children.length) {
      throw mkError(
        `${kind} arity mismatch: ${got} != ${d.children.length}; ${kind.toLowerCase()}: ${pyRepr(x)}.`,
      );
    }
  };
  const go = (d: TreeDef, x: unknown): void => {
    switch (d.kind) {
      case "leaf":
        out.push(x);
        return;
      case "none":
        if (x !== null && x !== undefined) throw mkError(`Expected None, got ${pyRepr(x)}.`);
        return;
      case "list":
        if (!Array.isArray(x)) throw mkError(`Expected list, got ${pyRepr(x)}.`);
        arity("List", x.length, d, x);
        d.children.forEach((c, i) => go(c, x[i]));
        return;
      case "dict": {
        if (!isPlainObject(x)) throw mkError(`Expected dict, got ${pyRepr(x)}.`);
        const keys = d.meta as string[];
        const got = Object.keys(x).sort();
        if (got.length !== keys.length || got.some((k, i) => k !== keys[i])) {
          throw mkError(`Dict key mismatch; expected keys: ${pyRepr(keys)}; dict: ${pyRepr(x)}.`);
        }
        keys.forEach((k, i) => go(d.children[i]!, x[k]));
        return;
      }
      case "custom": {
        const node = customNodeOf(x);
        if (node !== d.node) {
          throw mkError(
            `Custom node type mismatch; expected type: ${d.node!.name}; value: ${pyRepr(x)}.`,
          );
        }
        const [children, aux] = node!.flatten(x);
        if (JSON.stringify(aux) !== JSON.stringify(d.meta)) {
          throw mkError(
            `Mismatch custom node data: ${JSON.stringify(d.meta)} != ${JSON.stringify(aux)}; ` +
              `value: ${pyRepr(x)}.`,
          );
        }
        arity("Custom node", children.length, d, x);
        d.children.forEach((c, i) => go(c, children[i]));
        return;
      }
    }
  };
  go(def, tree);
  return out;
}
