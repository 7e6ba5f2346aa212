/**
 * The wasm device's lowering of conv_general_dilated (float32): an implicit GEMM. The output
 * is the dot of the im2col matrix of the input — rows (n, o_1…o_S), depth (w_1…w_S, c) — with
 * the kernel as a (window…, Cg) × Og matrix, one dot per feature or batch group. The dot's `a`
 * operand describes the im2col matrix (DotIm2col) and the GEMM driver's A packer reads it from
 * the input in place (padding and lhs dilation are zeros there), so nothing the size of im2col
 * is built; the microkernel, threading and epilogue fusion (bias, activation) are the dot's.
 * The kernel is read in place when its depth digits are one stride apart (HWIO-like layouts),
 * else copied once into (window…, I, O) order. Depthwise convs (one input feature per group)
 * take the direct kernel of conv-depthwise.ts instead. Declines (the primitive's generic rule
 * lowers it) for other dtypes, empty shapes, and other narrow groups (≤ 2 outputs per group: a
 * GEMM of n ≤ 2 wastes the microkernel).
 */
import { ShapedArray } from "../../../core/aval.js";
import { float32 } from "../../../core/dtype.js";
import { stridesOf } from "../../../core/shape.js";
import type { DotIm2colSpatial, DotOperand } from "../../../kernel/kernel.js";
import { genLazy, viewLazy } from "../../../kernel/lazy.js";
import { ixAdd, ixFloorDiv, ixMod, ixMul, loadAt } from "../../../kernel/index.js";
import type { BufferView, LazyArray, LowerContext } from "../../../kernel/lowering-types.js";
import type { DeviceLowerRule } from "../../device.js";
import { type ConvParamsView, isDepthwise, lowerDepthwise } from "./conv-depthwise.js";

/** Switches for tests and benchmarks (compare with the generic loop-kernel lowering). */
export const wasmConvOptions = { implicitGemm: true, depthwise: true };

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** `x` as a buffer view (materialized when it is not one). */
function viewOf(ctx: LowerContext, x: LazyArray): BufferView {
  return x.view && !x.hasReduce ? x.view : ctx.materialize(x).view;
}

export const lowerConvImplicitGemm: DeviceLowerRule = (ctx, [lhsIn, rhsIn], params, [out]) => {
  const p = params as unknown as ConvParamsView;
  const lhsAval = lhsIn!.aval;
  const rhsAval = rhsIn!.aval;
  if (![lhsAval.dtype, rhsAval.dtype, out!.dtype].every((d) => d === float32)) return undefined;
  if (lhsAval.size === 0 || rhsAval.size === 0 || out!.size === 0) return undefined;
  if (isDepthwise(p, rhsAval))
    return wasmConvOptions.depthwise ? [lowerDepthwise(ctx, lhsIn!, rhsIn!, p, out!)] : undefined;
  if (!wasmConvOptions.implicitGemm) return undefined;
  const { lhs_spec, rhs_spec, out_spec } = p.dimension_numbers;
  const groups = Math.max(p.feature_group_count, p.batch_group_count);
  const O = rhsAval.shape[rhs_spec[0]!]!;
  const Og = O / groups;
  const Cg = rhsAval.shape[rhs_spec[1]!]!;
  if (groups > 1 && Og <= 2) return undefined;
  const window = rhs_spec.slice(2).map((d) => rhsAval.shape[d]!);
  const outSpatial = out_spec.slice(2).map((d) => out!.shape[d]!);
  const outBatch = out!.shape[out_spec[0]!]!;
  const m = outBatch * prod(outSpatial);
  const depth = prod(window) * Cg;

  const lv = viewOf(ctx, lhsIn!);
  const spatial: DotIm2colSpatial[] = window.map((w, s) => ({
    out: outSpatial[s]!,
    window: w,
    windowStride: p.window_strides[s]!,
    rhsDilation: p.rhs_dilation[s]!,
    lhsDilation: p.lhs_dilation[s]!,
    padLo: p.padding[s]![0],
    size: lhsAval.shape[lhs_spec[2 + s]!]!,
    stride: lv.strides[lhs_spec[2 + s]!]!,
  }));
  const sN = lv.strides[lhs_spec[0]!]!;
  const sC = lv.strides[lhs_spec[1]!]!;
  // Group g reads lhs features g·Cg + c (feature groups) or lhs batch rows g·outBatch + n.
  const groupStrideA = p.feature_group_count > 1 ? Cg * sC : outBatch * sN;
  const a: DotOperand = {
    buffer: lv.buffer,
    offset: lv.offset,
    batchStrides: groups > 1 ? [groupStrideA] : [],
    rowStride: 0,
    colStride: 0,
    im2col: { batch: { size: outBatch, stride: sN }, spatial, feature: { size: Cg, stride: sC } },
  };

  // The kernel as depth (w…, c) × O: in place when the depth digits are one stride apart.
  const b = kernelOperand(ctx, rhsIn!, rhs_spec, window, Cg, O, Og, groups);
  const outBuffer = ctx.newBuffer(new ShapedArray([groups, m, Og], float32));
  ctx.emit({
    kind: "dot",
    batch: groups > 1 ? [groups] : [],
    m,
    n: Og,
    k: depth,
    a,
    b,
    out: outBuffer,
    accDtype: float32,
  });
  return [resultLazy(out!, out_spec, outBuffer, outBatch, outSpatial, m, Og, groups)];
};

