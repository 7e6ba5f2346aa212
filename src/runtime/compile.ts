/**
 * The compilation pipeline shared by eager dispatch and jit:
 * jaxpr → simplify (CSE, DCE) → lower + fuse → kernel program → device codegen.
 */
import type { Device, Executable } from "../backend/device.js";
import type { Program } from "../kernel/kernel.js";
import { lowerJaxpr } from "../lower/lower.js";
import type { Jaxpr } from "../ir/jaxpr.js";
import { cse } from "../ir/passes/cse.js";
import { dce } from "../ir/passes/dce.js";
import { type ScalarEvaluator, foldConstants } from "../ir/passes/fold.js";
import { inlinePjit } from "../ir/passes/inline.js";
import { foldDotTranspose } from "../ir/passes/dot-transpose.js";

export interface Compiled {
  /** The optimized jaxpr that was lowered. */
  readonly jaxpr: Jaxpr;
  readonly program: Program;
  readonly executable: Executable;
  readonly device: Device;
}

let scalarEvaluator: ScalarEvaluator | undefined;
/** Installed by eager.ts: evaluate one equation on literal scalars (for constant folding). */
export function setScalarEvaluator(f: ScalarEvaluator): void {
  scalarEvaluator = f;
}

/** jaxpr → jaxpr simplification: inline nested pjit, fold constants, CSE, DCE, dot layouts. */
export function optimize(j: Jaxpr): Jaxpr {
  let out = inlinePjit(j);
  if (scalarEvaluator) out = foldConstants(out, scalarEvaluator);
  return foldDotTranspose(dce(cse(out)));
}

export function compileJaxpr(
  j: Jaxpr,
  device: Device,
  opts: { optimize?: boolean } = {},
): Compiled {
  const jaxpr = opts.optimize === false ? j : optimize(j);
  const program = lowerJaxpr(jaxpr);
  return { jaxpr, program, executable: device.compile(program), device };
}
