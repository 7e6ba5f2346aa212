/**
 * Worker threads that cannot start, said out loud: a worker that dies before it is ready (its
 * script refused, a Content-Security-Policy without `blob:` workers, a constructor that throws)
 * is retried once; then the pool stops respawning it, the device runs on the threads it has
 * (single-threaded when none), and jaxts warns once with `console.warn`. A worker that started
 * without the JS kernels' helpers (`rt.*`) is reported the same way. The reasons stay readable
 * (`WasmDevice.workerStatus`, `printEnvironmentInfo()`).
 */

/** Starts of one worker thread that may fail in a row before the pool gives up on it. */
export const START_TRIES = 2;

let warned = false;

/** `console.warn` once per process (the first problem; later ones are only recorded). */
function warnOnce(text: string): void {
  if (warned) return;
  warned = true;
  console.warn(`jaxts: ${text}`);
}

const inBrowser = (): boolean =>
  typeof (globalThis as { document?: unknown }).document === "object" ||
  typeof (globalThis as { importScripts?: unknown }).importScripts === "function";

/** What to check when worker threads do not start in a browser. */
export function workerStartHint(): string {
  return inBrowser()
    ? " Web Workers from blob: URLs must be allowed (a Content-Security-Policy needs " +
        "`worker-src blob:` or no worker-src/script-src restriction on blob:)."
    : "";
}

/** One pool's record of failed starts and missing helpers. */
export class StartFailures {
  private readonly inARow = new Map<number, number>();
  /** Thread ids the pool no longer respawns. */
  readonly abandoned = new Set<number>();
  /** Why workers could not start (the first reason), if they could not. */
  failure: string | undefined;
  /** A worker's report that it has no helpers, if one made it. */
  helpersProblem: string | undefined;

  /** Worker `tid` became ready. */
  started(tid: number): void {
    this.inARow.delete(tid);
  }

  /**
   * Worker `tid` died before it was ready (`why`); `final` when retrying cannot help (its
   * constructor threw). Returns whether the pool should stop respawning it.
   */
  failedStart(tid: number, why: string, final = false): boolean {
    const n = (this.inARow.get(tid) ?? 0) + 1;
    this.inARow.set(tid, n);
    if (n < START_TRIES && !final) return false;
    this.abandoned.add(tid);
    if (this.failure === undefined) {
      this.failure = `worker thread ${tid} ${why}`;
      warnOnce(
        `the wasm device's worker threads could not start (${this.failure}); ` +
          `kernels run on the calling thread instead.${workerStartHint()}`,
      );
    }
    return true;
  }

  /** A worker reported it could not set up the helpers. */
  noHelpers(message: string): void {
    if (this.helpersProblem !== undefined) return;
    this.helpersProblem = message;
    warnOnce(
      `${message}; JS kernels that need them run on the calling thread instead of the workers.`,
    );
  }
}
