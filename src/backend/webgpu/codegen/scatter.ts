/**
 * WGSL for the scatter custom kernel (x.at[...].set/add/multiply/min/max, segment sums, the
 * transpose of gather): XLA's general scatter dimension numbers, FILL_OR_DROP (out-of-bounds
 * windows dropped) or CLIP / PROMISE_IN_BOUNDS (start indices clamped, as the js device).
 * The operand is copied to the output, then one invocation per update element (scatter
 * position × window element) computes its target and combines into it atomically:
 * integer add/min/max with the native atomics, bool or/and with atomicOr/atomicAnd, float32
 * add/mul/min/max and integer mul with a compare-exchange loop on the word's bits. Colliding
 * float adds therefore happen in an unspecified order (results differ from the js device's
 * sequential order by rounding only). `set` is deterministic, as on the js device: the last
 * update (in update order) to each element wins — a first pass takes atomicMax of
 * (update position + 1) per target in a scratch word, a second pass lets only that update
 * write.
 */
import type { CustomKernel, Program } from "../../../kernel/kernel.js";
import { type ScatterKernelParams, scatterGeometry } from "../../../kernel/scatter-geometry.js";
import { grid, type ShaderStep } from "./loop.js";
import { storageType, unsupportedOp } from "./wgsl-alu.js";
import type { AddScratch } from "./scan.js";

const WG = 64;

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** WGSL lines computing `o` (target), `u` (update index), `s` and `keep` for invocation `t`. */
function targetLines(p: ScatterKernelParams): { lines: string[]; total: number } {
  const opShape = p.operandShape;
  const {
    opStrides,
    updStrides,
    idxStrides,
    nIdx,
    idxVecStride,
    scatterDims,
    windowOperandDims,
    windowSize,
    batchShape,
    winShape,
    nBatch,
    nWin,
  } = scatterGeometry(p);
  // (`_ = ix[0]`: the indices stay bound even when no dimension reads them — "auto" layouts
  // drop unused bindings.)
  const lines = [`let s: i32 = t / ${nWin}i; let w: i32 = t % ${nWin}i;`, "_ = ix[0];"];
  const coords = (shape: number[], v: string, name: string): void =>
    shape.forEach((_, j) => {
      const inner = prod(shape.slice(j + 1));
      lines.push(`let ${name}${j}: i32 = (${v} / ${inner}i) % ${shape[j]}i;`);
    });
  coords(batchShape, "s", "bc");
  coords(winShape, "w", "wc");
  const sum = (terms: string[]): string => (terms.length ? terms.join(" + ") : "0i");
  lines.push(`let ib: i32 = ${sum(batchShape.map((_, j) => `bc${j} * ${idxStrides[j]}i`))};`);
  const clip = p.mode !== "FILL_OR_DROP";
  lines.push("var keep = true;");
  const oTerms: string[] = [];
  opShape.forEach((_, d) => {
    let st = "0i";
    const k = p.scatterDimsToOperandDims.indexOf(d);
    if (k >= 0 && nIdx > 0) st = `i32(ix[ib + ${k * idxVecStride}i])`;
    const jb = p.operandBatchingDims.indexOf(d);
    if (jb >= 0) st = `bc${p.scatterIndicesBatchingDims[jb]!}`;
    const hi = opShape[d]! - windowSize[d]!;
    if (clip) lines.push(`let st${d}: i32 = clamp(${st}, 0i, ${Math.max(hi, 0)}i);`);
    else {
      lines.push(`let st${d}: i32 = ${st};`);
      lines.push(`if (st${d} < 0i || st${d} > ${hi}i) { keep = false; }`);
    }
    oTerms.push(`st${d} * ${opStrides[d]}i`);
  });
  winShape.forEach((_, j) => oTerms.push(`wc${j} * ${opStrides[windowOperandDims[j]!]}i`));
  const uTerms = [
    ...scatterDims.map((d, j) => `bc${j} * ${updStrides[d]}i`),
    ...p.updateWindowDims.map((d, j) => `wc${j} * ${updStrides[d]}i`),
  ];
  lines.push(`let o: i32 = ${sum(oTerms)};`, `let u: i32 = ${sum(uTerms)};`);
  return { lines, total: nBatch * nWin };
}

