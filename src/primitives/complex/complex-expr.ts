/**
 * Complex arithmetic and elementary functions as real kernel-IR expressions over (re, im)
 * pairs. Formulas follow numpy (which calls the C99 complex functions of the C library for
 * exp/log/sqrt/trig/hyperbolic, and its own for divide (Smith's method), expm1 and log1p):
 * branch cuts on the negative real axis for log/sqrt/pow with the sign of a zero imaginary part
 * choosing the side, and the C99 Annex G values where a formula would give NaN for an infinite
 * or zero part (see each function). Transcendental functions of complex64 are evaluated in
 * float64 and rounded once (no overflow in |z|² for float32 parts); complex128 uses the scaled
 * hypot. Division and multiplication stay in the part dtype, operation by operation as numpy.
 */
import { type DType, bool, float64 } from "../../core/dtype.js";
import { type Expr, binary, cast, constant, select, unary } from "../../kernel/expr.js";

export type Pair = readonly [Expr, Expr];

const k = (v: number, d: DType = float64) => constant(v, d);
const add = (a: Expr, b: Expr) => binary("add", a, b);
const sub = (a: Expr, b: Expr) => binary("sub", a, b);
const mul = (a: Expr, b: Expr) => binary("mul", a, b);
const div = (a: Expr, b: Expr) => binary("div", a, b);
const neg = (a: Expr) => unary("neg", a);
const abs = (a: Expr) => unary("abs", a);
const eq = (a: Expr, b: Expr) => binary("eq", a, b);
const lt = (a: Expr, b: Expr) => binary("lt", a, b);
const gt = (a: Expr, b: Expr) => binary("gt", a, b);
const ge = (a: Expr, b: Expr) => binary("ge", a, b);
const and = (a: Expr, b: Expr) => binary("and", a, b);
const or = (a: Expr, b: Expr) => binary("or", a, b);
const not = (a: Expr) => unary("not", a, bool);
const isZero = (a: Expr) => eq(a, k(0, a.dtype));
const isInf = (a: Expr) => eq(abs(a), k(Infinity, a.dtype));
const isFinite = (a: Expr) => unary("is_finite", a, bool);
/** The sign bit (true for −0 and negative values). */
const signbit = (a: Expr) =>
  or(lt(a, k(0, a.dtype)), and(isZero(a), lt(div(k(1, a.dtype), a), k(0, a.dtype))));
/** |m| with the sign of s. */
const copysign = (m: Expr, s: Expr) => select(signbit(s), neg(abs(m)), abs(m));

/** Work precision: float64 (complex64's parts are widened, complex128's already are). */
export const widen = ([a, b]: Pair): Pair => [cast(a, float64), cast(b, float64)];
export const narrow = ([a, b]: Pair, d: DType): Pair => [cast(a, d), cast(b, d)];

/** (a + ib)(c + id) = (ac − bd) + i(ad + bc), in the operands' dtype. */
export function cmul([a, b]: Pair, [c, d]: Pair): Pair {
  return [sub(mul(a, c), mul(b, d)), add(mul(a, d), mul(b, c))];
}

/** numpy's complex division (Smith's method), in the operands' dtype. */
export function cdiv([a, b]: Pair, [c, d]: Pair): Pair {
  const t = a.dtype;
  const one = k(1, t);
  const ac = abs(c);
  const ad = abs(d);
  // |c| >= |d|: ratio d/c (division by zero when both are 0: a complex inf or nan, as numpy)
  const r1 = div(d, c);
  const s1 = div(one, add(c, mul(d, r1)));
  const bothZero = and(isZero(ac), isZero(ad));
  const re1 = select(bothZero, div(a, ac), mul(add(a, mul(b, r1)), s1));
  const im1 = select(bothZero, div(b, ac), mul(sub(b, mul(a, r1)), s1));
  const r2 = div(c, d);
  const s2 = div(one, add(d, mul(c, r2)));
  const re2 = mul(add(mul(a, r2), b), s2);
  const im2 = mul(sub(mul(b, r2), a), s2);
  const first = ge(ac, ad);
  return [select(first, re1, re2), select(first, im1, im2)];
}

