/**
 * A program's kernels as the wasm device runs them ("steps"): each kernel is a wasm export of
 * the module the compiler built, or — when the compiler left it out, failed, or is absent —
 * the JS device's generated code, run over typed-array views of the device memory. Also the
 * executable's source text (compiler summary, disassembly, JS fallbacks).
 */
import type { TypedArray } from "../../../core/dtype.js";
import { DeviceError } from "../../../core/errors.js";
import { topoSort } from "../../../kernel/expr.js";
import type { CustomKernel, Kernel, Program } from "../../../kernel/kernel.js";
import { kernelReads, kernelWrites } from "../../../kernel/kernel-io.js";
import type { ControlNode } from "../../control-plan.js";
import { compileGenerated } from "../../generated-js.js";
import { generateProgramSource } from "../../js/codegen/codegen.js";
import {
  type WasmCompileResult,
  type WasmCompiler,
  type WasmKernelInfo,
  flattenKernels,
} from "../codegen/codegen.js";
import { disassemble } from "../codegen/disassemble.js";
import { useRelaxedSimd } from "./features.js";
import { PAGE, type WasmMemory } from "./memory.js";

export type JsStepFn = (
  b: TypedArray[],
  rt: unknown,
  P: unknown,
  begin: number,
  end: number,
) => void;

/** How a cond/while step runs its nested steps (compiled like top-level ones). */
export type ControlFlow = ControlNode<Step>;

export interface Step {
  readonly index: number;
  readonly kernel: Kernel;
  readonly wasm: boolean;
  readonly exportName: string | null;
  mainFn?: (table: number, begin: number, end: number) => void;
  readonly js: JsStepFn | undefined;
  readonly jsSource: string | null;
  /** Custom kernels' parameters (`P`). */
  readonly params: Record<string, unknown>;
  readonly used: number[];
  readonly trip: number;
  readonly work: number;
  readonly splittable: boolean;
  readonly needsRt: boolean;
  readonly scratch: number;
  readonly desc: string;
  /** cond/while: the runtime drives the control flow and runs the nested steps. */
  readonly control?: ControlFlow;
}

function describeKernel(k: Kernel, i: number): string {
  switch (k.kind) {
    case "cond":
      return `kernel #${i} (cond with ${k.branches.length} branches)`;
    case "while":
      return `kernel #${i} (while loop)`;
    case "loop":
      return `kernel #${i} (loop over (${k.shape.join(", ")}) writing ${k.outputs.length} buffer${k.outputs.length === 1 ? "" : "s"})`;
    case "dot":
      return `kernel #${i} (dot ${k.batch.length ? `batch (${k.batch.join(", ")}) ` : ""}${k.m}x${k.k} @ ${k.k}x${k.n})`;
    case "custom":
      return `kernel #${i} (custom '${k.op}')`;
  }
}

function kernelBuffers(k: Kernel): number[] {
  return [...new Set([...kernelReads(k), ...kernelWrites(k)])].sort((a, b) => a - b);
}

/** The steps nested in a control-flow step, at every depth. */
export function nestedSteps(c: ControlFlow): Step[] {
  const direct = c.kind === "cond" ? c.branches.flat() : [...c.cond, ...c.body];
  return direct.flatMap((s) => [s, ...(s.control ? nestedSteps(s.control) : [])]);
}

/** Whether a kernel (or one nested in it) is a custom kernel (needs `rt.kernels`). */
export function hasCustom(k: Kernel): boolean {
  switch (k.kind) {
    case "custom":
      return true;
    case "cond":
      return k.branches.some((b) => b.some(hasCustom));
    case "while":
      return [...k.cond, ...k.body].some(hasCustom);
    default:
      return false;
  }
}

