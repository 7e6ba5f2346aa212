/**
 * concatenate[dimension]: operands joined along one axis, lowered to a lazy select between
 * the operands by coordinate range.
 */
import { ShapedArray } from "../../core/aval.js";
import { shapeStr } from "../../core/shape.js";
import { binary, select } from "../../kernel/expr.js";
import { ix, ixAdd } from "../../kernel/index.js";
import { genLazy } from "../../kernel/lazy.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { instantiate } from "../constants.js";
import { definePrimitive } from "../define.js";
import { broadcastInDim } from "./broadcast.js";
import { slice } from "./slice-pad.js";
import { moveAxis } from "./transpose.js";

const range = (n: number) => globalThis.Array.from({ length: n }, (_, i) => i);
const tup = shapeStr;

export const concatenateP: Primitive<{ dimension: number }> = definePrimitive<{
  dimension: number;
}>({
  name: "concatenate",
  abstractEval(avals, { dimension: dim }) {
    if (avals.length === 0) throw new TypeError("concatenate requires at least one operand.");
    const first = avals[0]!;
    if (dim < 0 || dim >= first.ndim) {
      throw new TypeError(
        `concatenate dimension out of bounds: dimension ${dim} for shapes ${avals.map((a) => tup(a.shape)).join(", ")}.`,
      );
    }
    if (avals.some((a) => a.ndim !== first.ndim)) {
      throw new TypeError(
        `Cannot concatenate arrays with different numbers of dimensions: got ` +
          `${avals.map((x) => tup(x.shape)).join(", ")}.`,
      );
    }
    for (const a of avals) {
      if (a.dtype !== first.dtype) {
        throw new TypeError(
          `concatenate requires arguments to have the same dtypes, got ${avals.map((x) => x.dtype.name).join(", ")}.`,
        );
      }
      if (a.shape.some((d, k) => k !== dim && d !== first.shape[k])) {
        throw new TypeError(
          `Cannot concatenate arrays with shapes that differ in dimensions other than the one ` +
            `being concatenated: concatenating along dimension ${dim} for shapes ` +
            `${avals.map((x) => tup(x.shape)).join(", ")}.`,
        );
      }
    }
    const shape = [...first.shape];
    shape[dim] = avals.reduce((s, a) => s + a.shape[dim]!, 0);
    return [
      new ShapedArray(
        shape,
        first.dtype,
        avals.every((a) => a.weakType),
      ),
    ];
  },
  lower(ctx, inputs, { dimension: dim }, [out]) {
    const srcs = inputs.map((x) => (x.hasReduce ? ctx.materialize(x) : x));
    const starts: number[] = [];
    let acc = 0;
    for (const s of srcs) {
      starts.push(acc);
      acc += s.aval.shape[dim]!;
    }
    return [
      genLazy(
        out!,
        (coords) => {
          // Last operand by default; earlier ones selected by coordinate range.
          let e = srcs[srcs.length - 1]!.at(
            coords.map((c, k) => (k === dim ? ixAdd(c, -starts[srcs.length - 1]!) : c)),
          );
          for (let i = srcs.length - 2; i >= 0; i--) {
            const ci = srcs[i]!.at(coords.map((c, k) => (k === dim ? ixAdd(c, -starts[i]!) : c)));
            e = select(binary("lt", coords[dim]!, ix(starts[i + 1]!)), ci, e);
          }
          return e;
        },
        srcs.reduce((s, x) => s + x.cost, 1),
      ),
    ];
  },
  jvp(primals, tangents, params) {
    const out = bind1(concatenateP, primals, params);
    if (tangents.every((t) => isZero(t))) return [[out], [new Zero(out.aval)]];
    return [[out], [bind1(concatenateP, tangents.map(instantiate), params)]];
  },
  transpose([ct], args, { dimension: dim }) {
    if (isZero(ct))
      return args.map((a) => (a instanceof UndefinedPrimal ? new Zero(a.aval) : null));
    const c = ct as Array;
    let start = 0;
    return args.map((a) => {
      const aval = (a as { aval: ShapedArray }).aval;
      const st = c.shape.map((_, k) => (k === dim ? start : 0));
      const lim = c.shape.map((d, k) => (k === dim ? start + aval.shape[dim]! : d));
      start += aval.shape[dim]!;
      return a instanceof UndefinedPrimal ? slice(c, st, lim) : null;
    });
  },
  batch(args, dims, { dimension }, size) {
    const moved = args.map((a, i) => {
      if (dims[i] !== null) return moveAxis(a, dims[i]!, 0);
      return broadcastInDim(
        a,
        [size, ...a.shape],
        range(a.ndim).map((k) => k + 1),
      );
    });
    return [[bind1(concatenateP, moved, { dimension: dimension + 1 })], [0]];
  },
});

export function concatenate(xs: readonly Array[], dimension: number): Array {
  return bind1(concatenateP, xs, { dimension });
}
