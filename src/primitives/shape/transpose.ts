/**
 * transpose[permutation]: a permutation of the axes, lowered to an index remapping (a strided
 * view of a buffer when possible). Also `moveAxis`, the batching rules' way to move a batch dim.
 */
import { shapeStr } from "../../core/shape.js";
import type { Expr } from "../../kernel/expr.js";
import { remapLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import type { Primitive } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero, linearJvp } from "../ad-helpers.js";
import { definePrimitive } from "../define.js";

const tup = shapeStr;

export const transposeP: Primitive<{ permutation: number[] }> = definePrimitive<{
  permutation: number[];
}>({
  name: "transpose",
  abstractEval([x], { permutation: p }) {
    const sorted = [...p].sort((a, b) => a - b);
    if (p.length !== x!.ndim || sorted.some((v, i) => v !== i)) {
      throw new TypeError(
        `transpose permutation isn't a permutation of operand dimensions, got permutation ` +
          `${tup(p)} for operand shape ${tup(x!.shape)}.`,
      );
    }
    return [x!.update({ shape: p.map((i) => x!.shape[i]!) })];
  },
  lower(ctx, [x], { permutation: p }, [out]) {
    return [
      remapLazy(
        ctx,
        x!,
        out!,
        (coords) => {
          const c = new globalThis.Array<Expr>(p.length);
          p.forEach((src, k) => (c[src] = coords[k]!));
          return c;
        },
        (v) => ({ ...v, strides: p.map((i) => v.strides[i]!) }),
      ),
    ];
  },
  jvp: linearJvp(() => transposeP),
  transpose([ct], _x, { permutation: p }) {
    if (isZero(ct)) return [ct];
    const inv = new globalThis.Array<number>(p.length);
    p.forEach((src, k) => (inv[src] = k));
    return [transpose(ct as Array, inv)];
  },
  batch([x], [d], { permutation: p }) {
    const xf = moveAxis(x!, d!, 0);
    return [[transpose(xf, [0, ...p.map((k) => k + 1)])], [0]];
  },
});

export function transpose(x: Array, perm: readonly number[]): Array {
  if (perm.every((p, i) => p === i)) return x;
  return bind1(transposeP, [x], { permutation: [...perm] });
}

/** Move axis `from` of `x` to position `to`. */
export function moveAxis(x: Array, from: number, to: number): Array {
  if (from === to) return x;
  const perm = globalThis.Array.from({ length: x.ndim }, (_, i) => i).filter((a) => a !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}