/** numpy's complex reciprocal 1/(c + id) (its own formula: NaN at 0, zero signs as numpy's). */
export function crecip([c, d]: Pair): Pair {
  const one = k(1, c.dtype);
  const r1 = div(d, c);
  const d1 = add(c, mul(d, r1));
  const r2 = div(c, d);
  const d2 = add(mul(c, r2), d);
  const first = binary("le", abs(d), abs(c));
  return [
    select(first, div(one, d1), div(r2, d2)),
    select(first, neg(div(r1, d1)), neg(div(one, d2))),
  ];
}

/** hypot(a, b) = |a + ib| without overflow (infinite if either part is, even with a NaN). */
export function hypot(a: Expr, b: Expr): Expr {
  const x = abs(a);
  const y = abs(b);
  const m = binary("max", x, y);
  const n = binary("min", x, y);
  const r = select(isZero(m), k(0, a.dtype), div(n, m));
  const h = mul(m, unary("sqrt", add(k(1, a.dtype), mul(r, r))));
  return select(or(isInf(a), isInf(b)), k(Infinity, a.dtype), h);
}

/** e^z: (e^a cos b, e^a sin b); b = 0 keeps the (signed) zero; C99 values at a = ±inf. */
export function cexp([a, b]: Pair): Pair {
  const e = unary("exp", a);
  const re = select(isZero(b), e, mul(e, unary("cos", b)));
  const im = select(isZero(b), b, mul(e, unary("sin", b)));
  const negInf = eq(a, k(-Infinity));
  const posInf = eq(a, k(Infinity));
  const bad = not(isFinite(b));
  return [
    select(and(negInf, bad), k(0), select(and(posInf, bad), k(Infinity), re)),
    select(and(negInf, bad), copysign(k(0), b), select(and(posInf, bad), k(NaN), im)),
  ];
}

/** log z = log|z| + i atan2(b, a): the cut along the negative reals, b's zero sign picks ±π. */
export function clog([a, b]: Pair): Pair {
  return [unary("log", hypot(a, b)), binary("atan2", b, a)];
}

/** Principal square root (Kahan): re ≥ 0, im with b's sign; C99 values at infinities. */
export function csqrt([a, b]: Pair): Pair {
  const t = unary("sqrt", mul(add(abs(a), hypot(a, b)), k(0.5)));
  const twoT = mul(k(2), t);
  const pos = ge(a, k(0));
  let re = select(pos, t, div(abs(b), twoT));
  let im = select(pos, div(b, twoT), copysign(t, b));
  const zero = and(isZero(a), isZero(b));
  re = select(zero, k(0), re);
  im = select(zero, b, im);
  const infIm = isInf(b);
  return [select(infIm, k(Infinity), re), select(infIm, b, im)];
}

/**
 * sinh z = (sinh a cos b, cosh a sin b). C99's values: b = 0 gives (sinh a, b); a = ±0 with b
 * infinite or NaN gives (a, NaN); a infinite with b infinite or NaN gives (+inf, NaN).
 */
export function csinh([a, b]: Pair): Pair {
  const bad = not(isFinite(b));
  let re = select(isZero(b), unary("sinh", a), mul(unary("sinh", a), unary("cos", b)));
  let im = select(isZero(b), b, mul(unary("cosh", a), unary("sin", b)));
  re = select(and(bad, isZero(a)), a, select(and(bad, isInf(a)), k(Infinity), re));
  im = select(and(bad, or(isZero(a), isInf(a))), k(NaN), im);
  return [re, im];
}

/**
 * cosh z = (cosh a cos b, sinh a sin b). C99's values: b = 0 gives (cosh a, ±0 with
 * sign(a)·sign(b)); a = ±0 with b infinite or NaN gives (NaN, 0); a infinite with b infinite or
 * NaN gives (+inf, NaN).
 */
export function ccosh([a, b]: Pair): Pair {
  const bad = not(isFinite(b));
  let re = select(isZero(b), unary("cosh", a), mul(unary("cosh", a), unary("cos", b)));
  let im = select(isZero(b), mul(b, copysign(k(1), a)), mul(unary("sinh", a), unary("sin", b)));
  re = select(and(bad, isZero(a)), k(NaN), select(and(bad, isInf(a)), k(Infinity), re));
  im = select(and(bad, isZero(a)), k(0), select(and(bad, isInf(a)), k(NaN), im));
  return [re, im];
}

