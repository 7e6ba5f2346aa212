/**
 * WGSL for the cumulative custom kernel (cumsum, cumprod, cummax, cummin along one axis,
 * optionally reversed). A "line" is one 1-D slice along the axis. Each workgroup of 256
 * invocations scans chunks of 1024 elements: every invocation combines 4 consecutive elements
 * sequentially, a Hillis–Steele scan in workgroup memory combines the 256 partial totals, and
 * each invocation adds its exclusive prefix and the carry from the chunks before.
 *
 * Many lines (or short ones): one pass, a workgroup per line looping over its chunks. Few long
 * lines (≥ 4 chunks and < 64 lines): three passes, so every chunk of every line has its own
 * workgroup — reduce each chunk to a total (scratch buffer), scan the totals of each line with
 * the one-pass kernel, then scan each chunk again starting from the total of the chunks before
 * it. Floating-point sums and products are therefore combined in a tree order, not the js
 * device's left-to-right order: results differ by rounding (max and min, and all integer ops,
 * are exact). Bool: sum/max are or, prod/min are and, on 0/1 words.
 */
import type { DType } from "../../../core/dtype.js";
import type { CustomKernel, Program } from "../../../kernel/kernel.js";
import type { ShaderStep } from "./loop.js";
import { literal, storageType, wgslType } from "./wgsl-alu.js";

const WG = 256;
const PER = 4;
const CHUNK = WG * PER;

export interface ScanParams {
  op: "sum" | "prod" | "max" | "min";
  axis: number;
  reverse: boolean;
  shape: number[];
  dtype: string;
}

/** A scratch buffer of `words` 4-byte words; its id in ShaderStep.bind is negative. */
export type AddScratch = (words: number) => number;

function combineFn(op: ScanParams["op"], d: DType): { t: string; fn: string; id: string } {
  const t = storageType(d);
  if (d.isBool) {
    const or = op === "sum" || op === "max";
    return { t, fn: or ? "a | b" : "a & b", id: or ? "0u" : "1u" };
  }
  const f = wgslType(d) === "f32";
  const ids: Record<string, [number, number, number, number]> = {
    f32: [0, 1, -Infinity, Infinity],
    i32: [0, 1, -2147483648, 2147483647],
    u32: [0, 1, 0, 4294967295],
  };
  const k = ["sum", "prod", "max", "min"].indexOf(op);
  const fn = op === "sum" ? "a + b" : op === "prod" ? "a * b" : f ? `f${op}_(a, b)` : `${op}(a, b)`;
  return { t, fn, id: literal(ids[t]![k]!, d) };
}

/**
 * The shader of one pass. `mode`: "lines" scans whole lines (a workgroup per line, `dp` =
 * [n, inner, lines]); "reduce" writes each chunk's total to `tot`; "chunks" scans each chunk
 * starting from the scanned total of the chunk before (workgroup (chunk, line)).
 */
