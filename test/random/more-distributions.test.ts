/**
 * The samplers added with the rest of jax.random. Python jax is not installed here, so: each
 * sampler is checked to compose its building blocks exactly as jax/_src/random.py does (same
 * key splits, same formula: equal to the last bit with what the formula gives from the
 * existing, bit-exact samplers), plus distribution tests with fixed seeds — sample moments
 * within 5 standard errors, and a Kolmogorov-Smirnov distance below 1.95/√n (p ≈ 0.001) where
 * the CDF is closed-form — jit vs eager, shapes and errors.
 */
import { describe, expect, it } from "vitest";
import { type Array, ValueError, jit, numpy as jnp, random } from "../../src/index.js";

const vals = (x: Array): number[] => [...x.toTypedArray()].map(Number);
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]): number => {
  const m = mean(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
};
/** The sample mean is within 5 standard errors of `mu` (sd the distribution's). */
function expectMean(v: number[], mu: number, sd: number): void {
  expect(Math.abs(mean(v) - mu)).toBeLessThan((5 * sd) / Math.sqrt(v.length));
}
/** Kolmogorov-Smirnov distance to a CDF below 1.95/√n. */
function expectKs(v: number[], cdf: (x: number) => number): void {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  let dmax = 0;
  s.forEach((x, i) => {
    const c = cdf(x);
    dmax = Math.max(dmax, Math.abs(c - i / n), Math.abs(c - (i + 1) / n));
  });
  expect(dmax).toBeLessThan(1.95 / Math.sqrt(n));
}
const N = 20000;
const key = random.key(42);
const halves = (k: typeof key): [Array, Array] => {
  const ks = random.split(random.keyData(k), 2);
  return [ks.get(0), ks.get(1)];
};
const same = (a: Array, b: Array): void => expect(vals(a)).toEqual(vals(b));

describe("JAX's compositions, value for value", () => {
  it("chisquare, f, t", () => {
    same(
      random.chisquare(key, 3, [5]),
      jnp.exp(jnp.add(Math.log(2), random.loggamma(key, 1.5, [5]))),
    );
    const [k0, k1] = halves(key);
    same(
      random.t(key, 4, [5]),
      jnp.multiply(random.normal(k0, [5]), jnp.sqrt(jnp.divide(2, random.gamma(k1, 2, [5])))),
    );
    const chi = (k: Array, df: number): Array => random.chisquare(k, df, [5]);
    same(
      random.f(key, 3, 7, [5]),
      jnp.divide(jnp.divide(chi(k1, 3), 3), jnp.divide(chi(k0, 7), 7)),
    );
  });
  it("rayleigh, lognormal, geometric, triangular", () => {
    const u = random.uniform(key, [6]);
    same(random.rayleigh(key, 2, [6]), jnp.multiply(jnp.sqrt(jnp.multiply(jnp.log(u), -2)), 2));
    same(random.lognormal(key, 0.5, [6]), jnp.exp(jnp.multiply(random.normal(key, [6]), 0.5)));
    const g = jnp.add(jnp.floor(jnp.divide(jnp.log(u), Math.log1p(-0.3))), 1);
    expect(vals(random.geometric(key, 0.3, [6]))).toEqual(vals(g));
    expect(random.geometric(key, 0.3, [6]).dtype.name).toBe("int32");
  });
  it("generalized_normal, double_sided_maxwell", () => {
    const [k0, k1] = halves(key);
    const p = 1.5;
    const gn = jnp.multiply(
      random.rademacher(k1, [4], "float32"),
      jnp.power(random.gamma(k0, 1 / p, [4]), 1 / p),
    );
    same(random.generalizedNormal(key, p, [4]), gn);
    const dsm = jnp.add(
      jnp.multiply(jnp.multiply(random.rademacher(k1, [4], "float32"), random.maxwell(k0, [4])), 2),
      1,
    );
    same(random.doubleSidedMaxwell(key, 1, 2, [4]), dsm);
  });
});

describe("distributions (fixed seeds, moments and KS)", () => {
  it("chisquare(4): mean 4, variance 8; t(5): mean 0, variance 5/3", () => {
    const c = vals(random.chisquare(random.key(1), 4, [N]));
    expectMean(c, 4, Math.sqrt(8));
    expectKs(c, (x) => (x <= 0 ? 0 : 1 - Math.exp(-x / 2) * (1 + x / 2)));
    const tt = vals(random.t(random.key(2), 5, [N]));
    expectMean(tt, 0, Math.sqrt(5 / 3));
    expect(Math.abs(variance(tt) / (5 / 3) - 1)).toBeLessThan(0.15);
  });
  it("f(6, 10): mean 10/8", () => {
    expectMean(
      vals(random.f(random.key(3), 6, 10, [N])),
      10 / 8,
      Math.sqrt((2 * 100 * 14) / (6 * 64 * 6)),
    );
  });
  it("rayleigh, lognormal, wald, geometric, triangular against their CDFs", () => {
    expectKs(vals(random.rayleigh(random.key(4), 2, [N])), (x) => 1 - Math.exp(-(x * x) / 8));
    const erf = (z: number): number => {
      // Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7)
      const s = Math.sign(z);
      const a = Math.abs(z);
      const t = 1 / (1 + 0.3275911 * a);
      const y =
        1 -
        ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t +
          0.254829592) *
          t *
          Math.exp(-a * a);
      return s * y;
    };
    const phi = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));
    expectKs(vals(random.lognormal(random.key(5), 0.7, [N])), (x) =>
      x <= 0 ? 0 : phi(Math.log(x) / 0.7),
    );
    // Wald(mean=2, shape λ=1): the inverse Gaussian CDF
    const mu = 2;
    expectKs(vals(random.wald(random.key(6), mu, [N])), (x) =>
      x <= 0
        ? 0
        : phi(Math.sqrt(1 / x) * (x / mu - 1)) +
          Math.exp(2 / mu) * phi(-Math.sqrt(1 / x) * (x / mu + 1)),
    );
    const g = vals(random.geometric(random.key(7), 0.25, [N]));
    expect(Math.min(...g)).toBe(1);
    expectMean(g, 4, Math.sqrt(0.75) / 0.25);
    expectKs(vals(random.triangular(random.key(8), -1, 0.5, 2, [N])), (x) =>
      x <= -1 ? 0 : x <= 0.5 ? (x + 1) ** 2 / (3 * 1.5) : x < 2 ? 1 - (2 - x) ** 2 / (3 * 1.5) : 1,
    );
  });
  it("generalized_normal(2) is N(0, 1/2); double_sided_maxwell has variance 3·scale²", () => {
    const g = vals(random.generalizedNormal(random.key(9), 2, [N]));
    expectMean(g, 0, Math.sqrt(0.5));
    expect(Math.abs(variance(g) / 0.5 - 1)).toBeLessThan(0.06);
    const d = vals(random.doubleSidedMaxwell(random.key(10), 1, 2, [N]));
    expectMean(d, 1, Math.sqrt(12));
    expect(Math.abs(variance(d) / 12 - 1)).toBeLessThan(0.06);
  });
  it("ball: points inside the unit p-ball, radius CDF r^d", () => {
    const b = random.ball(random.key(11), 3, 2, [4000]);
    expect(b.shape).toEqual([4000, 3]);
    const r = vals(jnp.sqrt(jnp.sum(jnp.square(b), -1)));
    expect(Math.max(...r)).toBeLessThanOrEqual(1);
    expectKs(r, (x) => Math.min(1, Math.max(0, x)) ** 3);
  });
  it("orthogonal: QᵀQ = I; multivariate_normal's sample covariance", () => {
    const q = random.orthogonal(random.key(12), 4, [3]);
    expect(q.shape).toEqual([3, 4, 4]);
    const qtq = vals(jnp.matmul(jnp.matrixTranspose(q), q));
    const eye = vals(jnp.broadcastTo(jnp.eye(4), [3, 4, 4]));
    qtq.forEach((v, i) => expect(Math.abs(v - eye[i]!)).toBeLessThan(1e-5));
    expect(random.orthogonal(random.key(12), 5, [], null, 3).shape).toEqual([5, 3]);
    const mu = jnp.array([1, -2]);
    const cov = jnp.array([
      [2, 0.6],
      [0.6, 1],
    ]);
    for (const method of ["cholesky", "eigh", "svd"] as const) {
      const x = random.multivariateNormal(random.key(13), mu, cov, [N], null, method);
      expect(x.shape).toEqual([N, 2]);
      const c = vals(jnp.cov(jnp.transpose(x)));
      [2, 0.6, 0.6, 1].forEach((v, i) => expect(Math.abs(c[i]! - v)).toBeLessThan(0.08));
      expectMean(vals(x.get("...", 0)), 1, Math.SQRT2);
    }
  });
});

describe("jit, shapes and errors", () => {
  it("jit gives the eager values", () => {
    const k = random.PRNGKey(5);
    const f = jit((kk: Array) => random.t(kk, 3, [4]));
    same(f(k), random.t(k, 3, [4]));
    const g = jit((kk: Array) => random.multivariateNormal(kk, jnp.zeros([2]), jnp.eye(2), [3]));
    same(g(k), random.multivariateNormal(k, jnp.zeros([2]), jnp.eye(2), [3]));
    const w = jit((kk: Array) => random.wald(kk, 1.5, [4]));
    same(w(k), random.wald(k, 1.5, [4]));
  });
  it("parameter shapes broadcast; bad arguments raise", () => {
    expect(random.chisquare(key, jnp.array([1, 2, 3])).shape).toEqual([3]);
    expect(() => random.chisquare(key, jnp.array([1, 2, 3]), [2])).toThrow(ValueError);
    expect(() => random.geometric(key, 0.5, [2], "float32")).toThrow(ValueError);
    expect(() => random.multivariateNormal(key, jnp.zeros([3]), jnp.eye(2))).toThrow(/cov.shape/);
    expect(() => random.ball(key, 0)).toThrow(ValueError);
  });
});
