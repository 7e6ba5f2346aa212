/**
 * WGSL for one loop kernel. Elementwise kernels run one invocation per element (64 per
 * workgroup, the flat index over a 2-D grid of workgroups so large arrays fit the 65535-per-
 * dimension limit). Kernels whose reductions are long (≥ 64 elements) run one workgroup per
 * output element and reduce with a workgroup tree (wgsl-expr.ts); short ones loop in each
 * invocation.
 */
import { type Expr, idx, topoSort } from "../../../kernel/expr.js";
import { flatIndex, ixAdd } from "../../../kernel/index.js";
import type { LoopKernel, Program } from "../../../kernel/kernel.js";
import { WgslExprEmitter } from "./wgsl-expr.js";
import { storageType } from "./wgsl-alu.js";

export const WORKGROUP = 64;
/** Reductions at least this long use a workgroup tree. */
export const TREE_MIN = 64;

export interface ShaderStep {
  readonly code: string;
  /** Program buffer ids at bindings 0…n-1. */
  readonly bind: readonly number[];
  readonly groups: readonly [number, number, number];
  readonly label: string;
  /** int32 parameters bound after the buffers (as `dp`), fixed per compiled program. */
  readonly params?: Int32Array;
}

/** Workgroup grid for `n` workgroups: x ≤ maxDim, y = ⌈n / x⌉. */
export function grid(n: number, maxDim: number): [number, number, number] {
  const x = Math.min(n, maxDim);
  return [x, Math.ceil(n / x), 1];
}

/** Binding declarations for the buffers a shader loads and stores. */
export function bindings(
  p: Program,
  loaded: ReadonlySet<number>,
  stored: ReadonlySet<number>,
): { decls: string[]; bind: number[] } {
  const bind = [...new Set([...stored, ...loaded])].sort((a, b) => a - b);
  const decls = bind.map((id, k) => {
    const access = stored.has(id) ? "read_write" : "read";
    return `@group(0) @binding(${k}) var<storage, ${access}> b${id}: array<${storageType(p.buffers[id]!.dtype)}>;`;
  });
  return { decls, bind };
}

export const storeValue = (p: Program, buffer: number, v: string): string =>
  p.buffers[buffer]!.dtype.isBool ? `select(0u, 1u, ${v})` : v;

export function loopShader(k: LoopKernel, p: Program, maxDim: number): ShaderStep | undefined {
  const total = k.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return undefined;
  const roots: Expr[] = k.outputs.map((o) => o.expr);
  let longest = 0;
  for (const e of topoSort(roots))
    if (e.op === "reduce")
      longest = Math.max(
        longest,
        e.sizes.reduce((a, b) => a * b, 1),
      );
  const tree = longest >= TREE_MIN;
  const em = new WgslExprEmitter({
    bufDtype: (id) => p.buffers[id]!.dtype,
    idxName: (a) => `i${a}`,
    reductions: tree ? "workgroup" : "sequential",
    wg: WORKGROUP,
  });
  const coords = k.shape.map((d, a) => idx(a, d));
  const flat = flatIndex(coords, k.shape);
  const stored = new Set<number>();
  const stores = k.outputs.map((o) => {
    stored.add(o.buffer);
    const v = em.value(o.expr);
    const si = em.value(o.offset ? ixAdd(o.offset, flat) : flat);
    return `b${o.buffer}[${si}] = ${storeValue(p, o.buffer, v)};`;
  });
  const head: string[] = [];
  k.shape.forEach((d, a) => {
    const inner = k.shape.slice(a + 1).reduce((x, y) => x * y, 1);
    const q = inner === 1 ? "flat" : `(flat / ${inner}i)`;
    head.push(`let i${a}: i32 = ${a === 0 ? q : `${q} % ${d}i`};`);
  });
  const { decls, bind } = bindings(p, em.loaded, stored);
  const entry = tree
    ? [
        `@compute @workgroup_size(${WORKGROUP})`,
        `fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {`,
        `  let flat: i32 = i32(wid.x + wid.y * nwg.x);`,
        `  if (flat >= ${total}i) { return; }`,
      ]
    : [
        `@compute @workgroup_size(${WORKGROUP})`,
        `fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {`,
        `  let flat: i32 = i32(gid.x + gid.y * nwg.x * ${WORKGROUP}u);`,
        `  if (flat >= ${total}i) { return; }`,
      ];
  const body = [...head, ...em.lines, ...(tree ? ["if (lid == 0u) {", ...stores, "}"] : stores)];
  const code = [...decls, ...em.decls, "", ...entry, ...body.map((l) => `  ${l}`), "}", ""].join(
    "\n",
  );
  const groups = grid(tree ? total : Math.ceil(total / WORKGROUP), maxDim);
  const label = `loop [${k.shape.join(", ")}]${tree ? " (workgroup-tree reduction)" : ""}`;
  return { code, bind, groups, label };
}
