/**
 * What the wasm device's runtime asks of the platform: Node's built-in modules (synchronously,
 * where Node allows) and the CPU count.
 */

/** Whether this is Node. */
export const isNode = typeof process === "object" && process !== null && !!process.versions?.node;

/** An error's message (or the thrown value as text). */
export const errorText = (e: unknown): string =>
  (e as { message?: unknown } | null)?.message !== undefined
    ? String((e as { message: unknown }).message)
    : String(e);

/** Node's built-in modules, synchronously (Node ≥ 20.16); undefined elsewhere. */
export function nodeBuiltin<T>(id: string): T | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  try {
    return typeof get === "function" ? (get(id) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** The CPU count when it can be read synchronously. */
export function cpuCountSync(): number | undefined {
  const os = nodeBuiltin<typeof import("node:os")>("node:os");
  if (os)
    return typeof os.availableParallelism === "function"
      ? os.availableParallelism()
      : os.cpus().length;
  if (isNode) return undefined;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** Thread count from the environment: os.availableParallelism() / navigator.hardwareConcurrency. */
export async function cpuCount(): Promise<number> {
  const sync = cpuCountSync();
  if (sync !== undefined) return sync;
  if (isNode) {
    try {
      const spec = "node:os";
      const os = (await import(/* @vite-ignore */ spec)) as typeof import("node:os");
      return typeof os.availableParallelism === "function"
        ? os.availableParallelism()
        : os.cpus().length;
    } catch {
      return 1;
    }
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** A Web Worker's error event as text (one without a message: its script was refused). */
export const workerErrorText = (e: unknown): string =>
  (e as { message?: unknown } | null)?.message
    ? errorText(e)
    : "its script was refused (an error event without a message, as a blocked or failed load gives)";
