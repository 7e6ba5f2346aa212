/**
 * The device interface: devices only generate code for kernel programs and run it on their
 * buffers. Everything above backend/ is device-blind.
 */
import type { DType, TypedArray } from "../core/dtype.js";
import type { Program } from "../kernel/kernel.js";
import type { LazyArray, LowerContext } from "../kernel/lowering-types.js";
import type { ShapedArray } from "../core/aval.js";

/**
 * A device's own lowering of one primitive (by name), tried before the primitive's rule: it
 * returns the lazy results, or undefined to decline (the primitive's rule then lowers the
 * equation). Params are the equation's, read structurally (devices sit below primitives/).
 */
export type DeviceLowerRule = (
  ctx: LowerContext,
  inputs: LazyArray[],
  params: Readonly<Record<string, unknown>>,
  outAvals: ShapedArray[],
) => LazyArray[] | undefined;

export interface DeviceBuffer {
  readonly dtype: DType;
  readonly size: number;
  readonly device: Device;
}

export interface RunOptions {
  /**
   * Per input: whether the caller donates it (it will not be used again), so an output of the
   * same dtype and size may take over its memory.
   */
  readonly donate?: readonly boolean[];
}

export interface Executable {
  /**
   * Run on input buffers (consts then arguments); returns the output buffers. Inputs are never
   * consumed. Returned buffers may be inputs (aliasing) and may still be being computed.
   */
  run(inputs: readonly DeviceBuffer[], options?: RunOptions): DeviceBuffer[];
  /** The generated code, for `lower(...).asText()`. */
  readonly source: string;
}

/** A device's memory in use (as JAX's `device.memory_stats()`); see `memoryStats()`. */
export interface MemoryStats {
  /** The device's name. */
  readonly device: string;
  /** Device buffers alive (arrays' memory; several arrays may share one). */
  readonly liveBuffers: number;
  /** Bytes of device memory in use (on the wasm device also compiled programs' tables). */
  readonly liveBytes: number;
  /** The most `liveBytes` has been since the device started. */
  readonly peakBytes: number;
  /** The memory limit in bytes, where the device has one (wasm: config.memoryLimitBytes). */
  readonly limitBytes?: number;
  /** Live buffers by creation site, largest first: only those recorded (`recordAllocationSites`). */
  readonly bySite?: readonly SiteStats[];
}

/** Live buffers created at one site: a short stack of the frames outside this library. */
export interface SiteStats {
  readonly site: string;
  readonly buffers: number;
  /** Bytes of their values. */
  readonly bytes: number;
}

export interface Device {
  readonly name: string;
  /** Lines about the device for `printEnvironmentInfo()` (threads, memory), if it has any. */
  environmentLines?(): string[];
  compile(program: Program): Executable;
  /** Lowerings this device claims by primitive name (e.g. the wasm implicit-GEMM conv). */
  readonly lowerings?: ReadonlyMap<string, DeviceLowerRule>;
  /** A device buffer holding a copy of `data` (stored as `dtype.storage`). */
  fromHost(data: TypedArray, dtype: DType): DeviceBuffer;
  /** The buffer's contents (waits for pending work); the result must not be modified. */
  toHost(buf: DeviceBuffer): TypedArray;

  // Devices that manage their memory (wasm) implement the following; buffers from `fromHost`
  // and `run` start unowned, and each owner (an ArrayImpl) holds one reference.
  /** Take a reference to `buf`. */
  /** Take a reference; returns false when the buffer needs no tracking (JS-heap memory). */
  retain?(buf: DeviceBuffer): boolean | void;
  /** Drop a reference; the memory is freed after the last one (once no queued work uses it). */
  release?(buf: DeviceBuffer): void;
  /** Free a buffer that never got an owner (e.g. a call's temporary scalar input). */
  dropUnowned?(buf: DeviceBuffer): void;
  /** Wait until the buffer's value is computed (throws the DeviceError of a failed computation). */
  blockUntilReady?(buf: DeviceBuffer): void;
  /** Resolves once the buffer's value is computed, without blocking. */
  ready?(buf: DeviceBuffer): Promise<void>;
  /** The buffer's contents without blocking (devices whose reads are asynchronous: webgpu). */
  toHostAsync?(buf: DeviceBuffer): Promise<TypedArray>;
  /** Memory in use; `bySite` adds the recorded creation sites of live buffers. */
  memoryStats?(options: { bySite: boolean }): MemoryStats;
}
