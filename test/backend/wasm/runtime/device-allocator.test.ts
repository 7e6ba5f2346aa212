import { afterEach, describe, expect, it } from "vitest";
import { Allocator, roundUp } from "../../../../src/backend/wasm/runtime/allocator.js";
import { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";
import { config } from "../../../../src/core/config.js";
import { float32 } from "../../../../src/core/dtype.js";
import { DeviceError } from "../../../../src/core/errors.js";

/** An allocator over a pretend memory of `cap` bytes that can grow up to `limit`. */
function make(limit = 1 << 20, cap = 4096) {
  const state = { cap, grows: 0 };
  const a = new Allocator(64, {
    limit: () => limit,
    capacity: () => state.cap,
    grow: (n) => {
      if (n > limit) return false;
      state.cap = Math.max(n, state.cap * 2);
      state.grows++;
      return true;
    },
  });
  return { a, state };
}

describe("allocator", () => {
  it("aligns every block to 64 bytes and rounds sizes up", () => {
    const { a } = make();
    const xs = [1, 63, 64, 65, 100, 1000, 4].map((n) => a.alloc(n));
    for (const x of xs) expect(x % 64).toBe(0);
    expect(roundUp(1)).toBe(64);
    expect(roundUp(65)).toBe(128);
    expect(a.liveBytes).toBe(64 + 64 + 64 + 128 + 128 + 1024 + 64);
    // No overlaps.
    const spans = xs
      .map((x, i) => [x, x + roundUp([1, 63, 64, 65, 100, 1000, 4][i]!)] as const)
      .sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it("reuses a freed block of the same size at the same address (the training-step pattern)", () => {
    const { a } = make();
    const keep = a.alloc(256);
    const x = a.alloc(4000);
    const sep = a.alloc(64); // keeps x from merging into the wilderness
    a.free(x, 4000);
    const y = a.alloc(4000);
    expect(y).toBe(x);
    // Many steps of allocate-new / free-old stay within two slots.
    let prev = a.alloc(4000);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const next = a.alloc(4000);
      a.free(prev, 4000);
      prev = next;
      seen.add(next);
    }
    expect(seen.size).toBeLessThanOrEqual(2);
    expect(a.heapTop).toBeLessThan(64 + 256 + 3 * 4032 + 64 + 4096);
    a.free(keep, 256);
    a.free(sep, 64);
  });

  it("coalesces free neighbours in both directions and returns the top to the wilderness", () => {
    const { a } = make();
    const p = [a.alloc(1024), a.alloc(1024), a.alloc(1024), a.alloc(1024)];
    const guard = a.alloc(1024);
    a.free(p[0]!, 1024);
    a.free(p[2]!, 1024);
    expect(a.freeBlockCount).toBe(2);
    a.free(p[1]!, 1024); // merges with both neighbours
    expect(a.freeBlockCount).toBe(1);
    expect(a.freeBytes).toBe(3072);
    // A 3072-byte request fits exactly in the merged block.
    expect(a.alloc(3072)).toBe(p[0]);
    expect(() => a.free(p[0]!, 3072)).not.toThrow();
    a.free(p[3]!, 1024);
    expect(a.freeBlockCount).toBe(1);
    const top = a.heapTop;
    a.free(guard, 1024);
    // Everything free: the heap shrinks back to its base.
    expect(a.freeBlockCount).toBe(0);
    expect(a.heapTop).toBeLessThan(top);
    expect(a.heapTop).toBe(64);
    expect(a.liveBytes).toBe(0);
  });

  it("splits larger free blocks best-fit", () => {
    const { a } = make();
    const big = a.alloc(1024);
    const sep = a.alloc(64);
    const small = a.alloc(256);
    const guard = a.alloc(64);
    a.free(big, 1024);
    a.free(small, 256);
    // 256 exact-size block is preferred over splitting the 1024 one.
    const s = a.alloc(256);
    expect(s).toBe(small);
    const t = a.alloc(512); // split from the 1024 block
    expect(t).toBe(big);
    expect(a.freeBytes).toBe(512);
    void guard;
    void sep;
  });

  it("grows the memory on demand and fails (−1) past the limit", () => {
    const { a, state } = make(64 * 1024);
    const x = a.alloc(16 * 1024);
    expect(x).toBeGreaterThan(0);
    expect(state.grows).toBeGreaterThan(0);
    expect(a.alloc(64 * 1024)).toBe(-1);
    expect(a.liveBytes).toBe(16 * 1024);
  });

  it("recycles small blocks through quick lists; flush coalesces them", () => {
    const { a } = make();
    const xs = Array.from({ length: 10 }, () => a.alloc(8));
    const guard = a.alloc(4096);
    for (const x of xs) a.free(x, 8);
    expect(a.freeBlockCount).toBe(0); // held in the quick list
    expect(a.freeBytes).toBe(640);
    expect(a.alloc(8)).toBe(xs[9]); // LIFO
    a.free(xs[9]!, 8);
    a.flush();
    expect(a.freeBlockCount).toBe(1); // all ten merged
    expect(a.alloc(640)).toBe(xs[0]);
    void guard;
  });

  it("tracks peak bytes", () => {
    const { a } = make();
    const x = a.alloc(1000);
    const y = a.alloc(2000);
    a.free(x, 1000);
    a.free(y, 2000);
    expect(a.liveBytes).toBe(0);
    expect(a.peakBytes).toBe(1024 + 2048);
    a.resetPeak();
    expect(a.peakBytes).toBe(0);
  });

  it("randomized alloc/free keeps blocks disjoint and accounting exact", () => {
    const { a } = make(1 << 24);
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const live = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      if (live.size && rnd() < 0.45) {
        const keys = [...live.keys()];
        const k = keys[Math.floor(rnd() * keys.length)]!;
        a.free(k, live.get(k)!);
        live.delete(k);
      } else {
        const n = 1 + Math.floor(rnd() * rnd() * 20000);
        const addr = a.alloc(n);
        expect(addr).toBeGreaterThan(0);
        live.set(addr, roundUp(n));
      }
    }
    const spans = [...live].sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![0] + spans[i - 1]![1]);
    expect(a.liveBytes).toBe([...live.values()].reduce((s, v) => s + v, 0));
    for (const [k, n] of live) a.free(k, n);
    expect(a.liveBytes).toBe(0);
    a.flush(); // small blocks wait in quick lists until flushed
    expect(a.heapTop).toBe(64);
  });

  it("rejects a double free", () => {
    const { a } = make();
    const x = a.alloc(1000);
    a.alloc(1000);
    a.free(x, 1000);
    expect(() => a.free(x, 1000)).toThrow(/not allocated/);
  });

  // V8's hash tables reallocate when keys are deleted and re-added at a high rate (100k
  // scalar alloc/free pairs took seconds): small blocks must recycle through the quick lists,
  // never through the Map/Set indexes.
  it("recycles small blocks LIFO without touching the free-block indexes (V8 hash tables)", () => {
    const { a } = make(1 << 30, 1 << 20);
    let freed = -1;
    for (let i = 0; i < 100_000; i++) {
      const s = a.alloc(4);
      if (freed >= 0 && s !== freed) throw new Error(`step ${i}: got ${s}, not the freed ${freed}`);
      a.alloc(4); // kept: the live set grows
      a.free(s, 4);
      freed = s;
      if (a.freeBlockCount !== 0) throw new Error(`step ${i}: a small free reached the index`);
    }
    expect(a.liveBytes).toBe(100_000 * 64);
  });
});

