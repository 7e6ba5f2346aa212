/**
 * conv_general_dilated's parameters and shape rule: `ConvDimensionNumbers` (JAX's NamedTuple
 * as a plain object, so params stay keyable), string dimension numbers → permutations
 * (JAX's conv_general_permutations), padding strings → explicit pairs (padtype_to_pads), and
 * the output shape with JAX's checks and error classes.
 */
import { ShapedArray } from "../core/aval.js";
import type { DType } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { ValueError } from "../core/errors.js";
import { dilateDim, strideDim } from "./window-geometry.js";

const interned = new Map<string, ConvDimensionNumbers>();

/**
 * JAX's `lax.ConvDimensionNumbers`: which dims are (batch, feature, spatial…) of lhs and out,
 * and (out feature, in feature, spatial…) of rhs. Interned (equal specs are one object, so
 * params that hold it compare and cache by identity) and printed as JAX's NamedTuple repr.
 */
export class ConvDimensionNumbers {
  private constructor(
    readonly lhs_spec: readonly number[],
    readonly rhs_spec: readonly number[],
    readonly out_spec: readonly number[],
  ) {
    Object.freeze(this);
  }

  static of(
    lhsSpec: readonly number[],
    rhsSpec: readonly number[],
    outSpec: readonly number[],
  ): ConvDimensionNumbers {
    const parts = [lhsSpec, rhsSpec, outSpec].map((p) => Object.freeze([...p]));
    const key = parts.map((p) => p.join(",")).join("|");
    let d = interned.get(key);
    if (!d) {
      d = new ConvDimensionNumbers(parts[0]!, parts[1]!, parts[2]!);
      interned.set(key, d);
    }
    return d;
  }

  toString(): string {
    return convDimensionNumbersText(this);
  }
}

/** JAX's precision names; a conv's `precision` param is null or one per operand. */
export type PrecisionName = "DEFAULT" | "HIGH" | "HIGHEST";

export type ConvParams = {
  window_strides: number[];
  padding: [number, number][];
  lhs_dilation: number[];
  rhs_dilation: number[];
  dimension_numbers: ConvDimensionNumbers;
  feature_group_count: number;
  batch_group_count: number;
  precision: [PrecisionName, PrecisionName] | null;
  preferred_element_type: DType | null;
};

const tuple = (xs: readonly number[]) => shapeStr(xs);

/** Python's repr of the dimension numbers, as jaxprs print them. */
export function convDimensionNumbersText(dn: ConvDimensionNumbers): string {
  return (
    `ConvDimensionNumbers(lhs_spec=${tuple(dn.lhs_spec)}, rhs_spec=${tuple(dn.rhs_spec)}, ` +
    `out_spec=${tuple(dn.out_spec)})`
  );
}

/** `"NHWC"`-style strings → permutations (JAX's conv_general_permutations, its errors). */
export function convGeneralPermutations(
  specs: readonly [string, string, string],
): ConvDimensionNumbers {
  const pairs: [string, string][] = [
    ["N", "C"],
    ["O", "I"],
    ["N", "C"],
  ];
  const count = (s: string, c: string) => s.split("").filter((x) => x === c).length;
  specs.forEach((spec, i) => {
    const [a, b] = pairs[i]!;
    if (!(count(spec, a) === 1 && count(spec, b) === 1)) {
      throw new TypeError(
        `convolution dimension_numbers[${i}] must contain the characters '${a}' and '${b}' exactly once, got ${spec}.`,
      );
    }
    if (new Set(spec).size !== spec.length) {
      throw new TypeError(
        `convolution dimension_numbers[${i}] cannot have duplicate characters, got ${spec}.`,
      );
    }
  });
  const spatialSet = (s: string, [a, b]: [string, string]) =>
    [...s]
      .filter((c) => c !== a && c !== b)
      .sort()
      .join("");
  const sets = specs.map((s, i) => spatialSet(s, pairs[i]!));
  if (!(sets[0] === sets[1] && sets[1] === sets[2])) {
    throw new TypeError(
      `convolution dimension_numbers elements must each have the same set of spatial ` +
        `characters, got ('${specs[0]}', '${specs[1]}', '${specs[2]}').`,
    );
  }
  const rhs = specs[1];
  const perm = (spec: string, [a, b]: [string, string], isRhs: boolean): number[] => {
    let spatial = [...spec].map((c, i) => [c, i] as const).filter(([c]) => c !== a && c !== b);
    if (!isRhs) spatial = spatial.sort((p, q) => rhs.indexOf(p[0]) - rhs.indexOf(q[0]));
    return [spec.indexOf(a), spec.indexOf(b), ...spatial.map(([, i]) => i)];
  };
  return ConvDimensionNumbers.of(
    perm(specs[0], pairs[0]!, false),
    perm(specs[1], pairs[1]!, true),
    perm(specs[2], pairs[2]!, false),
  );
}

