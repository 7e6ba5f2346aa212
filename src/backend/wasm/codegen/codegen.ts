/**
 * Kernel programs -> one WebAssembly module (SIMD128).
 *
 * Calling convention. The module imports its memory as `env.memory` (shared when the device
 * uses threads) and exports one function per compiled kernel, named `k<index>`, of type
 * `(table: i32, begin: i32, end: i32) -> ()`:
 *  - `table` is the byte address of an i32 table in linear memory; entry `id` holds the byte
 *    address of program buffer `id` (row-major, `DType.storage` layout: bool 1 byte 0/1,
 *    float16 binary16 bits). Entry `program.buffers.length` holds the address of the kernel's
 *    scratch area when `scratchBytes > 0` (16-byte aligned, `scratchBytes` long, owned by the
 *    call: calls running at the same time need distinct scratch areas, i.e. distinct tables).
 *  - the function runs iterations [begin, end) of the kernel's outermost parallel loop
 *    (0 <= begin <= end <= trip); disjoint ranges touch disjoint outputs and may run
 *    concurrently; any split of [0, trip) gives the same results as one call.
 * Kernels listed in `fallback` are not in the module; run them (in program order, between
 * the compiled ones) with the JS codegen over views of the same memory.
 */
import type { DType } from "../../../core/dtype.js";
import type { Kernel, Program } from "../../../kernel/kernel.js";
import { ModuleBuilder } from "./encoder.js";
import { SUPPORTED } from "./codegen-values.js";
import { compileCustom, customReason } from "./custom-kernels.js";
import { compileDot, dotReason } from "./dot.js";
import { emitLoopKernel, planLoop } from "./loop-kernel.js";
import { bindMath } from "./math-calls.js";
import { exprReason } from "./ops-support.js";

export interface WasmKernel {
  /** Position in `flattenKernels(program.kernels)` (top-level kernels first). */
  readonly index: number;
  readonly exportName: string;
  /** Trip count of the outermost parallel loop; the function runs iterations [begin, end). */
  readonly trip: number;
  /** Rough work per outer iteration (elements × op cost), for the runtime's threading threshold. */
  readonly workPerIter: number;
  /** Scratch bytes one call needs (address in table entry `program.buffers.length`); 0: none. */
  readonly scratchBytes: number;
}

export interface WasmProgram {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Compiled kernels. */
  readonly kernels: readonly WasmKernel[];
  /** Kernel indices this compiler does not handle; the runtime runs them with the JS codegen over views of the same memory. */
  readonly fallback: readonly number[];
  /** Human-readable summary (per kernel: strategy, vector width, loop nest) for `lower().asText()`. */
  readonly text: string;
}

export interface WasmMemoryType {
  readonly shared: boolean;
  readonly initialPages: number;
  readonly maximumPages: number;
}

const PARAMS = ["i32", "i32", "i32"] as const;

/** Why the wasm codegen does not compile kernel `k` (undefined: it does). */
export function unsupportedReason(k: Kernel, program: Program): string | undefined {
  const dt = (id: number): DType => program.buffers[id]!.dtype;
  switch (k.kind) {
    case "loop": {
      if (k.shape.length > 30) return "rank above 30";
      for (const o of k.outputs) {
        if (!SUPPORTED.has(dt(o.buffer).name)) return `output dtype ${dt(o.buffer).name}`;
        if (o.expr.dtype !== dt(o.buffer))
          return `output of ${o.expr.dtype.name} into ${dt(o.buffer).name}`;
      }
      for (const o of k.outputs)
        if (o.offset && o.offset.dtype.name !== "int32") return "non-int32 output offset";
      return exprReason(
        k.outputs.flatMap((o) => (o.offset ? [o.expr, o.offset] : [o.expr])),
        dt,
      );
    }
    case "dot":
      return dotReason(k, dt);
    case "custom":
      return customReason(k, dt);
    default:
      return `${k.kind} kernel`;
  }
}

