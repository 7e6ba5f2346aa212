/**
 * WGSL for a dot kernel: out[b, i, j] = Σ_k a[b, i, k] · b[b, k, j] as a register-tiled
 * kernel. Each invocation owns a 4×4 tile of the output in 16 scalar accumulators; per step
 * of k it loads 4 elements of A's rows and 4 of B's columns and does 16 multiply-adds (a 4×
 * reuse of every load). A workgroup is 8×8 invocations = a 32×32 output tile; workgroup z is
 * the flat batch index.
 *
 * Why no workgroup-memory tiles (yet): on the adapter the tests run on (lavapipe, a CPU) a
 * barrier costs more than it saves — a 4×4 register-blocked matmul measured ~10× faster than
 * a workgroup-memory tiled one there (issue 15's notes) — and the operands are general strided
 * views (any row/column stride), which rules out vec4 loads without a layout check. A
 * discrete-GPU variant (shared-memory tiles, vec4 loads for contiguous operands) is the next
 * step; the tile choice is per adapter.
 *
 * Rows and columns past the edge are clamped for loads and skipped for stores. A fused
 * epilogue (kernel.ts DotEpilogue) is evaluated per stored element with the accumulator.
 */
import type { DType } from "../../../core/dtype.js";
import { type DotKernel, type DotOperand, type Program } from "../../../kernel/kernel.js";
import { bindings, type ShaderStep, storeValue } from "./loop.js";
import { castWgsl, literal, unsupportedOp, wgslType } from "./wgsl-alu.js";
import { WgslExprEmitter } from "./wgsl-expr.js";

const TM = 4;
const TN = 4;
const WX = 8;
const WY = 8;

export function dotShader(k: DotKernel, p: Program, maxDim: number): ShaderStep | undefined {
  const batch = k.batch.reduce((a, b) => a * b, 1);
  if (batch === 0 || k.m === 0 || k.n === 0) return undefined;
  const acc = k.accDtype;
  const t = wgslType(acc);
  if (t === "bool") throw unsupportedOp("dot_general with a bool accumulator");
  if (batch > maxDim) throw unsupportedOp(`dot_general with more than ${maxDim} batch elements`);
  const nb = k.batch.length;
  const lines: string[] = [];
  // Batch coordinates q0… of the flat batch index.
  k.batch.forEach((d, q) => {
    const inner = k.batch.slice(q + 1).reduce((x, y) => x * y, 1);
    const v = inner === 1 ? "bf" : `(bf / ${inner}i)`;
    lines.push(`let q${q}: i32 = ${q === 0 ? v : `${v} % ${d}i`};`);
  });
  const base = (o: DotOperand, name: string): void => {
    const terms = o.batchStrides.map((s, q) => (s === 0 ? "" : ` + q${q} * ${s}i`)).join("");
    lines.push(`let ${name}: i32 = ${o.offset}i${terms};`);
  };
  base(k.a, "abase");
  base(k.b, "bbase");
  lines.push(`let row0: i32 = i32(wid.y) * ${TM * WY}i + i32(lid.y) * ${TM}i;`);
  lines.push(`let col0: i32 = i32(wid.x) * ${TN * WX}i + i32(lid.x) * ${TN}i;`);
  for (let r = 0; r < TM; r++)
    lines.push(`let ar${r}: i32 = abase + min(row0 + ${r}i, ${k.m - 1}i) * ${k.a.rowStride}i;`);
  for (let c = 0; c < TN; c++)
    lines.push(`let bc${c}: i32 = bbase + min(col0 + ${c}i, ${k.n - 1}i) * ${k.b.colStride}i;`);
  for (let r = 0; r < TM; r++)
    for (let c = 0; c < TN; c++) lines.push(`var c${r}${c}: ${t} = ${literal(0, acc)};`);
  const load = (o: DotOperand, at: string): string => {
    const d: DType = p.buffers[o.buffer]!.dtype;
    const raw = `b${o.buffer}[${at}]`;
    return castWgsl(d, acc, d.isBool ? `(${raw} != 0u)` : raw);
  };
  lines.push(`for (var kk: i32 = 0i; kk < ${k.k}i; kk++) {`);
  for (let r = 0; r < TM; r++)
    lines.push(`  let a${r}: ${t} = ${load(k.a, `ar${r} + kk * ${k.a.colStride}i`)};`);
  for (let c = 0; c < TN; c++)
    lines.push(`  let v${c}: ${t} = ${load(k.b, `bc${c} + kk * ${k.b.rowStride}i`)};`);
  for (let r = 0; r < TM; r++)
    for (let c = 0; c < TN; c++) lines.push(`  c${r}${c} = c${r}${c} + a${r} * v${c};`);
  lines.push("}");
  const loaded = new Set([k.a.buffer, k.b.buffer]);
  const stored = new Set<number>();
  if (k.out !== undefined) stored.add(k.out);
  if (k.epilogue) stored.add(k.epilogue.out);
  for (let r = 0; r < TM; r++) {
    for (let c = 0; c < TN; c++) {
      const cv = `c${r}${c}`;
      const body: string[] = [
        `let i: i32 = row0 + ${r}i;`,
        `let j: i32 = col0 + ${c}i;`,
        `let o: i32 = (bf * ${k.m}i + i) * ${k.n}i + j;`,
      ];
      if (k.out !== undefined) body.push(`b${k.out}[o] = ${storeValue(p, k.out, cv)};`);
      if (k.epilogue) {
        const em = new WgslExprEmitter({
          bufDtype: (id) => p.buffers[id]!.dtype,
          idxName: (a) => (a < nb ? `q${a}` : a === nb ? "i" : "j"),
          acc: cv,
          reductions: "sequential",
        });
        const v = em.value(k.epilogue.expr);
        for (const b of em.loaded) loaded.add(b);
        body.push(...em.lines, `b${k.epilogue.out}[o] = ${storeValue(p, k.epilogue.out, v)};`);
      }
      lines.push(
        `if (row0 + ${r}i < ${k.m}i && col0 + ${c}i < ${k.n}i) {`,
        ...body.map((l) => `  ${l}`),
        "}",
      );
    }
  }
  const { decls, bind } = bindings(p, loaded, stored);
  const code = [
    ...decls,
    "",
    `@compute @workgroup_size(${WX}, ${WY})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {",
    "  let bf: i32 = i32(wid.z);",
    ...lines.map((l) => `  ${l}`),
    "}",
    "",
  ].join("\n");
  const gx = Math.ceil(k.n / (TN * WX));
  const gy = Math.ceil(k.m / (TM * WY));
  if (gx > maxDim || gy > maxDim)
    throw unsupportedOp(`dot_general of ${k.m}×${k.n} (grid too large)`);
  const label = `dot [${[...k.batch, k.m, k.n].join(", ")}] k=${k.k}${k.epilogue ? " + epilogue" : ""}`;
  return { code, bind, groups: [gx, gy, batch], label };
}
