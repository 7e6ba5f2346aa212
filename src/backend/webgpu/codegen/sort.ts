/**
 * WGSL for the sort custom kernel (lax.sort: several operands sorted together along one axis,
 * lexicographically by the first `numKeys`; stable; NaN last, −0 equal to +0). The device
 * sorts a permutation, not the data: a scratch buffer holds, for every line (1-D slice along
 * the axis), the indices 0…n−1, and every comparator compares the keys at two indices
 * (floats through an order-preserving map to u32: NaN → max, −0 → +0), ties broken by the
 * index itself — which makes the sort stable and lets any number and dtype of operands ride
 * along. A last pass gathers every operand through the permutation.
 *
 * The network is the bitonic sorter in its all-ascending form (each merge begins with a
 * "flip" comparing i with its mirror in the block), padded virtually to a power of two P ≥ n:
 * positions ≥ n act as +∞, so a comparator touching one never swaps and is skipped. Stages
 * whose comparators stay within 512 positions run in workgroup memory (one dispatch sorts
 * every 512-block; each later merge ends with one dispatch for its distances 256…1); longer
 * distances are global passes (one dispatch each), log₂(P)·(log₂(P)+1)/2 comparator stages in
 * all.
 */
import type { DType } from "../../../core/dtype.js";
import type { CustomKernel, Program } from "../../../kernel/kernel.js";
import { grid, type ShaderStep } from "./loop.js";
import { storageType } from "./wgsl-alu.js";
import type { AddScratch } from "./scan.js";

const BLOCK = 512;
const WG = 64;

interface SortParams {
  dimension: number;
  numKeys: number;
  shape: number[];
}

/** An order-preserving map of a stored key to u32. */
function keyExpr(d: DType, v: string): string {
  if (d.isBool) return v;
  switch (storageType(d)) {
    case "f32":
      return `fkey(${v})`;
    case "i32":
      return `(bitcast<u32>(${v}) ^ 0x80000000u)`;
    default:
      return v;
  }
}

const FKEY = `fn fkey(x: f32) -> u32 {
  if (is_nan(x)) { return 0xffffffffu; }
  let u = bitcast<u32>(select(x, 0.0, x == 0.0));
  return select(u | 0x80000000u, ~u, (u & 0x80000000u) != 0u);
}`;

/** Declarations and `fn greater(line, a, b) -> bool` over the key operands. */
function comparator(p: Program, keys: readonly number[]): string[] {
  const decls = keys.map(
    (id, q) =>
      `@group(0) @binding(${q + 1}) var<storage, read> k${q}: array<${storageType(p.buffers[id]!.dtype)}>;`,
  );
  const body = keys.flatMap((id, q) => {
    const d = p.buffers[id]!.dtype;
    return [
      `  let a${q} = ${keyExpr(d, `k${q}[base + i32(a) * inner]`)};`,
      `  let b${q} = ${keyExpr(d, `k${q}[base + i32(b) * inner]`)};`,
      `  if (a${q} != b${q}) { return a${q} > b${q}; }`,
    ];
  });
  const usesF = keys.some((id) => storageType(p.buffers[id]!.dtype) === "f32");
  return [
    "@group(0) @binding(0) var<storage, read_write> perm: array<u32>;",
    ...decls,
    `@group(0) @binding(${keys.length + 1}) var<storage, read> dp: array<i32>;`,
    ...(usesF ? [FKEY] : []),
    "fn greater(base: i32, inner: i32, a: u32, b: u32) -> bool {",
    ...body,
    "  return a > b;",
    "}",
    "fn line_base(line: i32) -> i32 { let n = dp[0]; let inner = dp[1]; return (line / inner) * n * inner + line % inner; }",
  ];
}

