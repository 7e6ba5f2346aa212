import { describe, it, expect } from "vitest";
import { random, jit, numpy as jnp, config } from "../../src/index.js";
import type { Array } from "../../src/index.js";

const vals = (x: Array): number[] =>
  globalThis.Array.from(
    (x as unknown as { toTypedArray(): ArrayLike<number> }).toTypedArray(),
    Number,
  );
const list = (x: unknown) => (x as { tolist(): unknown }).tolist();
function moments(xs: number[]): [number, number] {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  return [m, xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length];
}

const N = 100_000;
const key = random.key(2024);

// Moment checks on N = 1e5 samples from a fixed key (deterministic). Bounds are ~6 standard
// errors of the estimate (mean: 6·σ/√N; variance: 6·σ²·√((κ-1)/N), κ the kurtosis).
describe("distribution moments (1e5 samples)", () => {
  const cases: [string, () => Array, number, number, number, number][] = [
    // name, sampler, mean, variance, mean bound, variance bound
    ["uniform", () => random.uniform(key, [N]), 0.5, 1 / 12, 0.006, 0.0015],
    ["uniform [-2, 3)", () => random.uniform(key, [N], "float32", -2, 3), 0.5, 25 / 12, 0.03, 0.04],
    ["normal", () => random.normal(key, [N]), 0, 1, 0.02, 0.03],
    [
      "truncated_normal(-1, 1)",
      () => random.truncatedNormal(key, -1, 1, [N]),
      0,
      0.29112,
      0.011,
      0.006,
    ],
    ["exponential", () => random.exponential(key, [N]), 1, 1, 0.02, 0.05],
    ["laplace", () => random.laplace(key, [N]), 0, 2, 0.03, 0.1],
    ["logistic", () => random.logistic(key, [N]), 0, Math.PI ** 2 / 3, 0.04, 0.12],
    ["gumbel", () => random.gumbel(key, [N]), 0.5772156649, Math.PI ** 2 / 6, 0.03, 0.06],
    [
      "bernoulli(0.3)",
      () => random.bernoulli(key, 0.3, [N]).astype("float32"),
      0.3,
      0.21,
      0.009,
      0.005,
    ],
    ["randint[0, 10)", () => random.randint(key, [N], 0, 10), 4.5, 8.25, 0.06, 0.1],
    ["gamma(2.5)", () => random.gamma(key, 2.5, [N]), 2.5, 2.5, 0.03, 0.15],
    ["gamma(0.5)", () => random.gamma(key, 0.5, [N]), 0.5, 0.5, 0.015, 0.06],
    ["beta(2, 3)", () => random.beta(key, 2, 3, [N]), 0.4, 0.04, 0.004, 0.002],
    ["poisson(4)", () => random.poisson(key, 4, [N]), 4, 4, 0.04, 0.15],
    ["poisson(30)", () => random.poisson(key, 30, [N]), 30, 30, 0.11, 1.2],
  ];
  for (const [name, f, mean, variance, mb, vb] of cases) {
    it(name, () => {
      const [m, v] = moments(vals(f()));
      expect(Math.abs(m - mean)).toBeLessThan(mb);
      expect(Math.abs(v - variance)).toBeLessThan(vb);
    });
  }
  it("dirichlet rows sum to 1 with means alpha/sum(alpha)", () => {
    const x = random.dirichlet(key, [1, 2, 3], [20_000]);
    const v = vals(x);
    const means = [0, 1, 2].map(
      (j) => v.filter((_, i) => i % 3 === j).reduce((s, t) => s + t, 0) / 20_000,
    );
    means.forEach((m, j) => expect(Math.abs(m - (j + 1) / 6)).toBeLessThan(0.01));
    for (let r = 0; r < 20_000; r += 997)
      expect(Math.abs(v[3 * r]! + v[3 * r + 1]! + v[3 * r + 2]! - 1)).toBeLessThan(1e-5);
  });
  it("categorical frequencies follow softmax(logits)", () => {
    const p = [0.1, 0.2, 0.7];
    const s = vals(random.categorical(key, jnp.log(jnp.array(p)), -1, [N]));
    p.forEach((pi, j) =>
      expect(Math.abs(s.filter((v) => v === j).length / N - pi)).toBeLessThan(0.01),
    );
  });
});

describe("ranges", () => {
  it("uniform stays in [minval, maxval); normal is finite; truncated normal is inside (lower, upper)", () => {
    const u = vals(random.uniform(key, [N], "float32", 2, 3));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(vals(random.normal(key, [N])).every(Number.isFinite)).toBe(true);
    const t = vals(random.truncatedNormal(key, -0.3, 0.3, [N]));
    expect(Math.min(...t)).toBeGreaterThan(-0.3);
    expect(Math.max(...t)).toBeLessThan(0.3);
  });
  it("randint covers [minval, maxval) and handles maxval <= minval and wide uint8 ranges", () => {
    const r = vals(random.randint(key, [10_000], -3, 4));
    expect(Math.min(...r)).toBe(-3);
    expect(Math.max(...r)).toBe(3);
    expect(vals(random.randint(key, [5], 5, 5))).toEqual([5, 5, 5, 5, 5]);
    const b = vals(random.randint(key, [10_000], 0, 256, "uint8"));
    expect(Math.max(...b)).toBe(255);
  });
});

