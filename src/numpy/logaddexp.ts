/**
 * `jnp.logaddexp` and `jnp.logaddexp2` as JAX defines them (jax/_src/lax/other.py): a
 * `custom_jvp` around the overflow-safe formula, whose rule is t1·exp(x1 − out) + t2·exp(x2 − out)
 * (base 2 for logaddexp2, +inf replaced by 0 on both sides), so at a tie x1 = x2 each input gets
 * derivative 0.5 instead of the 0/1 split the max and abs inside the formula would give.
 */
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { type CustomJvpFunction, customJvp } from "../transforms/custom-jvp.js";
import { promoteArgsInexact, promoteShapes } from "./coerce.js";
import { exp2 } from "./ufuncs.js";

/** JAX's `_replace_inf`: +inf → 0, everything else unchanged. */
function replaceInf(x: Array): Array {
  return lax.selectN(lax.eq(x, lax.scalarLike(x, Infinity)), x, lax.fullLike(x, 0));
}

/** max + log1p(exp(−|x1 − x2|)) (scaled for base 2), or x1 + x2 where x1 − x2 is NaN. */
function logaddexpFormula(a: Array, b: Array, base2: boolean): Array {
  const amax = lax.max(a, b);
  const delta = lax.sub(a, b);
  const isNan = lax.ne(delta, delta);
  const sum = lax.add(a, b); // NaNs or infinities of the same sign (staged here, as JAX does)
  const negAbs = lax.neg(lax.abs(delta));
  const tail = base2
    ? lax.mul(lax.scalarLike(amax, 1 / Math.log(2)), lax.log1p(exp2(negAbs)))
    : lax.log1p(lax.exp(negAbs));
  return lax.selectN(isNan, lax.add(amax, tail), sum);
}

type Binary = (x1: Array, x2: Array) => Array;

/** `f` under JAX's name (a local `function logaddexp` would be renamed by bundlers). */
function named(name: string, f: Binary): Binary {
  Object.defineProperty(f, "name", { value: name });
  return f;
}

function withLogaddexpJvp(f: CustomJvpFunction<Binary>, base2: boolean): void {
  const expB = (x: Array): Array => (base2 ? exp2(x) : lax.exp(x));
  f.defjvp(([x1, x2]: Array[], [t1, t2]: Array[]) => {
    const out = f(x1!, x2!);
    const w = (x: Array) => expB(lax.sub(replaceInf(x), replaceInf(out)));
    return [out, lax.add(lax.mul(t1!, w(x1!)), lax.mul(t2!, w(x2!)))];
  });
}

const logaddexpCustom: CustomJvpFunction<Binary> = customJvp(
  named("logaddexp", (x1: Array, x2: Array): Array => logaddexpFormula(x1, x2, false)),
);
withLogaddexpJvp(logaddexpCustom, false);

const logaddexp2Custom: CustomJvpFunction<Binary> = customJvp(
  named("logaddexp2", (x1: Array, x2: Array): Array => logaddexpFormula(x1, x2, true)),
);
withLogaddexpJvp(logaddexp2Custom, true);

/** log(exp(x) + exp(y)) without overflow; derivative 0.5/0.5 at ties (JAX's custom_jvp). */
export function logaddexp(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, y));
  return logaddexpCustom(a!, b!);
}

/** log2(2^x + 2^y) without overflow; derivative 0.5/0.5 at ties (JAX's custom_jvp). */
export function logaddexp2(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, y));
  return logaddexp2Custom(a!, b!);
}