describe("wasm device out-of-memory", () => {
  const saved = config.read("memoryLimitBytes");
  afterEach(() => config.update("memoryLimitBytes", saved));

  it("raises a DeviceError naming the request, the live total and the limit", () => {
    const dev = new WasmDevice({ threads: 1 });
    config.update("memoryLimitBytes", 1 << 20);
    const keep = dev.fromHost(new Float32Array(100_000), float32); // 400 kB
    let err: unknown;
    try {
      dev.fromHost(new Float32Array(200_000), float32); // 800 kB more: over 1 MiB
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeviceError);
    const msg = (err as Error).message;
    expect(msg).toContain("Out of memory on the wasm device");
    expect(msg).toContain("800,000 bytes");
    expect(msg).toContain(`${dev.liveBytes.toLocaleString("en-US")} bytes are live`);
    expect(msg).toContain("1,048,576 bytes (config.memoryLimitBytes)");
    expect(msg).toMatch(/dispose\(\)/);
    // The device is intact: the live buffer still reads, smaller allocations still work.
    expect(dev.toHost(keep).length).toBe(100_000);
    const ok = dev.fromHost(new Float32Array(1000), float32);
    expect(dev.toHost(ok).length).toBe(1000);
    // With `ok` after `keep`, freeing `keep` alone leaves the space fragmented.
    dev.dropUnowned(keep);
    expect(() => dev.fromHost(new Float32Array(200_000), float32)).toThrow(/fragmented/);
    // Freeing both makes the big allocation possible.
    dev.dropUnowned(ok);
    expect(() => dev.fromHost(new Float32Array(200_000), float32)).not.toThrow();
  });
});
