/**
 * Forced garbage collections for the wasm device. Unreachable arrays return their device
 * memory through a FinalizationRegistry, which needs a GC and then a turn of the event loop;
 * V8 does not see device memory, so a loop allocating little JS but much device memory might
 * go a long time without one. The collector asks for a GC when live device bytes have grown a
 * lot since the last one (Node; elsewhere the engine's own GC schedule applies).
 */
import { canCollectNow, collectNow } from "../../../core/finalization.js";
import type { Allocator } from "./allocator.js";
import { isNode } from "./dispatch-policy.js";

/** Default growth of live device bytes (over the lowest level since the last collection) that
 * makes the device ask for a garbage collection (Node). */
const GC_MIN_GROWTH = 64 * 1024 * 1024;

export class Collector {
  private gcFn: ((opts?: unknown) => void) | undefined;
  /** Whether the event loop turned since the last forced collection (finalizers could run). */
  private gcTurned = true;
  /** Lowest live bytes seen since the last forced collection. */
  private liveFloor = 0;
  /** Forced collections so far. */
  count = 0;
  /** Growth of live bytes over the floor that triggers a collection (at least; see maybeCollect). */
  growthBytes = GC_MIN_GROWTH;
  /** Whether a collection can reclaim unreachable arrays synchronously (core/finalization.ts). */
  readonly canCollectNow = canCollectNow;

  constructor(
    private readonly allocator: Allocator,
    /** Process completed tasks and return freed blocks to the allocator. */
    private readonly reclaim: () => void,
    enabled: boolean,
  ) {
    if (enabled) void this.load();
  }

  private async load(): Promise<void> {
    if (!isNode) return;
    try {
      const v8 = (await import(/* @vite-ignore */ "node:" + "v8")) as typeof import("node:v8");
      const vm = (await import(/* @vite-ignore */ "node:" + "vm")) as typeof import("node:vm");
      const g = (globalThis as { gc?: (o?: unknown) => void }).gc;
      if (typeof g === "function") this.gcFn = g;
      else {
        v8.setFlagsFromString("--expose-gc");
        this.gcFn = vm.runInNewContext("gc") as (o?: unknown) => void;
      }
    } catch {
      this.gcFn = undefined;
    }
  }

  /** Note the live bytes after a free (the floor the growth is measured from). */
  noteLive(): void {
    if (this.allocator.liveBytes < this.liveFloor) this.liveFloor = this.allocator.liveBytes;
  }

  /** After an allocation: collect when live device bytes have grown a lot since the last one. */
  maybeCollect(): void {
    const live = this.allocator.liveBytes;
    if (live < this.liveFloor) this.liveFloor = live;
    if (live - this.liveFloor < Math.max(this.growthBytes, this.liveFloor)) return;
    this.collect();
    this.liveFloor = this.allocator.liveBytes;
  }

  /**
   * Reclaim memory of unreachable arrays: synchronously where the engine allows it
   * (core/finalization.ts), else by a GC whose finalizers run at the next turn.
   */
  collect(): void {
    this.count++;
    if (collectNow()) {
      this.reclaim();
      return;
    }
    if (!this.gcFn || !this.gcTurned) return;
    this.gcTurned = false;
    try {
      this.gcFn();
    } catch {
      this.gcFn = undefined;
      return;
    }
    const t = setTimeout(() => (this.gcTurned = true), 0) as unknown as { unref?: () => void };
    t.unref?.();
  }
}
