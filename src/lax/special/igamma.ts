/**
 * The regularized incomplete gamma functions P(a, x) (`lax.igamma`) and Q(a, x) = 1 − P
 * (`lax.igammac`), ∂P/∂a (`lax.igammaGradA`) and the implicit-reparameterization derivative
 * of a gamma sample, −(∂P/∂a)/(∂P/∂x) (`lax.randomGammaGrad`), as JAX's lax primitives compute
 * them (Cephes' igam/igamc algorithms, carried with their a-derivatives as XLA does):
 *
 * - x < 1 or x ≤ a: the power series P = e^{−x} x^a / Γ(a+1) · Σ xⁿ / ((a+1)…(a+n));
 * - otherwise: the continued fraction for Q (Legendre's, evaluated by the three-term
 *   recurrence pₖ/qₖ with rescaling).
 *
 * Each runs as one elementwise `whileLoop` to machine precision (≤ 2000 passes). P and Q are
 * `custom_jvp` functions with JAX's rules: ∂/∂x = e^{−x} x^{a−1} / Γ(a) and ∂/∂a from
 * `igammaGradA`. Domain: NaN for x < 0, a < 0, a = x = 0, a = x = ∞ or NaN inputs; P(a, 0) = 0,
 * P(a, ∞) = 1, P(∞, x) = 0, and P(0, x > 0) = 1 (scipy's value).
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { type CustomJvpFunction, customJvp } from "../../transforms/custom-jvp.js";
import * as P from "../../primitives/index.js";
import {
  abs,
  exp,
  fullLike,
  isnan,
  log,
  logicalAnd,
  logicalNot,
  logicalOr,
  where,
} from "../../numpy/namespace.js";
import { broadcastInexact, epsOf, iterateElementwise, laxOperands, maxOf } from "./iterate.js";

/** What the series / continued fraction returns. */
type Mode = "value" | "derivative" | "sample";

const MAX_ITER = 2000;
const or = (...xs: Array[]): Array => xs.reduce((p, q) => logicalOr(p, q));

/** The common factor e^{−x} x^a / Γ(a) and whether it underflows. */
function prefactor(a: Array, x: Array): { ax: Array; underflow: Array } {
  const logAx = a.mul(log(x)).sub(x).sub(P.lgamma(a));
  return { ax: exp(logAx), underflow: logAx.lt(-Math.log(maxOf(a))) };
}

/** The power series for P(a, x) (and its a-derivative), run where `enabled`. */
function series(ax: Array, x: Array, a: Array, enabled: Array, mode: Mode): Array {
  const eps = epsOf(a);
  const one = fullLike(a, 1);
  const zero = fullLike(a, 0);
  // State: r = a + n, the term c and its a-derivative, their running sums.
  const [, , sum, , dsum] = iterateElementwise(
    enabled,
    [a, one, one, zero, zero],
    ([r, c, s, dc, ds]) => {
      const r1 = r!.add(1);
      const ratio = x.div(r1);
      const dc1 = dc!.mul(ratio).sub(c!.mul(x).div(r1.mul(r1)));
      const c1 = c!.mul(ratio);
      const s1 = s!.add(c1);
      const ds1 = ds!.add(dc1);
      const goOn = mode === "value" ? c1.div(s1).gt(eps) : abs(dc1.div(ds1)).gt(eps);
      return [[r1, c1, s1, dc1, ds1], goOn];
    },
    MAX_ITER,
  );
  if (mode === "value") return sum!.mul(ax).div(a);
  // d/da log(e^{−x} x^a / Γ(a+1)) = log x − ψ(a+1).
  const dlog = log(x).sub(P.digamma(a.add(1)));
  const inner = sum!.mul(dlog).add(dsum!);
  return mode === "derivative" ? ax.mul(inner).div(a) : inner.neg().mul(x).div(a);
}

