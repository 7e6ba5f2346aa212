/**
 * conv_general_dilated's transpose and batching rules, as JAX's
 * `_conv_general_dilated_transpose_lhs/rhs` and `_conv_general_dilated_batch_rule`: the
 * transposes are convolutions again (lhs: the cotangent with the reversed kernel, its in/out
 * features swapped, lhs dilation = the forward strides; rhs: lhs with the cotangent, feature
 * and batch grouping trading places); batching folds the mapped axis into the batch or
 * feature dims. The rules take the conv binder as an argument (conv.ts defines the primitive).
 */
import type { ShapedArray } from "../core/aval.js";
import type { Array } from "../trace/array.js";
import { convertElementType } from "./convert.js";
import { full } from "./constants.js";
import type { ConvParams } from "./conv-shape.js";
import { ConvDimensionNumbers, convOutAval } from "./conv-shape.js";
import { dilateDim } from "./window-geometry.js";
import { reshape } from "./shape/reshape.js";
import { revP } from "./shape/rev.js";
import { transpose } from "./shape/transpose.js";
import { bind1 } from "../trace/trace.js";
import { Zero } from "../trace/primitive.js";

export type ConvBind = (lhs: Array, rhs: Array, params: ConvParams) => Array;

const take = (xs: readonly number[], perm: readonly number[]) => perm.map((p) => xs[p]!);
const specT = (s: readonly number[]) => [s[1]!, s[0]!, ...s.slice(2)];

/** Merge axis `src` into axis `dst` (numbered after removing `src`), src major. */
export function reshapeAxisInto(src: number, dst: number, x: Array): Array {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const shape = x.shape.filter((_, i) => i !== src);
  shape[dst] = shape[dst]! * x.shape[src]!;
  return reshape(transpose(x, perm), shape);
}

/** Split axis `src` into (size1, rest). */
export function reshapeAxisOutOf(src: number, size1: number, x: Array): Array {
  const shape = [...x.shape];
  shape.splice(src, 1, size1, shape[src]! / size1);
  return reshape(x, shape);
}

/** Per spatial dim: the dilated input (ld), window (rd) and stride-dilated output (od) sizes. */
function dilatedExtents(
  inShape: readonly number[],
  window: readonly number[],
  strides: readonly number[],
  outShape: readonly number[],
  lhsDil: readonly number[],
  rhsDil: readonly number[],
): { ld: number; rd: number; od: number }[] {
  return inShape.map((d, i) => ({
    ld: dilateDim(d, lhsDil[i]!),
    rd: dilateDim(window[i]!, rhsDil[i]!),
    od: dilateDim(outShape[i]!, strides[i]!),
  }));
}

/** (lo, hi) padding of the lhs transpose (JAX's _conv_general_vjp_lhs_padding). */
function vjpLhsPadding(
  extents: readonly { ld: number; rd: number; od: number }[],
  padding: readonly [number, number][],
): [number, number][] {
  return extents.map(({ ld, rd, od }, i) => {
    const before = rd - padding[i]![0] - 1;
    return [before, ld + rd - 1 - od - before];
  });
}

/** (lo, hi) padding of the rhs transpose (JAX's _conv_general_vjp_rhs_padding). */
function vjpRhsPadding(
  extents: readonly { ld: number; rd: number; od: number }[],
  padding: readonly [number, number][],
): [number, number][] {
  return extents.map(({ ld, rd, od }, i) => {
    const lo = padding[i]![0];
    return [lo, od - ld + (rd - lo - 1)];
  });
}

export function convTransposeLhs(
  conv: ConvBind,
  g: Array,
  lhsAval: ShapedArray,
  rhs: Array,
  p: ConvParams,
): Array {
  const { lhs_spec, rhs_spec, out_spec } = p.dimension_numbers;
  let G = p.feature_group_count;
  const B = p.batch_group_count;
  let kernel = rhs;
  if (G > 1 || B > 1) {
    kernel = reshapeAxisOutOf(rhs_spec[0]!, G > 1 ? G : B, kernel);
    kernel = reshapeAxisInto(rhs_spec[0]!, rhs_spec[1]!, kernel);
    if (B > 1) G = B;
  }
  const dn = ConvDimensionNumbers.of(out_spec, specT(rhs_spec), lhs_spec);
  const extents = dilatedExtents(
    take(lhsAval.shape, lhs_spec.slice(2)),
    take(rhs.shape, rhs_spec.slice(2)),
    p.window_strides,
    take(g.shape, out_spec.slice(2)),
    p.lhs_dilation,
    p.rhs_dilation,
  );
  const padding = vjpLhsPadding(extents, p.padding);
  let rev = bind1(revP, [kernel], { dimensions: rhs_spec.slice(2) });
  if (g.dtype !== rev.dtype) rev = convertElementType(rev, g.dtype);
  let out = conv(g, rev, {
    ...p,
    window_strides: [...p.lhs_dilation],
    padding,
    lhs_dilation: [...p.window_strides],
    dimension_numbers: dn,
    feature_group_count: G,
    batch_group_count: 1,
  });
  if (out.dtype !== lhsAval.dtype) out = convertElementType(out, lhsAval.dtype);
  if (B > 1) {
    out = reshapeAxisOutOf(lhs_spec[1]!, B, out);
    out = reshapeAxisInto(lhs_spec[1]!, lhs_spec[0]!, out);
  }
  return out;
}