/** Trip count of the outermost loop and work per outer iteration, for the JS fallback. */
function jsCost(k: Kernel, sizes: readonly number[]): { trip: number; work: number } {
  if (k.kind === "loop") {
    const nodes = topoSort(k.outputs.map((o) => o.expr));
    let perElem = nodes.length;
    for (const e of nodes) {
      if (e.op === "reduce")
        perElem += e.sizes.reduce((a, b) => a * b, 1) * topoSort([e.body]).length;
    }
    const trip = k.shape.length ? k.shape[0]! : 1;
    const inner = k.shape.slice(1).reduce((a, b) => a * b, 1);
    return { trip, work: inner * perElem };
  }
  if (k.kind === "dot")
    return { trip: 1, work: k.batch.reduce((a, b) => a * b, 1) * k.m * k.n * k.k * 2 };
  if (k.kind === "custom") {
    const n = k.inputs.reduce((a, b) => a + sizes[b]!, 0);
    return { trip: 1, work: n * Math.max(1, Math.log2(n + 1)) };
  }
  // Control flow: at least one pass over its nested kernels (iterations are unknown).
  const nested = k.kind === "cond" ? k.branches.flat() : [...k.cond, ...k.body];
  return {
    trip: 1,
    work: nested.reduce((a, n) => a + jsCost(n, sizes).trip * jsCost(n, sizes).work, 1),
  };
}

/** Rewrite the outermost loop of a loop kernel's source to run [begin, end). */
function rangeSource(src: string, k: Kernel): { source: string; splittable: boolean } {
  if (k.kind !== "loop" || k.shape.length === 0) return { source: src, splittable: false };
  const header = `for (let i0 = 0; i0 < ${k.shape[0]}; i0++)`;
  const first = src.indexOf(header);
  if (first < 0 || src.indexOf(header, first + 1) >= 0) return { source: src, splittable: false };
  return { source: src.replace(header, "for (let i0 = begin; i0 < end; i0++)"), splittable: true };
}

/**
 * A custom kernel's step without generated code: the same call the generated source makes
 * (`rt.kernels.<op>([inputs], [outputs], P0)`), so it also runs where a Content-Security-Policy
 * forbids evaluating JavaScript.
 */
function customStep(k: CustomKernel): JsStepFn {
  return (b, rt, P) => {
    const kernels = (rt as { kernels: Record<string, CustomKernelFn> }).kernels;
    const run = kernels[k.op];
    if (!run) throw new DeviceError(`the wasm device has no custom kernel '${k.op}'`);
    run(
      k.inputs.map((i) => b[i]!),
      k.outputs.map((i) => b[i]!),
      (P as { P0: unknown }).P0,
    );
  };
}

type CustomKernelFn = (ins: TypedArray[], outs: TypedArray[], params: unknown) => void;

function compileJsStep(body: string, desc: string): JsStepFn {
  return compileGenerated<JsStepFn>(["b", "rt", "P", "begin", "end"], body, desc);
}

/** The wasm imports of a module compiled for `memory`: the memory itself. */
export function importsFor(mod: WebAssembly.Module, memory: WasmMemory): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.kind === "memory") (imports[imp.module] ??= {})[imp.name] = memory.memory;
  }
  return imports;
}

export interface CompiledSteps {
  readonly steps: Step[];
  /** The wasm module (undefined: every kernel uses the JS fallback). */
  readonly module: WebAssembly.Module | undefined;
  /** Builds the source text (disassembling is not free: ~1 ms per kernel). */
  readonly sourceText: () => string;
}

