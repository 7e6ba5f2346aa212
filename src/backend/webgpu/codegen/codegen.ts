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
  const maxDim = limits.maxComputeWorkgroupsPerDimension;
  const visit = (k: Kernel): void => {
    let step: ShaderStep | undefined;
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
    if (!step) return;
    const bindings = step.bind.length + (step.params ? 1 : 0);
    if (bindings > limits.maxStorageBuffersPerShaderStage) {
      throw unsupportedOp(
        `a fused kernel reading and writing ${bindings} buffers (the adapter allows ` +
          `${limits.maxStorageBuffersPerShaderStage} storage buffers per shader)`,
      );
    }
    steps.push({ ...step, code: `${preludeFor(step.code)}\n${step.code}` });
  };
  p.kernels.forEach(visit);
  const source = steps
    .map((s, i) => {
      return `// kernel ${i}: ${s.label}, dispatch (${s.groups.join(", ")})\n${s.code}`;
    })
    .join("\n");
  return { steps, source };
}
