/**
 * Elementwise primitives, one table row each with all of its rules side by side: the dtypes
 * it accepts, its kernel op, cost, and JVP. Batching is shared (batch-rules.ts).
 */
import { ShapedArray } from "../core/aval.js";
import { named } from "../core/naming.js";
import { type DType, bool } from "../core/dtype.js";
import { type BinaryOp, type Expr, type UnaryOp, binary, constant, unary } from "../kernel/expr.js";
import type { Array } from "../trace/array.js";
import type { Primitive, Tangent, TransposeRule } from "../trace/primitive.js";
import { UndefinedPrimal, Zero, notLinear } from "../trace/primitive.js";
import { type Value, bind1 } from "../trace/trace.js";
import { isZero } from "./ad-helpers.js";
import { elementwiseBatch } from "./batch-rules.js";
import { definePrimitive } from "./define.js";
import { elementwiseLowering } from "./lowering-helpers.js";
import { type DtypeClass, checkDtypeClass, naryAval } from "./shape-rules.js";
import { fullLike, scalarLike } from "./constants.js";
import { addTangents } from "./add-any.js";
import { primitiveByName } from "./define.js";
import { broadcastInDim, reshape } from "./shape-ops.js";

type UnaryJvp = (g: Array, x: Array, ans: Array) => Array;
type BinaryJvp = (g: Array, x: Array, y: Array, ans: Array) => Array;

const TRANSCENDENTAL = 8;

interface UnaryRow {
  op?: UnaryOp;
  cls: DtypeClass;
  cost?: number;
  /** Tangent of the output from the input tangent g; null: not differentiable (zero). */
  jvp: UnaryJvp | null;
  /** Output dtype if not the input's. */
  out?: DType;
  /** Transpose rule, for the linear ones. */
  transpose?: TransposeRule<any>;
}

function defineUnary(name: string, row: UnaryRow): Primitive {
  const kop = row.op ?? (name as UnaryOp);
  return definePrimitive({
    name,
    abstractEval([x]) {
      checkDtypeClass(name, x!.dtype, row.cls);
      return [row.out ? new ShapedArray(x!.shape, row.out, false) : x!];
    },
    lower: elementwiseLowering(([x], out) => unary(kop, x!, out.dtype), row.cost ?? 1),
    jvp([x], [t], params) {
      const ans = bind1(prims[name]!, [x!], params);
      if (!row.jvp || isZero(t)) return [[ans], [new Zero(ans.aval)]];
      return [[ans], [row.jvp(t!, x!, ans)]];
    },
    transpose: row.transpose ?? notLinear,
    batch: elementwiseBatch(() => prims[name]!),
  });
}

interface BinaryRow {
  op?: BinaryOp;
  cls: DtypeClass;
  cost?: number;
  jvp: [BinaryJvp, BinaryJvp] | null;
  out?: DType;
  /**
   * "linear": the JVP is the primitive applied to the tangents (add, sub, as JAX's `_add_jvp`);
   * otherwise each nonzero tangent's contribution is computed and they are summed with add_any
   * (JAX's `defjvp`/`add_tangents`).
   */
  jvpKind?: "linear";
  transpose?: TransposeRule<any>;
}

