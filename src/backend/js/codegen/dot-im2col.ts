/**
 * JS for the `a` operand of an implicit-GEMM convolution dot (DotIm2col): the lines that
 * decode a row's digits (once per row) and those that read element (row, kk) of the im2col
 * matrix from the convolution's input (zero in padding and lhs-dilation holes). The js device
 * never lowers convolutions this way; the wasm device runs such a dot through this code when
 * it cannot compile it (its JS fallback).
 */
import type { DotIm2col } from "../../../kernel/kernel.js";

/** Lines defining `ai` (the row's batch base) and `pb<s>` (its first window positions). */
export function im2colRowLines(spec: DotIm2col, row: string, ao: string): string[] {
  const lines = [`let rt_ = ${row};`];
  for (let s = spec.spatial.length - 1; s >= 0; s--) {
    const sp = spec.spatial[s]!;
    lines.push(
      `const pb${s} = (rt_ % ${sp.out}) * ${sp.windowStride} - ${sp.padLo};`,
      `rt_ = Math.floor(rt_ / ${sp.out});`,
    );
  }
  lines.push(`const ai = ${ao} + rt_ * ${spec.batch.stride};`);
  return lines;
}

/** Lines defining `av`, element (row, kk), given `load(index)` for the input buffer. */
export function im2colLoadLines(spec: DotIm2col, load: (i: string) => string): string[] {
  const Cg = spec.feature.size;
  const lines = [
    `let kt_ = Math.floor(kk / ${Cg}), ok_ = true, aa_ = ai + (kk % ${Cg}) * ${spec.feature.stride};`,
  ];
  for (let s = spec.spatial.length - 1; s >= 0; s--) {
    const sp = spec.spatial[s]!;
    const extent = (sp.size - 1) * sp.lhsDilation + 1;
    lines.push(
      `{ const p_ = pb${s} + (kt_ % ${sp.window}) * ${sp.rhsDilation}; kt_ = Math.floor(kt_ / ${sp.window});`,
      `if (p_ < 0 || p_ >= ${extent} || p_ % ${sp.lhsDilation} !== 0) ok_ = false;`,
      `else aa_ += (p_ / ${sp.lhsDilation}) * ${sp.stride}; }`,
    );
  }
  lines.push(`const av = ok_ ? ${load("aa_")} : 0;`);
  return lines;
}
