/**
 * JavaScript code generation from the kernel IR. One JS function per program; each loop
 * kernel becomes a loop nest in which every expression node is computed at the outermost
 * loop level where its operands are available (loop-invariant code motion falls out of the
 * placement rule), reductions become inner loops (several reductions over the same space
 * share one loop), and dot kernels become register-friendly i-k-j loops. Loop kernels:
 * loop.ts; this file holds dot kernels, control flow and the program function.
 */
import type { DType } from "../../../core/dtype.js";
import type { DotKernel, Kernel, Program } from "../../../kernel/kernel.js";
import { kernelReads, kernelWrites } from "../../../kernel/kernel-io.js";
import { wrap } from "./alu.js";
import { LoopEmitter } from "./loop.js";
import { im2colLoadLines, im2colRowLines } from "./dot-im2col.js";

/**
 * i-k-j loops over strided views, one output row accumulated at a time (in double for floats).
 * Loop counters are named as a loop kernel over [batch..., m, n] names them (i0, i1, …), so an
 * epilogue is emitted by a LoopEmitter over that space: its lines at each depth go into the
 * matching dot loop, and its innermost lines into a loop over the row's columns that reads the
 * accumulator (rounded to the product's dtype, as if it had been stored).
 */
function emitDot(k: DotKernel, bufDtypes: readonly DType[]): string {
  const d = k.accDtype;
  const { a, b } = k;
  const lines: string[] = [];
  const nb = k.batch.length;
  const isFloat = d.isFloat;
  // 64-bit integers accumulate as BigInts (the typed array wraps each sum to 64 bits).
  const isBig = d.name === "int64" || d.name === "uint64";
  const row = `i${nb}`;
  const col = `i${nb + 1}`;
  const load = (buf: number, i: string) =>
    bufDtypes[buf]!.name === "float16" ? `rt.h2f[b${buf}[${i}]]` : `b${buf}[${i}]`;
  const shape = [...k.batch, k.m, k.n];
  const levels = k.epilogue
    ? new LoopEmitter(
        { kind: "loop", shape, outputs: [{ buffer: k.epilogue.out, expr: k.epilogue.expr }] },
        bufDtypes,
        wrap(d, `acc[${col}]`),
      ).levelLines()
    : shape.map(() => []).concat([[]]);
  const accArray = isFloat
    ? "Float64Array"
    : isBig
      ? d.name === "int64"
        ? "BigInt64Array"
        : "BigUint64Array"
      : "Int32Array";
  lines.push(`const acc = new ${accArray}(${k.n});`);
  lines.push(...levels[0]!);
  let aOff = String(a.offset);
  let bOff = String(b.offset);
  let oOff = "0";
  const outBatchStride = k.m * k.n;
  for (let q = 0; q < nb; q++) {
    lines.push(`for (let i${q} = 0; i${q} < ${k.batch[q]}; i${q}++) {`, ...levels[q + 1]!);
    aOff += ` + i${q} * ${a.batchStrides[q]}`;
    bOff += ` + i${q} * ${b.batchStrides[q]}`;
  }
  if (nb > 0) {
    const flat = k.batch.reduce((s, _, q) => `(${s}) * ${k.batch[q]} + i${q}`, "0");
    oOff = `(${flat}) * ${outBatchStride}`;
  }
  const mul =
    isFloat || isBig
      ? (x: string, y: string) => `${x} * ${y}`
      : (x: string, y: string) => `Math.imul(${x}, ${y})`;
  const accum =
    isFloat || isBig
      ? (x: string) => `acc[j] += ${x};`
      : (x: string) => `acc[j] = (acc[j] + ${x}) | 0;`;
  lines.push(
    `const ao = ${aOff}, bo = ${bOff}, oo = ${oOff};`,
    `for (let ${row} = 0; ${row} < ${k.m}; ${row}++) {`,
    ...levels[nb + 1]!,
    `acc.fill(${isBig ? "0n" : "0"});`,
    ...(a.im2col
      ? im2colRowLines(a.im2col, row, "ao")
      : [`const ai = ao + ${row} * ${a.rowStride};`]),
    `for (let kk = 0; kk < ${k.k}; kk++) {`,
    ...(a.im2col
      ? im2colLoadLines(a.im2col, (i) => load(a.buffer, i))
      : [`const av = ${load(a.buffer, `ai + kk * ${a.colStride}`)};`]),
    `const bk = bo + kk * ${b.rowStride};`,
    b.colStride === 1
      ? `for (let j = 0; j < ${k.n}; j++) ${accum(mul("av", load(b.buffer, "bk + j")))}`
      : `for (let j = 0; j < ${k.n}; j++) ${accum(mul("av", load(b.buffer, `bk + j * ${b.colStride}`)))}`,
    `}`,
  );
  if (k.out !== undefined) {
    lines.push(
      `const oi = oo + ${row} * ${k.n};`,
      `for (let j = 0; j < ${k.n}; j++) b${k.out}[oi + j] = ${storeValue(bufDtypes[k.out]!, "acc[j]")};`,
    );
  }
  if (k.epilogue)
    lines.push(`for (let ${col} = 0; ${col} < ${k.n}; ${col}++) {`, ...levels[nb + 2]!, `}`);
  lines.push(`}`);
  for (let q = 0; q < nb; q++) lines.push("}");
  return `{\n${lines.join("\n")}\n}`;
}

