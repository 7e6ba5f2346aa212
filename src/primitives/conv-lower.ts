/**
 * conv_general_dilated's lowering through the kernel IR: each output element is a `reduce`
 * (sum) over the input features of its group and the window positions of products of an lhs
 * load and an rhs load. Padding and lhs dilation are index conditions (a position of the
 * padded, dilated lhs that holds no element contributes zero); loads are clamped by loadAt,
 * so no kernel reads out of bounds. The whole op is one lazy result that fuses with its
 * consumers; a device that wants its own algorithm (an implicit-GEMM kernel) can claim the
 * equation before this rule by its primitive name and these params.
 */
import type { ShapedArray } from "../core/aval.js";
import { type Expr, binary, cast, constant, reduce, ridx, select } from "../kernel/expr.js";
import { ix, ixAdd, ixFloorDiv, ixMod, ixMul } from "../kernel/index.js";
import { genLazy } from "../kernel/lazy.js";
import type { LazyArray, LowerContext } from "../kernel/lowering-types.js";
import type { ConvParams } from "./conv-shape.js";

const and = (a: Expr | undefined, b: Expr): Expr => (a ? binary("and", a, b) : b);

export function lowerConv(
  ctx: LowerContext,
  [lhsIn, rhsIn]: LazyArray[],
  p: ConvParams,
  [out]: ShapedArray[],
): LazyArray[] {
  const lhs = lhsIn!.hasReduce ? ctx.materialize(lhsIn!) : lhsIn!;
  const rhs = rhsIn!.hasReduce ? ctx.materialize(rhsIn!) : rhsIn!;
  const { lhs_spec, rhs_spec, out_spec } = p.dimension_numbers;
  const nSpatial = rhs_spec.length - 2;
  const G = p.feature_group_count;
  const B = p.batch_group_count;
  const O = rhs.aval.shape[rhs_spec[0]!]!;
  const cin = rhs.aval.shape[rhs_spec[1]!]!;
  const window = rhs_spec.slice(2).map((d) => rhs.aval.shape[d]!);
  const lhsSpatial = lhs_spec.slice(2).map((d) => lhs.aval.shape[d]!);
  const outBatch = out!.shape[out_spec[0]!]!;
  const dtype = out!.dtype;
  const zero = constant(0, dtype);
  const sizes = [cin, ...window];
  return [
    genLazy(
      out!,
      (coords) => {
        const n = coords[out_spec[0]!]!;
        const o = coords[out_spec[1]!]!;
        const i = ridx(0, cin);
        const w = window.map((k, s) => ridx(1 + s, k));
        const lhsCoords: Expr[] = new Array<Expr>(lhs.aval.ndim);
        const rhsCoords: Expr[] = new Array<Expr>(rhs.aval.ndim);
        // Group g of the output features reads lhs features g·cin + i (feature groups) or lhs
        // batch rows g·outBatch + n (batch groups).
        const featureGroup = G > 1 && O > 0 ? ixFloorDiv(o, O / G) : undefined;
        const batchGroup = B > 1 && O > 0 ? ixFloorDiv(o, O / B) : undefined;
        lhsCoords[lhs_spec[0]!] = batchGroup ? ixAdd(ixMul(batchGroup, outBatch), n) : n;
        lhsCoords[lhs_spec[1]!] = featureGroup ? ixAdd(ixMul(featureGroup, cin), i) : i;
        rhsCoords[rhs_spec[0]!] = o;
        rhsCoords[rhs_spec[1]!] = i;
        let inside: Expr | undefined;
        for (let s = 0; s < nSpatial; s++) {
          rhsCoords[rhs_spec[2 + s]!] = w[s]!;
          const stride = p.window_strides[s]!;
          const rd = p.rhs_dilation[s]!;
          const ld = p.lhs_dilation[s]!;
          const L = lhsSpatial[s]!;
          // Position in the padded, dilated lhs.
          const pos = ixAdd(
            ixMul(coords[out_spec[2 + s]!]!, stride),
            ixMul(w[s]!, rd),
            -p.padding[s]![0],
          );
          inside = and(inside, binary("ge", pos, ix(0)));
          inside = and(inside, binary("lt", pos, ix((L - 1) * ld + 1)));
          if (ld > 1) inside = and(inside, binary("eq", ixMod(pos, ld), ix(0)));
          lhsCoords[lhs_spec[2 + s]!] = ld > 1 ? ixFloorDiv(pos, ld) : pos;
        }
        const a = cast(lhs.at(lhsCoords), dtype);
        const b = cast(rhs.at(rhsCoords), dtype);
        const prod = binary("mul", a, b);
        return reduce("sum", inside ? select(inside, prod, zero) : prod, sizes);
      },
      lhs.cost + rhs.cost + 2,
      true,
    ),
  ];
}