function defineBinary(name: string, row: BinaryRow): Primitive {
  const kop = row.op ?? (name as BinaryOp);
  return definePrimitive({
    name,
    abstractEval(avals) {
      return [naryAval(name, avals, row.cls, row.out)];
    },
    lower: elementwiseLowering(([a, b]) => binary(kop, a!, b!), row.cost ?? 1),
    jvp([x, y], [tx, ty], params) {
      const ans = bind1(prims[name]!, [x!, y!], params);
      if (!row.jvp) return [[ans], [new Zero(ans.aval)]];
      if (row.jvpKind === "linear" && !isZero(tx) && !isZero(ty)) {
        return [[ans], [bind1(prims[name]!, [tx!, ty!], params)]];
      }
      let t: Tangent = new Zero(ans.aval);
      if (!isZero(tx))
        t = addTangents(t, maybeBroadcast(row.jvp[0](tx!, x!, y!, ans), ans.shape), ans);
      if (!isZero(ty))
        t = addTangents(t, maybeBroadcast(row.jvp[1](ty!, x!, y!, ans), ans.shape), ans);
      return [[ans], [t]];
    },
    transpose: row.transpose ?? notLinear,
    batch: elementwiseBatch(() => prims[name]!),
  });
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** A tangent of a (lax-)broadcast operand, broadcast to the output shape (JAX's `_maybe_broadcast`). */
function maybeBroadcast(t: Array, shape: readonly number[]): Array {
  if (sameShape(t.shape, shape)) return t;
  if (t.ndim === 0) return broadcastInDim(t, shape, []);
  const dims = t.shape.flatMap((d, i) => (d === shape[i] ? [i] : []));
  return broadcastInDim(
    reshape(
      t,
      dims.map((i) => t.shape[i]!),
    ),
    shape,
    dims,
  );
}

/** A cotangent summed back to an operand's (lax-broadcast) shape (JAX's `_unbroadcast`). */
export function unbroadcast(aval: { shape: readonly number[] }, x: Array): Array {
  if (sameShape(aval.shape, x.shape)) return x;
  const reduceSum = (v: Array, axes: number[]) =>
    bind1(primitiveByName("reduce_sum")!, [v], { axes });
  if (aval.shape.length === 0)
    return reduceSum(
      x,
      x.shape.map((_, i) => i),
    );
  const dims = x.shape.flatMap((d, i) => (d !== aval.shape[i] ? [i] : []));
  return reshape(reduceSum(x, dims), aval.shape);
}

const isUndefined = (x: unknown): x is UndefinedPrimal => x instanceof UndefinedPrimal;
const avalOfArg = (x: Array | UndefinedPrimal) => x.aval;

export const prims: Record<string, Primitive> = {};

const u = (name: string, row: UnaryRow) => (prims[name] = defineUnary(name, row));
const b = (name: string, row: BinaryRow) => (prims[name] = defineBinary(name, row));

// Bind helpers used by rules everywhere (the lax layer exports them), named as the primitive
// (lax/index.ts gives the few whose lax function is named otherwise their JAX names).
const un = (name: string) => named(name, (x: Value) => bind1(prims[name]!, [x]));
const bin = (name: string) => named(name, (x: Value, y: Value) => bind1(prims[name]!, [x, y]));
export const neg = un("neg");
export const sign = un("sign");
export const floor = un("floor");
export const ceil = un("ceil");
export const isFinite = un("is_finite");
export const exp = un("exp");
export const exp2 = un("exp2");
export const log = un("log");
export const log1p = un("log1p");
export const expm1 = un("expm1");
export const tanh = un("tanh");
export const logistic = un("logistic");
export const sin = un("sin");
export const cos = un("cos");
export const tan = un("tan");
export const asin = un("asin");
export const acos = un("acos");
export const atan = un("atan");
export const sinh = un("sinh");
export const cosh = un("cosh");
export const asinh = un("asinh");
export const acosh = un("acosh");
export const atanh = un("atanh");
export const sqrt = un("sqrt");
export const rsqrt = un("rsqrt");
export const cbrt = un("cbrt");
export const abs = un("abs");
export const erf = un("erf");
export const erfc = un("erfc");
export const erfInv = un("erf_inv");
export const lgamma = un("lgamma");
export const digamma = un("digamma");
export const not = un("not");
export const populationCount = un("population_count");
export const add = bin("add");
export const sub = bin("sub");
export const mul = bin("mul");
export const div = bin("div");
export const rem = bin("rem");
export const pow = bin("pow");
export const max = bin("max");
export const min = bin("min");
export const atan2 = bin("atan2");
export const nextafter = bin("nextafter");
export const and = bin("and");
export const or = bin("or");
export const xor = bin("xor");
export const shiftLeft = bin("shift_left");
export const shiftRightLogical = bin("shift_right_logical");
export const shiftRightArithmetic = bin("shift_right_arithmetic");
export const eq = bin("eq");
export const ne = bin("ne");
export const lt = bin("lt");
export const le = bin("le");
export const gt = bin("gt");
export const ge = bin("ge");

const c = (x: Array, v: number) => scalarLike(x, v);
// As JAX 0.4.x's lax.square: integer_pow[y=2]; reciprocal: integer_pow[y=-1].
const square = (x: Array) => bind1(integerPowPrim(), [x], { y: 2 });
const reciprocal = (x: Array) => bind1(integerPowPrim(), [x], { y: -1 });
const selectN = (p: Value, onFalse: Value, onTrue: Value): Array =>
  bind1(selectPrim(), [p, onFalse, onTrue]);
let selectRef: Primitive | undefined;
export function setSelectPrimitive(p: Primitive): void {
  selectRef = p;
}
const selectPrim = () => selectRef!;

u("neg", {
  cls: "numeric",
  jvp: (g) => neg(g),
  transpose: ([ct]) => [isZero(ct) ? ct! : neg(ct!)],
});
u("sign", { cls: "numeric", jvp: null });
u("floor", { cls: "float", jvp: null });
u("ceil", { cls: "float", jvp: null });
u("is_finite", { cls: "float", jvp: null, out: bool });
u("exp", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, _x, ans) => mul(g, ans) });
u("exp2", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x, ans) => mul(g, mul(c(x, Math.LN2), ans)),
});
u("log", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => div(g, x) });
u("log1p", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => div(g, add(x, c(x, 1))) });
u("expm1", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x, ans) => mul(g, add(ans, c(x, 1))) });
u("tanh", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x, ans) => mul(add(g, mul(g, ans)), sub(c(x, 1), ans)),
});
u("logistic", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x, ans) => mul(g, mul(ans, sub(c(x, 1), ans))),
});
u("sin", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => mul(g, cos(x)) });
u("cos", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => neg(mul(g, sin(x))) });
u("tan", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x, ans) => mul(g, add(c(x, 1), square(ans))),
});
u("asin", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x) => mul(g, rsqrt(sub(c(x, 1), square(x)))),
});
u("acos", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x) => mul(g, neg(rsqrt(sub(c(x, 1), square(x))))),
});
u("atan", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => div(g, add(c(x, 1), square(x))) });
u("sinh", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => mul(g, cosh(x)) });
u("cosh", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => mul(g, sinh(x)) });
u("asinh", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x) => mul(g, rsqrt(add(square(x), c(x, 1)))),
});
u("acosh", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x) => mul(g, rsqrt(mul(sub(x, c(x, 1)), add(x, c(x, 1))))),
});
u("atanh", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x) => mul(reciprocal(add(c(x, 1), x)), div(g, sub(c(x, 1), x))),
});
u("sqrt", { cls: "float", cost: 2, jvp: (g, x, ans) => mul(g, div(c(x, 0.5), ans)) });
u("rsqrt", { cls: "float", cost: 2, jvp: (g, x, ans) => mul(g, mul(c(x, -0.5), div(ans, x))) });
u("cbrt", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x, ans) => mul(g, mul(c(x, 1 / 3), bind1(integerPowPrim(), [ans], { y: -2 }))),
});
u("abs", { cls: "numeric", jvp: (g, x) => selectN(ge(x, c(x, 0)), neg(g), g) });
u("erf", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x) => mul(c(x, 2 / Math.sqrt(Math.PI)), mul(g, exp(neg(square(x))))),
});
// erfc as its own primitive, as JAX's erfc_p (accurate in the tail, where 1 - erf(x) cancels).
// Not linear, so no transpose; batching is the elementwise rule.
u("erfc", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x) => mul(c(x, -2 / Math.sqrt(Math.PI)), mul(g, exp(neg(square(x))))),
});
u("erf_inv", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: (g, x, ans) => mul(c(x, Math.sqrt(Math.PI) / 2), mul(g, exp(square(ans)))),
});
u("lgamma", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => mul(g, digamma(x)) });
u("digamma", { cls: "float", cost: TRANSCENDENTAL, jvp: (g, x) => mul(g, trigamma(x)) });
u("not", { cls: "intOrBool", jvp: null });
u("population_count", { op: "popcnt", cls: "int", jvp: null });