export type ConvDimensionNumbersLike =
  readonly [string, string, string] | ConvDimensionNumbers | null | undefined;

/** JAX's conv_dimension_numbers: None, three strings or a ConvDimensionNumbers. */
export function convDimensionNumbers(
  lhsShape: readonly number[],
  rhsShape: readonly number[],
  dn: ConvDimensionNumbersLike,
): ConvDimensionNumbers {
  if (dn instanceof ConvDimensionNumbers) {
    return dn;
  }
  if (lhsShape.length !== rhsShape.length) {
    throw new TypeError(
      `convolution requires lhs and rhs ndim to be equal, got ${lhsShape.length} and ${rhsShape.length}.`,
    );
  }
  if (dn === null || dn === undefined) {
    const iota = lhsShape.map((_, i) => i);
    return ConvDimensionNumbers.of(iota, iota, iota);
  }
  if (!Array.isArray(dn)) {
    throw new TypeError(
      `convolution dimension_numbers must be tuple/list or None, got ${typeof dn}.`,
    );
  }
  const specs = dn as readonly unknown[];
  if (specs.length !== 3) {
    throw new TypeError(
      `convolution dimension_numbers list/tuple must be length 3, got ${specs.length}.`,
    );
  }
  if (!specs.every((s) => typeof s === "string")) {
    throw new TypeError(
      `convolution dimension_numbers elements must be strings, got (${specs.map((s) => typeof s).join(", ")}).`,
    );
  }
  const strs = specs as readonly [string, string, string];
  strs.forEach((s, i) => {
    if (s.length !== lhsShape.length) {
      throw new TypeError(
        `convolution dimension_numbers[${i}] must have len equal to the ndim of lhs and rhs, ` +
          `got ${s.length} for lhs and rhs shapes ${tuple(lhsShape)} and ${tuple(rhsShape)}.`,
      );
    }
  });
  return convGeneralPermutations(strs);
}

function dilateShape(shape: readonly number[], dilation: readonly number[]): number[] {
  if (!dilation.every((d) => d > 0)) {
    throw new TypeError(`All dilations must be positive, got ${tuple(dilation)}.`);
  }
  const full = [...shape.slice(0, shape.length - dilation.length).map(() => 1), ...dilation];
  return shape.map((d, i) => dilateDim(d, full[i]!));
}

const take = (shape: readonly number[], perm: readonly number[]) => perm.map((p) => shape[p]!);