/** One global comparator stage: dp = [n, inner, lines, P, k, j] (j = 0: the flip of k). */
function globalStage(head: string[]): string {
  return [
    ...head,
    `@compute @workgroup_size(${WG})`,
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
    `  let t: i32 = i32(gid.x + gid.y * nwg.x * ${WG}u);`,
    "  let n = dp[0]; let inner = dp[1]; let half = dp[3] / 2i; let k = dp[4]; let j = dp[5];",
    "  if (t >= dp[2] * half) { return; }",
    "  let line = t / half; let c = t % half;",
    "  var i: i32; var l: i32;",
    "  if (j == 0i) { let h = k / 2i; i = (c / h) * k + c % h; l = (c / h) * k + k - 1i - c % h; }",
    "  else { i = 2i * c - (c & (j - 1i)); l = i + j; }",
    "  if (l >= n) { return; }",
    "  let o = line * n;",
    "  let a = perm[o + i]; let b = perm[o + l];",
    "  if (greater(line_base(line), inner, a, b)) { perm[o + i] = b; perm[o + l] = a; }",
    "}",
    "",
  ].join("\n");
}

/**
 * Stages within 512-blocks in workgroup memory: dp = [n, inner, lines, P, kLo, kHi]. For each
 * k from kLo to kHi (doubling): k ≤ 512 runs the flip of k and distances k/4…1; k > 512 (the
 * end of a global merge) runs distances 256…1.
 */
