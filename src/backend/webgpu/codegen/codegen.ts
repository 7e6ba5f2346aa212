/**
 * Kernel program → WGSL compute shaders and a plan that runs them in program order. Loop
 * kernels (fused elementwise, broadcasts and views through their index expressions, casts,
 * reductions) and dot kernels compile to one shader each; the cumulative, sort and scatter
 * custom kernels to several (scan.ts, sort.ts, scatter.ts, with per-run scratch buffers); cond
 * and while kernels become plan nodes the executable drives from the host. Other custom
 * kernels (linear algebra, FFT) raise NotImplementedError naming the operation and the device
 * — never a silent wrong value. Every buffer's dtype is checked first: the device holds
 * float32, int32, uint32 and bool.
 */
import type { CondNode, WhileNode } from "../../control-plan.js";
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
  /** What runs, in order (cond and while nodes driven by the host). */
  readonly plan: readonly PlanNode[];
  /** All shaders, for `lower(...).asText()`. */
  readonly source: string;
}

/**
 * The order of work: shader steps (indices into `steps`) and host-driven control flow — a
 * cond reads its branch index and a while loop its predicate back from the GPU (a
 * synchronous read: Node only) and dispatches the chosen kernels.
 */
export type PlanNode =
  { readonly kind: "step"; readonly index: number } | CondNode<PlanNode> | WhileNode<PlanNode>;

const CUSTOM_NAMES: Readonly<Record<string, string>> = {
  cholesky: "cholesky",
  lu: "lu",
  lu_pivots_to_permutation: "lu_pivots_to_permutation",
  triangular_solve: "triangular_solve",
  qr: "qr",
  eigh: "eigh",
  svd: "svd",
  geqrf: "geqrf",
  householder_product: "householder_product",
  fft: "fft (jnp.fft.*)",
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
  const push = (out: PlanNode[], step: ShaderStep): void => {
    const bindings = step.bind.length + (step.params ? 1 : 0);
    if (bindings > limits.maxStorageBuffersPerShaderStage) {
      throw unsupportedOp(
        `a fused kernel reading and writing ${bindings} buffers (the adapter allows ` +
          `${limits.maxStorageBuffersPerShaderStage} storage buffers per shader)`,
      );
    }
    out.push({ kind: "step", index: steps.length });
    steps.push({ ...step, code: `${preludeFor(step.code)}\n${step.code}` });
  };
  const visitAll = (ks: readonly Kernel[]): PlanNode[] => {
    const out: PlanNode[] = [];
    for (const k of ks) visit(k, out);
    return out;
  };
  const visit = (k: Kernel, out: PlanNode[]): void => {
    let step: ShaderStep | undefined;
    switch (k.kind) {
      case "loop":
        step = loopShader(k, p, maxDim);
        break;
      case "dot":
        step = dotShader(k, p, maxDim, limits.dotTiling);
        break;
      case "custom": {
        const make =
          k.op === "cumulative"
            ? scanSteps
            : k.op === "sort"
              ? sortSteps
              : k.op === "scatter"
                ? scatterSteps
                : undefined;
        if (!make) throw unsupportedOp(CUSTOM_NAMES[k.op] ?? k.op);
        for (const s of make(k, p, maxDim, addScratch)) push(out, s);
        return;
      }
      case "cond":
        out.push({ kind: "cond", index: k.index, branches: k.branches.map(visitAll) });
        return;
      case "while":
        out.push({
          kind: "while",
          cond: visitAll(k.cond),
          predicate: k.predicate,
          body: visitAll(k.body),
        });
        return;
    }
    if (step) push(out, step);
  };
  const plan = visitAll(p.kernels);
  const source = steps
    .map((s, i) => {
      return `// kernel ${i}: ${s.label}, dispatch (${s.groups.join(", ")})\n${s.code}`;
    })
    .join("\n");
  return { steps, plan, scratch, source };
}
