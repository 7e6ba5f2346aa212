/** select_n: which ? cases[1] : cases[0] with a bool `which`, or cases[which] with an int32 one. */
import { ShapedArray } from "../core/aval.js";
import { shapeStr } from "../core/shape.js";
import { binary, constant, select, type Expr } from "../kernel/expr.js";
import type { Array } from "../trace/array.js";
import { type Primitive, type Tangent, UndefinedPrimal, Zero } from "../trace/primitive.js";
import { type Value, bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { elementwiseBatch, moveAxis } from "./batch-rules.js";
import { fullLike } from "./constants.js";
import { definePrimitive } from "./define.js";
import { elementwiseLowering } from "./lowering-helpers.js";
import { broadcastInDim } from "./shape/broadcast.js";
import { sameDtypes } from "./shape-rules.js";

export const selectNP: Primitive = definePrimitive({
  name: "select_n",
  abstractEval([which, ...cases]) {
    if (cases.length === 0) throw new TypeError("select_n must have at least one case");
    const c0 = cases[0]!;
    if (
      cases.some(
        (c) => c.shape.length !== c0.shape.length || c.shape.some((d, i) => d !== c0.shape[i]),
      )
    ) {
      throw new TypeError(
        `select_n cases must have the same shapes, got [${cases.map((c) => shapeStr(c.shape)).join(", ")}].`,
      );
    }
    sameDtypes("select_n", cases);
    if (
      which!.ndim !== 0 &&
      (which!.ndim !== c0.ndim || which!.shape.some((d, i) => d !== c0.shape[i]))
    ) {
      throw new TypeError(
        `select_n which must be scalar or have the same shape as cases, got which shape ` +
          `${shapeStr(which!.shape)} but case shape ${shapeStr(c0.shape)}.`,
      );
    }
    if (!(which!.dtype.isBool || which!.dtype.name === "int32")) {
      throw new TypeError(`select_n which must be boolean or int32, got ${which!.dtype.name}.`);
    }
    if (which!.dtype.isBool && cases.length > 2) {
      throw new TypeError("select_n with more than two cases requires an int32 which");
    }
    return [
      new ShapedArray(
        c0.shape,
        c0.dtype,
        cases.every((c) => c.weakType),
      ),
    ];
  },
  lower: elementwiseLowering(([which, ...cases]) => {
    let e: Expr = cases[cases.length - 1]!;
    for (let i = cases.length - 2; i >= 0; i--) {
      const cond = which!.dtype.isBool
        ? binary("eq", which!, constant(0, which!.dtype))
        : binary("eq", which!, constant(i, which!.dtype));
      e = select(cond, cases[i]!, e);
    }
    return e;
  }),
  jvp([which, ...cases], [, ...tangents]) {
    const out = bind1(selectNP, [which!, ...cases]);
    if (tangents.every((t) => isZero(t))) return [[out], [new Zero(out.aval)]];
    const ts = tangents.map((t: Tangent, i: number) => (isZero(t) ? fullLike(cases[i]!, 0) : t));
    return [[out], [bind1(selectNP, [which!, ...ts])]];
  },
  transpose([ct], [which, ...cases]) {
    if (isZero(ct))
      return [null, ...cases.map((c) => (c instanceof UndefinedPrimal ? new Zero(c.aval) : null))];
    const c = ct as Array;
    const zeros = fullLike(c, 0);
    return [
      null,
      ...cases.map((ci, i) =>
        ci instanceof UndefinedPrimal
          ? bind1(selectNP, [which as Array, ...cases.map((_, j) => (j === i ? c : zeros))])
          : null,
      ),
    ];
  },
  batch: (args, dims, params, size) => {
    const [which, ...cases] = args;
    const [dw, ...dc] = dims;
    // `which` unbatched and scalar, the cases batched alike: plain elementwise batching.
    const scalarWhich = dw === null && which!.ndim === 0;
    const alike = dc.every(
      (d, i) => d !== null && d === dc[0] && cases[i]!.ndim === cases[0]!.ndim,
    );
    if (scalarWhich && alike) return elementwiseBatch(() => selectNP)(args, dims, params, size);
    // Otherwise bring every operand to the full batched shape [size, ...caseShape].
    const caseShape =
      dc[0] === null ? cases[0]!.shape : cases[0]!.shape.filter((_, k) => k !== dc[0]);
    const full = [size, ...caseShape];
    const lift = (x: Array, d: number | null, perExampleNdim: number): Array => {
      if (d === null)
        return broadcastInDim(
          x,
          full,
          x.shape.map((_, k) => k + 1 + caseShape.length - x.ndim),
        );
      const f = moveAxis(x, d, 0);
      if (perExampleNdim === caseShape.length) return f;
      return broadcastInDim(f, full, [0]);
    };
    // A scalar unbatched `which` stays scalar; the cases (which select_n needs of one shape,
    // unlike lax broadcasting) all get the full batched shape.
    const w = scalarWhich ? which! : lift(which!, dw!, which!.ndim - (dw === null ? 0 : 1));
    const cs = cases.map((c, i) => lift(c, dc[i]!, caseShape.length));
    return [[bind1(selectNP, [w, ...cs])], [0]];
  },
});

/** `select_n(which, ...cases)`: with a bool `which`, false picks cases[0] and true cases[1]. */
export function selectN(which: Value, ...cases: Value[]): Array {
  return bind1(selectNP, [which, ...cases]);
}
