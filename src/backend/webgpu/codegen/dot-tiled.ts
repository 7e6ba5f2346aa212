/**
 * WGSL for a dot kernel on GPUs: workgroup-memory tiling plus register tiles. A workgroup of
 * 16×16 invocations computes a 64×64 output tile; per step of 16 along k it stages a 64×16
 * tile of A and a 16×64 tile of B in workgroup memory (cooperatively: every invocation loads
 * 4 elements of each, one vec4 load when the operand is contiguous along the loaded axis and
 * 4-aligned), synchronizes, and each invocation does 16 rank-1 updates of its 4×4 register
 * tile (4 vec4 accumulators: one vec4 read of A's column and one of B's row per step, 16
 * multiply-adds). The staged tiles are k-major arrays of vec4 so the 16 invocations of a row
 * read 16 consecutive vec4 of B and one broadcast vec4 of A (no bank conflicts).
 *
 * The design follows the usual 2-D register-blocked shared-memory GEMM (as in CUTLASS-style
 * and the published WebGPU matmul write-ups): the tile sizes fit WebGPU's guaranteed limits
 * (256 invocations, 8 KiB of the 16 KiB workgroup storage). k past the end is loaded as zeros;
 * rows/columns past the edge are clamped for loads and skipped for stores. The store function
 * and the fused epilogue are dot-common.ts's.
 */
import type { DType } from "../../../core/dtype.js";
import type { DotKernel, DotOperand, Program } from "../../../kernel/kernel.js";
import { dotLabel, dotLoad, dotParts } from "./dot-common.js";
import { bindings, type ShaderStep } from "./loop.js";
import { storageType, unsupportedOp } from "./wgsl-alu.js";

const BM = 64;
const BN = 64;
const BK = 16;
const W = 16; // invocations per workgroup side: W·4 = BM = BN

/**
 * Whether operand `o` can be read as vec4 along its columns (A: k, B: n): contiguous there,
 * `len` (K or N) and every other stride and offset multiples of 4, storage of the accumulator's
 * dtype (no cast).
 */
function vec4Ok(p: Program, o: DotOperand, acc: DType, len: number): boolean {
  const d = p.buffers[o.buffer]!.dtype;
  if (d.isBool || d.name !== acc.name) return false;
  return (
    o.colStride === 1 &&
    len % 4 === 0 &&
    o.rowStride % 4 === 0 &&
    o.offset % 4 === 0 &&
    o.batchStrides.every((s) => s % 4 === 0)
  );
}

