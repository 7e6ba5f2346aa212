/**
 * The wasm device's buffers: `WasmBuffer` (an array's memory in the device's linear memory,
 * reference counted, with the sequence numbers of the queued tasks writing and using it) and
 * `HostBuffer` (a small array kept on the JS heap).
 */
import type { DType, TypedArray } from "../../../core/dtype.js";
import type { DeviceError } from "../../../core/errors.js";
import type { Device, DeviceBuffer } from "../../device.js";

export class WasmBuffer implements DeviceBuffer {
  /** Owners (ArrayImpls, jit constants). */
  refs = 0;
  freed = false;
  /** 1 + sequence number of the last queued task writing / using it (0: none). */
  lastWrite = 0;
  lastUse = 0;
  /** Set when the computation producing it failed. */
  error: DeviceError | undefined;
  view: TypedArray | undefined;
  viewGen = -1;

  constructor(
    readonly dtype: DType,
    readonly size: number,
    readonly device: Device,
    readonly addr: number,
  ) {}
}

/**
 * A small array (≤ HOST_MAX_BYTES) kept on the JS heap: no device memory and no finalizer to
 * track (the JS GC reclaims it), uploaded into a per-run temporary when a kernel reads it.
 * Scalars dominate dispatch-bound code; this keeps their cost to a few allocations.
 */
export class HostBuffer implements DeviceBuffer {
  constructor(
    readonly dtype: DType,
    readonly data: TypedArray,
    readonly device: Device,
  ) {}
  get size(): number {
    return this.data.length;
  }
}

/** Outputs at most this large move to the JS heap once computed (`HostBuffer`). */
export const HOST_MAX_BYTES = 64;
