/**
 * The wasm device's heap allocator: a JS-side first-level allocator over one linear memory.
 *
 * - Every block is a multiple of 64 bytes and 64-byte aligned (cache lines, SIMD, any typed
 *   array's alignment).
 * - Free blocks are indexed three ways: by start address and by end address (so a freed block
 *   merges with free neighbours in O(1)), and by exact size (so the common case — a training
 *   step freeing and re-allocating the same shapes — is an O(1) exact reuse, usually of the
 *   very same address).
 * - Sizes without an exact match are served best-fit from power-of-two size classes, splitting
 *   the block; failing that, from the top of the heap (the "wilderness"), growing the memory on
 *   demand. A free block that reaches the top is returned to the wilderness.
 * - Nothing at or above `limit()` is handed out: lowering the limit at run time takes effect for
 *   new allocations at once.
 *
 * The allocator does not know about buffers, devices or tasks; `alloc` returns -1 when the
 * request cannot be satisfied and the device turns that into a DeviceError.
 */

export const ALIGN = 64;

export interface AllocatorHooks {
  /** Addresses handed out stay below this (bytes). */
  limit(): number;
  /** The memory's current size in bytes. */
  capacity(): number;
  /** Make the memory at least `bytes` long; false if it cannot grow that far. */
  grow(bytes: number): boolean;
}

export const roundUp = (n: number): number => Math.max(ALIGN, Math.ceil(n / ALIGN) * ALIGN);

/** Size class of a (64-aligned) block size: floor(log2(size / 64)). */
const sizeClass = (size: number): number => 31 - Math.clz32(size / ALIGN);

export class Allocator {
  /** End of the managed region: everything at or above is unused. */
  private top: number;
  private readonly freeByStart = new Map<number, number>();
  private readonly freeByEnd = new Map<number, number>();
  private readonly bySize = new Map<number, Set<number>>();
  /** Per size class, the distinct sizes that currently have free blocks. */
  private readonly classes: Set<number>[] = [];
  private readonly used = new Map<number, number>();
  private _live = 0;
  private _peak = 0;
  private _free = 0;

  constructor(
    readonly base: number,
    private readonly hooks: AllocatorHooks,
  ) {
    if (base % ALIGN !== 0) throw new RangeError(`allocator base ${base} is not ${ALIGN}-aligned`);
    this.top = base;
  }

  /** Bytes in allocated blocks. */
  get liveBytes(): number {
    return this._live;
  }
  /** The largest `liveBytes` since creation or the last `resetPeak`. */
  get peakBytes(): number {
    return this._peak;
  }
  /** Bytes in free blocks below the top. */
  get freeBytes(): number {
    return this._free;
  }
  /** The heap's high-water address. */
  get heapTop(): number {
    return this.top;
  }
  /** Number of free blocks (fragmentation, for tests). */
  get freeBlockCount(): number {
    return this.freeByStart.size;
  }
  resetPeak(): void {
    this._peak = this._live;
  }

  /** Size of the largest free block or wilderness span usable under the limit. */
  largestFree(): number {
    const limit = this.hooks.limit();
    let best = Math.max(0, limit - this.top);
    for (const [a, s] of this.freeByStart) best = Math.max(best, Math.min(s, limit - a));
    return best;
  }

  /** Allocate `bytes` (rounded up to 64); returns the address, or -1 if it does not fit. */
  alloc(bytes: number): number {
    const size = roundUp(bytes);
    const limit = this.hooks.limit();
    let addr = -1;
    // 1. Exact size.
    const exact = this.bySize.get(size);
    if (exact) {
      for (const a of exact) {
        if (a + size <= limit) {
          addr = a;
          break;
        }
      }
      if (addr >= 0) this.removeFree(addr, size);
    }
    // 2. Best fit within the first size class that has a fitting block; split.
    if (addr < 0) {
      for (let c = sizeClass(size); c < this.classes.length && addr < 0; c++) {
        const sizes = this.classes[c];
        if (!sizes || sizes.size === 0) continue;
        let bestSize = Infinity;
        let bestAddr = -1;
        for (const s of sizes) {
          if (s < size || s >= bestSize) continue;
          for (const a of this.bySize.get(s)!) {
            if (a + size <= limit) {
              bestSize = s;
              bestAddr = a;
              break;
            }
          }
        }
        if (bestAddr >= 0) {
          this.removeFree(bestAddr, bestSize);
          if (bestSize > size) this.insertFree(bestAddr + size, bestSize - size);
          addr = bestAddr;
        }
      }
    }
    // 3. The wilderness.
    if (addr < 0) {
      const end = this.top + size;
      if (end > limit) return -1;
      if (end > this.hooks.capacity() && !this.hooks.grow(end)) return -1;
      addr = this.top;
      this.top = end;
    }
    this.used.set(addr, size);
    this._live += size;
    if (this._live > this._peak) this._peak = this._live;
    return addr;
  }

  /** Return a block from `alloc`. */
  free(addr: number): void {
    const size = this.used.get(addr);
    if (size === undefined) throw new Error(`internal error: free of unallocated address ${addr}`);
    this.used.delete(addr);
    this._live -= size;
    let start = addr;
    let end = addr + size;
    const prev = this.freeByEnd.get(start);
    if (prev !== undefined) {
      this.removeFree(prev, start - prev);
      start = prev;
    }
    const nextSize = this.freeByStart.get(end);
    if (nextSize !== undefined) {
      this.removeFree(end, nextSize);
      end += nextSize;
    }
    if (end === this.top) this.top = start;
    else this.insertFree(start, end - start);
  }

  /** Allocated size of the block at `addr` (0 if none). */
  sizeOf(addr: number): number {
    return this.used.get(addr) ?? 0;
  }

  private insertFree(addr: number, size: number): void {
    this.freeByStart.set(addr, size);
    this.freeByEnd.set(addr + size, addr);
    let set = this.bySize.get(size);
    if (!set) {
      set = new Set();
      this.bySize.set(size, set);
      const c = sizeClass(size);
      while (this.classes.length <= c) this.classes.push(new Set());
      this.classes[c]!.add(size);
    }
    set.add(addr);
    this._free += size;
  }

  private removeFree(addr: number, size: number): void {
    this.freeByStart.delete(addr);
    this.freeByEnd.delete(addr + size);
    const set = this.bySize.get(size)!;
    set.delete(addr);
    if (set.size === 0) {
      this.bySize.delete(size);
      this.classes[sizeClass(size)]!.delete(size);
    }
    this._free -= size;
  }
}