/**
 * polygamma(1, x), for digamma's derivative: ψ1(x) = Σ_{k<6} 1/(x+k)² + ψ1(x+6) with the
 * asymptotic series at x+6 ≥ 6; reflection ψ1(x) = π²/sin²(πx) − ψ1(1−x) for x < 0.5.
 */
function trigamma(x: Array): Array {
  const positive = (z: Array): Array => {
    let acc = c(z, 0);
    let w = z;
    for (let k = 0; k < 6; k++) {
      acc = add(acc, div(c(z, 1), square(w)));
      w = add(w, c(z, 1));
    }
    const iw = div(c(z, 1), w);
    const iw2 = square(iw);
    // 1/w + 1/(2w²) + 1/(6w³) − 1/(30w⁵) + 1/(42w⁷) − 1/(30w⁹)
    let series = sub(c(z, 1 / 42), mul(iw2, c(z, 1 / 30)));
    series = sub(c(z, 1 / 30), mul(iw2, series));
    series = sub(c(z, 1 / 6), mul(iw2, series));
    series = add(add(c(z, 1), mul(iw, c(z, 0.5))), mul(iw2, series));
    return add(acc, mul(iw, series));
  };
  const reflect = lt(x, c(x, 0.5));
  const xr = selectN(reflect, x, sub(c(x, 1), x));
  const base = positive(xr);
  const s = sin(mul(c(x, Math.PI), x));
  const refl = sub(div(c(x, Math.PI * Math.PI), square(s)), base);
  return selectN(reflect, base, refl);
}