/** The output aval of conv_general_dilated, with JAX's shape and dtype checks. */
export function convOutAval(lhs: ShapedArray, rhs: ShapedArray, p: ConvParams): ShapedArray {
  const dn = p.dimension_numbers;
  const G = p.feature_group_count;
  const B = p.batch_group_count;
  if (lhs.ndim !== rhs.ndim) {
    throw new ValueError(
      `conv_general_dilated lhs and rhs must have the same number of dimensions, but got ${tuple(lhs.shape)} and ${tuple(rhs.shape)}.`,
    );
  }
  for (const [name, spec] of [
    ["lhs_spec", dn.lhs_spec],
    ["rhs_spec", dn.rhs_spec],
    ["out_spec", dn.out_spec],
  ] as const) {
    const ok =
      spec.length === lhs.ndim &&
      new Set(spec).size === spec.length &&
      spec.every((d) => Number.isInteger(d) && d >= 0 && d < lhs.ndim);
    if (!ok) {
      throw new TypeError(
        `conv_general_dilated dimension_numbers.${name} must be a permutation of ` +
          `range(${lhs.ndim}), got ${tuple(spec)}.`,
      );
    }
  }
  if (!(G > 0) || !Number.isInteger(G)) {
    throw new ValueError(
      `conv_general_dilated feature_group_count must be a positive integer, got ${G}.`,
    );
  }
  const lhsFeatures = lhs.shape[dn.lhs_spec[1]!]!;
  const rhsIn = rhs.shape[dn.rhs_spec[1]!]!;
  const rhsOut = rhs.shape[dn.rhs_spec[0]!]!;
  if (lhsFeatures % G) {
    throw new ValueError(
      `conv_general_dilated feature_group_count must divide lhs feature dimension size, but ${G} does not divide ${lhsFeatures}.`,
    );
  }
  if (lhsFeatures / G !== rhsIn) {
    throw new ValueError(
      `conv_general_dilated lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but ${lhsFeatures} // ${G} != ${rhsIn}.`,
    );
  }
  if (rhsOut % G) {
    throw new ValueError(
      `conv_general_dilated rhs output feature dimension size must be a multiple of feature_group_count, but ${rhsOut} is not a multiple of ${G}.`,
    );
  }
  if (!(B > 0) || !Number.isInteger(B)) {
    throw new ValueError(
      `conv_general_dilated batch_group_count must be a positive integer, got ${B}.`,
    );
  }
  const lhsBatch = lhs.shape[dn.lhs_spec[0]!]!;
  if (B > 1 && lhsBatch % B !== 0) {
    throw new ValueError(
      `conv_general_dilated batch_group_count must divide lhs batch dimension size, but ${B} does not divide ${lhsBatch}.`,
    );
  }
  if (rhsOut % B) {
    throw new ValueError(
      `conv_general_dilated rhs output feature dimension size must be a multiple of batch_group_count, but ${rhsOut} is not a multiple of ${B}.`,
    );
  }
  if (B > 1 && G > 1) {
    throw new ValueError(
      `At most one of batch_group_count and feature_group_count may be > 1, got batch_group_count=${B} and feature_group_count=${G}`,
    );
  }
  const nSpatial = dn.rhs_spec.length - 2;
  if (nSpatial !== p.window_strides.length) {
    throw new ValueError(
      `conv_general_dilated window and window_strides must have the same number of dimensions, but got ${nSpatial} and ${p.window_strides.length}`,
    );
  }
  if (!p.window_strides.every((s) => Number.isInteger(s) && s > 0)) {
    throw new ValueError(
      `conv_general_dilated window_strides must be positive integers, got ${tuple(p.window_strides)}.`,
    );
  }
  for (const [name, d] of [
    ["lhs_dilation", p.lhs_dilation],
    ["rhs_dilation", p.rhs_dilation],
  ] as const) {
    if (d.length !== nSpatial) {
      throw new ValueError(
        `conv_general_dilated ${name} must have ${nSpatial} entries (one per spatial dimension), got ${tuple(d)}.`,
      );
    }
  }
  const lhsT = dilateShape(take(lhs.shape, dn.lhs_spec), p.lhs_dilation);
  const rhsT = dilateShape(take(rhs.shape, dn.rhs_spec), p.rhs_dilation);
  if (p.padding.length !== nSpatial) {
    throw new TypeError(
      `Wrong number of explicit pads for convolution: expected ${nSpatial}, got ${p.padding.length}.`,
    );
  }
  const padded = lhsT.slice(2).map((d, i) => d + p.padding[i]![0] + p.padding[i]![1]);
  if (padded.some((d) => d < 0)) {
    const pads = `(${p.padding.map(([lo, hi]) => `(${lo}, ${hi})`).join(", ")}${nSpatial === 1 ? "," : ""})`;
    throw new ValueError(
      `Negative padding is larger than the size of the corresponding dimension: got padding=${pads} for lhs_shape[2:]=${tuple(lhsT.slice(2))}`,
    );
  }
  const outT = [
    B > 1 ? lhsT[0]! / B : lhsT[0]!,
    rhsT[0]!,
    ...padded.map((d, i) => strideDim(d, rhsT[2 + i]!, p.window_strides[i]!)),
  ];
  const shape = new Array<number>(outT.length);
  dn.out_spec.forEach((d, i) => (shape[d] = outT[i]!));
  if (lhs.dtype !== rhs.dtype) {
    throw new TypeError(
      `lax.conv_general_dilated requires arguments to have the same dtypes, got ${lhs.dtype.name}, ${rhs.dtype.name}.`,
    );
  }
  if (p.preferred_element_type !== null) validatePreferred(lhs.dtype, p.preferred_element_type);
  const dtype = p.preferred_element_type ?? lhs.dtype;
  return new ShapedArray(
    shape,
    dtype,
    p.preferred_element_type === null && lhs.weakType && rhs.weakType,
  );
}

/** JAX's _validate_preferred_element_type. */
function validatePreferred(input: DType, preferred: DType): void {
  if (!(input.isInt && preferred.isFloat)) {
    const cls = (d: DType) => (d.isInt ? "int" : d.isFloat ? "float" : "other");
    if (cls(input) !== "other" && cls(input) !== cls(preferred)) {
      throw new TypeError(
        "Input type is incompatible with `preferred_element_type`. The compatible combinations " +
          "of (input_type, preferred_element_type) are (integral, integral), (integral, " +
          "floating), (floating, floating), (complex, complex.",
      );
    }
    if (input.isInt && input.isSigned && !preferred.isSigned) {
      throw new TypeError(
        "`preferred_element_type` must have the same signedness as the original type.",
      );
    }
  }
  if (preferred.itemsize < input.itemsize) {
    throw new TypeError("`preferred_element_type` must not be narrower than the original type.");
  }
}