/** Compilation options: the memory to import, and whether relaxed SIMD may be used (features.ts). */
export interface WasmCompileOptions extends WasmMemoryType {
  readonly relaxedSimd?: boolean;
  /** Set vector constants into locals at function entry (default true; see ModuleBuilder). */
  readonly hoistV128Constants?: boolean;
}

/** A compiled kernel as the runtime sees it (`WasmKernel`, with scratch optional). */
export interface WasmKernelInfo {
  /** Kernel index in the program (its position in `flattenKernels(program.kernels)`). */
  readonly index: number;
  readonly exportName: string;
  /** Iterations of the outermost loop: the export runs [begin, end) of [0, trip). */
  readonly trip: number;
  /** Work units per outer iteration (for the threading threshold). */
  readonly workPerIter: number;
  /** Per-thread scratch bytes, passed at table[program.buffers.length]. */
  readonly scratchBytes?: number;
}

/** A compiled program as the runtime sees it (`WasmProgram`). */
export interface WasmCompileResult {
  readonly bytes: Uint8Array;
  readonly kernels: readonly WasmKernelInfo[];
  /** Kernel indices left to the JS fallback. */
  readonly fallback: readonly number[];
  readonly text: string;
}

/** What the wasm device asks of a compiler: `compileWasmProgram`, or a test's stand-in. */
export type WasmCompiler = (program: Program, opts: WasmCompileOptions) => WasmCompileResult;

/**
 * Every kernel of a program, top-level ones first (their indices unchanged), then the kernels
 * nested in control flow, breadth first (cond branches in order; while: cond, then body). A
 * compiled kernel's `index` is its position here, so the runtime can run the loops and dots
 * inside cond/while bodies as wasm exports while it drives the control flow itself.
 */
export function flattenKernels(top: readonly Kernel[]): Kernel[] {
  const out = [...top];
  for (let i = 0; i < out.length; i++) {
    const k = out[i]!;
    if (k.kind === "cond") for (const b of k.branches) out.push(...b);
    else if (k.kind === "while") out.push(...k.cond, ...k.body);
  }
  return out;
}

export function compileWasmProgram(program: Program, memory: WasmCompileOptions): WasmProgram {
  const mb = new ModuleBuilder(memory.relaxedSimd ?? false, memory.hoistV128Constants ?? true);
  mb.importMemory({
    initial: memory.initialPages,
    maximum: memory.maximumPages,
    shared: memory.shared,
  });
  const bufDtype = (id: number): DType => program.buffers[id]!.dtype;
  const kernels: WasmKernel[] = [];
  const fallback: number[] = [];
  const lines: string[] = [];
  const scratchIndex = program.buffers.length;
  flattenKernels(program.kernels).forEach((k, index) => {
    if (k.kind === "cond" || k.kind === "while") return; // the runtime drives these
    const reason = unsupportedReason(k, program);
    if (reason) {
      fallback.push(index);
      lines.push(`kernel ${index}: js fallback (${reason})`);
      return;
    }
    const exportName = `k${index}`;
    const f = mb.addFunction(PARAMS, []);
    mb.exportFunction(exportName, f);
    if (k.kind === "loop") {
      bindMath(f, mb);
      const plan = planLoop(k);
      emitLoopKernel(f, k, plan, bufDtype);
      kernels.push({
        index,
        exportName,
        trip: plan.trip,
        workPerIter: plan.workPerIter,
        scratchBytes: 0,
      });
      lines.push(`kernel ${index} (${exportName}): ${plan.summary}; trip ${plan.trip}`);
    } else if (k.kind === "dot" || k.kind === "custom") {
      const plan =
        k.kind === "dot"
          ? compileDot(mb, f, k, scratchIndex, bufDtype)
          : compileCustom(f, k, scratchIndex, bufDtype);
      kernels.push({
        index,
        exportName,
        trip: plan.trip,
        workPerIter: plan.workPerIter,
        scratchBytes: plan.scratchBytes,
      });
      lines.push(`kernel ${index} (${exportName}): ${plan.summary}; trip ${plan.trip}`);
    }
  });
  const bytes = mb.toBytes();
  return { bytes, kernels, fallback, text: lines.join("\n") };
}