function scanShader(
  mode: "lines" | "reduce" | "chunks",
  t: string,
  fn: string,
  id: string,
  reverse: boolean,
): string {
  const pos = reverse ? "(n - 1i - s)" : "s";
  const io =
    mode === "reduce"
      ? [
          "@group(0) @binding(0) var<storage, read> x: array<T>;",
          "@group(0) @binding(1) var<storage, read_write> tot: array<T>;",
        ]
      : [
          "@group(0) @binding(0) var<storage, read> x: array<T>;",
          "@group(0) @binding(1) var<storage, read_write> y: array<T>;",
          ...(mode === "chunks" ? ["@group(0) @binding(2) var<storage, read> tot: array<T>;"] : []),
        ];
  const chunkLoop =
    mode === "lines"
      ? [
          "var carry: T = ID;",
          "let chunks: i32 = (n + CHUNKi - 1i) / CHUNKi;",
          "for (var c: i32 = 0i; c < chunks; c++) {",
        ]
      : [
          "let c: i32 = i32(wid.x);",
          "var carry: T = ID;",
          "if (c > 0i) { carry = tot[line * i32(nwg.x) + c - 1i]; }",
          "{",
        ];
  const body = [
    "  let s0: i32 = c * CHUNKi + i32(lid) * PERi;",
    "  var v: array<T, PER>;",
    "  var run: T = ID;",
    "  for (var e: i32 = 0i; e < dp[4]; e++) {",
    "    let s: i32 = s0 + e;",
    "    var a: T = ID;",
    `    if (s < n) { a = x[at(line, ${pos})]; }`,
    "    run = combine(run, a);",
    "    v[e] = run;",
    "  }",
    "  sh[lid] = run;",
    "  for (var off: u32 = 1u; off < u32(dp[3]); off = off * 2u) {",
    "    workgroupBarrier();",
    "    var u: T = sh[lid];",
    "    if (lid >= off) { u = combine(sh[lid - off], u); }",
    "    workgroupBarrier();",
    "    sh[lid] = u;",
    "  }",
    "  workgroupBarrier();",
    ...(mode === "reduce"
      ? ["  if (lid == WGu - 1u) { tot[line * i32(nwg.x) + c] = sh[lid]; }"]
      : [
          "  var pre: T = carry;",
          "  if (lid > 0u) { pre = combine(carry, sh[lid - 1u]); }",
          "  for (var e: i32 = 0i; e < dp[4]; e++) {",
          "    let s: i32 = s0 + e;",
          `    if (s < n) { y[at(line, ${pos})] = combine(pre, v[e]); }`,
          "  }",
          "  carry = combine(carry, sh[WGu - 1u]);",
          "  workgroupBarrier();",
        ]),
    "}",
  ];
  const line = mode === "lines" ? "i32(wid.x + wid.y * nwg.x)" : "i32(wid.y)";
  return [
    ...io,
    `@group(0) @binding(${io.length}) var<storage, read> dp: array<i32>;`,
    "var<workgroup> sh: array<T, WG>;",
    "fn combine(a: T, b: T) -> T { return FN; }",
    "fn at(line: i32, s: i32) -> i32 { let n = dp[0]; let inner = dp[1]; return (line / inner) * n * inner + s * inner + line % inner; }",
    "@compute @workgroup_size(WG)",
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    "  let n: i32 = dp[0];",
    `  let line: i32 = ${line};`,
    "  if (line >= dp[2]) { return; }",
    ...chunkLoop.map((l) => `  ${l}`),
    ...body.map((l) => `  ${l}`),
    "}",
    "",
  ]
    .join("\n")
    .replace(/\bT\b/g, t)
    .replace(/\bID\b/g, id)
    .replace(/\bFN\b/g, fn)
    .replace(/\bCHUNKi\b/g, `${CHUNK}i`)
    .replace(/\bPERi\b/g, `${PER}i`)
    .replace(/\bPER\b/g, `${PER}`)
    .replace(/\bWGu\b/g, `${WG}u`)
    .replace(/\bWG\b/g, `${WG}`);
}

export function scanSteps(
  k: CustomKernel,
  p: Program,
  maxDim: number,
  addScratch: AddScratch,
): ShaderStep[] {
  const q = k.params as unknown as ScanParams;
  const d = p.buffers[k.outputs[0]!]!.dtype;
  const n = q.shape[q.axis] ?? 1;
  const inner = q.shape.slice(q.axis + 1).reduce((a, b) => a * b, 1);
  const lines = q.shape.reduce((a, b) => a * b, 1) / Math.max(1, n);
  if (n === 0 || lines === 0) return [];
  const { t, fn, id } = combineFn(q.op, d);
  const x = k.inputs[0]!;
  const y = k.outputs[0]!;
  const chunks = Math.ceil(n / CHUNK);
  const label = `cumulative ${q.op} [${q.shape.join(", ")}] axis ${q.axis}${q.reverse ? " reversed" : ""}`;
  const lineGrid = (count: number): [number, number, number] => {
    const gx = Math.min(count, maxDim);
    return [gx, Math.ceil(count / gx), 1];
  };
  if (chunks < 4 || lines >= 64 || chunks > maxDim || lines > maxDim) {
    return [
      {
        code: scanShader("lines", t, fn, id, q.reverse),
        bind: [x, y],
        groups: lineGrid(lines),
        label: `${label} (one pass, a workgroup per line)`,
        params: Int32Array.from([n, inner, lines, WG, PER]),
      },
    ];
  }
  const tot = addScratch(lines * chunks);
  const tot2 = addScratch(lines * chunks);
  return [
    {
      code: scanShader("reduce", t, fn, id, q.reverse),
      bind: [x, tot],
      groups: [chunks, lines, 1],
      label: `${label} (pass 1/3: chunk totals)`,
      params: Int32Array.from([n, inner, lines, WG, PER]),
    },
    {
      code: scanShader("lines", t, fn, id, false),
      bind: [tot, tot2],
      groups: lineGrid(lines),
      label: `${label} (pass 2/3: scan of the totals)`,
      params: Int32Array.from([chunks, 1, lines, WG, PER]),
    },
    {
      code: scanShader("chunks", t, fn, id, q.reverse),
      bind: [x, y, tot2],
      groups: [chunks, lines, 1],
      label: `${label} (pass 3/3: chunks from their carries)`,
      params: Int32Array.from([n, inner, lines, WG, PER]),
    },
  ];
}
