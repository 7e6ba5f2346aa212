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
  if (k.a.im2col) throw unsupportedOp("an implicit-GEMM convolution dot (a wasm lowering)");
  if (batch > maxDim) throw unsupportedOp(`dot_general with more than ${maxDim} batch elements`);
  const nb = k.batch.length;
  // Sizes, offsets and strides are read from a small parameter buffer, not baked in: the
  // shader text depends only on the dtypes, the batch rank and the epilogue, so one pipeline
  // serves every shape, and lavapipe's LLVM does not unroll a constant k loop (a cold compile
  // of a baked-in 32×16·16×4 kernel took 6–25 s on the shared test machine).
  const params = [k.m, k.n, k.k, k.a.offset, k.a.rowStride, k.a.colStride];
  params.push(
    k.b.offset,
    k.b.rowStride,
    k.b.colStride,
    ...k.a.batchStrides,
    ...k.b.batchStrides,
    ...k.batch,
  );
  const lines: string[] = [
    "let M: i32 = dp[0]; let N: i32 = dp[1]; let K: i32 = dp[2];",
    "let aRow: i32 = dp[4]; let aCol: i32 = dp[5]; let bRow: i32 = dp[7]; let bCol: i32 = dp[8];",
  ];
  // Batch coordinates q0… of the flat batch index (batch dims at dp[9 + 2·nb + q]).
  const batchCoords = (out: string[]): void => {
    for (let q = 0; q < nb; q++) {
      const inner = Array.from({ length: nb - q - 1 }, (_, r) => `dp[${9 + 2 * nb + q + 1 + r}]`);
      const v = inner.length ? `(bf / (${inner.join(" * ")}))` : "bf";
      out.push(`let q${q}: i32 = ${q === 0 ? v : `${v} % dp[${9 + 2 * nb + q}]`};`);
    }
  };
  batchCoords(lines);
  const base = (offset: number, strides: number, name: string): void => {
    const terms = k.batch.map((_, q) => ` + q${q} * dp[${strides + q}]`).join("");
    lines.push(`let ${name}: i32 = dp[${offset}]${terms};`);
  };
  base(3, 9, "abase");
  base(6, 9 + nb, "bbase");
  lines.push(`let row0: i32 = i32(wid.y) * ${TM * WY}i + i32(lid.y) * ${TM}i;`);
  lines.push(`let col0: i32 = i32(wid.x) * ${TN * WX}i + i32(lid.x) * ${TN}i;`);
  for (let r = 0; r < TM; r++)
    lines.push(`let ar${r}: i32 = abase + min(row0 + ${r}i, M - 1i) * aRow;`);
  for (let c = 0; c < TN; c++)
    lines.push(`let bc${c}: i32 = bbase + min(col0 + ${c}i, N - 1i) * bCol;`);
  for (let r = 0; r < TM; r++)
    for (let c = 0; c < TN; c++) lines.push(`var c${r}${c}: ${t} = ${literal(0, acc)};`);
  const load = (o: DotOperand, at: string): string => {
    const d: DType = p.buffers[o.buffer]!.dtype;
    const raw = `b${o.buffer}[${at}]`;
    return castWgsl(d, acc, d.isBool ? `(${raw} != 0u)` : raw);
  };
  lines.push(`for (var kk: i32 = 0i; kk < K; kk++) {`);
  for (let r = 0; r < TM; r++)
    lines.push(`  let a${r}: ${t} = ${load(k.a, `ar${r} + kk * aCol`)};`);
  for (let c = 0; c < TN; c++)
    lines.push(`  let v${c}: ${t} = ${load(k.b, `bc${c} + kk * bRow`)};`);
  for (let r = 0; r < TM; r++)
    for (let c = 0; c < TN; c++) lines.push(`  c${r}${c} = c${r}${c} + a${r} * v${c};`);
  lines.push("}");
  const loaded = new Set([k.a.buffer, k.b.buffer]);
  const stored = new Set<number>();
  if (k.out !== undefined) stored.add(k.out);
  if (k.epilogue) stored.add(k.epilogue.out);
  // One store function (the epilogue emitted once), called for each of the 16 elements.
  const fn: string[] = [];
  batchCoords(fn);
  fn.push(`let o: i32 = (bf * dp[0] + i) * dp[1] + j;`);
  if (k.out !== undefined) fn.push(`b${k.out}[o] = ${storeValue(p, k.out, "acc")};`);
  if (k.epilogue) {
    const em = new WgslExprEmitter({
      bufDtype: (id) => p.buffers[id]!.dtype,
      idxName: (a) => (a < nb ? `q${a}` : a === nb ? "i" : "j"),
      acc: "acc",
      reductions: "sequential",
    });
    const v = em.value(k.epilogue.expr);
    for (const b of em.loaded) loaded.add(b);
    fn.push(...em.lines, `b${k.epilogue.out}[o] = ${storeValue(p, k.epilogue.out, v)};`);
  }
  const storeFn = [
    `fn store_at(bf: i32, i: i32, j: i32, acc: ${t}) {`,
    `  if (i >= dp[0] || j >= dp[1]) { return; }`,
    ...fn.map((l) => `  ${l}`),
    "}",
  ];
  // The 16 stores run as a loop whose trip count comes from the parameter block: the
  // compiler keeps one copy of the store (and epilogue) code instead of 16 (cold lavapipe
  // compiles of a fused bias+relu dot went from ~5 s to ~1 s).
  params.push(TM * TN);
  const cs = Array.from({ length: TM * TN }, (_, e) => `c${Math.floor(e / TN)}${e % TN}`);
  lines.push(
    `var cs = array<${t}, ${TM * TN}>(${cs.join(", ")});`,
    `for (var e: i32 = 0i; e < dp[${params.length - 1}]; e++) {`,
    `  store_at(bf, row0 + e / ${TN}i, col0 + e % ${TN}i, cs[e]);`,
    "}",
  );
  const { decls, bind } = bindings(p, loaded, stored);
  decls.push(`@group(0) @binding(${bind.length}) var<storage, read> dp: array<i32>;`);
  const code = [
    ...decls,
    "",
    ...storeFn,
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
  return { code, bind, groups: [gx, gy, batch], label, params: Int32Array.from(params) };
}
