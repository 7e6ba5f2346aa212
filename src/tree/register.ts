/**
 * Registering classes as pytree nodes, as jax.tree_util does: `registerPytreeNodeClass` (a
 * class with `treeFlatten()` and a static `treeUnflatten(aux, children)`), `registerStatic`
 * (instances are structure, no leaves), `registerDataclass` (named data and meta fields: JS
 * classes do not declare their fields, so both lists are required), and `Partial`, a callable
 * partial application whose bound arguments are its leaves (so it can cross `jit`).
 */
import { ValueError } from "../core/errors.js";
import { registerPytreeNode } from "../core/pytree.js";

type AnyClass = new (...args: never[]) => unknown;

/**
 * Register a class with a `treeFlatten()` method returning `[children, aux]` and a static
 * `treeUnflatten(aux, children)` (`jax.tree_util.register_pytree_node_class`); returns the class.
 */
export function registerPytreeNodeClass<
  C extends AnyClass & { treeUnflatten(aux: never, children: unknown[]): unknown },
>(cls: C): C {
  registerPytreeNode(
    cls,
    (x) => (x as { treeFlatten(): [unknown[], unknown] }).treeFlatten(),
    (aux, children) => cls.treeUnflatten(aux as never, children),
  );
  return cls;
}

/**
 * Register a class whose instances are static: no children, the instance itself is the aux
 * data compared by jit's cache (`jax.tree_util.register_static`); returns the class.
 */
export function registerStatic<C extends AnyClass>(cls: C): C {
  registerPytreeNode(
    cls,
    (x) => [[], x],
    (aux) => aux as InstanceType<C>,
  );
  return cls;
}

/**
 * Register a class as a node whose `dataFields` are children and `metaFields` are aux data
 * (`jax.tree_util.register_dataclass(nodetype, data_fields, meta_fields, drop_fields)`).
 * Unflattening makes an object of the class's prototype and sets the fields (the constructor
 * is not called: JS constructors take positional arguments, Python dataclasses keywords);
 * `dropFields` are left unset. Returns the class.
 */
export function registerDataclass<C extends AnyClass>(
  cls: C,
  dataFields?: readonly string[] | null,
  metaFields?: readonly string[] | null,
  dropFields: readonly string[] = [],
): C {
  if (!dataFields || !metaFields) {
    throw new TypeError(
      `registerDataclass(${cls.name}): pass dataFields and metaFields — JS classes do not ` +
        "declare their fields, so they cannot be inferred as from a Python dataclass.",
    );
  }
  const overlap = dataFields.filter((f) => metaFields.includes(f) || dropFields.includes(f));
  if (overlap.length) {
    throw new ValueError(
      `registerDataclass(${cls.name}): fields listed twice: ${overlap.join(", ")}`,
    );
  }
  registerPytreeNode(
    cls,
    (x) => {
      const o = x as Record<string, unknown>;
      return [dataFields.map((f) => o[f]), metaFields.map((f) => o[f])];
    },
    (aux, children) => {
      const o = Object.create(cls.prototype as object) as Record<string, unknown>;
      metaFields.forEach((f, i) => (o[f] = (aux as unknown[])[i]));
      dataFields.forEach((f, i) => (o[f] = children[i]));
      return o as InstanceType<C>;
    },
  );
  return cls;
}

type AnyFn = (...args: never[]) => unknown;

/**
 * `new Partial(func, ...args)`: a function calling `func(...args, ...more)`, and a pytree node
 * whose children are `args` and aux data `func` (`jax.tree_util.Partial`), so a function with
 * bound arrays can be passed to and returned from jitted functions.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- adds the call signature
export interface Partial {
  (...more: unknown[]): unknown;
}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see above
export class Partial {
  readonly func!: AnyFn;
  readonly args!: readonly unknown[];
  constructor(func: AnyFn, ...args: unknown[]) {
    if (typeof func !== "function") {
      throw new TypeError(`the first argument must be callable, got ${typeof func}`);
    }
    const call = (...more: unknown[]): unknown =>
      (func as (...a: unknown[]) => unknown)(...args, ...more);
    Object.setPrototypeOf(call, new.target.prototype);
    Object.defineProperty(call, "func", { value: func, enumerable: true });
    Object.defineProperty(call, "args", { value: Object.freeze([...args]), enumerable: true });
    return call as unknown as Partial;
  }
}
Object.setPrototypeOf(Partial.prototype, Function.prototype);

registerPytreeNode(
  Partial,
  (p) => [[...p.args], p.func],
  (func, children) => new Partial(func as AnyFn, ...children),
);
