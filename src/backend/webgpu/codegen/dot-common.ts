/**
 * The parts of a WGSL dot kernel that do not depend on its tiling: the parameter block (sizes,
 * offsets, strides and batch shape, so one pipeline serves every shape), the batch coordinates
 * and operand bases, and the store function that writes one output element and evaluates the
 * fused epilogue (kernel.ts DotEpilogue) on the accumulator. Both tilings (dot.ts: registers
 * only; dot-tiled.ts: workgroup-memory tiles) build on it.
 */
import type { DType } from "../../../core/dtype.js";
import { type DotKernel, type DotOperand, type Program } from "../../../kernel/kernel.js";
import { storeValue } from "./loop.js";
import { castWgsl, unsupportedOp, wgslType } from "./wgsl-alu.js";
import { WgslExprEmitter } from "./wgsl-expr.js";

export interface DotParts {
  /** The accumulator's WGSL type. */
  readonly t: string;
  /** int32 parameters (read as `dp`); callers may push more. */
  readonly params: number[];
  /** `let` lines defining M, N, K, aRow, aCol, bRow, bCol, q0…, abase, bbase (needs `bf`). */
  readonly head: string[];
  /** `fn store_at(bf, i, j, acc)`: bounds check, product store and epilogue. */
  readonly storeFn: string[];
  /** Buffers the store function loads and stores. */
  readonly loaded: Set<number>;
  readonly stored: Set<number>;
}

/** `b{buffer}[at]` cast to the accumulator's dtype. */
export function dotLoad(p: Program, o: DotOperand, acc: DType, at: string): string {
  const d: DType = p.buffers[o.buffer]!.dtype;
  const raw = `b${o.buffer}[${at}]`;
  return castWgsl(d, acc, d.isBool ? `(${raw} != 0u)` : raw);
}

export function dotParts(k: DotKernel, p: Program, maxDim: number): DotParts {
  const batch = k.batch.reduce((a, b) => a * b, 1);
  const acc = k.accDtype;
  const t = wgslType(acc);
  if (t === "bool") throw unsupportedOp("dot_general with a bool accumulator");
  if (k.a.im2col) throw unsupportedOp("an implicit-GEMM convolution dot (a wasm lowering)");
  if (batch > maxDim) throw unsupportedOp(`dot_general with more than ${maxDim} batch elements`);
  const nb = k.batch.length;
  const params = [k.m, k.n, k.k, k.a.offset, k.a.rowStride, k.a.colStride];
  params.push(
    k.b.offset,
    k.b.rowStride,
    k.b.colStride,
    ...k.a.batchStrides,
    ...k.b.batchStrides,
    ...k.batch,
  );
  const head: string[] = [
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
  batchCoords(head);
  const base = (offset: number, strides: number, name: string): void => {
    const terms = k.batch.map((_, q) => ` + q${q} * dp[${strides + q}]`).join("");
    head.push(`let ${name}: i32 = dp[${offset}]${terms};`);
  };
  base(3, 9, "abase");
  base(6, 9 + nb, "bbase");
  const loaded = new Set<number>();
  const stored = new Set<number>();
  if (k.out !== undefined) stored.add(k.out);
  if (k.epilogue) stored.add(k.epilogue.out);
  // One store function (the epilogue emitted once), called for each element of a tile.
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
  return { t, params, head, storeFn, loaded, stored };
}

export const dotLabel = (k: DotKernel, how: string): string =>
  `dot [${[...k.batch, k.m, k.n].join(", ")}] k=${k.k}${k.epilogue ? " + epilogue" : ""} (${how})`;
