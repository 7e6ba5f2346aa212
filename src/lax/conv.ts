/**
 * The public convolutions of `jax.lax`: `convGeneralDilated` (padding strings or pairs,
 * dimension numbers as strings or a ConvDimensionNumbers), and JAX's wrappers `conv`,
 * `convWithGeneralPadding`, `convTranspose`, `convDimensionNumbers`.
 */
import type { DTypeLike } from "../core/dtype.js";
import { ValueError } from "../core/errors.js";
import type { Array } from "../trace/array.js";
import { bind1 } from "../trace/trace.js";
import * as P from "../primitives/index.js";
import { ConvDimensionNumbers, type PrecisionName } from "../primitives/conv.js";
import { type Operand, describeValue, dtypeArg, operand } from "./operands.js";

export { ConvDimensionNumbers };
export type ConvDimensionNumbersLike = readonly [string, string, string] | ConvDimensionNumbers;
export type ConvPadding = "SAME" | "SAME_LOWER" | "VALID" | readonly (readonly [number, number])[];
type PrecisionLike = null | undefined | string | readonly [string, string];

export interface ConvOptions {
  lhsDilation?: readonly number[] | null;
  rhsDilation?: readonly number[] | null;
  dimensionNumbers?: ConvDimensionNumbersLike | null;
  featureGroupCount?: number;
  batchGroupCount?: number;
  precision?: PrecisionLike;
  preferredElementType?: DTypeLike | null;
}

const PRECISION_ALIASES: Record<string, PrecisionName> = {
  default: "DEFAULT",
  fastest: "DEFAULT",
  bfloat16: "DEFAULT",
  high: "HIGH",
  tensorfloat32: "HIGH",
  bfloat16_3x: "HIGH",
  highest: "HIGHEST",
  float32: "HIGHEST",
};

function precisionName(p: string): PrecisionName {
  const n = PRECISION_ALIASES[p.toLowerCase()];
  if (!n) {
    throw new ValueError(
      `Precision argument must be one of: DEFAULT, HIGH, HIGHEST (or their aliases), got '${p}'.`,
    );
  }
  return n;
}

/** JAX's canonicalize_precision: None, or one precision per operand. */
function canonicalizePrecision(p: PrecisionLike): [PrecisionName, PrecisionName] | null {
  if (p === null || p === undefined) return null;
  if (typeof p === "string") {
    const n = precisionName(p);
    return [n, n];
  }
  if (globalThis.Array.isArray(p) && p.length === 2)
    return [precisionName(p[0]), precisionName(p[1])];
  throw new ValueError(
    `Precision argument must be None, a string, or a tuple of two strings, got ${describeValue(p)}.`,
  );
}

function intList(fn: string, what: string, xs: unknown): number[] {
  if (!globalThis.Array.isArray(xs) || !xs.every((x) => Number.isInteger(x))) {
    throw new TypeError(`lax.${fn}: ${what} must be a list of integers, got ${describeValue(xs)}.`);
  }
  return [...(xs as number[])];
}

/** `lax.conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)`. */
export function convDimensionNumbers(
  lhsShape: readonly number[],
  rhsShape: readonly number[],
  dimensionNumbers: ConvDimensionNumbersLike | null,
): ConvDimensionNumbers {
  return P.convDimensionNumbers(lhsShape, rhsShape, dimensionNumbers);
}

/** `lax.conv_general_dilated(lhs, rhs, window_strides, padding, …)`. */
export function convGeneralDilated(
  lhs: Operand,
  rhs: Operand,
  windowStrides: readonly number[],
  padding: ConvPadding,
  options: ConvOptions = {},
): Array {
  const fn = "conv_general_dilated";
  const l = operand(fn, lhs, "lhs");
  const r = operand(fn, rhs, "rhs");
  const strides = intList(fn, "window_strides", windowStrides);
  const dn = P.convDimensionNumbers(l.shape, r.shape, options.dimensionNumbers ?? null);
  const nSpatial = l.ndim - 2;
  let lhsDilation = options.lhsDilation ?? null;
  if (lhsDilation === null) lhsDilation = globalThis.Array.from({ length: nSpatial }, () => 1);
  else if (typeof padding === "string" && !lhsDilation.every((d) => d === 1)) {
    throw new ValueError(
      "String padding is not implemented for transposed convolution using this op. Please " +
        "either exactly specify the required padding or use conv_transpose.",
    );
  }
  const rhsDilation = options.rhsDilation ?? globalThis.Array.from({ length: r.ndim - 2 }, () => 1);
  let pads: [number, number][];
  if (typeof padding === "string") {
    const window = dn.rhs_spec.slice(2).map((d, i) => P.dilateDim(r.shape[d]!, rhsDilation[i]!));
    const inShape = dn.lhs_spec.slice(2).map((d) => l.shape[d]!);
    pads = P.padtypeToPads(inShape, window, strides, padding);
  } else {
    const ok =
      globalThis.Array.isArray(padding) &&
      padding.every(
        (pr) =>
          globalThis.Array.isArray(pr) &&
          pr.length === 2 &&
          pr.every((x: unknown) => Number.isInteger(x)),
      );
    if (!ok) {
      throw new ValueError(
        `padding argument to conv_general_dilated should be a string or a sequence of (low, ` +
          `high) pairs, got ${describeValue(padding)}`,
      );
    }
    pads = padding.map(([lo, hi]) => [lo, hi]);
  }
  const pet = options.preferredElementType;
  return bind1(P.convGeneralDilatedP, [l, r], {
    window_strides: strides,
    padding: pads,
    lhs_dilation: intList(fn, "lhs_dilation", lhsDilation),
    rhs_dilation: intList(fn, "rhs_dilation", rhsDilation),
    dimension_numbers: dn,
    feature_group_count: options.featureGroupCount ?? 1,
    batch_group_count: options.batchGroupCount ?? 1,
    precision: canonicalizePrecision(options.precision),
    preferred_element_type: pet === null || pet === undefined ? null : dtypeArg(pet),
  });
}

