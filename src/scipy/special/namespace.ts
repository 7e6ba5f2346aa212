/**
 * jax.scipy.special: xlogy and xlog1py as JAX defines them (jax/_src/scipy/special.py):
 * `custom_jvp` functions returning 0 where x = 0 (NaN in y still propagates), with the rule
 * ẋ·log(y) + ẏ·x/y (log1p(y) and 1 + y for xlog1py) — so d/dx at x = 0 is log(y), and at
 * (0, 0) it is −inf, not the 0 that differentiating the `where` would give.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import * as lax from "../../primitives/index.js";
import { type CustomJvpFunction, customJvp } from "../../transforms/custom-jvp.js";
import { promoteArgsInexact, promoteShapes } from "../../numpy/coerce.js";
import { isnan, where } from "../../numpy/ufuncs.js";

type Binary = (x: Array, y: Array) => Array;

/** `f` under JAX's name (a local `function xlogy` would be renamed by bundlers). */
function named(name: string, f: Binary): Binary {
  Object.defineProperty(f, "name", { value: name });
  return f;
}

/** where(x != 0 | isnan(y), x·g(y), 0): JAX's body for both functions. */
function xTimes(x: Array, y: Array, g: (y: Array) => Array): Array {
  const ok = lax.or(lax.ne(x, lax.scalarLike(x, 0)), isnan(y));
  return where(ok, lax.mul(x, g(y)), lax.fullLike(x, 0));
}

const onePlus = (y: Array): Array => lax.add(lax.scalarLike(y, 1), y);

const xlogyCustom: CustomJvpFunction<Binary> = customJvp(
  named("xlogy", (x: Array, y: Array): Array => xTimes(x, y, lax.log)),
);
xlogyCustom.defjvp(([x, y]: Array[], [xd, yd]: Array[]) => [
  xlogyCustom(x!, y!),
  lax.add(lax.mul(xd!, lax.log(y!)), lax.div(lax.mul(yd!, x!), y!)),
]);

const xlog1pyCustom: CustomJvpFunction<Binary> = customJvp(
  named("xlog1py", (x: Array, y: Array): Array => xTimes(x, y, lax.log1p)),
);
xlog1pyCustom.defjvp(([x, y]: Array[], [xd, yd]: Array[]) => [
  xlog1pyCustom(x!, y!),
  lax.add(lax.mul(xd!, lax.log1p(y!)), lax.div(lax.mul(yd!, x!), onePlus(y!))),
]);

/** x·log(y), 0 where x = 0 (JAX's custom_jvp: d/dx = log y, d/dy = x/y). */
export function xlogy(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, y));
  return xlogyCustom(a!, b!);
}

/** x·log1p(y), 0 where x = 0 (JAX's custom_jvp: d/dx = log1p y, d/dy = x/(1+y)). */
export function xlog1py(x: ArrayLike, y: ArrayLike): Array {
  const [a, b] = promoteShapes(...promoteArgsInexact(x, y));
  return xlog1pyCustom(a!, b!);
}
export * from "./basic.js";
export { logNdtr, ndtri } from "./normal.js";
export * from "./gamma-family.js";
export { expn, exp1, expi, erfcx } from "./exponential-integrals.js";
export { spence } from "./spence.js";
export { dawsn } from "./dawsn.js";