function kernelOperand(
  ctx: LowerContext,
  rhsIn: LazyArray,
  rhs_spec: readonly number[],
  window: readonly number[],
  Cg: number,
  O: number,
  Og: number,
  groups: number,
): DotOperand {
  const rv = rhsIn.view && !rhsIn.hasReduce ? rhsIn.view : undefined;
  if (rv) {
    // Depth digits (w_1…w_S, c) must be row-major with one step s: stride(c) = s,
    // stride(w_S) = Cg·s, … (a digit of size 1 may have any stride).
    const s = rv.strides[rhs_spec[1]!]!;
    const digits = [...rhs_spec.slice(2), rhs_spec[1]!];
    const sizes = [...window, Cg];
    let expect = s;
    let ok = true;
    for (let q = digits.length - 1; q >= 0; q--) {
      if (sizes[q]! > 1 && rv.strides[digits[q]!] !== expect) ok = false;
      expect *= sizes[q]!;
    }
    if (ok) {
      const so = rv.strides[rhs_spec[0]!]!;
      return {
        buffer: rv.buffer,
        offset: rv.offset,
        batchStrides: groups > 1 ? [Og * so] : [],
        rowStride: s,
        colStride: so,
      };
    }
  }
  // Copy into (window…, Cg, O) row-major.
  const shape = [...window, Cg, O];
  const perm = [...rhs_spec.slice(2), rhs_spec[1]!, rhs_spec[0]!];
  const canonical = genLazy(
    new ShapedArray(shape, rhsIn.aval.dtype),
    (coords) => {
      const src = new Array<(typeof coords)[number]>(coords.length);
      perm.forEach((d, q) => (src[d] = coords[q]!));
      return rhsIn.at(src);
    },
    rhsIn.cost,
  );
  const cv = ctx.materialize(canonical).view;
  return {
    buffer: cv.buffer,
    offset: 0,
    batchStrides: groups > 1 ? [Og] : [],
    rowStride: O,
    colStride: 1,
  };
}

/** The [groups, m, Og] product read in the output's layout. */
function resultLazy(
  out: ShapedArray,
  out_spec: readonly number[],
  buffer: number,
  outBatch: number,
  outSpatial: readonly number[],
  m: number,
  Og: number,
  groups: number,
): LazyArray {
  const rowStrides = stridesOf([outBatch, ...outSpatial]).map((s) => s * Og);
  if (groups === 1) {
    const strides = new Array<number>(out.ndim);
    strides[out_spec[0]!] = rowStrides[0]!;
    strides[out_spec[1]!] = 1;
    out_spec.slice(2).forEach((d, s) => (strides[d] = rowStrides[1 + s]!));
    return viewLazy(out, { buffer, bufferSize: m * Og, offset: 0, strides });
  }
  return genLazy(out, (coords) => {
    const o = coords[out_spec[1]!]!;
    const terms = [ixMul(ixFloorDiv(o, Og), m * Og), ixMod(o, Og)];
    terms.push(ixMul(coords[out_spec[0]!]!, rowStrides[0]!));
    out_spec.slice(2).forEach((d, s) => terms.push(ixMul(coords[d]!, rowStrides[1 + s]!)));
    return loadAt(buffer, ixAdd(...terms), groups * m * Og, float32);
  });
}

/** The lowerings the wasm device claims (Device.lowerings). */
export const wasmLowerings: ReadonlyMap<string, DeviceLowerRule> = new Map([
  ["conv_general_dilated", lowerConvImplicitGemm],
]);
