/**
 * Transcendental elementwise primitives: exponentials and logarithms, trigonometric and
 * hyperbolic functions, erf/erfc/erf_inv, lgamma/digamma, pow, atan2.
 */
import type { Array } from "../../trace/array.js";
import { fullLike } from "../constants.js";
import {
  add,
  cos,
  cosh,
  digamma,
  div,
  eq,
  exp,
  log,
  lt,
  mul,
  neg,
  pow,
  rsqrt,
  sin,
  sinh,
  sub,
} from "./functions.js";
import { TRANSCENDENTAL, b, c, maybeBroadcast, reciprocal, selectN, square, u } from "./rows.js";

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

/** JAX's `_replace_zero`: x with zeros replaced by ones. */
function replaceZero(x: Array): Array {
  return selectN(eq(x, c(x, 0)), x, fullLike(x, 1));
}

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
b("atan2", {
  cls: "float",
  cost: TRANSCENDENTAL,
  jvp: [
    (g, x, y) => mul(g, div(y, add(square(x), square(y)))),
    (g, x, y) => div(mul(g, neg(x)), add(square(x), square(y))),
  ],
});
