/**
 * Cumulative reductions cumsum, cumprod, cummax, cummin [axis reverse], lowered to a
 * `cumulative` custom kernel (a sequential scan along the axis).
 */
import { int32 } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { bufferLazy } from "../kernel/lazy.js";
import type { Array } from "../trace/array.js";
import { type Primitive, Zero, notLinear } from "../trace/primitive.js";
import { bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { moveAxis } from "./batch-rules.js";
import { definePrimitive } from "./define.js";
import { prims as ew } from "./elementwise/index.js";
import { selectN } from "./select.js";
import { iota } from "./shape/iota.js";
import { full } from "./constants.js";
import { takeAlong } from "./sort.js";

type CumParams = { axis: number; reverse: boolean };
type Op = "sum" | "prod" | "max" | "min";

const prims: Partial<Record<Op, Primitive<CumParams>>> = {};

function defineCumulative(op: Op): Primitive<CumParams> {
  const name = `cum${op}`;
  const self = () => prims[op]!;
  const p = definePrimitive<CumParams>({
    name,
    abstractEval([x], { axis }) {
      if (!(x!.dtype.isInt || x!.dtype.isFloat || (x!.dtype.isComplex && op === "sum"))) {
        throw new TypeError(
          `${name} does not accept dtype ${x!.dtype.name}. Accepted dtypes are subtypes of number.`,
        );
      }
      if (axis < 0 || axis >= x!.ndim) {
        throw new TypeError(
          `axis ${axis} is out of bounds for array of shape ${shapeStr(x!.shape)}`,
        );
      }
      return [x!];
    },
    lower(ctx, [x], { axis, reverse }, [out]) {
      const src = ctx.materialize(x!);
      const buffer = ctx.newBuffer(out!);
      ctx.emit({
        kind: "custom",
        op: "cumulative",
        inputs: [src.view.buffer],
        outputs: [buffer],
        params: { op, axis, reverse, shape: [...out!.shape], dtype: out!.dtype.name },
      });
      return [bufferLazy(buffer, out!)];
    },
    jvp([x], [t], params) {
      const out = bind1(self(), [x!], params);
      if (isZero(t) || !(x!.dtype.isFloat || x!.dtype.isComplex))
        return [[out], [new Zero(out.aval)]];
      const g = t as Array;
      switch (op) {
        case "sum":
          return [[out], [bind1(self(), [g], params)]];
        case "prod":
          // d cumprod = cumprod · cumsum(t / x): exact away from zeros of x.
          return [
            [out],
            [bind1(ew["mul"]!, [out, bind1(prims.sum!, [bind1(ew["div"]!, [g, x!])], params)])],
          ];
        default: {
          // The tangent of the element holding the running extremum (the latest one on ties).
          const { axis, reverse } = params;
          const n = x!.shape[axis]!;
          const pos = iota(int32, x!.shape, axis);
          const hit = bind1(ew["eq"]!, [x!, out]);
          const which = reverse
            ? bind1(prims.min!, [selectN(hit, full(x!.shape, n - 1, int32), pos)], params)
            : bind1(prims.max!, [selectN(hit, full(x!.shape, 0, int32), pos)], params);
          return [[out], [takeAlong(g, which, axis)]];
        }
      }
    },
    transpose:
      op === "sum"
        ? ([ct], _args, params) => [
            isZero(ct) ? ct : bind1(self(), [ct as Array], { ...params, reverse: !params.reverse }),
          ]
        : notLinear,
    batch([x], [d], params) {
      const xf = moveAxis(x!, d!, 0);
      return [[bind1(self(), [xf], { ...params, axis: params.axis + 1 })], [0]];
    },
  });
  prims[op] = p;
  return p;
}

export const cumsumP = defineCumulative("sum");
export const cumprodP = defineCumulative("prod");
export const cummaxP = defineCumulative("max");
export const cumminP = defineCumulative("min");

const wrap =
  (op: Op) =>
  (x: Array, axis = 0, reverse = false): Array => {
    const a = axis < 0 ? axis + x.ndim : axis;
    return bind1(prims[op]!, [x], { axis: a, reverse });
  };
/** `lax.cumsum(x, axis, reverse)`. */
export const cumsum = wrap("sum");
export const cumprod = wrap("prod");
export const cummax = wrap("max");
export const cummin = wrap("min");
