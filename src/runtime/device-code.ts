/** A jaxpr lowered to a kernel program and compiled into a device's executable (no passes). */
import type { Device, DeviceBuffer, Executable } from "../backend/device.js";
import type { Value } from "../trace/trace.js";
import type { ArrayImpl } from "./array.js";
import type { Jaxpr } from "../ir/jaxpr.js";
import type { Program } from "../kernel/kernel.js";
import { lowerJaxpr } from "../lower/lower.js";

export interface Compiled {
  /** The jaxpr that was lowered. */
  readonly jaxpr: Jaxpr;
  readonly program: Program;
  readonly executable: Executable;
  readonly device: Device;
  /**
   * Set for programs holding host callbacks (runtime/host-run.ts): runs them through the host
   * interpreter; `run.ts` takes this road instead of the executable.
   */
  readonly host?: (consts: readonly DeviceBuffer[], args: readonly Value[]) => ArrayImpl[];
}

export function compileProgram(jaxpr: Jaxpr, device: Device): Compiled {
  const program = lowerJaxpr(jaxpr, device.lowerings);
  return { jaxpr, program, executable: device.compile(program), device };
}
