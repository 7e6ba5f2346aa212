/**
 * Differential harness for the wasm codegen: builds kernel programs from traced functions,
 * runs them with the JS codegen (the reference) and through the compiled module on a
 * WebAssembly.Memory managed here (inputs written, pointer table written, each compiled
 * kernel called over [0, trip) or over several sub-ranges, JS-fallback kernels run in order
 * over views of the same memory), and compares every program output.
 */
import { type DType, type TypedArray, float16 } from "../../../../src/core/dtype.js";
import { generateProgramSource } from "../../../../src/backend/js/codegen/codegen.js";
import { customKernels } from "../../../../src/backend/js/codegen/custom-kernels.js";
import * as helpers from "../../../../src/backend/js/codegen/helpers.js";
import type { BufferInfo, Kernel, LoopKernel, Program } from "../../../../src/kernel/kernel.js";
import { type Expr, idx } from "../../../../src/kernel/expr.js";
import { kernelWrites } from "../../../../src/kernel/kernel-io.js";
import { loadAt } from "../../../../src/kernel/index.js";
import { lowerJaxpr } from "../../../../src/lower/lower.js";
import {
  type WasmProgram,
  compileWasmProgram,
  flattenKernels,
} from "../../../../src/backend/wasm/codegen/codegen.js";
import { optimize } from "../../../../src/runtime/optimize.js";
import { type Array, makeJaxpr } from "../../../../src/index.js";

const rt = { ...helpers, kernels: customKernels };
type JsFn = (b: TypedArray[], rt: unknown, P: unknown) => void;

export interface Built {
  readonly program: Program;
  readonly inputs: TypedArray[];
}

function rawOf(a: Array): TypedArray {
  const t = a.toTypedArray();
  if (a.dtype === float16) return Uint16Array.from(t as Float32Array, (x) => helpers.f2h(x));
  return t;
}

/** The kernel program of `f` at `args` (consts first, then the arguments' data). */
export function build(f: (...a: Array[]) => Array | Array[], ...args: Array[]): Built {
  const closed = makeJaxpr(f)(...args);
  const program = lowerJaxpr(optimize(closed.jaxpr));
  const inputs = [...(closed.consts as Array[]).map(rawOf), ...args.map(rawOf)];
  return { program, inputs };
}

function jsFunction(
  p: Program,
  kernels: readonly Kernel[],
): { fn: JsFn; params: Record<string, unknown> } {
  const { source, customParams } = generateProgramSource({ ...p, kernels });
  return {
    fn: new Function("b", "rt", "P", `"use strict";\n${source}`) as JsFn,
    params: customParams,
  };
}

/** Reference: the whole program on the JS codegen; returns every buffer. */
export function runJs(b: Built): TypedArray[] {
  const p = b.program;
  const bufs = p.buffers.map((info) => new info.dtype.storage(info.size));
  p.inputs.forEach((id, i) => bufs[id]!.set(b.inputs[i] as never));
  const { fn, params } = jsFunction(p, p.kernels);
  fn(bufs, rt, params);
  return bufs;
}

const align = (n: number, a = 16) => Math.ceil(n / a) * a;

export interface RunOptions {
  /** How to cut each kernel's [0, trip): "whole", "halves" or explicit cut points. */
  readonly split?: "whole" | "halves" | ((trip: number) => number[]);
  readonly shared?: boolean;
  /** Compile with relaxed SIMD (fused multiply-adds, lane selects); the engine must have it. */
  readonly relaxedSimd?: boolean;
}

export interface WasmRun {
  readonly compiled: WasmProgram;
  readonly buffers: TypedArray[];
}

/** Runs the program with the wasm module (fallback kernels on the JS codegen). */
export function runWasm(b: Built, opts: RunOptions = {}, compiled?: WasmProgram): WasmRun {
  const p = b.program;
  const offsets: number[] = [];
  let top = 64;
  for (const info of p.buffers) {
    offsets.push(top);
    top = align(top + info.size * info.dtype.itemsize);
  }
  const tableAt = top;
  top = align(top + 4 * (p.buffers.length + 1));
  const scratchAt = top;
  const pages = () => Math.ceil(top / 65536) + 1;
  const shared = opts.shared ?? false;
  const prog =
    compiled ??
    compileWasmProgram(p, {
      shared,
      initialPages: 1,
      maximumPages: 65536,
      relaxedSimd: opts.relaxedSimd ?? false,
    });
  top += align(Math.max(0, ...prog.kernels.map((k) => k.scratchBytes)));
  const memory = new WebAssembly.Memory({
    initial: pages(),
    maximum: 65536,
    shared,
  } as WebAssembly.MemoryDescriptor);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(prog.bytes), { env: { memory } });
  const view = (id: number): TypedArray => {
    const info = p.buffers[id]!;
    return new info.dtype.storage(memory.buffer as ArrayBuffer, offsets[id]!, info.size);
  };
  // Outputs of compiled kernels start as garbage (0xff bytes: NaN / -1), so a missed store shows.
  const flat = flattenKernels(p.kernels);
  for (const k of prog.kernels) {
    const kernel = flat[k.index]!;
    const outs =
      kernel.kind === "loop"
        ? kernel.outputs.map((o) => o.buffer)
        : kernel.kind === "dot"
          ? kernelWrites(kernel)
          : [];
    for (const id of outs)
      new Uint8Array(
        memory.buffer,
        offsets[id]!,
        p.buffers[id]!.size * p.buffers[id]!.dtype.itemsize,
      ).fill(0xff);
  }
  p.inputs.forEach((id, i) => view(id).set(b.inputs[i] as never));
  const table = new Int32Array(memory.buffer, tableAt, p.buffers.length + 1);
  offsets.forEach((o, i) => (table[i] = o));
  table[p.buffers.length] = scratchAt;
  const byIndex = new Map(prog.kernels.map((k) => [k.index, k]));
  const split = opts.split ?? "whole";
  // Top-level kernels; control flow runs whole on the JS codegen here (its nested kernels
  // compiled to wasm are run by the device's runtime: test/lax/control-flow*.test.ts).
  p.kernels.forEach((k, i) => {
    const wk = byIndex.get(i);
    if (!wk) {
      const { fn, params } = jsFunction(p, [k]);
      fn(
        p.buffers.map((_, id) => view(id)),
        rt,
        params,
      );
      return;
    }
    const run = inst.exports[wk.exportName] as (t: number, b: number, e: number) => void;
    const cuts = split === "whole" ? [] : split === "halves" ? [wk.trip >> 1] : split(wk.trip);
    const points = [0, ...cuts.filter((c) => c > 0 && c < wk.trip).sort((x, y) => x - y), wk.trip];
    // Run the pieces out of order: ranges must be independent.
    for (let j = points.length - 2; j >= 0; j--) run(tableAt, points[j]!, points[j + 1]!);
  });
  return { compiled: prog, buffers: p.buffers.map((_, id) => view(id).slice()) };
}

