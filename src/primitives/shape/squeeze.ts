/** squeeze[dimensions]: size-1 axes removed, lowered to an index remapping. */
import type { ShapedArray } from "../../core/aval.js";
import { ValueError } from "../../core/errors.js";
import { shapeStr } from "../../core/shape.js";
import { ix } from "../../kernel/index.js";
import { remapLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import type { Primitive } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero, linearJvp } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { reshape } from "./reshape.js";
import { moveAxis } from "./transpose.js";

const range = (n: number) => globalThis.Array.from({ length: n }, (_, i) => i);
const tup = shapeStr;

export const squeezeP: Primitive<{ dimensions: number[] }> = definePrimitive<{
  dimensions: number[];
}>({
  name: "squeeze",
  abstractEval([x], { dimensions }) {
    for (const d of dimensions) {
      if (d < 0 || d >= x!.ndim || x!.shape[d] !== 1) {
        throw new ValueError(
          `cannot select an axis to squeeze out which has size not equal to one, got ` +
            `shape=${tup(x!.shape)} and dimensions=${tup(dimensions)}`,
        );
      }
    }
    return [x!.update({ shape: x!.shape.filter((_, i) => !dimensions.includes(i)) })];
  },
  lower(ctx, [x], { dimensions }, [out]) {
    const nd = x!.aval.ndim;
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) => {
          let j = 0;
          return range(nd).map((i) => (dimensions.includes(i) ? ix(0) : coords[j++]!));
        },
        (v) => ({ ...v, strides: v.strides.filter((_, i) => !dimensions.includes(i)) }),
      ),
    ];
  },
  jvp: linearJvp(() => squeezeP),
  transpose([ct], [x]) {
    return [isZero(ct) ? ct : reshape(ct as Array, (x as { aval: ShapedArray }).aval.shape)];
  },
  batch([x], [d], { dimensions }) {
    const xf = moveAxis(x!, d!, 0);
    return [[bind1(squeezeP, [xf], { dimensions: dimensions.map((k) => k + 1) })], [0]];
  },
});
