/**
 * Automatic reclamation of device memory held by unreachable arrays.
 *
 * A FinalizationRegistry releases a buffer once its array is collected — normally after the
 * event loop turns. In Node, V8's `cleanupSome` lets us also reclaim *synchronously*: when the
 * device runs short (a long synchronous loop creating big arrays), it forces a full GC and runs
 * the pending finalizers at once, so `for (...) f(x)` never runs out of memory because the
 * event loop did not turn. Elsewhere (browsers) the engine's schedule applies, and `dispose()`,
 * `using` and `scope()` remain the deterministic tools.
 */

/** What a registry entry releases: a buffer with a device that may take it back. */
export interface Releasable {
  readonly device: { release?(b: Releasable): void };
}

type Registry = FinalizationRegistry<Releasable> & {
  cleanupSome?: (cb?: (h: Releasable) => void) => void;
};

const release = (b: Releasable): void => b.device.release?.(b);

function nodeRegistry(): { registry: Registry; gc: () => void } | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const get = proc?.getBuiltinModule;
  if (typeof get !== "function") return undefined;
  try {
    const v8 = get("node:v8") as { setFlagsFromString(f: string): void };
    const vm = get("node:vm") as {
      createContext(o: object): object;
      runInContext(code: string, ctx: object): unknown;
    };
    v8.setFlagsFromString("--expose-gc");
    v8.setFlagsFromString("--harmony-weak-refs-with-cleanup-some");
    // A fresh context is bootstrapped with the flags: its registry has cleanupSome, and gc().
    const ctx = vm.createContext({});
    const FR = vm.runInContext("FinalizationRegistry", ctx) as typeof FinalizationRegistry;
    const gc = vm.runInContext("gc", ctx) as () => void;
    const registry = new FR<Releasable>(release) as Registry;
    if (typeof registry.cleanupSome !== "function" || typeof gc !== "function") return undefined;
    return { registry, gc };
  } catch {
    return undefined;
  }
}

const node = nodeRegistry();
const registry: Registry =
  node?.registry ?? (new FinalizationRegistry<Releasable>(release) as Registry);

export function registerFinalizer(owner: object, held: Releasable, token: object): void {
  registry.register(owner, held, token);
}

export function unregisterFinalizer(token: object): void {
  registry.unregister(token);
}

/** Whether `collectNow` can reclaim synchronously here. */
export const canCollectNow = node !== undefined;

/** Force a full GC and release what unreachable arrays held, now. Returns false if unsupported. */
export function collectNow(): boolean {
  if (!node) return false;
  node.gc();
  node.registry.cleanupSome!(release);
  return true;
}
