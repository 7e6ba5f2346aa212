/**
 * Donation: which program inputs an output may take the memory of when the caller donates
 * them (the wasm device writes that output in place).
 */
import { idx, topoSort } from "../../../kernel/expr.js";
import { flatIndex } from "../../../kernel/index.js";
import type { Program } from "../../../kernel/kernel.js";
import { kernelReads, kernelWrites } from "../../../kernel/kernel-io.js";

/**
 * For each output buffer, the program-input positions whose memory it may take over when
 * donated: same dtype and size, not read by any later kernel, and read by the writing kernel
 * only at the element being stored (elementwise in place).
 */
export function inPlaceCandidates(p: Program): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const writer = new Map<number, number>();
  p.kernels.forEach((k, i) => kernelWrites(k).forEach((b) => writer.set(b, i)));
  const reads = p.kernels.map((k) => new Set(kernelReads(k)));
  for (const b of p.buffers) {
    if (b.kind !== "output") continue;
    const w = writer.get(b.id);
    if (w === undefined) continue;
    const k = p.kernels[w]!;
    if (k.kind !== "loop" || k.outputs.some((o) => o.offset)) continue;
    const store = flatIndex(
      k.shape.map((d, a) => idx(a, d)),
      k.shape,
    );
    const cands: number[] = [];
    p.inputs.forEach((inId, pos) => {
      const info = p.buffers[inId]!;
      if (info.dtype !== b.dtype || info.size !== b.size) return;
      for (let j = w + 1; j < p.kernels.length; j++) if (reads[j]!.has(inId)) return;
      for (const o of k.outputs) {
        for (const e of topoSort([o.expr])) {
          if (
            e.op === "load" &&
            e.buffer === inId &&
            e.index !== store &&
            e.index.key !== store.key
          )
            return;
        }
      }
      cands.push(pos);
    });
    if (cands.length) out.set(b.id, cands);
  }
  return out;
}
