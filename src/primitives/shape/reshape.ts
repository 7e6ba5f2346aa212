/**
 * reshape[new_sizes, dimensions]: a row-major reshape (after an optional transpose), lowered
 * to an index remapping (a view of a contiguous buffer with new strides when possible).
 */
import { shapeStr, sizeOf, stridesOf } from "../../core/shape.js";
import { flatIndex, unflatIndex } from "../../kernel/index.js";
import { remapLazy } from "../../kernel/lazy.js";
import type { ShapedArray } from "../../core/aval.js";
import type { Array } from "../../trace/array.js";
import type { Primitive } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero, linearJvp } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";
import { moveAxis, transpose } from "./transpose.js";

const tup = shapeStr;

/**
 * reshape[new_sizes, dimensions]: as JAX's reshape_p, `dimensions` (a permutation, or null) is
 * a transpose applied before the row-major reshape (lax.reshape's `dimensions` argument).
 */
export type ReshapeParams = {
  new_sizes: number[];
  dimensions: number[] | null;
};

export const reshapeP: Primitive<ReshapeParams> = definePrimitive<ReshapeParams>({
  name: "reshape",
  abstractEval([x], { new_sizes, dimensions }) {
    if (new_sizes.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new TypeError(
        `reshape new_sizes must be non-negative integers, got ${tup(new_sizes)}.`,
      );
    }
    if (sizeOf(new_sizes) !== x!.size) {
      throw new TypeError(
        `reshape total size must be unchanged, got new_sizes ${tup(new_sizes)} (size ` +
          `${sizeOf(new_sizes)}) for shape ${tup(x!.shape)} (size ${x!.size}).`,
      );
    }
    if (dimensions !== null) {
      const sorted = [...dimensions].sort((a, b) => a - b);
      if (dimensions.length !== x!.ndim || sorted.some((v, i) => v !== i)) {
        throw new TypeError(
          `reshape dimensions must be a permutation of operand dimensions, got dimensions ` +
            `${tup(dimensions)} for shape ${tup(x!.shape)}.`,
        );
      }
    }
    return [x!.update({ shape: new_sizes })];
  },
  lower(ctx, [x], { new_sizes, dimensions }, [out]) {
    const old = x!.aval.shape;
    if (dimensions !== null) {
      // Row-major reshape of the transposed operand: coordinates of the transposed array are
      // the operand's, permuted.
      const permuted = dimensions.map((d) => old[d]!);
      return [
        remapLazy(
          ctx,
          x!,
          out!,
          (coords) => {
            const t = unflatIndex(flatIndex(coords, new_sizes), permuted);
            const xc = new globalThis.Array<(typeof t)[number]>(old.length);
            dimensions.forEach((d, k) => (xc[d] = t[k]!));
            return xc;
          },
          () => undefined,
        ),
      ];
    }
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) => unflatIndex(flatIndex(coords, new_sizes), old),
        (v) => {
          const contiguous = stridesOf(old).every((st, k) => old[k] === 1 || st === v.strides[k]);
          return contiguous ? { ...v, strides: stridesOf(new_sizes) } : undefined;
        },
      ),
    ];
  },
  jvp: linearJvp(() => reshapeP),
  transpose([ct], [x], { dimensions }) {
    if (isZero(ct)) return [ct];
    const shape = (x as { aval: ShapedArray }).aval.shape;
    if (dimensions === null) return [reshape(ct as Array, shape)];
    // JAX's _reshape_transpose_rule: back to the transposed shape, then undo the permutation.
    const inverse = dimensions.map((_, i) => dimensions.indexOf(i));
    return [
      transpose(
        reshape(
          ct as Array,
          dimensions.map((d) => shape[d]!),
        ),
        inverse,
      ),
    ];
  },
  batch([x], [d], { new_sizes, dimensions }) {
    const xf = moveAxis(x!, d!, 0);
    return [
      [
        bind1(reshapeP, [xf], {
          new_sizes: [xf.shape[0]!, ...new_sizes],
          dimensions: dimensions === null ? null : [0, ...dimensions.map((k) => k + 1)],
        }),
      ],
      [0],
    ];
  },
});

/**
 * reshape, staged as JAX's lax.reshape: nothing when the shape is unchanged and `dimensions`
 * is absent or the identity; an identity `dimensions` is staged as null.
 */
export function reshape(
  x: Array,
  shape: readonly number[],
  dimensions: readonly number[] | null = null,
): Array {
  const sameDims = dimensions === null || dimensions.every((p, i) => p === i);
  const sameShape = x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]);
  if (sameShape && sameDims) return x;
  return bind1(reshapeP, [x], {
    new_sizes: [...shape],
    dimensions: sameDims ? null : [...dimensions!],
  });
}
