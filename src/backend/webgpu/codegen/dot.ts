/**
 * WGSL for a dot kernel: out[b, i, j] = Σ_k a[b, i, k] · b[b, k, j] as a register-tiled
 * kernel. Each invocation owns a 4×4 tile of the output in 16 scalar accumulators; per step
 * of k it loads 4 elements of A's rows and 4 of B's columns and does 16 multiply-adds (a 4×
 * reuse of every load). A workgroup is 8×8 invocations = a 32×32 output tile; workgroup z is
 * the flat batch index.
 *
 * This is the kernel for CPU adapters (lavapipe, SwiftShader): there a barrier costs more than
 * it saves — a 4×4 register-blocked matmul measured several times faster than a workgroup-
 * memory tiled one (issue 15's notes; bench/webgpu rows). GPUs get dot-tiled.ts (workgroup-
 * memory tiles, vec4 loads); `dotShader` picks by the adapter (WgslLimits.dotTiling).
 *
 * Rows and columns past the edge are clamped for loads and skipped for stores. A fused
 * epilogue (kernel.ts DotEpilogue) is evaluated per stored element with the accumulator.
 */
import { type DotKernel, type Program } from "../../../kernel/kernel.js";
import { dotLabel, dotLoad, dotParts } from "./dot-common.js";
import { tiledDotShader } from "./dot-tiled.js";
import { bindings, type ShaderStep } from "./loop.js";
import { literal, unsupportedOp } from "./wgsl-alu.js";

const TM = 4;
const TN = 4;
const WX = 8;
const WY = 8;

/** Which dot kernel a device uses: registers only (CPU adapters) or workgroup-memory tiles. */
export type DotTiling = "register" | "workgroup";

export function dotShader(
  k: DotKernel,
  p: Program,
  maxDim: number,
  tiling: DotTiling = "register",
): ShaderStep | undefined {
  const batch = k.batch.reduce((a, b) => a * b, 1);
  if (batch === 0 || k.m === 0 || k.n === 0) return undefined;
  if (tiling === "workgroup") return tiledDotShader(k, p, maxDim);
  const acc = k.accDtype;
  // Sizes, offsets and strides are read from a small parameter buffer, not baked in: the
  // shader text depends only on the dtypes, the batch rank and the epilogue, so one pipeline
  // serves every shape, and lavapipe's LLVM does not unroll a constant k loop (a cold compile
  // of a baked-in 32×16·16×4 kernel took 6–25 s on the shared test machine).
  const { t, params, head, storeFn, loaded, stored } = dotParts(k, p, maxDim);
  const lines = [...head];
  lines.push(`let row0: i32 = i32(wid.y) * ${TM * WY}i + i32(lid.y) * ${TM}i;`);
  lines.push(`let col0: i32 = i32(wid.x) * ${TN * WX}i + i32(lid.x) * ${TN}i;`);
  for (let r = 0; r < TM; r++)
    lines.push(`let ar${r}: i32 = abase + min(row0 + ${r}i, M - 1i) * aRow;`);
  for (let c = 0; c < TN; c++)
    lines.push(`let bc${c}: i32 = bbase + min(col0 + ${c}i, N - 1i) * bCol;`);
  for (let r = 0; r < TM; r++)
    for (let c = 0; c < TN; c++) lines.push(`var c${r}${c}: ${t} = ${literal(0, acc)};`);
  lines.push(`for (var kk: i32 = 0i; kk < K; kk++) {`);
  for (let r = 0; r < TM; r++)
    lines.push(`  let a${r}: ${t} = ${dotLoad(p, k.a, acc, `ar${r} + kk * aCol`)};`);
  for (let c = 0; c < TN; c++)
    lines.push(`  let v${c}: ${t} = ${dotLoad(p, k.b, acc, `bc${c} + kk * bRow`)};`);
  for (let r = 0; r < TM; r++)
    for (let c = 0; c < TN; c++) lines.push(`  c${r}${c} = c${r}${c} + a${r} * v${c};`);
  lines.push("}");
  loaded.add(k.a.buffer).add(k.b.buffer);
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
  const label = dotLabel(k, "4×4 register tiles");
  return { code, bind, groups: [gx, gy, batch], label, params: Int32Array.from(params) };
}
