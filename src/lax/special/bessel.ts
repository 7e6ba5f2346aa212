/**
 * The exponentially scaled modified Bessel functions of the first kind, i0e(x) = e^{−|x|} I₀(x)
 * (`lax.bessel_i0e`) and i1e(x) = e^{−|x|} I₁(x) (`lax.bessel_i1e`): Chebyshev expansions on
 * [0, 8] in u = x/4 − 1 and on (8, ∞) in v = 16/x − 1 times 1/√x (Cephes' split; our own
 * coefficients, bessel-coefficients.ts), evaluated by Clenshaw's recurrence; i0e is even and
 * i1e odd. `custom_jvp` with JAX's rules: i0e′ = i1e − sign(x)·i0e, i1e′ = i0e − i1e·(sign(x) +
 * 1/x) (½ at 0).
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { type CustomJvpFunction, customJvp } from "../../transforms/custom-jvp.js";
import { abs, fullLike, sign, sqrt, where } from "../../numpy/namespace.js";
import { promoteArgsInexact } from "../../numpy/coerce.js";
import { operand } from "../operands.js";
import { I0E_HIGH, I0E_LOW, I1E_HIGH, I1E_LOW } from "./bessel-coefficients.js";

/** Σ cₖ Tₖ(u) by Clenshaw's recurrence. */
function chebyshev(u: Array, coefficients: readonly number[]): Array {
  let b1 = fullLike(u, 0);
  let b2 = fullLike(u, 0);
  const twoU = u.mul(2);
  for (let k = coefficients.length - 1; k >= 1; k--) {
    const b0 = twoU.mul(b1).sub(b2).add(coefficients[k]!);
    b2 = b1;
    b1 = b0;
  }
  return u.mul(b1).sub(b2).add(coefficients[0]!);
}

/** The two ranges of |x|: [0, 8] (in u) and (8, ∞) (in v, over √|x|). */
function piecewise(x: Array, low: readonly number[], high: readonly number[], odd: boolean) {
  const ax = abs(x);
  const small = ax.le(8);
  const xs = where(small, ax, fullLike(ax, 8));
  const xl = where(small, fullLike(ax, 16), ax);
  const lowValue = chebyshev(xs.div(4).sub(1), low);
  const highValue = chebyshev(fullLike(xl, 16).div(xl).sub(1), high).div(sqrt(xl));
  const value = where(small, odd ? lowValue.mul(ax) : lowValue, highValue);
  return odd ? where(x.lt(0), value.neg(), value) : value;
}

const i0eValue = (x: Array): Array => piecewise(x, I0E_LOW, I0E_HIGH, false);
const i1eValue = (x: Array): Array => piecewise(x, I1E_LOW, I1E_HIGH, true);
Object.defineProperty(i0eValue, "name", { value: "bessel_i0e" });
Object.defineProperty(i1eValue, "name", { value: "bessel_i1e" });

const i0eCustom: CustomJvpFunction<(x: Array) => Array> = customJvp(i0eValue);
const i1eCustom: CustomJvpFunction<(x: Array) => Array> = customJvp(i1eValue);
i0eCustom.defjvp(([x]: Array[], [t]: Array[]) => {
  const y = i0eCustom(x!);
  return [y, t!.mul(i1eCustom(x!).sub(sign(x!).mul(y)))];
});
i1eCustom.defjvp(([x]: Array[], [t]: Array[]) => {
  const y = i1eCustom(x!);
  const zero = x!.eq(0);
  const safe = where(zero, fullLike(x!, 1), x!);
  const d = i0eCustom(x!).sub(y.mul(sign(x!).add(fullLike(x!, 1).div(safe))));
  return [y, t!.mul(where(zero, fullLike(x!, 0.5), d))];
});

/** e^{−|x|} I₀(x), the exponentially scaled modified Bessel function of order 0. */
export function besselI0e(x: ArrayLike): Array {
  return i0eCustom(promoteArgsInexact(operand("bessel_i0e", x))[0]!);
}

/** e^{−|x|} I₁(x), the exponentially scaled modified Bessel function of order 1. */
export function besselI1e(x: ArrayLike): Array {
  return i1eCustom(promoteArgsInexact(operand("bessel_i1e", x))[0]!);
}
