/**
 * Kernel program → WGSL compute shaders, one per kernel, run in program order. Loop kernels
 * (fused elementwise, broadcasts and views through their index expressions, casts,
 * reductions) and dot kernels compile; custom kernels (sort, cumulative, scatter, linear
 * algebra) and control flow (cond, while) raise NotImplementedError naming the operation and
 * the device — never a silent wrong value. Every buffer's dtype is checked first: the device
 * holds float32, int32, uint32 and bool.
 */
import type { Kernel, Program } from "../../../kernel/kernel.js";
import { dotShader, type DotTiling } from "./dot.js";
import { loopShader, type ShaderStep } from "./loop.js";
import { scanSteps } from "./scan.js";
import { sortSteps } from "./sort.js";
import { scatterSteps } from "./scatter.js";
import { preludeFor, unsupportedDtype, unsupportedOp, wgslType } from "./wgsl-alu.js";

export type { ShaderStep } from "./loop.js";
export type { DotTiling } from "./dot.js";

export interface WgslLimits {
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  /** The dot kernel's tiling (dot.ts): "register" on CPU adapters, "workgroup" on GPUs. */
  readonly dotTiling?: DotTiling;
}

export interface WgslProgram {
  readonly steps: readonly ShaderStep[];
  /**
   * Scratch buffers (sizes in 4-byte words) the steps use besides the program's: bound where
   * a step's `bind` holds −(index + 1); allocated per run.
   */
  readonly scratch: readonly number[];
  /** All shaders, for `lower(...).asText()`. */
  readonly source: string;
}

const CUSTOM_NAMES: Readonly<Record<string, string>> = {
  sort: "sort (lax.sort, jnp.sort, argsort, top_k)",
  cumulative: "cumulative reductions (cumsum, cumprod, cummax, cummin, cumlogsumexp)",
  scatter: "scatter (x.at[...].set/add, segment sums)",
  cholesky: "cholesky",
  lu: "lu",
  lu_pivots_to_permutation: "lu_pivots_to_permutation",
  triangular_solve: "triangular_solve",
};

export function compileWgslProgram(p: Program, limits: WgslLimits): WgslProgram {
  for (const b of p.buffers) {
    try {
      wgslType(b.dtype);
    } catch {
      throw unsupportedDtype(b.dtype);
    }
  }
  const steps: ShaderStep[] = [];
  const scratch: number[] = [];
  const addScratch = (words: number): number => scratch.push(Math.max(1, words)) * -1;
  const maxDim = limits.maxComputeWorkgroupsPerDimension;
  const push = (step: ShaderStep): void => {
    const bindings = step.bind.length + (step.params ? 1 : 0);
    if (bindings > limits.maxStorageBuffersPerShaderStage) {
      throw unsupportedOp(
        `a fused kernel reading and writing ${bindings} buffers (the adapter allows ` +
          `${limits.maxStorageBuffersPerShaderStage} storage buffers per shader)`,
      );
    }
    steps.push({ ...step, code: `${preludeFor(step.code)}\n${step.code}` });
  };
  const visit = (k: Kernel): void => {
    let step: ShaderStep | undefined;
    if (k.kind === "custom" && k.op === "cumulative") {
      scanSteps(k, p, maxDim, addScratch).forEach(push);
      return;
    }
    if (k.kind === "custom" && k.op === "scatter") {
      scatterSteps(k, p, maxDim, addScratch).forEach(push);
      return;
    }
    if (k.kind === "custom" && k.op === "sort") {
      sortSteps(k, p, maxDim, addScratch).forEach(push);
      return;
    }
    switch (k.kind) {
      case "loop":
        step = loopShader(k, p, maxDim);
        break;
      case "dot":
        step = dotShader(k, p, maxDim, limits.dotTiling);
        break;
      case "custom":
        throw unsupportedOp(CUSTOM_NAMES[k.op] ?? k.op);
      case "cond":
        throw unsupportedOp("cond (lax.cond, lax.switch)");
      case "while":
        throw unsupportedOp("while_loop (lax.while_loop, fori_loop, scan)");
    }
    if (step) push(step);
  };
  p.kernels.forEach(visit);
  const source = steps
    .map((s, i) => {
      return `// kernel ${i}: ${s.label}, dispatch (${s.groups.join(", ")})\n${s.code}`;
    })
    .join("\n");
  return { steps, scratch, source };
}
