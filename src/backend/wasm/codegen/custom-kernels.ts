/**
 * Custom kernels the wasm code generator compiles itself (sort, cumulative, scatter for the
 * 32-bit dtypes): the reason one stays on the JS path, and the emitter that compiles it. The
 * JS kernels (backend/js/codegen/kernels/) remain the reference and the fallback.
 */
import type { DType } from "../../../core/dtype.js";
import type { CustomKernel } from "../../../kernel/kernel.js";
import type { CustomPlan } from "./custom-emit.js";
import { compileCumulative, cumulativeReason } from "./custom-cumulative.js";
import { compileScatter, scatterReason } from "./custom-scatter.js";
import { compileSort, sortReason } from "./custom-sort.js";
import type { FunctionBuilder } from "./function-builder.js";

/** Why custom kernel `k` runs on the JS path (undefined: the wasm codegen compiles it). */
export function customReason(k: CustomKernel, dt: (id: number) => DType): string | undefined {
  switch (k.op) {
    case "cumulative":
      return cumulativeReason(k);
    case "sort":
      return sortReason(k, dt);
    case "scatter":
      return scatterReason(k, dt);
    default:
      return `custom '${k.op}' kernel`;
  }
}

/** Emit custom kernel `k` into `f` (`customReason` said it compiles). */
export function compileCustom(
  f: FunctionBuilder,
  k: CustomKernel,
  scratchIndex: number,
  dt: (id: number) => DType,
): CustomPlan {
  switch (k.op) {
    case "cumulative":
      return compileCumulative(f, k);
    case "sort":
      return compileSort(f, k, scratchIndex, dt);
    case "scatter":
      return compileScatter(f, k);
    default:
      throw new Error(`no wasm emitter for custom '${k.op}'`);
  }
}