describe("shapes, dtypes, determinism", () => {
  it("shapes and dtypes", () => {
    expect(random.uniform(key).shape).toEqual([]);
    expect(random.uniform(key, [2, 3]).dtype.name).toBe("float32");
    expect(random.normal(key, [4], "float16").dtype.name).toBe("float16");
    expect(random.bits(key, [3]).dtype.name).toBe("uint32");
    expect(random.bits(key, [3], "uint8").dtype.name).toBe("uint8");
    expect(random.randint(key, [2, 2], 0, 5).dtype.name).toBe("int32");
    expect(random.bernoulli(key, 0.5, [3]).dtype.name).toBe("bool");
    expect(random.bernoulli(key, jnp.array([0.2, 0.9])).shape).toEqual([2]);
    expect(random.bernoulli(key, jnp.array([0.2, 0.3]), [3, 2]).shape).toEqual([3, 2]);
    expect(random.categorical(key, jnp.zeros([4, 3])).shape).toEqual([4]);
    expect(random.categorical(key, jnp.zeros([4, 3]), 0).shape).toEqual([3]);
    expect(random.categorical(key, jnp.zeros([4, 3]), -1, [5, 4]).shape).toEqual([5, 4]);
    expect(random.gamma(key, jnp.array([1, 2, 3])).shape).toEqual([3]);
    expect(random.poisson(key, 3, [2, 2]).dtype.name).toBe("int32");
    expect(random.dirichlet(key, [1, 1]).shape).toEqual([2]);
  });
  it("float64 under x64", () => {
    config.update("enableX64", true);
    try {
      const x = random.uniform(random.key(0), [1000], "float64");
      expect(x.dtype.name).toBe("float64");
      const v = vals(x);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThan(1);
      expect(random.normal(random.key(0), [3], "float64").dtype.name).toBe("float64");
    } finally {
      config.update("enableX64", false);
    }
  });
  it("same key, same values; different keys differ; typed and raw keys agree", () => {
    expect(list(random.normal(key, [5]))).toEqual(list(random.normal(key, [5])));
    expect(list(random.normal(random.key(1), [5]))).not.toEqual(
      list(random.normal(random.key(2), [5])),
    );
    expect(list(random.uniform(random.key(9), [4]))).toEqual(
      list(random.uniform(random.PRNGKey(9), [4])),
    );
  });
  it("jit gives the same values as eager", () => {
    const f = jit((k: random.KeyArray) => [
      random.normal(k, [6]),
      random.randint(k, [6], 0, 100),
      random.bernoulli(k, 0.4, [6]),
    ]);
    const [a, b, c] = f(key) as Array[];
    expect(list(a)).toEqual(list(random.normal(key, [6])));
    expect(list(b)).toEqual(list(random.randint(key, [6], 0, 100)));
    expect(list(c)).toEqual(list(random.bernoulli(key, 0.4, [6])));
  });
  it("a typical training-loop pattern: split then sample, under jit", () => {
    const step = jit((k: random.KeyArray) => {
      const [k1, k2] = random.split(k) as random.KeyArray;
      return { next: k1!, x: random.uniform(k2!, [2]) };
    });
    const out = step(random.key(0)) as { next: random.KeyArray; x: Array };
    expect(out.next).toBeInstanceOf(random.KeyArray);
    expect(list(out.x)).toEqual(
      list(random.uniform((random.split(random.key(0)) as random.KeyArray).get(1), [2])),
    );
  });
});

describe("argument errors", () => {
  it("bad shapes", () => {
    expect(() => random.uniform(key, 3 as never)).toThrow(/shape/);
    expect(() => random.normal(key, [2, -1])).toThrow(/non-negative/);
    expect(() => random.normal(key, [1.5])).toThrow(/non-negative integers/);
    expect(() => random.bernoulli(key, jnp.array([0.1, 0.2]), [3])).toThrow(/broadcast-compatible/);
    expect(() => random.randint(key, [2], jnp.array([0, 1, 2]), 5)).toThrow(/broadcast-compatible/);
    expect(() => random.categorical(key, jnp.zeros([4, 3]), -1, [3])).toThrow(
      /broadcast-compatible/,
    );
  });
  it("bad dtypes", () => {
    expect(() => random.uniform(key, [2], "int32")).toThrow(/must be a float dtype/);
    expect(() => random.normal(key, [2], "uint8")).toThrow(/must be a float dtype/);
    expect(() => random.bits(key, [2], "int8")).toThrow(/unsigned int dtype/);
    expect(() => random.randint(key, [2], 0, 3, "float32")).toThrow(/integer dtypes/);
    expect(() => random.bernoulli(key, jnp.array([1, 0]))).toThrow(/floating dtype/);
  });
});
