/** rev[dimensions]: axes reversed, lowered to an index remapping (negative strides in a view). */
import { shapeStr } from "../../core/shape.js";
import { ixAdd, ixMul } from "../../kernel/index.js";
import { remapLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import type { Primitive } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero, linearJvp } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { moveAxis } from "./transpose.js";

const tup = shapeStr;

export const revP: Primitive<{ dimensions: number[] }> = definePrimitive<{ dimensions: number[] }>({
  name: "rev",
  abstractEval([x], { dimensions }) {
    if (
      dimensions.some((d) => d < 0 || d >= x!.ndim) ||
      new Set(dimensions).size !== dimensions.length
    ) {
      throw new TypeError(
        `rev dimensions must be unique and in range, got ${tup(dimensions)} for shape ${tup(x!.shape)}.`,
      );
    }
    return [x!];
  },
  lower(ctx, [x], { dimensions }, [out]) {
    const s = x!.aval.shape;
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) =>
          coords.map((c, k) => (dimensions.includes(k) ? ixAdd(s[k]! - 1, ixMul(c, -1)) : c)),
        (v) => ({
          ...v,
          offset: v.offset + dimensions.reduce((o, k) => o + (s[k]! - 1) * v.strides[k]!, 0),
          strides: v.strides.map((st, k) => (dimensions.includes(k) ? -st : st)),
        }),
      ),
    ];
  },
  jvp: linearJvp(() => revP),
  transpose([ct], _x, params) {
    return [isZero(ct) ? ct : bind1(revP, [ct as Array], params)];
  },
  batch([x], [d], { dimensions }) {
    const xf = moveAxis(x!, d!, 0);
    return [[bind1(revP, [xf], { dimensions: dimensions.map((k) => k + 1) })], [0]];
  },
});
