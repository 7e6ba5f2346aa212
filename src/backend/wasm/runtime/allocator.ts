/**
 * The wasm device's heap allocator: a JS-side first-level allocator over one linear memory.
 *
 * - Every block is a multiple of 64 bytes and 64-byte aligned (cache lines, SIMD, any typed
 *   array's alignment).
 * - Free blocks are indexed three ways: by start address and by end address (so a freed block
 *   merges with free neighbours in O(1)), and by exact size (so the common case — a training
 *   step freeing and re-allocating the same shapes — is an O(1) exact reuse, usually of the
 *   very same address).
 * - Sizes without an exact match are served from power-of-two size classes: best fit among a
 *   few blocks of the request's own class, else any block of a larger class (which always
 *   fits), splitting it; failing that, from the top of the heap (the "wilderness"), growing the
 *   memory on demand. A free block that reaches the top is returned to the wilderness. Large
 *   blocks are not indexed by exact size, so splitting them creates no per-size bookkeeping.
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

/** Free blocks up to this size are also indexed by exact size (they recur: same shapes). */
const EXACT_MAX = 1 << 16;
/** Blocks examined in the request's own size class before moving to larger classes. */
const SCAN_LIMIT = 16;
/** Blocks up to this size are recycled through plain stacks (no coalescing) first. */
const QUICK_MAX = 256;
/** Blocks kept per quick size. */
const QUICK_CAP = 4096;

export class Allocator {
  /** End of the managed region: everything at or above is unused. */
  private top: number;
  private readonly freeByStart = new Map<number, number>();
  private readonly freeByEnd = new Map<number, number>();
  /** Small free blocks by exact size. */
  private readonly bySize = new Map<number, Set<number>>();
  /** All free blocks by size class (addresses). */
  private readonly classes: Set<number>[] = [];
  private _live = 0;
  private _peak = 0;
  private _free = 0;
  /**
   * Quick lists: freed small blocks (scalars, tiny arrays: one per call with a JS number
   * argument) by size/64 − 1, reused LIFO without touching the indexes — V8's hash tables
   * reallocate when a key is deleted and re-added at a high rate. `flush` coalesces them.
   */
  private readonly quick: number[][] = Array.from({ length: QUICK_MAX / ALIGN }, () => []);
  private quickBytes = 0;

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
  /** Bytes in free blocks below the top (including the quick lists). */
  get freeBytes(): number {
    return this._free + this.quickBytes;
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
    if (size <= QUICK_MAX) {
      const q = this.quick[size / ALIGN - 1]!;
      if (q.length && q[q.length - 1]! + size <= limit) {
        this.quickBytes -= size;
        return this.taken(q.pop()!, size);
      }
    }
    let addr = -1;
    let found = 0;
    // 1. Exact size (small blocks).
    if (size <= EXACT_MAX) {
      const exact = this.bySize.get(size);
      if (exact) {
        for (const a of exact) {
          if (a + size <= limit) {
            addr = a;
            found = size;
            break;
          }
        }
      }
    }
    // 2. Best fit among a few blocks of the request's own class; 3. any block of a larger class.
    if (addr < 0) {
      const c0 = sizeClass(size);
      const own = this.classes[c0];
      if (own && own.size) {
        let n = 0;
        let best = Infinity;
        for (const a of own) {
          const s = this.freeByStart.get(a)!;
          if (s >= size && s < best && a + size <= limit) {
            best = s;
            addr = a;
          }
          if (++n >= SCAN_LIMIT) break;
        }
        if (addr >= 0) found = best;
      }
      for (let c = c0 + 1; addr < 0 && c < this.classes.length; c++) {
        const set = this.classes[c]!;
        if (set.size === 0) continue;
        for (const a of set) {
          if (a + size <= limit) {
            addr = a;
            found = this.freeByStart.get(a)!;
            break;
          }
        }
      }
    }
    if (addr >= 0) {
      this.removeFree(addr, found);
      if (found > size) this.insertFree(addr + size, found - size);
    } else {
      // 4. The wilderness.
      const end = this.top + size;
      if (end > limit) return -1;
      if (end > this.hooks.capacity() && !this.hooks.grow(end)) return -1;
      addr = this.top;
      this.top = end;
    }
    return this.taken(addr, size);
  }

  private taken(addr: number, size: number): number {
    this._live += size;
    if (this._live > this._peak) this._peak = this._live;
    return addr;
  }

  /** Move the quick lists' blocks into the coalescing free lists. */
  flush(): void {
    if (this.quickBytes === 0) return;
    for (let k = 0; k < this.quick.length; k++) {
      const q = this.quick[k]!;
      const size = (k + 1) * ALIGN;
      while (q.length) this.release(q.pop()!, size);
    }
    this.quickBytes = 0;
  }

  /**
   * Return a block from `alloc` (`bytes` as requested then). Allocated blocks are not tracked
   * here — their owners know their sizes — so a free costs a few map operations. (A map of live
   * blocks would see the same keys deleted and re-inserted at a high rate, which degrades V8's
   * ordered hash tables badly.)
   */
  free(addr: number, bytes: number): void {
    const size = roundUp(bytes);
    if (addr < this.base || addr + size > this.top || this.freeByStart.has(addr)) {
      throw new Error(
        `internal error: free of a block that is not allocated (${addr}, ${size} bytes)`,
      );
    }
    this._live -= size;
    if (size <= QUICK_MAX) {
      const q = this.quick[size / ALIGN - 1]!;
      if (q.length < QUICK_CAP) {
        q.push(addr);
        this.quickBytes += size;
        return;
      }
    }
    this.release(addr, size);
  }

  /** Put a block into the free lists, merging with free neighbours and the wilderness. */
  private release(addr: number, size: number): void {
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

  private insertFree(addr: number, size: number): void {
    this.freeByStart.set(addr, size);
    this.freeByEnd.set(addr + size, addr);
    if (size <= EXACT_MAX) {
      let set = this.bySize.get(size);
      if (!set) this.bySize.set(size, (set = new Set()));
      set.add(addr);
    }
    const c = sizeClass(size);
    while (this.classes.length <= c) this.classes.push(new Set());
    this.classes[c]!.add(addr);
    this._free += size;
  }

  private removeFree(addr: number, size: number): void {
    this.freeByStart.delete(addr);
    this.freeByEnd.delete(addr + size);
    if (size <= EXACT_MAX) {
      // Emptied sets stay (at most 1024 small sizes): re-creating them per call churns the GC.
      this.bySize.get(size)!.delete(addr);
    }
    this.classes[sizeClass(size)]!.delete(addr);
    this._free -= size;
  }
}
