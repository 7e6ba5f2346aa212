/** Constructors for lazy arrays: buffers, views, constants, elementwise maps, index remaps. */
import type { ShapedArray } from "../core/aval.js";
import { stridesOf } from "../core/shape.js";
import { type Expr, constant } from "./expr.js";
import { loadAt, stridedIndex } from "./index.js";
import type { BufferView, LazyArray, LowerContext } from "./lowering-types.js";

export function viewLazy(aval: ShapedArray, view: BufferView): LazyArray {
  return {
    aval,
    view,
    hasReduce: false,
    cost: 0,
    at: (coords) =>
      loadAt(
        view.buffer,
        stridedIndex(coords, view.strides, view.offset),
        view.bufferSize,
        aval.dtype,
      ),
  };
}

/** A contiguous row-major buffer. */
export function bufferLazy(buffer: number, aval: ShapedArray): LazyArray & { view: BufferView } {
  const view = { buffer, bufferSize: aval.size, offset: 0, strides: stridesOf(aval.shape) };
  return viewLazy(aval, view) as LazyArray & { view: BufferView };
}

export function constLazy(value: number | bigint | boolean, aval: ShapedArray): LazyArray {
  const c = constant(value, aval.dtype);
  return { aval, hasReduce: false, cost: 0, at: () => c };
}

/** Elementwise: element c of the result is `f` of element c of each input. */
export function mapLazy(
  aval: ShapedArray,
  inputs: readonly LazyArray[],
  f: (xs: Expr[]) => Expr,
  cost = 1,
): LazyArray {
  return {
    aval,
    hasReduce: inputs.some((x) => x.hasReduce),
    cost: inputs.reduce((s, x) => s + x.cost, cost),
    at: (coords) => f(inputs.map((x) => x.at(coords))),
  };
}

/**
 * A movement: element c of the result is element `mapCoords(c)` of `x`. `mapView`, when
 * given, transforms a buffer view the same way (so views of views stay views).
 * Reductions never move: `x` is materialized first if it holds one.
 */
export function remapLazy(
  ctx: LowerContext,
  x: LazyArray,
  aval: ShapedArray,
  mapCoords: (coords: readonly Expr[]) => Expr[],
  mapView?: (v: BufferView) => BufferView | undefined,
): LazyArray {
  const src = x.hasReduce ? ctx.materialize(x) : x;
  const view = src.view && mapView ? mapView(src.view) : undefined;
  if (view) return viewLazy(aval, view);
  return { aval, hasReduce: false, cost: src.cost, at: (coords) => src.at(mapCoords(coords)) };
}

/** A general element generator (iota, gathers, pads…). */
export function genLazy(
  aval: ShapedArray,
  at: (coords: readonly Expr[]) => Expr,
  cost = 1,
  hasReduce = false,
): LazyArray {
  return { aval, hasReduce, cost, at };
}
