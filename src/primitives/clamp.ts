/** clamp(min, x, max): x limited to [min, max] elementwise (scalar or same-shape bounds). */
import { shapeStr } from "../core/shape.js";
import { binary } from "../kernel/expr.js";
import type { Array } from "../trace/array.js";
import { type Primitive, type Tangent, Zero, notLinear } from "../trace/primitive.js";
import { type Value, bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { addTangents } from "./add-any.js";
import { elementwiseBatch, moveAxis } from "./batch-rules.js";
import { fullLike } from "./constants.js";
import { definePrimitive } from "./define.js";
import { prims as elementwise } from "./elementwise/index.js";
import { elementwiseLowering } from "./lowering-helpers.js";
import { selectNP } from "./select.js";
import { broadcastInDim } from "./shape/broadcast.js";
import { sameDtypes } from "./shape-rules.js";

export const clampP: Primitive = definePrimitive({
  name: "clamp",
  abstractEval([lo, x, hi]) {
    sameDtypes("clamp", [lo!, x!, hi!]);
    for (const [what, b] of [
      ["min", lo!],
      ["max", hi!],
    ] as const) {
      if (b.ndim !== 0 && (b.ndim !== x!.ndim || b.shape.some((d, i) => d !== x!.shape[i]))) {
        throw new TypeError(
          `clamp requires ${what} to be a scalar or have the same shape as operand: got ` +
            `${what} shape ${shapeStr(b.shape)} and operand shape ${shapeStr(x!.shape)}.`,
        );
      }
    }
    return [x!];
  },
  lower: elementwiseLowering(([lo, x, hi]) => binary("min", binary("max", x!, lo!), hi!)),
  // As JAX: d/dx is 1 strictly inside (min, max), d/dmin where min > x (and min < max),
  // d/dmax where max < x; every one is 0 exactly at the boundaries.
  jvp([lo, x, hi], [tlo, tx, thi]) {
    const out = bind1(clampP, [lo!, x!, hi!]);
    const ew = elementwise;
    const b2 = (name: string, a: Value, b: Value) => bind1(ew[name]!, [a, b]);
    const z = fullLike(out, 0);
    const pick = (cond: Array, t: Array) => bind1(selectNP, [cond, z, brcast(t, out)]);
    let t: Tangent = new Zero(out.aval);
    if (!isZero(tlo))
      t = addTangents(t, pick(b2("and", b2("gt", lo!, x!), b2("lt", lo!, hi!)), tlo!), out);
    if (!isZero(tx))
      t = addTangents(t, pick(b2("and", b2("gt", x!, lo!), b2("lt", x!, hi!)), tx!), out);
    if (!isZero(thi)) t = addTangents(t, pick(b2("lt", hi!, x!), thi!), out);
    return [[out], [t]];
  },
  transpose: notLinear,
  batch: ([lo, x, hi], [dlo, dx, dhi], params, size) => {
    if (dlo === null && dhi === null && lo!.ndim === 0 && hi!.ndim === 0) {
      return elementwiseBatch(() => clampP)([lo!, x!, hi!], [dlo!, dx!, dhi!], params, size);
    }
    // Bring every operand to the full batched shape [size, ...xShape].
    const xShape = dx === null ? x!.shape : x!.shape.filter((_, k) => k !== dx);
    const full = [size, ...xShape];
    const lift = (v: Array, d: number | null): Array => {
      if (d === null)
        return broadcastInDim(
          v,
          full,
          v.shape.map((_, k) => k + 1 + xShape.length - v.ndim),
        );
      const f = moveAxis(v, d, 0);
      return f.ndim === full.length ? f : broadcastInDim(f, full, [0]);
    };
    return [[bind1(clampP, [lift(lo!, dlo!), lift(x!, dx!), lift(hi!, dhi!)])], [0]];
  },
});

/** A (scalar) tangent broadcast to `like`'s shape. */
function brcast(t: Array, like: Array): Array {
  return t.ndim === like.ndim ? t : broadcastInDim(t, like.shape, []);
}
