/**
 * The device interface: devices only generate code for kernel programs and run it on their
 * buffers. Everything above backend/ is device-blind.
 */
import type { DType, TypedArray } from "../core/dtype.js";
import type { Program } from "./kernel/kernel.js";

export interface DeviceBuffer {
  readonly dtype: DType;
  readonly size: number;
  readonly device: Device;
}

export interface Executable {
  /** Run on input buffers (consts then arguments); returns the output buffers. */
  run(inputs: readonly DeviceBuffer[]): DeviceBuffer[];
  /** The generated code, for `lower(...).asText()`. */
  readonly source: string;
}

export interface Device {
  readonly name: string;
  compile(program: Program): Executable;
  /** A device buffer holding a copy of `data` (stored as `dtype.storage`). */
  fromHost(data: TypedArray, dtype: DType): DeviceBuffer;
  /** The buffer's contents; the result must not be modified. */
  toHost(buf: DeviceBuffer): TypedArray;
}
