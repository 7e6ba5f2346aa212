/**
 * JAX's name stack (`source_info_util.NameStack`): the scopes (`namedScope`, `namedCall`) and
 * transformations (`jvp`, `transpose`, `vmap`) active when an equation is staged. Each staged
 * equation keeps the stack relative to its enclosing jaxpr; `jaxpr.prettyPrint({ nameStack:
 * true })` shows it as JAX's `name_stack=True` annotations (`# [jvp(foo)/bar]`).
 */

/** One element: a named scope, or a transformation that wraps the scopes inside it. */
export interface NameStackElement {
  readonly kind: "scope" | "transform";
  readonly name: string;
}

export class NameStack {
  constructor(readonly stack: readonly NameStackElement[] = []) {}
  /** The stack with a named scope pushed (`extend`). */
  extend(name: string): NameStack {
    return new NameStack([...this.stack, { kind: "scope", name }]);
  }
  /** The stack with a transformation pushed (`transform`). */
  transform(name: string): NameStack {
    return new NameStack([...this.stack, { kind: "transform", name }]);
  }
  concat(other: NameStack): NameStack {
    if (other.stack.length === 0) return this;
    if (this.stack.length === 0) return other;
    return new NameStack([...this.stack, ...other.stack]);
  }
  get length(): number {
    return this.stack.length;
  }
  /** JAX's `str(name_stack)`: scopes joined by `/`, a transform wrapping the scope below it. */
  toString(): string {
    const scope: string[] = [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const e = this.stack[i]!;
      if (e.kind === "scope") scope.push(e.name);
      else if (scope.length > 0) scope[scope.length - 1] = `${e.name}(${scope[scope.length - 1]})`;
      else scope.push(`${e.name}()`);
    }
    return scope.reverse().join("/");
  }
}

export const emptyNameStack = new NameStack();
let current: NameStack = emptyNameStack;

/** The name stack equations staged now get. */
export function currentNameStack(): NameStack {
  return current;
}

/** Run `body` with the name stack set to `stack` (JAX's `set_name_stack`). */
export function withNameStack<T>(stack: NameStack, body: () => T): T {
  const prev = current;
  current = stack;
  try {
    return body();
  } finally {
    current = prev;
  }
}

/** Run `body` with scope `name` pushed (JAX's `extend_name_stack`). */
export function extendNameStack<T>(name: string, body: () => T): T {
  return withNameStack(current.extend(name), body);
}

/** Run `body` with transformation `name` pushed (JAX's `transform_name_stack`). */
export function transformNameStack<T>(name: string, body: () => T): T {
  return withNameStack(current.transform(name), body);
}