/** Compile `p` for `memory` with `compiler` (undefined: JS fallback only) into steps. */
export function compileSteps(
  p: Program,
  compiler: WasmCompiler | undefined,
  memory: WasmMemory,
): CompiledSteps {
  let compiled: WasmCompileResult | undefined;
  let compileNote = "";
  let module: WebAssembly.Module | undefined;
  if (compiler) {
    try {
      compiled = compiler(p, {
        relaxedSimd: useRelaxedSimd(),
        shared: memory.shared,
        initialPages: Math.max(1, memory.bytes / PAGE),
        maximumPages: memory.maxPages,
      });
    } catch (e) {
      compileNote = `// wasm compilation failed, all kernels use the JS fallback: ${(e as Error).message}\n`;
    }
  }
  let mainExports: WebAssembly.Exports | undefined;
  if (compiled && compiled.kernels.length) {
    try {
      const mod = new WebAssembly.Module(compiled.bytes as Uint8Array<ArrayBuffer>);
      mainExports = new WebAssembly.Instance(mod, importsFor(mod, memory)).exports;
      module = mod;
    } catch (e) {
      compileNote = `// wasm instantiation failed, all kernels use the JS fallback: ${(e as Error).message}\n`;
      compiled = undefined;
    }
  }
  const wasmInfo = new Map<number, WasmKernelInfo>();
  if (compiled) for (const k of compiled.kernels) wasmInfo.set(k.index, k);
  const sizes = p.buffers.map((b) => b.size);
  const jsParts: string[] = [];
  const flat = flattenKernels(p.kernels);
  const flatIndex = new Map<Kernel, number>();
  flat.forEach((k, i) => flatIndex.has(k) || flatIndex.set(k, i));
  // Control flow with compiled kernels inside is driven here, its nested kernels run as steps.
  const structured = (k: Kernel): boolean =>
    (k.kind === "cond" ? k.branches.flat() : k.kind === "while" ? [...k.cond, ...k.body] : []).some(
      (n) => wasmInfo.has(flatIndex.get(n)!) || structured(n),
    );
  const makeSteps = (ks: readonly Kernel[]): Step[] =>
    ks.map((k) => makeStep(k, flatIndex.get(k)!));
  const makeStep = (k: Kernel, i: number): Step => {
    const info = wasmInfo.get(i);
    const desc = describeKernel(k, i);
    // What every step starts from: a kernel run once on the calling thread, nothing compiled.
    const base: Step = {
      index: i,
      kernel: k,
      wasm: false,
      exportName: null,
      js: undefined,
      jsSource: null,
      params: {},
      used: [],
      trip: 1,
      work: 0,
      splittable: false,
      needsRt: false,
      scratch: 0,
      desc,
    };
    if ((k.kind === "cond" || k.kind === "while") && mainExports && structured(k)) {
      const control: ControlFlow =
        k.kind === "cond"
          ? { kind: "cond", index: k.index, branches: k.branches.map(makeSteps) }
          : {
              kind: "while",
              cond: makeSteps(k.cond),
              predicate: k.predicate,
              body: makeSteps(k.body),
            };
      return {
        ...base,
        work: jsCost(k, sizes).work,
        needsRt: true,
        scratch: Math.max(0, ...nestedSteps(control).map((s) => s.scratch)),
        control,
      };
    }
    if (info && mainExports) {
      const fn = mainExports[info.exportName] as Step["mainFn"];
      if (typeof fn === "function") {
        return {
          ...base,
          wasm: true,
          exportName: info.exportName,
          mainFn: fn,
          trip: info.trip,
          work: info.trip * info.workPerIter,
          splittable: info.trip > 1,
          scratch: info.scratchBytes ?? 0,
        };
      }
    }
    const { source, customParams } = generateProgramSource({ ...p, kernels: [k] });
    const ranged = rangeSource(source, k);
    const body = `"use strict";\n${ranged.source}`;
    jsParts.push(`// ${desc}\n${ranged.source}`);
    const js = k.kind === "custom" ? customStep(k) : compileJsStep(body, desc);
    const cost = jsCost(k, sizes);
    return {
      ...base,
      js,
      jsSource: body,
      params: customParams,
      used: kernelBuffers(k),
      trip: cost.trip,
      work: cost.trip * cost.work,
      splittable: ranged.splittable && cost.trip > 1,
      needsRt: /\brt\./.test(source) || hasCustom(k),
    };
  };
  const steps = p.kernels.map((k, i) => makeStep(k, i));
  const names = (ss: readonly Step[]) =>
    `[${ss.map((n) => (n.wasm ? n.exportName : n.control ? `#${n.index} (${n.control.kind})` : `#${n.index} (js)`)).join(", ")}]`;
  const controlLines = steps
    .flatMap((s) => (s.control ? [s, ...nestedSteps(s.control)] : []))
    .filter((s) => s.control)
    .map((s) => {
      const c = s.control!;
      return c.kind === "while"
        ? `kernel ${s.index}: while loop driven by the runtime: cond ${names(c.cond)}, predicate b${c.predicate}, body ${names(c.body)}`
        : `kernel ${s.index}: cond on b${c.index} driven by the runtime: branches ${c.branches.map(names).join(", ")}`;
    });
  const wasmBytes = compiled?.kernels.length ? compiled.bytes : undefined;
  const summary =
    (compiled ? `${compiled.text}\n` : "") + controlLines.map((l) => `${l}\n`).join("");
  const sourceText = () =>
    compileNote +
    summary +
    (wasmBytes ? `\n;; WebAssembly\n${disassemble(wasmBytes)}\n` : "") +
    (jsParts.length ? `// JS fallback kernels\n${jsParts.join("\n")}` : "");
  return { steps, module, sourceText };
}