/** The atomic combine of `v` (a value of the storage type `st`) into out[o]. */
function atomicCombine(
  combine: ScatterKernelParams["combine"],
  st: string,
  isBool: boolean,
): string[] {
  if (isBool) return [`atomic${combine === "add" || combine === "max" ? "Or" : "And"}(&y[o], v);`];
  if (st !== "f32" && combine !== "mul") {
    const fn = { add: "Add", min: "Min", max: "Max" }[combine as "add" | "min" | "max"];
    return [`atomic${fn}(&y[o], v);`];
  }
  const f = st === "f32";
  const cur = f ? "bitcast<f32>(old)" : `bitcast<${st}>(old)`;
  const next = {
    add: `${cur} + v`,
    mul: `${cur} * v`,
    min: `fmin_(${cur}, v)`,
    max: `fmax_(${cur}, v)`,
    set: "v",
  }[combine];
  return [
    "var old: u32 = atomicLoad(&y[o]);",
    "loop {",
    `  let r = atomicCompareExchangeWeak(&y[o], old, bitcast<u32>(${next}));`,
    "  if (r.exchanged) { break; }",
    "  old = r.old_value;",
    "}",
  ];
}

export function scatterSteps(
  k: CustomKernel,
  p: Program,
  maxDim: number,
  addScratch: AddScratch,
): ShaderStep[] {
  const q = k.params as unknown as ScatterKernelParams;
  const [x, ix, upd] = k.inputs as [number, number, number];
  const y = k.outputs[0]!;
  const d = p.buffers[y]!.dtype;
  const st = storageType(d);
  const ixType = storageType(p.buffers[ix]!.dtype);
  if (ixType === "f32") throw unsupportedOp("scatter with float indices");
  const size = prod(q.operandShape);
  const steps: ShaderStep[] = [];
  const flat = (n: number): string[] => [
    `@compute @workgroup_size(${WG})`,
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
    `  let t: i32 = i32(gid.x + gid.y * nwg.x * ${WG}u);`,
    `  if (t >= ${n}i) { return; }`,
  ];
  const label = `scatter-${q.combine} into [${q.operandShape.join(", ")}]`;
  if (x !== y && size > 0)
    steps.push({
      code: [
        `@group(0) @binding(0) var<storage, read> x: array<${st}>;`,
        `@group(0) @binding(1) var<storage, read_write> y: array<${st}>;`,
        ...flat(size),
        "  y[t] = x[t];",
        "}",
        "",
      ].join("\n"),
      bind: [x, y],
      groups: grid(Math.ceil(size / WG), maxDim),
      label: `${label} (copy of the operand)`,
    });
  const { lines, total } = targetLines(q);
  if (total === 0 || size === 0) return steps;
  const groups = grid(Math.ceil(total / WG), maxDim);
  const ins = [
    `@group(0) @binding(1) var<storage, read> ix: array<${ixType}>;`,
    `@group(0) @binding(2) var<storage, read> up: array<${st}>;`,
  ];
  const body = lines.map((l) => `  ${l}`);
  if (q.combine === "set") {
    const win = addScratch(size);
    steps.push({
      code: [
        "@group(0) @binding(0) var<storage, read_write> win: array<u32>;",
        ...flat(size),
        "  win[t] = 0u;",
        "}",
        "",
      ].join("\n"),
      bind: [win],
      groups: grid(Math.ceil(size / WG), maxDim),
      label: `${label} (clear the last-writer words)`,
    });
    steps.push({
      code: [
        "@group(0) @binding(0) var<storage, read_write> win: array<atomic<u32>>;",
        ins[0]!,
        ...flat(total),
        ...body,
        "  if (keep) { atomicMax(&win[o], u32(s) + 1u); }",
        "}",
        "",
      ].join("\n"),
      bind: [win, ix],
      groups,
      label: `${label} (last writer per element)`,
    });
    steps.push({
      code: [
        `@group(0) @binding(0) var<storage, read_write> y: array<${st}>;`,
        ...ins,
        "@group(0) @binding(3) var<storage, read> win: array<u32>;",
        ...flat(total),
        ...body,
        "  if (keep && win[o] == u32(s) + 1u) { y[o] = up[u]; }",
        "}",
        "",
      ].join("\n"),
      bind: [y, ix, upd, win],
      groups,
      label: `${label} (the last writers store)`,
    });
    return steps;
  }
  const atomicType = st === "i32" && q.combine !== "mul" ? "i32" : "u32";
  steps.push({
    code: [
      `@group(0) @binding(0) var<storage, read_write> y: array<atomic<${atomicType}>>;`,
      ...ins,
      ...flat(total),
      ...body,
      "  if (!keep) { return; }",
      "  let v = up[u];",
      ...atomicCombine(q.combine, st, d.isBool).map((l) => `  ${l}`),
      "}",
      "",
    ].join("\n"),
    bind: [y, ix, upd],
    groups,
    label: `${label} (atomic updates)`,
  });
  return steps;
}