function localStage(head: string[]): string {
  return [
    ...head,
    `var<workgroup> sh: array<u32, ${BLOCK}>;`,
    `@compute @workgroup_size(${BLOCK / 2})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    "  let n = dp[0]; let inner = dp[1]; let blocks = (dp[3] + 511i) / 512i;",
    "  let g: i32 = i32(wid.x + wid.y * nwg.x);",
    "  if (g >= dp[2] * blocks) { return; }",
    "  let line = g / blocks; let b0 = (g % blocks) * 512i; let o = line * n; let base = line_base(line);",
    "  let c = i32(lid);",
    "  for (var e: i32 = 0i; e < 2i; e++) { let s = b0 + c + e * 256i; if (s < n) { sh[c + e * 256i] = perm[o + s]; } }",
    "  for (var k: i32 = dp[4]; k <= dp[5]; k = k * 2i) {",
    "    var j: i32 = select(k / 2i, 256i, k > 512i);",
    "    if (k <= 512i) { j = 0i; }",
    "    loop {",
    "      workgroupBarrier();",
    "      var i: i32; var l: i32;",
    "      if (j == 0i) { let h = k / 2i; i = (c / h) * k + c % h; l = (c / h) * k + k - 1i - c % h; }",
    "      else { i = 2i * c - (c & (j - 1i)); l = i + j; }",
    "      if (b0 + l < n) {",
    "        let a = sh[i]; let bb = sh[l];",
    "        if (greater(base, inner, a, bb)) { sh[i] = bb; sh[l] = a; }",
    "      }",
    "      j = select(j / 2i, k / 4i, j == 0i);",
    "      if (j < 1i) { break; }",
    "    }",
    "  }",
    "  workgroupBarrier();",
    "  for (var e: i32 = 0i; e < 2i; e++) { let s = b0 + c + e * 256i; if (s < n) { perm[o + s] = sh[c + e * 256i]; } }",
    "}",
    "",
  ].join("\n");
}

export function sortSteps(
  k: CustomKernel,
  p: Program,
  maxDim: number,
  addScratch: AddScratch,
): ShaderStep[] {
  const q = k.params as unknown as SortParams;
  const n = q.shape[q.dimension] ?? 1;
  const inner = q.shape.slice(q.dimension + 1).reduce((a, b) => a * b, 1);
  const lines = q.shape.reduce((a, b) => a * b, 1) / Math.max(1, n);
  if (n === 0 || lines === 0) return [];
  const nk = Math.max(1, Math.min(q.numKeys, k.inputs.length));
  const keys = k.inputs.slice(0, nk);
  const perm = addScratch(lines * n);
  const P = 2 ** Math.ceil(Math.log2(Math.max(2, n)));
  const label = `sort [${q.shape.join(", ")}] along ${q.dimension}`;
  const steps: ShaderStep[] = [];
  const dims = [n, inner, lines, P];
  // 1. The identity permutation of every line.
  steps.push({
    code: [
      "@group(0) @binding(0) var<storage, read_write> perm: array<u32>;",
      "@group(0) @binding(1) var<storage, read> dp: array<i32>;",
      `@compute @workgroup_size(${WG})`,
      "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
      `  let t: i32 = i32(gid.x + gid.y * nwg.x * ${WG}u);`,
      "  if (t < dp[0] * dp[2]) { perm[t] = u32(t % dp[0]); }",
      "}",
      "",
    ].join("\n"),
    bind: [perm],
    groups: grid(Math.ceil((lines * n) / WG), maxDim),
    label: `${label} (identity permutation)`,
    params: Int32Array.from([n, inner, lines]),
  });
  const head = comparator(p, keys);
  const bind = [perm, ...keys];
  const blocks = lines * Math.ceil(P / BLOCK);
  const local = localStage(head);
  const global = globalStage(head);
  const localStep = (kLo: number, kHi: number, what: string): ShaderStep => ({
    code: local,
    bind,
    groups: grid(blocks, maxDim),
    label: `${label} (${what}, in workgroup memory)`,
    params: Int32Array.from([...dims, kLo, kHi]),
  });
  // 2. Sort every 512-block; then each merge of k > 512: its flip, its global distances, and
  // its distances ≤ 256 in workgroup memory.
  steps.push(localStep(2, Math.min(P, BLOCK), `512-blocks`));
  const globalGroups = grid(Math.ceil((lines * P) / 2 / WG), maxDim);
  for (let kk = 2 * BLOCK; kk <= P; kk *= 2) {
    for (let j = 0; j === 0 || j >= BLOCK; j = j === 0 ? kk / 4 : j / 2) {
      if (j !== 0 && j < BLOCK) break;
      steps.push({
        code: global,
        bind,
        groups: globalGroups,
        label: `${label} (merge ${kk}, ${j === 0 ? "flip" : `distance ${j}`})`,
        params: Int32Array.from([...dims, kk, j]),
      });
    }
    steps.push(localStep(kk, kk, `merge ${kk}, distances 256…1`));
  }
  // 3. Every operand through the permutation.
  const ops = k.inputs.length;
  const decls = [
    "@group(0) @binding(0) var<storage, read> perm: array<u32>;",
    ...k.inputs.map(
      (id, i) =>
        `@group(0) @binding(${1 + i}) var<storage, read> x${i}: array<${storageType(p.buffers[id]!.dtype)}>;`,
    ),
    ...k.outputs.map(
      (id, i) =>
        `@group(0) @binding(${1 + ops + i}) var<storage, read_write> y${i}: array<${storageType(p.buffers[id]!.dtype)}>;`,
    ),
    `@group(0) @binding(${1 + 2 * ops}) var<storage, read> dp: array<i32>;`,
  ];
  steps.push({
    code: [
      ...decls,
      `@compute @workgroup_size(${WG})`,
      "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
      `  let t: i32 = i32(gid.x + gid.y * nwg.x * ${WG}u);`,
      "  let n = dp[0]; let inner = dp[1];",
      "  if (t >= n * dp[2]) { return; }",
      "  let line = t / n; let s = t % n;",
      "  let base = (line / inner) * n * inner + line % inner;",
      "  let src = base + i32(perm[t]) * inner; let dst = base + s * inner;",
      ...k.outputs.map((_, i) => `  y${i}[dst] = x${i}[src];`),
      "}",
      "",
    ].join("\n"),
    bind: [perm, ...k.inputs, ...k.outputs],
    groups: grid(Math.ceil((lines * n) / WG), maxDim),
    label: `${label} (gather through the permutation)`,
    params: Int32Array.from([n, inner, lines]),
  });
  return steps;
}