export function tiledDotShader(k: DotKernel, p: Program, maxDim: number): ShaderStep {
  const acc = k.accDtype;
  const { t, params, head, storeFn, loaded, stored } = dotParts(k, p, maxDim);
  // A is read along k (its column stride), B along n (its column stride).
  const aVec = vec4Ok(p, k.a, acc, k.k);
  const bVec = vec4Ok(p, k.b, acc, k.n);
  const lines = [...head];
  // Loop trip counts (16 and 4) come from the parameter block: lavapipe's LLVM unrolls
  // constant-count loops, which multiplied cold compile times.
  params.push(BK, 4);
  const bkAt = params.length - 2;
  const fourAt = params.length - 1;
  lines.push(
    "let tid: i32 = i32(li); let lx: i32 = i32(lid.x); let ly: i32 = i32(lid.y);",
    `let m0: i32 = i32(wid.y) * ${BM}i; let n0: i32 = i32(wid.x) * ${BN}i;`,
    `var acc0 = vec4<${t}>(); var acc1 = vec4<${t}>(); var acc2 = vec4<${t}>(); var acc3 = vec4<${t}>();`,
    `let tiles: i32 = (K + ${BK - 1}i) / ${BK}i;`,
    "for (var kt: i32 = 0i; kt < tiles; kt++) {",
    `  let k0: i32 = kt * ${BK}i;`,
  );
  const zero = `${t}()`;
  if (aVec) {
    // 64 rows × 4 quads of k: one vec4 per invocation, scattered into the k-major tile.
    lines.push(
      "  let ar: i32 = tid / 4i; let aq: i32 = tid % 4i; let ka: i32 = k0 + aq * 4i;",
      `  var av = vec4<${t}>();`,
      "  if (ka < K) { av = va[(abase + min(m0 + ar, M - 1i) * aRow + ka) / 4i]; }",
      ...[0, 1, 2, 3].map((c) => `  As[(aq * 4i + ${c}i) * 16i + ar / 4i][ar % 4i] = av[${c}];`),
    );
  } else {
    const at = `abase + min(m0 + am, M - 1i) * aRow + (k0 + ak) * aCol`;
    lines.push(
      `  for (var e: i32 = 0i; e < dp[${fourAt}]; e++) {`,
      `    let am: i32 = (tid + e * 256i) % ${BM}i; let ak: i32 = (tid + e * 256i) / ${BM}i;`,
      `    var a0: ${t} = ${zero};`,
      `    if (k0 + ak < K) { a0 = ${dotLoad(p, k.a, acc, at)}; }`,
      `    As[ak * 16i + am / 4i][am % 4i] = a0;`,
      "  }",
    );
  }
  if (bVec) {
    lines.push(
      "  let bk: i32 = tid / 16i; let bq: i32 = tid % 16i;",
      `  var bv = vec4<${t}>();`,
      "  if (k0 + bk < K) { bv = vb[(bbase + (k0 + bk) * bRow + min(n0 + bq * 4i, N - 4i)) / 4i]; }",
      "  Bs[bk * 16i + bq] = bv;",
    );
  } else {
    const at = `bbase + (k0 + bk) * bRow + min(n0 + bn, N - 1i) * bCol`;
    lines.push(
      `  for (var e: i32 = 0i; e < dp[${fourAt}]; e++) {`,
      `    let bn: i32 = (tid + e * 256i) % ${BN}i; let bk: i32 = (tid + e * 256i) / ${BN}i;`,
      `    var v0: ${t} = ${zero};`,
      `    if (k0 + bk < K) { v0 = ${dotLoad(p, k.b, acc, at)}; }`,
      `    Bs[bk * 16i + bn / 4i][bn % 4i] = v0;`,
      "  }",
    );
  }
  lines.push(
    "  workgroupBarrier();",
    `  for (var kk: i32 = 0i; kk < dp[${bkAt}]; kk++) {`,
    "    let a = As[kk * 16i + ly]; let b = Bs[kk * 16i + lx];",
    "    acc0 += a.x * b; acc1 += a.y * b; acc2 += a.z * b; acc3 += a.w * b;",
    "  }",
    "  workgroupBarrier();",
    "}",
  );
  const cs = [0, 1, 2, 3].flatMap((r) => ["x", "y", "z", "w"].map((c) => `acc${r}.${c}`));
  params.push(16);
  lines.push(
    `var cs = array<${t}, 16>(${cs.join(", ")});`,
    `for (var e: i32 = 0i; e < dp[${params.length - 1}]; e++) {`,
    "  store_at(bf, m0 + ly * 4i + e / 4i, n0 + lx * 4i + e % 4i, cs[e]);",
    "}",
  );
  if (!aVec) loaded.add(k.a.buffer);
  if (!bVec) loaded.add(k.b.buffer);
  const { decls, bind } = bindings(p, loaded, stored);
  // vec4 views get their own bindings (the same buffer may also be bound as scalars).
  const extra: [string, number][] = [];
  if (aVec) extra.push(["va", k.a.buffer]);
  if (bVec) extra.push(["vb", k.b.buffer]);
  for (const [name, id] of extra) {
    const st = storageType(p.buffers[id]!.dtype);
    decls.push(
      `@group(0) @binding(${bind.length}) var<storage, read> ${name}: array<vec4<${st}>>;`,
    );
    bind.push(id);
  }
  decls.push(`@group(0) @binding(${bind.length}) var<storage, read> dp: array<i32>;`);
  decls.push(
    `var<workgroup> As: array<vec4<${t}>, ${(BK * BM) / 4}>;`,
    `var<workgroup> Bs: array<vec4<${t}>, ${(BK * BN) / 4}>;`,
  );
  const code = [
    ...decls,
    "",
    ...storeFn,
    "",
    `@compute @workgroup_size(${W}, ${W})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {",
    "  let bf: i32 = i32(wid.z);",
    ...lines.map((l) => `  ${l}`),
    "}",
    "",
  ].join("\n");
  const gx = Math.ceil(k.n / BN);
  const gy = Math.ceil(k.m / BM);
  if (gx > maxDim || gy > maxDim)
    throw unsupportedOp(`dot_general of ${k.m}×${k.n} (grid too large)`);
  const how = `64×64 workgroup tiles${aVec || bVec ? `, vec4 loads of ${aVec ? (bVec ? "A and B" : "A") : "B"}` : ""}`;
  const batch = k.batch.reduce((a, b) => a * b, 1);
  return {
    code,
    bind,
    groups: [gx, gy, batch],
    label: dotLabel(k, how),
    params: Int32Array.from(params),
  };
}
