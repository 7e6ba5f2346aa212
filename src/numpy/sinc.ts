/**
 * `jnp.sinc`: sin(πx)/(πx), 1 at 0 — JAX's definition, derivatives at 0 included: the value at
 * 0 comes from `_sinc_maclaurin(0, πx)`, a custom_jvp whose rule is the next Maclaurin
 * coefficient, so every derivative at 0 is the Taylor one (sinc'(0) = 0, sinc''(0) = −π²/3)
 * instead of the 0/0 of differentiating sin(πx)/(πx) there.
 */
import type { Array, ArrayLike } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { type CustomJvpFunction, customJvp } from "../transforms/custom-jvp.js";
import { promoteArgsInexact } from "./coerce.js";
import { where } from "./ufuncs.js";

const c = (x: Array, v: number) => lax.scalarLike(x, v);

/** The k-th derivative at 0 of sin(x)/x, as a function of x (x·0 + coefficient). */
const sincMaclaurin: CustomJvpFunction<(k: number, x: Array) => Array> = customJvp(
  function _sinc_maclaurin(k: number, x: Array): Array {
    const zero = lax.mul(x, c(x, 0));
    return k % 2 ? zero : lax.add(zero, c(x, (-1) ** (k / 2) / (k + 1)));
  },
  { nondiffArgnums: [0] },
);
sincMaclaurin.defjvp((k: number, [x]: [Array], [t]: [Array]) => [
  sincMaclaurin(k, x),
  lax.mul(sincMaclaurin(k + 1, x), t),
]);

export function sinc(x: ArrayLike): Array {
  const a = promoteArgsInexact(x)[0]!;
  const eqZero = lax.eq(a, c(a, 0));
  const piX = lax.mul(c(a, Math.PI), a);
  const safePiX = where(eqZero, c(a, 1), piX);
  return where(eqZero, sincMaclaurin(0, piX), lax.div(lax.sin(safePiX), safePiX));
}