export function convTransposeRhs(
  conv: ConvBind,
  g: Array,
  lhs: Array,
  rhsAval: ShapedArray,
  p: ConvParams,
): Array | Zero {
  const { lhs_spec, rhs_spec, out_spec } = p.dimension_numbers;
  // As JAX: no degenerate convolution whose kernel has spatial size 0.
  if (g.size === 0) return new Zero(rhsAval);
  let G = p.feature_group_count;
  let B = p.batch_group_count;
  if (B > 1) [G, B] = [B, 1];
  else if (G > 1) [G, B] = [1, G];
  const dn = ConvDimensionNumbers.of(specT(lhs_spec), specT(out_spec), specT(rhs_spec));
  const extents = dilatedExtents(
    take(lhs.shape, lhs_spec.slice(2)),
    take(rhsAval.shape, rhs_spec.slice(2)),
    p.window_strides,
    take(g.shape, out_spec.slice(2)),
    p.lhs_dilation,
    p.rhs_dilation,
  );
  const padding = vjpRhsPadding(extents, p.padding);
  const l = g.dtype !== lhs.dtype ? convertElementType(lhs, g.dtype) : lhs;
  let out = conv(l, g, {
    ...p,
    window_strides: [...p.rhs_dilation],
    padding,
    rhs_dilation: [...p.window_strides],
    dimension_numbers: dn,
    feature_group_count: G,
    batch_group_count: B,
  });
  if (out.dtype !== rhsAval.dtype) out = convertElementType(out, rhsAval.dtype);
  return out;
}

/** JAX's _conv_general_dilated_batch_rule. */
export function convBatch(
  conv: ConvBind,
  [lhs, rhs]: Array[],
  [ld, rd]: (number | null)[],
  p: ConvParams,
): [Array[], (number | null)[]] {
  const { lhs_spec, rhs_spec, out_spec } = p.dimension_numbers;
  let G = p.feature_group_count;
  let B = p.batch_group_count;
  if (ld === null && rd === null) return [[conv(lhs!, rhs!, p)], [null]];
  const size = ld !== null ? lhs!.shape[ld]! : rhs!.shape[rd!]!;
  if (size === 0) {
    const unbatched = (x: Array, d: number | null) =>
      x.aval.update({ shape: x.shape.filter((_, i) => i !== d) });
    const aval = convOutAval(unbatched(lhs!, ld), unbatched(rhs!, rd), p);
    return [[full([0, ...aval.shape], 0, aval.dtype)], [0]];
  }
  if (ld !== null && rd !== null) {
    let newLhs: Array;
    if (B > 1) {
      newLhs = reshapeAxisInto(ld, lhs_spec[0]!, lhs!);
      B *= size;
    } else {
      newLhs = reshapeAxisInto(ld, lhs_spec[1]!, lhs!);
      G *= size;
    }
    const newRhs = reshapeAxisInto(rd!, rhs_spec[0]!, rhs!);
    const out = conv(newLhs, newRhs, { ...p, feature_group_count: G, batch_group_count: B });
    return [[reshapeAxisOutOf(out_spec[1]!, size, out)], [out_spec[1]!]];
  }
  if (ld !== null) {
    let newLhs: Array;
    if (B === 1) newLhs = reshapeAxisInto(ld, lhs_spec[0]!, lhs!);
    else {
      const l0 = lhs_spec[0]!;
      newLhs = reshapeAxisOutOf(l0 + (ld <= l0 ? 1 : 0), B, lhs!);
      newLhs = reshapeAxisInto(ld + (l0 < ld ? 1 : 0), l0 + 1, newLhs);
      newLhs = reshapeAxisInto(l0, l0, newLhs);
    }
    const out = conv(newLhs, rhs!, p);
    return [[reshapeAxisOutOf(out_spec[0]!, size, out)], [out_spec[0]!]];
  }
  const r0 = rhs_spec[0]!;
  const o1 = out_spec[1]!;
  if (G === 1 && B === 1) {
    const out = conv(lhs!, reshapeAxisInto(rd!, r0, rhs!), p);
    return [[reshapeAxisOutOf(o1, size, out)], [o1]];
  }
  const groups = G > 1 ? G : B;
  let newRhs = reshapeAxisOutOf(r0 + (rd! <= r0 ? 1 : 0), groups, rhs!);
  newRhs = reshapeAxisInto(rd! + (r0 < rd! ? 1 : 0), r0 + 1, newRhs);
  newRhs = reshapeAxisInto(r0, r0, newRhs);
  let out = conv(lhs!, newRhs, p);
  out = reshapeAxisOutOf(o1, groups, out);
  out = reshapeAxisOutOf(o1 + 1, size, out);
  out = reshapeAxisInto(o1, o1 + 1, out);
  return [[out], [o1]];
}
