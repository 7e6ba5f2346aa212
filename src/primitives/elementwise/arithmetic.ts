/**
 * Arithmetic elementwise primitives: neg, sign, floor, ceil, abs, sqrt, rsqrt, cbrt, add, sub,
 * mul, div, rem, max, min, integer_pow, round.
 */
import { type DType, realPartDType } from "../../core/dtype.js";
import { convertElementTypeP } from "../convert.js";
import { conjP, realP } from "../complex/parts.js";
import { type Expr, binary, constant, unary } from "../../kernel/expr.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, UndefinedPrimal, Zero, notLinear } from "../../trace/primitive.js";
import { bind1 } from "../../trace/trace.js";
import { isZero } from "../ad-helpers.js";
import { elementwiseBatch } from "../batch-rules.js";
import { fullLike } from "../constants.js";
import { definePrimitive } from "../define.js";
import { elementwiseLowering } from "../lowering-helpers.js";
import { checkDtypeClass } from "../shape-rules.js";
import { abs, div, eq, floor, ge, mul, neg, sign } from "./functions.js";
import {
  TRANSCENDENTAL,
  avalOfArg,
  b,
  c,
  isUndefined,
  prims,
  selectN,
  u,
  unbroadcast,
} from "./rows.js";

u("neg", {
  cls: "numeric",
  jvp: (g) => neg(g),
  transpose: ([ct]) => [isZero(ct) ? ct! : neg(ct!)],
});
u("sign", { cls: "numeric", jvp: null });
u("floor", { cls: "float", jvp: null });
u("ceil", { cls: "float", jvp: null });
u("abs", {
  cls: "numeric",
  outOf: realPartDType,
  jvp: (g, x, ans) =>
    x.dtype.isComplex ? absComplexJvp(g, x, ans) : selectN(ge(x, c(x, 0)), neg(g), g),
});

/** JAX's `_abs_jvp_rule` for complex x: real(g · conj(x) / replace_zero(complex(|x|))). */
function absComplexJvp(g: Array, x: Array, ans: Array): Array {
  const a = bind1(convertElementTypeP, [ans], {
    new_dtype: x.dtype,
    weak_type: false,
  });
  const safe = selectN(eq(a, c(a, 0)), a, fullLike(a, 1));
  const conjX = bind1(conjP, [x], { input_dtype: x.dtype });
  return bind1(realP, [mul(g, div(conjX, safe))]);
}
u("sqrt", { cls: "float", cost: 2, jvp: (g, x, ans) => mul(g, div(c(x, 0.5), ans)) });
u("rsqrt", { cls: "float", cost: 2, jvp: (g, x, ans) => mul(g, mul(c(x, -0.5), div(ans, x))) });
u("cbrt", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x, ans) => mul(g, mul(c(x, 1 / 3), bind1(integerPowPrim(), [ans], { y: -2 }))),
});

/** JAX's `_balanced_eq`: 1 where x is the result alone, 0.5 on ties, 0 elsewhere. */
function balancedEq(x: Array, z: Array, y: Array): Array {
  return div(
    selectN(eq(x, z), fullLike(z, 0), fullLike(z, 1)),
    selectN(eq(y, z), fullLike(z, 1), fullLike(z, 2)),
  );
}