export interface ConvPrecisionOptions {
  precision?: PrecisionLike;
  preferredElementType?: DTypeLike | null;
}

/** `lax.conv(lhs, rhs, window_strides, padding)`: NCHW/OIHW, no dilation. */
export function conv(
  lhs: Operand,
  rhs: Operand,
  windowStrides: readonly number[],
  padding: ConvPadding,
  options: ConvPrecisionOptions = {},
): Array {
  return convGeneralDilated(lhs, rhs, windowStrides, padding, options);
}

/** `lax.conv_with_general_padding(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation)`. */
export function convWithGeneralPadding(
  lhs: Operand,
  rhs: Operand,
  windowStrides: readonly number[],
  padding: ConvPadding,
  lhsDilation: readonly number[] | null,
  rhsDilation: readonly number[] | null,
  options: ConvPrecisionOptions = {},
): Array {
  return convGeneralDilated(lhs, rhs, windowStrides, padding, {
    ...options,
    lhsDilation,
    rhsDilation,
  });
}

export interface ConvTransposeOptions extends ConvPrecisionOptions {
  rhsDilation?: readonly number[] | null;
  dimensionNumbers?: ConvDimensionNumbersLike | null;
  transposeKernel?: boolean;
  useConsistentPadding?: boolean;
}

/** Before/after padding of one dim of a transposed conv (JAX's _conv_transpose_padding). */
function convTransposePadding(
  k: number,
  s: number,
  padding: string | readonly [number, number],
): [number, number] {
  let padLen: number;
  let padA: number;
  if (padding === "SAME") {
    padLen = k + s - 2;
    padA = s > k - 1 ? k - 1 : Math.ceil(padLen / 2);
  } else if (padding === "VALID") {
    padLen = k + s - 2 + Math.max(k - s, 0);
    padA = k - 1;
  } else if (typeof padding !== "string") {
    const pads = padding.map((p) => k - p - 1);
    padA = pads[0]!;
    padLen = pads[0]! + pads[1]!;
  } else throw new ValueError(`Invalid padding mode: ${padding}`);
  return [padA, padLen - padA];
}

const DEFAULT_TRANSPOSE_DN: Record<number, [string, string, string]> = {
  2: ["NC", "IO", "NC"],
  3: ["NHC", "HIO", "NHC"],
  4: ["NHWC", "HWIO", "NHWC"],
  5: ["NHWDC", "HWDIO", "NHWDC"],
};

/** `lax.conv_transpose(lhs, rhs, strides, padding, rhs_dilation, dimension_numbers, transpose_kernel)`. */
export function convTranspose(
  lhs: Operand,
  rhs: Operand,
  strides: readonly number[],
  padding: ConvPadding,
  options: ConvTransposeOptions = {},
): Array {
  const fn = "conv_transpose";
  const l = operand(fn, lhs, "lhs");
  let r = operand(fn, rhs, "rhs");
  if (l.ndim !== r.ndim || l.ndim < 2) {
    throw new ValueError(
      `conv_transpose requires lhs and rhs of the same rank (at least 2), got shapes ` +
        `(${l.shape.join(", ")}) and (${r.shape.join(", ")}).`,
    );
  }
  let dnLike = options.dimensionNumbers ?? null;
  if (dnLike === null) {
    dnLike = DEFAULT_TRANSPOSE_DN[l.ndim] ?? null;
    if (dnLike === null) throw new ValueError("No 4+ dimensional dimension_number defaults.");
  }
  const dn = P.convDimensionNumbers(l.shape, r.shape, dnLike);
  const kSpatial = dn.rhs_spec.slice(2).map((d) => r.shape[d]!);
  const rhsDilation = options.rhsDilation ?? kSpatial.map(() => 1);
  let pads: ConvPadding;
  if (options.useConsistentPadding || padding === "SAME" || padding === "VALID") {
    const eff = kSpatial.map((k, i) => P.dilateDim(k, rhsDilation[i]!));
    pads = eff.map((k, i) =>
      convTransposePadding(k, strides[i]!, typeof padding === "string" ? padding : padding[i]!),
    );
  } else pads = padding;
  if (options.transposeKernel) {
    r = bind1(P.revP, [r], { dimensions: dn.rhs_spec.slice(2) });
    const perm = r.shape.map((_, i) => i);
    perm[dn.rhs_spec[0]!] = dn.rhs_spec[1]!;
    perm[dn.rhs_spec[1]!] = dn.rhs_spec[0]!;
    r = P.transpose(r, perm);
  }
  return convGeneralDilated(
    l,
    r,
    kSpatial.map(() => 1),
    pads,
    {
      lhsDilation: strides,
      rhsDilation,
      dimensionNumbers: dn,
      precision: options.precision,
      preferredElementType: options.preferredElementType,
    },
  );
}
