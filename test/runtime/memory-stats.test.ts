/**
 * memoryStats(): live buffers, live bytes and peak bytes of a device (as JAX's
 * `device.memory_stats()`), going up when arrays are created and back down when they are
 * disposed, on both devices; and, while allocation sites are recorded, the same by creation
 * site (a short stack of the caller's frames).
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  type Array,
  config,
  memoryStats,
  numpy as jnp,
  recordAllocationSites,
} from "../../src/index.js";

afterEach(() => {
  recordAllocationSites(false);
  config.update("defaultDevice", "wasm");
});

/** Two arrays made here: 4,000 bytes from the host and 2,000 computed by a kernel. */
function makeTrackedArrays(): Array[] {
  const a = jnp.array(new Float32Array(1000).fill(1.5));
  const t = jnp.array(Int32Array.from({ length: 500 }, (_, i) => i));
  const b = t.add(t);
  t.dispose();
  return [a, b];
}

describe("memoryStats", () => {
  for (const device of ["wasm", "js"] as const) {
    it(`counts live buffers and bytes on ${device}; dispose brings them back down`, () => {
      config.update("defaultDevice", device);
      // The js device counts its (garbage-collected) buffers only while sites are recorded.
      if (device === "js") recordAllocationSites(true);
      for (const x of makeTrackedArrays()) x.dispose(); // compile and cache what the calls need
      const s0 = memoryStats({ device });
      expect(s0.device).toBe(device);
      expect(s0.bySite).toBeUndefined();
      const xs = makeTrackedArrays();
      for (const x of xs) x.blockUntilReady();
      const s1 = memoryStats({ device });
      expect(s1.liveBuffers).toBe(s0.liveBuffers + 2);
      // 6,000 bytes of values (each allocation rounded up to at most 64 bytes more).
      expect(s1.liveBytes - s0.liveBytes).toBeGreaterThanOrEqual(6000);
      expect(s1.liveBytes - s0.liveBytes).toBeLessThanOrEqual(6000 + 2 * 64);
      expect(s1.peakBytes).toBeGreaterThanOrEqual(s1.liveBytes);
      const shared = xs[0]!.reshape([10, 100]); // shares its buffer: no new memory
      expect(shared.tolist()).toHaveLength(10);
      expect(memoryStats({ device }).liveBuffers).toBe(s1.liveBuffers);
      for (const x of [...xs, shared]) x.dispose();
      const s2 = memoryStats({ device });
      expect(s2.liveBuffers).toBe(s0.liveBuffers);
      expect(s2.liveBytes).toBe(s0.liveBytes);
      expect(s2.peakBytes).toBeGreaterThanOrEqual(s1.liveBytes);
    });

    it(`groups live buffers by creation site on ${device} while sites are recorded`, () => {
      config.update("defaultDevice", device);
      const before = makeTrackedArrays(); // made while not recording: no site
      recordAllocationSites(true);
      const xs = makeTrackedArrays();
      for (const x of xs) x.blockUntilReady();
      recordAllocationSites(false);
      const s = memoryStats({ device, bySite: true });
      const mine = s.bySite!.filter((e) => e.site.includes("makeTrackedArrays"));
      expect(mine.reduce((n, e) => n + e.buffers, 0)).toBe(2);
      expect(mine.reduce((n, e) => n + e.bytes, 0)).toBe(6000);
      expect(mine.every((e) => e.site.includes("memory-stats.test"))).toBe(true);
      for (const x of xs) x.dispose();
      const after = memoryStats({ device, bySite: true });
      expect(after.bySite!.filter((e) => e.site.includes("makeTrackedArrays"))).toEqual([]);
      for (const x of before) x.dispose();
    });
  }

  it("the default device, and an unknown device raises", () => {
    expect(memoryStats().device).toBe(config.read("defaultDevice"));
    expect(() => memoryStats({ device: "tpu" })).toThrow(/Unknown device 'tpu'/);
  });
});