b("add", {
  cls: "any",
  jvp: [(g) => g, (g) => g],
  jvpKind: "linear",
  transpose: ([ct], args) =>
    args.map((a) =>
      !isUndefined(a) ? null : isZero(ct) ? new Zero(a.aval) : unbroadcast(a.aval, ct!),
    ),
});
b("sub", {
  cls: "numeric",
  jvp: [(g) => g, (g) => neg(g)],
  jvpKind: "linear",
  transpose: ([ct], [x, y]) => [
    !isUndefined(x) ? null : isZero(ct) ? new Zero(x.aval) : unbroadcast(x.aval, ct!),
    !isUndefined(y) ? null : isZero(ct) ? new Zero(y.aval) : unbroadcast(y.aval, neg(ct!)),
  ],
});
b("mul", {
  cls: "any",
  jvp: [(g, _x, y) => mul(g, y), (g, x) => mul(x, g)],
  transpose([ct], [x, y]) {
    if (isUndefined(x) && isUndefined(y))
      throw new TypeError("mul transpose: both operands are linear (the function is not linear)");
    if (isUndefined(x))
      return [isZero(ct) ? new Zero(x.aval) : unbroadcast(x.aval, mul(ct!, y as Array)), null];
    const yu = y as UndefinedPrimal;
    return [null, isZero(ct) ? new Zero(yu.aval) : unbroadcast(yu.aval, mul(x as Array, ct!))];
  },
});
b("div", {
  cls: "numeric",
  jvp: [
    (g, _x, y) => div(g, y),
    (g, x, y) => mul(mul(neg(g), x), bind1(integerPowPrim(), [y], { y: -2 })),
  ],
  transpose([ct], [x, y]) {
    if (!isUndefined(x) || isUndefined(y))
      throw new TypeError("div transpose: only the numerator may be linear");
    return [isZero(ct) ? new Zero(avalOfArg(x)) : unbroadcast(x.aval, div(ct!, y as Array)), null];
  },
});
b("rem", {
  cls: "numeric",
  jvp: [(g) => g, (g, x, y) => mul(neg(g), mul(sign(div(x, y)), floor(abs(div(x, y)))))],
});
b("max", {
  cls: "any",
  jvp: [
    (g, x, y, ans) => mul(g, balancedEq(x, ans, y)),
    (g, x, y, ans) => mul(g, balancedEq(y, ans, x)),
  ],
});
b("min", {
  cls: "any",
  jvp: [
    (g, x, y, ans) => mul(g, balancedEq(x, ans, y)),
    (g, x, y, ans) => mul(g, balancedEq(y, ans, x)),
  ],
});

// integer_pow[y=n]: x ** n for a static integer n.
const integerPowPrim = (): Primitive => integerPowRef;
const integerPowRef: Primitive = (prims["integer_pow"] = definePrimitive<{ y: number }>({
  name: "integer_pow",
  abstractEval([x], { y }) {
    checkDtypeClass("integer_pow", x!.dtype, "numeric");
    if (!Number.isInteger(y))
      throw new TypeError(`integer_pow requires an integer exponent, got ${y}`);
    if (y < 0 && x!.dtype.isInt) {
      throw new TypeError(
        `Integers cannot be raised to negative powers, got integer_pow(x, ${y}).`,
      );
    }
    return [x!];
  },
  lower: (ctx, inputs, { y }, outs) =>
    elementwiseLowering(
      ([x], out) => integerPowExpr(x!, y, out.dtype),
      Math.ceil(Math.log2(Math.abs(y) + 1)) + 1,
    )(ctx, inputs, { y }, outs),
  jvp([x], [t], { y }) {
    const ans = bind1(integerPowRef, [x!], { y });
    if (isZero(t)) return [[ans], [new Zero(ans.aval)]];
    const d =
      y === 0
        ? fullLike(x!, 0)
        : y === 1
          ? fullLike(x!, 1)
          : mul(c(x!, y), bind1(integerPowRef, [x!], { y: y - 1 }));
    return [[ans], [mul(t!, d)]];
  },
  transpose: notLinear,
  batch: elementwiseBatch(() => integerPowRef),
}));

/** x**n by repeated squaring (negative n: reciprocal). */
function integerPowExpr(x: Expr, n: number, d: DType): Expr {
  if (n === 0) return constant(1, d);
  let acc: Expr | undefined;
  let base = x;
  let m = Math.abs(n);
  while (m > 0) {
    if (m & 1) acc = acc ? binary("mul", acc, base) : base;
    m >>= 1;
    if (m) base = binary("mul", base, base);
  }
  return n < 0 ? binary("div", constant(1, d), acc!) : acc!;
}

// round[rounding_method=0|1]: 0 rounds half away from zero, 1 half to even (jnp.round).
prims["round"] = definePrimitive<{ rounding_method: number }>({
  name: "round",
  abstractEval([x]) {
    checkDtypeClass("round", x!.dtype, "float");
    return [x!];
  },
  lower: (ctx, inputs, params, outs) =>
    elementwiseLowering(([x]) => unary(params.rounding_method === 1 ? "round_even" : "round", x!))(
      ctx,
      inputs,
      params,
      outs,
    ),
  jvp([x], _t, params) {
    const ans = bind1(prims["round"]!, [x!], params);
    return [[ans], [new Zero(ans.aval)]];
  },
  transpose: notLinear,
  batch: elementwiseBatch(() => prims["round"]!),
});