/** Distance in float32 units in the last place (0 for equal values, Infinity across NaN). */
export function ulpDiff(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  const ord = (x: number) => (x < 0 ? -2147483648 - x : x);
  return Math.abs(ord(i[0]!) - ord(i[1]!));
}

export interface Tolerance {
  readonly ulp?: number;
  readonly rtol?: number;
  readonly atol?: number;
  /** Treat -0 and +0 as equal. */
  readonly ignoreZeroSign?: boolean;
  /** Accept wasm +0 where the reference is subnormal (functions that flush, as XLA:CPU). */
  readonly flushSubnormals?: boolean;
}

/** First mismatch between reference and wasm outputs, as a message (undefined: all equal). */
export function mismatch(
  p: Program,
  want: TypedArray[],
  got: TypedArray[],
  tol: Tolerance = {},
): string | undefined {
  for (const [oi, o] of p.outputs.entries()) {
    if (o.kind !== "buffer") continue;
    const d: DType = p.buffers[o.buffer]!.dtype;
    const w = want[o.buffer]!;
    const g = got[o.buffer]!;
    for (let i = 0; i < w.length; i++) {
      const x = Number(g[i]);
      const y = Number(w[i]);
      if (Object.is(x, y)) continue;
      if (!d.isFloat && x === y) continue;
      if (d.isFloat) {
        if (x === 0 && y === 0 && !tol.ignoreZeroSign)
          return `output ${oi} (${d.name}) [${i}]: wasm ${Object.is(x, -0) ? "-0" : x}, js ${Object.is(y, -0) ? "-0" : y}`;
        if (Number.isNaN(x) && Number.isNaN(y)) continue;
        if (tol.flushSubnormals && x === 0 && Math.abs(y) < 2 ** -126) continue;
        if (ulpDiff(x, y) <= (tol.ulp ?? 0)) continue;
        if (Math.abs(x - y) <= (tol.atol ?? 0) + (tol.rtol ?? 0) * Math.abs(y)) continue;
      }
      return `output ${oi} (${d.name}) [${i}]: wasm ${x}, js ${y}`;
    }
  }
  return undefined;
}

/** Builds, runs both ways (whole and in halves) and returns the first mismatch. */
export function check(
  b: Built,
  tol: Tolerance = {},
  opts: RunOptions = {},
): { error?: string; run: WasmRun } {
  const want = runJs(b);
  const whole = runWasm(b, { ...opts, split: "whole" });
  const e1 = mismatch(b.program, want, whole.buffers, tol);
  if (e1) return { error: `${e1}\n${whole.compiled.text}`, run: whole };
  const halves = runWasm(b, { ...opts, split: opts.split ?? "halves" }, whole.compiled);
  const e2 = mismatch(b.program, want, halves.buffers, tol);
  return { error: e2 && `${e2} (split run)\n${whole.compiled.text}`, run: whole };
}

/** A one-kernel program built directly in the kernel IR (inputs first, then outputs). */
export function loopProgram(
  ins: readonly (readonly [DType, TypedArray])[],
  outs: readonly DType[],
  shape: readonly number[],
  make: (load: (buffer: number, index: Expr) => Expr, idx: readonly Expr[]) => readonly Expr[],
): Built {
  const size = shape.reduce((a, b) => a * b, 1);
  const buffers: BufferInfo[] = [
    ...ins.map(([dtype, data], id) => ({ id, dtype, size: data.length, kind: "input" as const })),
    ...outs.map((dtype, k) => ({ id: ins.length + k, dtype, size, kind: "output" as const })),
  ];
  const axes = shape.map((d, a) => idx(a, d));
  const load = (b: number, index: Expr) => loadAt(b, index, ins[b]![1].length, ins[b]![0]);
  const exprs = make(load, axes);
  const kernel: LoopKernel = {
    kind: "loop",
    shape,
    outputs: exprs.map((expr, k) => ({ buffer: ins.length + k, expr })),
  };
  return {
    program: {
      buffers,
      kernels: [kernel],
      inputs: ins.map((_, i) => i),
      outputs: outs.map((_, k) => ({ kind: "buffer" as const, buffer: ins.length + k })),
    },
    inputs: ins.map(([, d]) => d),
  };
}
