/**
 * Rules shared by the reductions over `axes` (reduce_sum/max/min/prod/and/or, argmax/argmin):
 * the shape rule, the lowering to a reduce node (elementwise producers fuse into the
 * reduction loop, elementwise consumers after it) and the batching rule.
 */
import type { ShapedArray } from "../core/aval.js";
import { shapeStr } from "../core/shape.js";
import { type Expr, type ReduceOp, reduce, ridx } from "../kernel/expr.js";
import { genLazy } from "../kernel/lazy.js";
import type { LazyArray, LowerContext } from "../kernel/lowering-types.js";
import type { Array } from "../trace/array.js";
import type { Primitive } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { moveAxis } from "./shape/transpose.js";
import { type DtypeClass, checkDtypeClass } from "./shape-rules.js";

export type AxesParams = { axes: number[] };

export function checkAxes(name: string, x: ShapedArray, axes: readonly number[]): void {
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= x.ndim) {
      throw new TypeError(
        `${name}: axes ${shapeStr(axes)} out of range for operand shape ${shapeStr(x.shape)}.`,
      );
    }
  }
  if (new Set(axes).size !== axes.length)
    throw new TypeError(`${name}: duplicate axes ${shapeStr(axes)}.`);
}

/** Lower a reduction of `x` over `axes` with kernel op `fn`. */
export function lowerReduce(fn: ReduceOp) {
  return (
    ctx: LowerContext,
    [x]: LazyArray[],
    { axes }: AxesParams,
    [out]: ShapedArray[],
  ): LazyArray[] => {
    const src = x!.hasReduce ? ctx.materialize(x!) : x!;
    const shape = src.aval.shape;
    const sizes = axes.map((a) => shape[a]!);
    return [
      genLazy(
        out!,
        (coords) => {
          const full: Expr[] = [];
          let j = 0;
          for (let k = 0; k < shape.length; k++) {
            const r = axes.indexOf(k);
            full.push(r >= 0 ? ridx(r, sizes[r]!) : coords[j++]!);
          }
          return reduce(fn, src.at(full), sizes);
        },
        src.cost + 1,
        true,
      ),
    ];
  };
}

export function reduceAval(name: string, cls: DtypeClass) {
  return ([x]: readonly ShapedArray[], { axes }: AxesParams): ShapedArray[] => {
    checkAxes(name, x!, axes);
    checkDtypeClass(name, x!.dtype, cls);
    return [x!.update({ shape: x!.shape.filter((_, i) => !axes.includes(i)) })];
  };
}

export function batchReduce<P extends AxesParams>(prim: () => Primitive<P>) {
  return ([x]: Array[], [d]: (number | null)[], params: P): [Array[], (number | null)[]] => {
    const xf = moveAxis(x!, d!, 0);
    return [[bind1(prim(), [xf], { ...params, axes: params.axes.map((a) => a + 1) })], [0]];
  };
}
