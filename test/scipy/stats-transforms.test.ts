/**
 * Transformations of jax.scipy.stats / special: gradients against central differences in
 * float64 (rtol 1e-6 unless stated) for a sample of every distribution and the new special
 * functions (custom_jvp rules of gammainc/gammaincc (∂/∂a by igamma_grad_a), betainc (∂/∂x),
 * ndtri, log_ndtr, i0e/i1e, poch), vmap against a loop (through the while loops of the
 * incomplete gamma/beta), jit against eager, the jaxpr of one example, and JAX's errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  ValueError,
  config,
  grad,
  jit,
  lax,
  makeJaxpr,
  numpy as jnp,
  scipy,
  vmap,
} from "../../src/index.js";
import { checkGrads, expectClose, rng, uniform, vals } from "../transforms/ad-helpers.js";

const st = scipy.stats;
const sp = scipy.special;
const u = (seed: number, shape: number[], lo: number, hi: number): Array =>
  uniform(rng(seed), shape, lo, hi);
const f64 = (xs: number[]): Array => jnp.array(xs, "float64");

describe("gradients vs central differences (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  it("location-scale families", () => {
    const x = u(1, [4], -2, 2);
    const loc = u(2, [4], -0.5, 0.5);
    const scale = u(3, [4], 0.5, 2);
    checkGrads("norm.logpdf", st.norm.logpdf, [x, loc, scale]);
    checkGrads("norm.logcdf", st.norm.logcdf, [x, loc, scale]);
    checkGrads("norm.ppf", (q: Array) => st.norm.ppf(q, 0.3, 1.7), [u(4, [4], 0.01, 0.99)]);
    checkGrads("cauchy.logsf", st.cauchy.logsf, [x, loc, scale]);
    checkGrads("logistic.logpdf", st.logistic.logpdf, [x, loc, scale]);
    checkGrads("laplace.cdf", st.laplace.cdf, [x, loc, scale]);
    checkGrads("expon.logpdf", st.expon.logpdf, [u(5, [4], 1, 3), loc, scale]);
    checkGrads("gumbel_r.logcdf", st.gumbelR.logcdf, [x, loc, scale]);
    checkGrads("gumbel_l.ppf", (q: Array) => st.gumbelL.ppf(q, 0.2, 1.3), [u(6, [3], 0.1, 0.9)]);
  });
  it("shape families: gamma (incomplete gamma in x and a)", () => {
    const x = u(7, [4], 0.5, 6);
    const a = u(8, [4], 0.6, 5);
    checkGrads("gamma.logpdf", (x: Array, a: Array) => st.gamma.logpdf(x, a, 0, 1.4), [x, a]);
    checkGrads("gamma.cdf", (x: Array, a: Array) => st.gamma.cdf(x, a), [x, a], { rtol: 1e-5 });
  });
  it("shape families: chi2 (incomplete gamma), beta (incomplete beta in x)", () => {
    const x = u(7, [4], 0.5, 6);
    const a = u(8, [4], 0.6, 5);
    checkGrads("chi2.sf", (x: Array, k: Array) => st.chi2.sf(x, k), [x, a], { rtol: 1e-5 });
    const xb = u(9, [4], 0.1, 0.9);
    checkGrads("beta.logpdf", (x: Array, p: Array, q: Array) => st.beta.logpdf(x, p, q), [
      xb,
      a,
      u(10, [4], 0.6, 5),
    ]);
    checkGrads("beta.cdf in x", (x: Array) => st.beta.cdf(x, 2.5, 1.5), [xb], { rtol: 1e-5 });
  });
  it("shape families: t, pareto, gennorm, vonmises, wrapcauchy, truncnorm", () => {
    const x = u(7, [4], 0.5, 6);
    const a = u(8, [4], 0.6, 5);
    checkGrads("t.logpdf", (x: Array, k: Array) => st.t.logpdf(x, k), [x, a]);
    checkGrads("pareto.logpdf", (x: Array, b: Array) => st.pareto.logpdf(x, b), [
      u(11, [3], 1.2, 4),
      u(12, [3], 0.5, 3),
    ]);
    checkGrads("gennorm.logpdf", (x: Array, b: Array) => st.gennorm.logpdf(x, b), [x, a]);
    checkGrads("vonmises.logpdf", (x: Array, k: Array) => st.vonmises.logpdf(x, k), [
      u(13, [4], -3, 3),
      u(14, [4], 0.3, 12),
    ]);
    checkGrads("wrapcauchy.logpdf", (x: Array, c: Array) => st.wrapcauchy.logpdf(x, c), [
      u(15, [3], 0.2, 6),
      u(16, [3], 0.1, 0.9),
    ]);
    checkGrads("truncnorm.logcdf", (x: Array) => st.truncnorm.logcdf(x, -1, 2), [
      u(17, [4], -0.9, 1.9),
    ]);
  });
  it("discrete and multivariate", () => {
    const k = f64([0, 1, 3, 6]);
    checkGrads("poisson.logpmf", (mu: Array) => st.poisson.logpmf(k, mu), [u(18, [4], 0.5, 5)]);
    checkGrads("binom.logpmf", (p: Array) => st.binom.logpmf(k, 8, p), [u(19, [4], 0.1, 0.9)]);
    checkGrads("nbinom.logpmf", (n: Array, p: Array) => st.nbinom.logpmf(k, n, p), [
      u(20, [4], 1, 5),
      u(21, [4], 0.1, 0.9),
    ]);
    checkGrads("betabinom.logpmf", (a: Array, b: Array) => st.betabinom.logpmf(k, 8, a, b), [
      u(22, [4], 0.5, 3),
      u(23, [4], 0.5, 3),
    ]);
    checkGrads("geom.logpmf", (p: Array) => st.geom.logpmf(k.add(1), p), [u(24, [4], 0.1, 0.9)]);
    checkGrads("bernoulli.logpmf", (p: Array) => st.bernoulli.logpmf(f64([0, 1]), p), [
      u(25, [2], 0.1, 0.9),
    ]);
    const cov = jnp.array(
      [
        [2, 0.3],
        [0.3, 1],
      ],
      "float64",
    );
    checkGrads(
      "multivariate_normal.logpdf",
      (x: Array, m: Array) => st.multivariateNormal.logpdf(x, m, cov),
      [u(26, [3, 2], -1, 1), u(27, [2], -1, 1)],
    );
    checkGrads("dirichlet.logpdf", (al: Array) => st.dirichlet.logpdf(f64([0.2, 0.5, 0.3]), al), [
      u(28, [3], 0.5, 3),
    ]);
  });
  it("special functions", () => {
    const a = u(29, [4], 0.5, 6);
    const x = u(30, [4], 0.2, 9);
    checkGrads("gammainc", sp.gammainc, [a, x], { rtol: 1e-5 });
    checkGrads("gammaincc", sp.gammaincc, [a, x], { rtol: 1e-5 });
    checkGrads("ndtri", sp.ndtri, [u(31, [4], 0.001, 0.999)], { rtol: 1e-5 });
    checkGrads("log_ndtr", (z: Array) => sp.logNdtr(z), [f64([-30, -12, -3, 0.5, 7])]);
    checkGrads("i0e", sp.i0e, [f64([-9, -2, 0.5, 3, 20])]);
    checkGrads("i1e", sp.i1e, [f64([-9, -2, 0.5, 3, 20])]);
    checkGrads("zeta", sp.zeta, [u(32, [3], 1.5, 4), u(33, [3], 0.5, 3)]);
    checkGrads("polygamma(1, x)", (z: Array) => sp.polygamma(jnp.array([1, 2, 1], "int32"), z), [
      u(34, [3], 0.5, 4),
    ]);
    checkGrads("poch", sp.poch, [u(35, [3], 0.5, 3), u(36, [3], 0.5, 3)]);
    checkGrads("gamma", sp.gamma, [f64([-1.5, 0.7, 3.2])]);
  });
  it("exponential integrals, erfcx, spence, dawsn", () => {
    checkGrads("expn in x", (z: Array) => sp.expn(f64([0, 1, 3]), z), [f64([0.4, 1.7, 6])]);
    checkGrads("exp1", sp.exp1, [f64([0.3, 2.5])]);
    checkGrads("expi", sp.expi, [f64([-2, 0.5, 3])]);
    checkGrads("expi asymptotic", sp.expi, [f64([45])]);
    checkGrads("erfcx", sp.erfcx, [f64([-1, 0.5, 3, 20])]);
    checkGrads("spence", sp.spence, [f64([0.2, 0.9, 1.5, 4])]);
    checkGrads("dawsn", sp.dawsn, [f64([-1.3, 0.4, 2.5, 8])]);
  });
});

describe("vmap, jit and jaxprs", () => {
  it("vmap of the while-loop functions matches a loop over rows", () => {
    const x = u(40, [3, 4], 0.2, 8).astype("float32");
    const a = u(41, [3, 4], 0.5, 6).astype("float32");
    const batched = vmap((xr: Array, ar: Array) => st.gamma.cdf(xr, ar))(x, a);
    const rows = [0, 1, 2].map((i) => st.gamma.cdf(x.get(i), a.get(i)));
    // Fused batched kernels may round differently from the per-row ones: float32 closeness.
    expectClose(vals(batched), rows.flatMap(vals), 1e-6, 1e-7, "vmap gamma.cdf");
    const xb = u(42, [3, 4], 0.05, 0.95).astype("float32");
    const vb = vmap((r: Array) => sp.betainc(2.5, 1.5, r))(xb);
    const loop = [0, 1, 2].flatMap((i) => vals(sp.betainc(2.5, 1.5, xb.get(i))));
    expectClose(vals(vb), loop, 1e-6, 1e-7, "vmap betainc");
    // An unbatched a against batched x: the loop's mask is batched, a broadcast.
    const vq = vmap((r: Array) => sp.gammaincc(2.0, r), { inAxes: 1 })(x);
    expectClose(vals(vq), vals(jnp.transpose(sp.gammaincc(2.0, x))), 1e-6, 1e-7, "vmap gammaincc");
  });
  it("jit agrees with eager for every family's main function", () => {
    const x = jnp.array([0.3, 1.2, 2.5]);
    const checks: [string, (v: Array) => Array][] = [
      ["norm.isf", (v) => st.norm.isf(v.div(3))],
      ["gamma.sf", (v) => st.gamma.sf(v, 2.5)],
      ["beta.sf", (v) => st.beta.sf(v.div(3), 2, 3)],
      ["poisson.cdf", (v) => st.poisson.cdf(jnp.floor(v), 2)],
      ["poisson.entropy", (v) => st.poisson.entropy(v.mul(30))],
    ];
    for (const [name, f] of checks) expectClose(vals(jit(f)(x)), vals(f(x)), 1e-6, 1e-7, name);
  });
  it("the jaxpr of laplace.cdf", () => {
    const text = makeJaxpr((v: Array) => st.laplace.cdf(v, 1, 2))(jnp.ones([3])).toString();
    // JAX's equations (jax/_src/scipy/stats/laplace.py), literals printed as jaxts prints them.
    expect(text).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = sub a 1.0",
        "    c:f32[3] = div b 2.0",
        "    d:bool[3] = le c 0.0",
        "    e:f32[3] = exp c",
        "    f:f32[3] = mul 0.5 e",
        "    g:f32[3] = neg c",
        "    h:f32[3] = exp g",
        "    i:f32[3] = mul 0.5 h",
        "    j:f32[3] = sub 1.0 i",
        "    k:f32[3] = select_n d j f",
        "  in (k,) }",
      ].join("\n"),
    );
  });
});

describe("errors as JAX's", () => {
  it("raise JAX's error classes and messages", () => {
    expect(() => grad((a: Array) => sp.betainc(a, 2, 0.3).sum())(jnp.array([1.5]))).toThrow(
      /Betainc gradient with respect to a and b not supported/,
    );
    expect(() => sp.polygamma(jnp.array([1], "float32"), 2.0)).toThrow(ValueError);
    expect(() => sp.zeta(2)).toThrow(NotImplementedError);
    // lax's functions take Arrays and JS scalars only, as JAX's; lax.polygamma takes a float m.
    expect(() => lax.igamma([1, 2] as never, 1)).toThrow(TypeError);
    expect(() => lax.besselI0e([1] as never)).toThrow(/lax.bessel_i0e/);
    expect(vals(lax.polygamma(1.0, 2.0))).toEqual(vals(sp.polygamma(1, 2.0)));
    expect(() => sp.logNdtr(1, 31)).toThrow(/series_order must be <= 30/);
    expect(() => sp.bernoulli(-1)).toThrow(/non-negative/);
    expect(() => st.multivariateNormal.logpdf([1, 2], [0, 0], jnp.eye(3))).toThrow(
      /incompatible shapes/,
    );
    expect(() => st.multivariateNormal.logpdf([1, 2], [0, 0], jnp.eye(2), null)).not.toThrow();
    expect(() => st.dirichlet.logpdf([0.5, 0.5], jnp.ones([2, 2]))).toThrow(/one-dimensional/);
    expect(() => st.multinomial.logpmf(jnp.array([1.5, 1.5]), 3, [0.5, 0.5])).toThrow(
      /integer type/,
    );
    expect(() => st.mode([1, 2], { nanPolicy: "omit" })).toThrow(NotImplementedError);
    expect(() => st.rankdata([1, 2], "bogus" as "min")).toThrow(/unknown method 'bogus'/);
  });
});