/** JAX's `_balanced_eq`: 1 where x is the result alone, 0.5 on ties, 0 elsewhere. */
function balancedEq(x: Array, z: Array, y: Array): Array {
  return div(
    selectN(eq(x, z), fullLike(z, 0), fullLike(z, 1)),
    selectN(eq(y, z), fullLike(z, 1), fullLike(z, 2)),
  );
}

/** JAX's `_replace_zero`: x with zeros replaced by ones. */
function replaceZero(x: Array): Array {
  return selectN(eq(x, c(x, 0)), x, fullLike(x, 1));
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
b("pow", {
  cls: "float",
  cost: TRANSCENDENTAL * 2,
  jvp: [
    // As JAX's _pow_jvp_lhs/_rhs, with operands broadcast to the output shape first.
    (g, x, y, ans) => {
      const yb = maybeBroadcast(y, ans.shape);
      const jac = selectN(
        eq(yb, c(yb, 0)),
        mul(replaceZero(yb), pow(x, sub(yb, c(yb, 1)))),
        fullLike(yb, 0),
      );
      return mul(g, jac);
    },
    (g, x, _y, ans) => mul(g, mul(log(replaceZero(maybeBroadcast(x, ans.shape))), ans)),
  ],
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
b("atan2", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: [
    (g, x, y) => mul(g, div(y, add(square(x), square(y)))),
    (g, x, y) => div(mul(g, neg(x)), add(square(x), square(y))),
  ],
});
b("nextafter", { cls: "float", jvp: null });
b("and", { cls: "intOrBool", jvp: null });
b("or", { cls: "intOrBool", jvp: null });
b("xor", { cls: "intOrBool", jvp: null });
b("shift_left", { op: "shl", cls: "int", jvp: null });
b("shift_right_logical", { op: "shr_logical", cls: "int", jvp: null });
b("shift_right_arithmetic", { op: "shr_arith", cls: "int", jvp: null });
for (const cmp of ["eq", "ne", "lt", "le", "gt", "ge"] as const) {
  b(cmp, { cls: cmp === "eq" || cmp === "ne" ? "any" : "numeric", jvp: null, out: bool });
}

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
