/**
 * Compiling a jaxpr for a device: jaxpr → (optionally) simplify → lower + fuse → kernel
 * program → device code. `compiledCall` caches the optimized code of a call's jaxpr per jaxpr
 * object and device: a top-level jit call and a staged `pjit` reaching the eval trace with the
 * same jaxpr run the same executable.
 */
import type { Device } from "../backend/device.js";
import type { Jaxpr } from "../ir/jaxpr.js";
import { type Compiled, compileProgram } from "./device-code.js";
import { optimize } from "./optimize.js";
import { jaxprNeedsHost } from "../ir/effects.js";
import { hostCompiled } from "./host-run.js";

export type { Compiled };

export function compileJaxpr(
  j: Jaxpr,
  device: Device,
  opts: { optimize?: boolean } = {},
): Compiled {
  const o = opts.optimize === false ? j : optimize(j);
  return jaxprNeedsHost(o) ? hostCompiled(o, device) : compileProgram(o, device);
}

let calls = new WeakMap<Jaxpr, Map<Device, Compiled>>();

/** Forget the code compiled for staged calls (for `clearCaches`). */
export function clearCompiledCalls(): void {
  calls = new WeakMap();
}

/**
 * The optimized code of `jaxpr` (its constvars, then its invars, are the inputs) on `device`,
 * compiled on first use and kept as long as the jaxpr lives.
 */
export function compiledCall(jaxpr: Jaxpr, device: Device): Compiled {
  let byDevice = calls.get(jaxpr);
  if (!byDevice) calls.set(jaxpr, (byDevice = new Map()));
  let c = byDevice.get(device);
  if (!c) byDevice.set(device, (c = compileJaxpr(jaxpr, device)));
  return c;
}
