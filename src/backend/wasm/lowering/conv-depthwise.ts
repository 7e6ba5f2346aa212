/**
 * The wasm device's direct lowering of depthwise-style convolutions (feature groups with one
 * input feature each, `featureGroupCount == C`): a loop over the output whose element is a sum
 * over the window positions, vectorized by the loop code generator over the output features
 * (f32x4 over channels when the features are the innermost dim of input, kernel and output, as
 * in NHWC/HWIO). It is the generic rule's arithmetic with one difference that makes it
 * vectorizable: the input's spatial coordinates are clamped one by one (the value at a padding
 * position is selected away), so every load is provably in bounds and stays contiguous along
 * the channels, where clamping the flat index (the generic rule's loads) hides that.
 */
import { float32 } from "../../../core/dtype.js";
import { type Expr, binary, constant, reduce, ridx, select } from "../../../kernel/expr.js";
import { genLazy } from "../../../kernel/lazy.js";
import { ix, ixAdd, ixClamp, ixFloorDiv, ixMod, ixMul } from "../../../kernel/index.js";
import type { LazyArray, LowerContext } from "../../../kernel/lowering-types.js";
import type { ShapedArray } from "../../../core/aval.js";

/** The conv params this rule reads (conv-shape.ts's ConvParams, read structurally). */
export interface ConvParamsView {
  readonly window_strides: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
  readonly lhs_dilation: readonly number[];
  readonly rhs_dilation: readonly number[];
  readonly dimension_numbers: {
    readonly lhs_spec: readonly number[];
    readonly rhs_spec: readonly number[];
    readonly out_spec: readonly number[];
  };
  readonly feature_group_count: number;
  readonly batch_group_count: number;
}

const and = (a: Expr | undefined, b: Expr): Expr => (a ? binary("and", a, b) : b);

/** Whether this rule lowers the conv: float32 feature groups of one input feature each. */
export function isDepthwise(p: ConvParamsView, rhs: ShapedArray): boolean {
  const { rhs_spec } = p.dimension_numbers;
  return (
    p.feature_group_count > 1 &&
    p.batch_group_count === 1 &&
    rhs.shape[rhs_spec[1]!] === 1 &&
    rhs.dtype === float32
  );
}

export function lowerDepthwise(
  ctx: LowerContext,
  lhsIn: LazyArray,
  rhsIn: LazyArray,
  p: ConvParamsView,
  out: ShapedArray,
): LazyArray {
  const lhs = lhsIn.hasReduce ? ctx.materialize(lhsIn) : lhsIn;
  const rhs = rhsIn.hasReduce ? ctx.materialize(rhsIn) : rhsIn;
  const { lhs_spec, rhs_spec, out_spec } = p.dimension_numbers;
  const O = rhs.aval.shape[rhs_spec[0]!]!;
  const Og = O / p.feature_group_count;
  const window = rhs_spec.slice(2).map((d) => rhs.aval.shape[d]!);
  const sizes = lhs_spec.slice(2).map((d) => lhs.aval.shape[d]!);
  const zero = constant(0, float32);
  return genLazy(
    out,
    (coords) => {
      const o = coords[out_spec[1]!]!;
      const lhsCoords = new Array<Expr>(lhs.aval.ndim);
      const rhsCoords = new Array<Expr>(rhs.aval.ndim);
      lhsCoords[lhs_spec[0]!] = coords[out_spec[0]!]!;
      lhsCoords[lhs_spec[1]!] = Og === 1 ? o : ixFloorDiv(o, Og);
      rhsCoords[rhs_spec[0]!] = o;
      rhsCoords[rhs_spec[1]!] = ix(0);
      let inside: Expr | undefined;
      window.forEach((k, s) => {
        const w = ridx(s, k);
        rhsCoords[rhs_spec[2 + s]!] = w;
        const ld = p.lhs_dilation[s]!;
        const pos = ixAdd(
          ixMul(coords[out_spec[2 + s]!]!, p.window_strides[s]!),
          ixMul(w, p.rhs_dilation[s]!),
          -p.padding[s]![0],
        );
        inside = and(inside, binary("ge", pos, ix(0)));
        inside = and(inside, binary("lt", pos, ix((sizes[s]! - 1) * ld + 1)));
        if (ld > 1) inside = and(inside, binary("eq", ixMod(pos, ld), ix(0)));
        lhsCoords[lhs_spec[2 + s]!] = ixClamp(ld > 1 ? ixFloorDiv(pos, ld) : pos, 0, sizes[s]! - 1);
      });
      const prod = binary("mul", lhs.at(lhsCoords), rhs.at(rhsCoords));
      return reduce("sum", inside ? select(inside, prod, zero) : prod, window);
    },
    lhs.cost + rhs.cost + 2,
    true,
  );
}
