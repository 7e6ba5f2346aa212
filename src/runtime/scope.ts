/**
 * `jax.scope(fn)`: run `fn` and free every array created inside it except the ones it returns
 * (anywhere in a returned pytree). For long synchronous loops, where unreachable arrays cannot
 * be reclaimed automatically until the event loop turns:
 *
 *   for (let i = 0; i < steps; i++) params = jax.scope(() => update(params, batch));
 *
 * Scopes nest: arrays returned from an inner scope belong to the enclosing one. Arrays created
 * while tracing (constants captured by a jaxpr) are not tracked — the jaxpr keeps them. If `fn`
 * throws, everything it created is freed and the error propagates.
 */
import { treeFlatten } from "../core/pytree.js";
import { isStaging } from "../trace/trace.js";

interface Owned {
  dispose(): void;
}

const stack: Set<Owned>[] = [];

/** Called for every new concrete array: the innermost active scope owns it. */
export function trackInScope(x: Owned): void {
  if (stack.length === 0 || isStaging()) return;
  stack[stack.length - 1]!.add(x);
}

/** Whether a scope is active (for tests). */
export function scopeDepth(): number {
  return stack.length;
}

export function scope<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new TypeError(`scope expects a function, got ${typeof fn}.`);
  const mine = new Set<Owned>();
  stack.push(mine);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    stack.splice(stack.lastIndexOf(mine), 1);
    for (const x of mine) x.dispose();
    throw e;
  }
  stack.splice(stack.lastIndexOf(mine), 1);
  if (
    result !== null &&
    typeof result === "object" &&
    typeof (result as { then?: unknown }).then === "function"
  ) {
    throw new TypeError(
      "scope(fn) needs a synchronous function: arrays created after an `await` inside fn could " +
        "not be tracked. Use a scope around each synchronous part, or dispose()/`using` instead.",
    );
  }
  const [leaves] = treeFlatten<unknown>(result);
  const keep = new Set<unknown>(leaves);
  const parent = stack[stack.length - 1];
  for (const x of mine) {
    if (keep.has(x)) parent?.add(x);
    else x.dispose();
  }
  return result;
}