/** tanh z (Kahan's formula); for |a| > 22 it is ±1 + i·4 sin b cos b e^(−2|a|). */
export function ctanh([a, b]: Pair): Pair {
  const t = unary("tan", b);
  const beta = add(k(1), mul(t, t));
  const s = unary("sinh", a);
  const rho = unary("sqrt", add(k(1), mul(s, s)));
  const den = add(k(1), mul(beta, mul(s, s)));
  const big = gt(abs(a), k(22));
  const bigIm = select(
    isFinite(b),
    mul(mul(k(4), mul(unary("sin", b), unary("cos", b))), unary("exp", mul(k(-2), abs(a)))),
    k(0),
  );
  const re = select(big, copysign(k(1), a), div(mul(mul(beta, rho), s), den));
  const im = select(big, bigIm, select(isZero(b), b, div(t, den)));
  // C99: tanh(±0 + i·(inf or NaN)) = (±0, NaN).
  const zeroBad = and(isZero(a), not(isFinite(b)));
  return [select(zeroBad, a, re), select(zeroBad, k(NaN), im)];
}

/** i·z and −i·z: the rotations relating the circular functions to the hyperbolic ones. */
const timesI = ([a, b]: Pair): Pair => [neg(b), a];
const timesMinusI = ([a, b]: Pair): Pair => [b, neg(a)];

/** sin z = −i sinh(iz); cos z = cosh(iz); tan z = −i tanh(iz) (C99's definitions). */
export function csin(z: Pair): Pair {
  const [re, im] = timesMinusI(csinh(timesI(z)));
  // numpy's sin gives +inf where C99 leaves the sign of an infinite part with a NaN open.
  return [re, select(and(binary("ne", re, re), isInf(im)), abs(im), im)];
}
export const ccos = (z: Pair): Pair => ccosh(timesI(z));
export const ctan = (z: Pair): Pair => timesMinusI(ctanh(timesI(z)));

/** numpy's expm1: (expm1(a) cos b − 2 sin²(b/2), e^a sin b). */
export function cexpm1([a, b]: Pair): Pair {
  const h = unary("sin", mul(b, k(0.5)));
  return [
    sub(mul(unary("expm1", a), unary("cos", b)), mul(k(2), mul(h, h))),
    mul(unary("exp", a), unary("sin", b)),
  ];
}

/** numpy's log1p: log|1 + z| + i atan2(b, 1 + a), with 1 + a rounded in the part dtype. */
export function clog1p([a, b]: Pair, part: DType): Pair {
  const a1 = cast(add(a, k(1, part)), float64);
  const bw = cast(b, float64);
  return [unary("log", hypot(a1, bw)), binary("atan2", bw, a1)];
}

/** z/|z| (0 at 0), as JAX's and numpy 2's sign of a complex number. */
export function csign([a, b]: Pair): Pair {
  const h = hypot(a, b);
  const zero = isZero(h);
  // numpy: one infinite part (the other finite or NaN) gives that part's sign.
  const infRe = and(isInf(a), not(isInf(b)));
  const infIm = and(isInf(b), not(isInf(a)));
  return [
    select(infRe, copysign(k(1), a), select(or(zero, infIm), k(0), div(a, h))),
    select(infIm, copysign(k(1), b), select(or(zero, infRe), k(0), div(b, h))),
  ];
}

/**
 * x**y = exp(y log x), with numpy's special cases: y = 0 gives 1; x = 0 gives 0 when y has a
 * positive real part (the limit cpow reaches), else nan + nan·i.
 */
export function cpow(x: Pair, y: Pair): Pair {
  const [r, i] = cexp(cmul(y, clog(x)));
  const y0 = and(isZero(y[0]), isZero(y[1]));
  const x0 = and(isZero(x[0]), isZero(x[1]));
  const posReal = gt(y[0], k(0));
  const atZero = select(posReal, k(0), k(NaN));
  return [select(y0, k(1), select(x0, atZero, r)), select(y0, k(0), select(x0, atZero, i))];
}

/** z**n for a static integer n: repeated squaring (complex multiplies), 1/z**|n| for n < 0. */
export function cintegerPow(z: Pair, n: number): Pair {
  const t = z[0].dtype;
  if (n === 0) return [k(1, t), k(0, t)];
  let acc: Pair | undefined;
  let base = z;
  let m = Math.abs(n);
  while (m > 0) {
    if (m & 1) acc = acc ? cmul(acc, base) : base;
    m >>= 1;
    if (m) base = cmul(base, base);
  }
  return n < 0 ? crecip(acc!) : acc!;
}
