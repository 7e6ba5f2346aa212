/** jaxpr → jaxpr simplification before lowering: inline nested pjit, fold constants, CSE, DCE, dot layouts. */
import type { Jaxpr } from "../ir/jaxpr.js";
import { cse } from "../ir/passes/cse.js";
import { dce } from "../ir/passes/dce.js";
import { foldConstants } from "../ir/passes/fold.js";
import { inlinePjit } from "../ir/passes/inline.js";
import { foldDotTranspose } from "../ir/passes/dot-transpose.js";
import { evaluateOnLiterals } from "./scalar-eval.js";

export function optimize(j: Jaxpr): Jaxpr {
  const out = foldConstants(inlinePjit(j), evaluateOnLiterals);
  return foldDotTranspose(dce(cse(out)));
}
