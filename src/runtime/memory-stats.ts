/**
 * `memoryStats()`: a device's memory in use — live buffers, live bytes, peak bytes, the limit,
 * and by creation site (JAX: `jax.devices()[0].memory_stats()`); `recordAllocationSites` turns
 * the capture of creation sites on and off.
 */
import type { MemoryStats } from "../backend/device.js";
import { setRecordingSites } from "../backend/allocation-sites.js";
import { getDevice } from "./devices.js";

export type { MemoryStats, SiteStats } from "../backend/device.js";

export interface MemoryStatsOptions {
  /** The device (default: config.defaultDevice). */
  readonly device?: string;
  /** Add `bySite`: live buffers grouped by the site that created them (see recordAllocationSites). */
  readonly bySite?: boolean;
}

/** Memory in use on a device (the default device unless `options.device` names one). */
export function memoryStats(options: MemoryStatsOptions = {}): MemoryStats {
  const device = getDevice(options.device);
  const bySite = options.bySite ?? false;
  if (device.memoryStats) return device.memoryStats({ bySite });
  return { device: device.name, liveBuffers: 0, liveBytes: 0, peakBytes: 0 };
}

/**
 * Record, from now on, where each device buffer is created (a short stack of the caller's
 * frames; on the js device, whose memory the JS garbage collector owns, this also turns the
 * counting of its buffers on), for `memoryStats({ bySite: true })`; `false` stops (sites
 * already noted stay until their buffers are freed). Off by default: capturing a stack per
 * allocation costs time.
 */
export function recordAllocationSites(enabled: boolean): void {
  setRecordingSites(enabled);
}
