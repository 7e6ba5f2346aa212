/**
 * The primitives that build and take apart complex numbers, as JAX's lax: `complex(x, y)`
 * (x + iy from two floats), `real`, `imag`, and `conj[input_dtype]` (which also accepts real
 * operands and then returns them as complex). Their transposes are JAX's (`real`ᵀ t =
 * complex(t, 0), `imag`ᵀ t = complex(0, −t), `complex`ᵀ t = (real t, −imag t), `conj`ᵀ = conj),
 * which is what makes `grad` of a real function of complex inputs follow JAX's convention.
 */
import { ShapedArray } from "../../core/aval.js";
import { type DType, complexOfFloat, realPartDType } from "../../core/dtype.js";
import { unary } from "../../kernel/expr.js";
import { complexLazy, partAval, partsOf } from "../../kernel/complex-lazy.js";
import type { LazyArray, LowerRule } from "../../kernel/lowering-types.js";
import type { Array } from "../../trace/array.js";
import { type Primitive, UndefinedPrimal, Zero } from "../../trace/primitive.js";
import { type Value, bind1 } from "../../trace/trace.js";
import { isZero, linearJvp } from "../ad-helpers.js";
import { elementwiseBatch } from "../batch-rules.js";
import { definePrimitive } from "../define.js";
import { broadcastOperand } from "../lowering-helpers.js";
import { naryAval } from "../shape-rules.js";
import { neg } from "../elementwise/functions.js";
import { unbroadcast } from "../elementwise/rows.js";
import { full } from "../constants.js";

function requireComplex(name: string, d: DType): void {
  if (!d.isComplex) {
    throw new TypeError(
      `${name} does not accept dtype ${d.name}. Accepted dtypes are subtypes of complexfloating.`,
    );
  }
}

/** complex: two float operands (equal dtypes, broadcasting) → their complex dtype. */
const lowerComplex: LowerRule<unknown> = (ctx, [x, y], _p, [out]) => {
  const part = partAval(out!);
  return [
    complexLazy(out!, broadcastOperand(ctx, x!, part.shape), broadcastOperand(ctx, y!, part.shape)),
  ];
};

export const complexP: Primitive = definePrimitive({
  name: "complex",
  abstractEval(avals) {
    const a = naryAval("complex", avals, "float");
    if (a.dtype !== realPartDType(complexOfFloat(a.dtype)) || a.dtype.name === "float16") {
      throw new TypeError(
        `complex does not accept dtype ${a.dtype.name}. Accepted dtypes are float32, float64.`,
      );
    }
    return [new ShapedArray(a.shape, complexOfFloat(a.dtype), a.weakType)];
  },
  lower: lowerComplex,
  jvp([x, y], [tx, ty]) {
    const out = bind1(complexP, [x!, y!]);
    if (isZero(tx) && isZero(ty)) return [[out], [new Zero(out.aval)]];
    const t = (v: Array, tv: typeof tx) => (isZero(tv) ? full(v.shape, 0, v.dtype) : tv!);
    return [[out], [bind1(complexP, [t(x!, tx), t(y!, ty)])]];
  },
  transpose([ct], [x, y]) {
    const lin = (a: Array | UndefinedPrimal) => a instanceof UndefinedPrimal;
    const cot = (a: Array | UndefinedPrimal, f: (c: Array) => Array) =>
      !lin(a) ? null : isZero(ct) ? new Zero(a.aval) : unbroadcast(a.aval, f(ct!));
    return [cot(x!, (c) => real(c)), cot(y!, (c) => imag(neg(c)))];
  },
  batch: elementwiseBatch(() => complexP),
});

/** real / imag: complex → its part dtype. */
function partRule(k: "re" | "im"): LowerRule<unknown> {
  return (_ctx, [x]) => [partsOf(x!)[k]];
}

function definePart(name: "real" | "imag"): Primitive {
  const self: Primitive = definePrimitive({
    name,
    abstractEval([x]) {
      requireComplex(name, x!.dtype);
      return [new ShapedArray(x!.shape, realPartDType(x!.dtype), x!.weakType)];
    },
    lower: partRule(name === "real" ? "re" : "im"),
    jvp: linearJvp(() => self),
    transpose([ct], [x]) {
      const aval = (x as UndefinedPrimal).aval;
      if (isZero(ct)) return [new Zero(aval)];
      const c = ct as Array;
      const zero = full(c.shape, 0, c.dtype);
      return [name === "real" ? complex(c, zero) : complex(zero, neg(c))];
    },
    batch: elementwiseBatch(() => self),
  });
  return self;
}

export const realP = definePart("real");
export const imagP = definePart("imag");

type ConjParams = { input_dtype: DType };

export const conjP: Primitive<ConjParams> = definePrimitive<ConjParams>({
  name: "conj",
  abstractEval([x]) {
    if (!(x!.dtype.isComplex || x!.dtype === realPartDType(complexOfFloat(x!.dtype)))) {
      throw new TypeError(
        `conj does not accept dtype ${x!.dtype.name}. Accepted dtypes are subtypes of ` +
          `float32, float64, complexfloating.`,
      );
    }
    return [new ShapedArray(x!.shape, complexOfFloat(x!.dtype), x!.weakType)];
  },
  lower: (_ctx, [x], _p, [out]) => {
    const { re, im } = partsOf(x!);
    const negIm: LazyArray = {
      aval: im.aval,
      hasReduce: im.hasReduce,
      cost: im.cost + 1,
      at: (c) => unary("neg", im.at(c)),
    };
    return [complexLazy(out!, re, negIm)];
  },
  jvp: linearJvp(() => conjP),
  transpose([ct], [x], { input_dtype }) {
    const aval = (x as UndefinedPrimal).aval;
    if (isZero(ct)) return [new Zero(aval)];
    return [input_dtype.isComplex ? conj(ct!) : real(ct!)];
  },
  batch: elementwiseBatch(() => conjP),
});

/** `lax.complex(x, y)`: x + i·y. */
export function complex(x: Value, y: Value): Array {
  return bind1(complexP, [x, y]);
}
/** `lax.real(x)`. */
export function real(x: Value): Array {
  return bind1(realP, [x]);
}
/** `lax.imag(x)`. */
export function imag(x: Value): Array {
  return bind1(imagP, [x]);
}
/** `lax.conj(x)`. */
export function conj(x: Array): Array {
  return bind1(conjP, [x], { input_dtype: x.dtype });
}
