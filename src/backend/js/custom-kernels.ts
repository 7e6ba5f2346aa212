/** Custom kernels of the js device (sort, cumulative scans, scatter): plain JS algorithms. */
import type { TypedArray } from "../../core/dtype.js";

type Kernel = (ins: TypedArray[], outs: TypedArray[], params: any) => void;

export const customKernels: Record<string, Kernel> = {};
