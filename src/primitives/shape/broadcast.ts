/**
 * broadcast_in_dim[shape, broadcast_dimensions]: lax broadcasting made explicit, lowered to
 * an index remapping (zero strides in a view). Also `batchAtFront` for batching rules.
 */
import { ShapedArray } from "../../core/aval.js";
import { shapeStr } from "../../core/shape.js";
import { ix } from "../../kernel/index.js";
import { remapLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import type { Primitive } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero, linearJvp } from "../ad-helpers.js";
import { definePrimitive, registeredPrimitive } from "../define.js";
import { reshape } from "./reshape.js";
import { moveAxis } from "./transpose.js";

const range = (n: number) => globalThis.Array.from({ length: n }, (_, i) => i);
const tup = shapeStr;

export const broadcastInDimP: Primitive<{ shape: number[]; broadcast_dimensions: number[] }> =
  definePrimitive<{ shape: number[]; broadcast_dimensions: number[] }>({
    name: "broadcast_in_dim",
    abstractEval([x], { shape, broadcast_dimensions: bd }) {
      const s = x!.shape;
      if (s.length !== bd.length) {
        throw new TypeError(
          `broadcast_in_dim broadcast_dimensions must have length equal to operand ndim; got ` +
            `broadcast_dimensions ${tup(bd)} for operand ndim ${s.length}.`,
        );
      }
      if (shape.length < s.length) {
        throw new TypeError(
          `broadcast_in_dim target broadcast shape must have equal or higher rank to the operand ` +
            `shape; got operand ndim ${s.length} and target broadcast ndim ${shape.length}.`,
        );
      }
      for (let i = 0; i < bd.length; i++) {
        const d = bd[i]!;
        if (d < 0 || d >= shape.length || (i > 0 && d <= bd[i - 1]!)) {
          throw new TypeError(
            `broadcast_in_dim broadcast_dimensions must be strictly increasing and in range; got ` +
              `broadcast_dimensions ${tup(bd)} for shape ${tup(shape)}.`,
          );
        }
        if (s[i] !== 1 && s[i] !== shape[d]) {
          throw new TypeError(
            `broadcast_in_dim operand dimension sizes must either be 1, or be equal to their ` +
              `corresponding dimensions in the target broadcast shape; got operand of shape ` +
              `${tup(s)}, target broadcast shape ${tup(shape)}, broadcast_dimensions ${tup(bd)}.`,
          );
        }
      }
      return [new ShapedArray(shape, x!.dtype, x!.weakType)];
    },
    lower(ctx, [x], { shape, broadcast_dimensions: bd }, [out]) {
      const s = x!.aval.shape;
      const kept = (i: number) => !(s[i] === 1 && shape[bd[i]!] !== 1);
      return [
        remapLazy(
          ctx,
          x!,
          out!,
          (coords) => bd.map((d, i) => (kept(i) ? coords[d]! : ix(0))),
          (v) => {
            const strides = shape.map(() => 0);
            bd.forEach((d, i) => {
              if (kept(i)) strides[d] = v.strides[i]!;
            });
            return { ...v, strides };
          },
        ),
      ];
    },
    jvp: linearJvp(() => broadcastInDimP),
    transpose([ct], [x], { shape, broadcast_dimensions: bd }) {
      if (isZero(ct)) return [ct];
      const operand = x as { aval: ShapedArray };
      const s = operand.aval.shape;
      const summed = range(shape.length).filter(
        (d) => !bd.includes(d) || (s[bd.indexOf(d)] === 1 && shape[d] !== 1),
      );
      let r = reduceSum(ct as Array, summed);
      if (r.ndim !== s.length || r.shape.some((d, i) => d !== s[i])) r = reshape(r, s);
      return [r];
    },
    batch([x], [d], { shape, broadcast_dimensions: bd }, size) {
      const xf = batchAtFront(x!, d!);
      const bdim = xf.shape[0] === 1 && d === null ? 1 : size;
      return [
        [broadcastInDim(xf, [bdim === 1 ? 1 : size, ...shape], [0, ...bd.map((k) => k + 1)])],
        [0],
      ];
    },
  });

export function broadcastInDim(x: Array, shape: readonly number[], dims: readonly number[]): Array {
  return bind1(broadcastInDimP, [x], { shape: [...shape], broadcast_dimensions: [...dims] });
}

/**
 * reduce_sum, broadcast_in_dim's transpose. Its module imports this one (reduce_sum's own
 * transpose is a broadcast), so it is looked up in the registry.
 */
function reduceSum(x: Array, axes: number[]): Array {
  if (axes.length === 0) return x;
  return bind1(registeredPrimitive("reduce_sum"), [x], { axes });
}

/** `x` with its batch dim (or a new size-1 one if unbatched) in front. */
export function batchAtFront(x: Array, dim: number | null): Array {
  if (dim === null)
    return x.ndim === 0
      ? x
      : broadcastInDim(
          x,
          [1, ...x.shape],
          range(x.ndim).map((i) => i + 1),
        );
  return moveAxis(x, dim, 0);
}