/**
 * `x` (an accumulator entry) as the value stored in a buffer of dtype `d`: the typed array
 * rounds or wraps every numeric dtype itself, except float16 (stored as bits) and bool, whose
 * Uint8Array would keep a count (a bool product is the logical or of ands: nonzero → 1).
 */
function storeValue(d: DType, x: string): string {
  if (d.name === "float16") return `rt.f2h(${x})`;
  if (d.name === "bool") return `(${x} ? 1 : 0)`;
  return x;
}

/** JS for a list of kernels (recursively for control flow). */
class ProgramEmitter {
  readonly customParams: Record<string, unknown> = {};
  constructor(private readonly dtypes: readonly DType[]) {}

  kernels(ks: readonly Kernel[]): string {
    return ks.map((k) => this.kernel(k)).join("\n");
  }

  private kernel(k: Kernel): string {
    switch (k.kind) {
      case "loop":
        return new LoopEmitter(k, this.dtypes).emit();
      case "dot":
        return emitDot(k, this.dtypes);
      case "custom": {
        const name = `P${Object.keys(this.customParams).length}`;
        this.customParams[name] = k.params;
        const ins = k.inputs.map((i) => `b${i}`).join(", ");
        const outs = k.outputs.map((i) => `b${i}`).join(", ");
        return `rt.kernels.${k.op}([${ins}], [${outs}], ${name});`;
      }
      case "cond": {
        const n = k.branches.length;
        const cases = k.branches.map((b, i) => `case ${i}: {\n${this.kernels(b)}\nbreak;\n}`);
        return `switch (Math.min(Math.max(b${k.index}[0] | 0, 0), ${n - 1})) {\n${cases.join("\n")}\n}`;
      }
      case "while":
        return `for (;;) {\n${this.kernels(k.cond)}\nif (!b${k.predicate}[0]) break;\n${this.kernels(k.body)}\n}`;
    }
  }
}

/**
 * The source of `function(b, rt, P)`: `b` holds the program's buffers by id, `rt` the
 * helpers, `P` the custom kernels' parameters.
 */
export function generateProgramSource(p: Program): {
  source: string;
  customParams: Record<string, unknown>;
} {
  const used = new Set<number>();
  for (const k of p.kernels) for (const b of [...kernelReads(k), ...kernelWrites(k)]) used.add(b);
  const emitter = new ProgramEmitter(p.buffers.map((b) => b.dtype));
  const body = emitter.kernels(p.kernels);
  const decls = [...used]
    .sort((x, y) => x - y)
    .map((i) => `const b${i} = b[${i}];`)
    .join("\n");
  const names = Object.keys(emitter.customParams);
  const destructure = names.length ? `const { ${names.join(", ")} } = P;\n` : "";
  return { source: `${destructure}${decls}\n${body}`, customParams: emitter.customParams };
}