/** The continued fraction for Q(a, x) (and its a-derivative), run where `enabled`. */
function continuedFraction(ax: Array, x: Array, a: Array, enabled: Array, mode: Mode): Array {
  const eps = epsOf(a);
  const big = 1 / eps;
  const zero = fullLike(x, 0);
  const y0 = fullLike(a, 1).sub(a);
  const z0 = x.add(y0).add(1);
  const pkm1 = x.add(1);
  const qkm1 = z0.mul(x);
  const ans0 = pkm1.div(qkm1);
  const dqkm1 = x.neg();
  const dans0 = ans0.neg().mul(dqkm1).div(qkm1);
  // State: y, z, the last two numerators/denominators and their a-derivatives, the value
  // and its a-derivative. ∂y/∂a = ∂z/∂a = −1.
  const out = iterateElementwise(
    enabled,
    [y0, z0, pkm1, qkm1, fullLike(x, 1), x, zero, dqkm1, zero, zero, ans0, dans0],
    ([y, z, p1, q1, p2, q2, dp1, dq1, dp2, dq2, ans, dans], i) => {
      const cc = i.add(1).astype(x.dtype);
      const y1 = y!.add(1);
      const z1 = z!.add(2);
      const yc = y1.mul(cc);
      const pk = p1!.mul(z1).sub(p2!.mul(yc));
      const qk = q1!.mul(z1).sub(q2!.mul(yc));
      const dpk = dp1!.mul(z1).sub(p1!).sub(dp2!.mul(yc)).add(p2!.mul(cc));
      const dqk = dq1!.mul(z1).sub(q1!).sub(dq2!.mul(yc)).add(q2!.mul(cc));
      const nonzero = qk.ne(0);
      const r = pk.div(qk);
      const t = where(nonzero, abs(ans!.sub(r).div(r)), fullLike(r, 1));
      const ans1 = where(nonzero, r, ans!);
      const dans1 = where(nonzero, dpk.sub(ans1.mul(dqk)).div(qk), dans!);
      const change = where(nonzero, abs(dans1.sub(dans!)), fullLike(r, 1));
      const rescale = abs(pk).gt(big);
      const sc = (v: Array): Array => where(rescale, v.mul(eps), v);
      const goOn = mode === "value" ? t.gt(eps) : change.gt(eps);
      const next = [y1, z1, sc(pk), sc(qk), sc(p1!), sc(q1!), sc(dpk), sc(dqk)];
      return [[...next, sc(dp1!), sc(dq1!), ans1, dans1], goOn];
    },
    MAX_ITER,
  );
  const [ans, dans] = [out[10]!, out[11]!];
  if (mode === "value") return ans.mul(ax);
  // d/da log(e^{−x} x^a / Γ(a)) = log x − ψ(a).
  const inner = ans.mul(log(x).sub(P.digamma(a))).add(dans);
  return mode === "derivative" ? ax.mul(inner) : inner.neg().mul(x);
}

const operands = (name: string, a: ArrayLike, x: ArrayLike): [Array, Array] =>
  broadcastInexact(name, ...laxOperands(name, a, x)) as [Array, Array];

function domainError(a: Array, x: Array): Array {
  const aInf = a.eq(Infinity);
  const xInf = x.eq(Infinity);
  return or(
    x.lt(0),
    a.lt(0),
    logicalAnd(a.eq(0), x.eq(0)),
    logicalAnd(aInf, xInf),
    isnan(a),
    isnan(x),
  );
}

function igammaValue(a: Array, x: Array): Array {
  const bad = domainError(a, x);
  const useQ = logicalAnd(x.ge(1), x.gt(a));
  const { ax, underflow } = prefactor(a, x);
  const off = or(x.eq(0), bad, underflow, x.eq(Infinity), a.eq(Infinity), a.eq(0));
  const on = logicalNot(off);
  let out = where(
    useQ,
    fullLike(a, 1).sub(continuedFraction(ax, x, a, logicalAnd(on, useQ), "value")),
    series(ax, x, a, logicalAnd(on, logicalNot(useQ)), "value"),
  );
  out = where(a.eq(0), fullLike(a, 1), out);
  out = where(a.eq(Infinity), fullLike(a, 0), out);
  out = where(x.eq(0), fullLike(a, 0), out);
  out = where(x.eq(Infinity), fullLike(a, 1), out);
  return where(bad, fullLike(a, NaN), out);
}

