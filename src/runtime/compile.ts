/**
 * The compilation pipeline shared by eager dispatch and jit:
 * jaxpr → simplify (CSE, DCE) → lower + fuse → kernel program → device codegen.
 */
import type { Device, Executable } from "../backend/device.js";
import type { Program } from "../backend/kernel/kernel.js";
import { lowerJaxpr } from "../backend/lower.js";
import type { Jaxpr } from "../ir/jaxpr.js";
import { cse } from "../ir/passes/cse.js";
import { dce } from "../ir/passes/dce.js";

export interface Compiled {
  /** The optimized jaxpr that was lowered. */
  readonly jaxpr: Jaxpr;
  readonly program: Program;
  readonly executable: Executable;
  readonly device: Device;
}

export function optimize(j: Jaxpr): Jaxpr {
  return dce(cse(j));
}

export function compileJaxpr(j: Jaxpr, device: Device, opts: { optimize?: boolean } = {}): Compiled {
  const jaxpr = opts.optimize === false ? j : optimize(j);
  const program = lowerJaxpr(jaxpr);
  return { jaxpr, program, executable: device.compile(program), device };
}