function igammacValue(a: Array, x: Array): Array {
  const bad = domainError(a, x);
  const useP = logicalOr(x.lt(1), x.lt(a));
  const { ax, underflow } = prefactor(a, x);
  const on = logicalNot(or(bad, underflow, x.eq(Infinity), a.eq(0), a.eq(Infinity)));
  let out = where(
    useP,
    fullLike(a, 1).sub(series(ax, x, a, logicalAnd(on, useP), "value")),
    continuedFraction(ax, x, a, logicalAnd(on, logicalNot(useP)), "value"),
  );
  out = where(a.eq(Infinity), fullLike(a, 1), out);
  out = where(logicalOr(x.eq(Infinity), a.eq(0)), fullLike(a, 0), out);
  return where(bad, fullLike(a, NaN), out);
}

/** ∂P/∂a (mode "derivative") or the gamma sample's dx/da (mode "sample"). */
function gradA(a: Array, x: Array, mode: "derivative" | "sample"): Array {
  const bad = or(x.lt(0), a.le(0), isnan(a), isnan(x));
  const useQ = logicalAnd(x.gt(1), x.gt(a));
  const { ax, underflow } = prefactor(a, x);
  const on = logicalNot(or(x.eq(0), bad, underflow));
  const cf = continuedFraction(ax, x, a, logicalAnd(on, useQ), mode);
  let out = where(useQ, cf.neg(), series(ax, x, a, logicalAnd(on, logicalNot(useQ)), mode));
  out = where(x.eq(0), fullLike(a, 0), out);
  return where(bad, fullLike(a, NaN), out);
}

/** ∂P/∂x = e^{−x} x^{a−1} / Γ(a). */
function densityX(a: Array, x: Array): Array {
  return exp(
    x
      .neg()
      .add(a.sub(1).mul(log(x)))
      .sub(P.lgamma(a)),
  );
}

type Binary = (a: Array, x: Array) => Array;
function named(name: string, f: Binary): Binary {
  Object.defineProperty(f, "name", { value: name });
  return f;
}

const igammaCustom: CustomJvpFunction<Binary> = customJvp(named("igamma", igammaValue));
igammaCustom.defjvp(([a, x]: Array[], [ad, xd]: Array[]) => [
  igammaCustom(a!, x!),
  ad!.mul(gradA(a!, x!, "derivative")).add(xd!.mul(densityX(a!, x!))),
]);

const igammacCustom: CustomJvpFunction<Binary> = customJvp(named("igammac", igammacValue));
igammacCustom.defjvp(([a, x]: Array[], [ad, xd]: Array[]) => [
  igammacCustom(a!, x!),
  ad!
    .mul(gradA(a!, x!, "derivative"))
    .add(xd!.mul(densityX(a!, x!)))
    .neg(),
]);

/** The regularized lower incomplete gamma function P(a, x) (`lax.igamma`). */
export function igamma(a: ArrayLike, x: ArrayLike): Array {
  return igammaCustom(...operands("igamma", a, x));
}

/** The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x) (`lax.igammac`). */
export function igammac(a: ArrayLike, x: ArrayLike): Array {
  return igammacCustom(...operands("igammac", a, x));
}

/** ∂P(a, x)/∂a, the a-derivative of the regularized incomplete gamma function. */
export function igammaGradA(a: ArrayLike, x: ArrayLike): Array {
  return gradA(...operands("igamma_grad_a", a, x), "derivative");
}

/**
 * The derivative of a Gamma(a, 1) sample x with respect to a by implicit reparameterization,
 * −(∂P/∂a)/(∂P/∂x) (`lax.random_gamma_grad`).
 */
export function randomGammaGrad(a: ArrayLike, x: ArrayLike): Array {
  return gradA(...operands("random_gamma_grad", a, x), "sample");
}
