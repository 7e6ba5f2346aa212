/**
 * Values JAX itself publishes for its samplers.
 *
 * - Partitionable layout (JAX's default since 0.5): the jax.random module documentation
 *   (docs.jax.dev/en/latest/jax.random.html): `random.uniform(random.key(0))` is 0.947667 and,
 *   after `key, subkey = random.split(key)`, `random.uniform(subkey)` is 0.00729382.
 * - Original layout (`jax_threefry_partitionable=False`): JAX's tests/random_test.py,
 *   `_RANDOM_VALUES_CASES` (key = PRNGKey(zlib.adler32(name + "threefry2x32")), shape (5,),
 *   compared there with assertAllClose at float32 tolerances), `testRngRandomBits`
 *   (PRNGKey(1701)) and `testPRNGValues` (randint); and the docstring examples of
 *   jax/_src/nn/initializers.py (PRNGKey(42), shape (2, 3)) in test/nn.
 */
import { describe, it, expect } from "vitest";
import { random, jit } from "../../src/index.js";
import type { Array } from "../../src/index.js";

const list = (x: unknown) => (x as { tolist(): unknown }).tolist();
const close = (actual: Array, expected: number[] | number[][], rtol = 1e-6, atol = 1e-6) => {
  const v = list(actual);
  const a = (globalThis.Array.isArray(v) ? v.flat() : [v]) as number[];
  const e = expected.flat() as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) =>
    expect(Math.abs(v - e[i]!)).toBeLessThanOrEqual(atol + rtol * Math.abs(e[i]!)),
  );
};

describe("partitionable layout (default): published values", () => {
  it("uniform(key(0)) and uniform(split(key(0))[1])", () => {
    const key = random.key(0);
    close(random.uniform(key), [0.947667]);
    expect(list(random.uniform(key))).toBe(list(random.uniform(key))); // using a key does not change it
    const [, subkey] = random.split(key) as random.KeyArray;
    close(random.uniform(subkey!), [0.00729382]);
  });
  it("the same values under jit", () => {
    close(jit((k: random.KeyArray) => random.uniform(k))(random.key(0)), [0.947667]);
  });
});

// name -> [adler32 seed, sampler, expected]; seeds precomputed with python zlib.adler32.
const K = (s: number) => random.PRNGKey(s);
const CASES: [string, () => Array, number[] | number[][], number?][] = [
  ["bits uint8", () => random.bits(K(942802475), [5], "uint8"), [10, 158, 82, 54, 158]],
  [
    "bits uint16",
    () => random.bits(K(942802475), [5], "uint16"),
    [6738, 38161, 50695, 57337, 61600],
  ],
  [
    "bits uint32",
    () => random.bits(K(942802475), [5], "uint32"),
    [1978747883, 4134381225, 3628107870, 689687174, 2788938207],
  ],
  [
    "uniform",
    () => random.uniform(K(1338574713), [5], "float32"),
    [0.298671, 0.073213, 0.873356, 0.260549, 0.412797],
  ],
  [
    "normal",
    () => random.normal(K(1193674498), [5], "float32"),
    [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845],
  ],
  [
    "truncated_normal",
    () => random.truncatedNormal(K(2846034731), 0, 2, [5], "float32"),
    [0.582807, 1.709771, 0.159513, 0.861376, 0.36148],
  ],
  [
    "exponential",
    () => random.exponential(K(1942292768), [5], "float32"),
    [0.526067, 0.043046, 0.039932, 0.46427, 0.123886],
  ],
  [
    "laplace",
    () => random.laplace(K(1291781963), [5], "float32"),
    [0.578939, -0.204902, 0.555733, 0.911053, -0.96456],
  ],
  [
    "logistic",
    () => random.logistic(K(1466238935), [5], "float32"),
    [0.19611, -1.709053, -0.274093, -0.208322, -1.675489],
  ],
  [
    "gumbel",
    () => random.gumbel(K(1179715317), [5], "float32"),
    [2.06701, 0.911726, 0.145736, 0.185427, -0.00711],
  ],
  [
    "cauchy",
    () => random.cauchy(K(1175914230), [5], "float32"),
    [-0.088416, -10.169713, 3.49677, -1.18056, 0.34556],
    1e-5,
  ],
  [
    "maxwell",
    () => random.maxwell(K(1331627891), [5], "float32"),
    [3.070779, 0.908479, 1.521317, 0.875551, 1.306137],
  ],
  [
    "pareto",
    () => random.pareto(K(1192560388), 0.5, [5], "float32"),
    [2.751398, 1.281863, 87.85448, 1.254542, 2.824487],
  ],
  [
    "weibull_min",
    () => random.weibullMin(K(1921059088), 1, 1, [5], "float32"),
    [1.605863, 0.841809, 0.224218, 0.4826, 0.027901],
  ],
  ["randint", () => random.randint(K(1319372649), [5], 0, 10, "int32"), [0, 5, 7, 7, 5]],
  ["rademacher", () => random.rademacher(K(1719994501), [5], "int32"), [-1, -1, -1, -1, 1]],
  [
    "gamma",
    () => random.gamma(K(1038747260), 0.8, [5], "float32"),
    [0.332641, 0.10187, 1.816109, 0.023457, 0.487853],
  ],
  [
    "loggamma",
    () => random.loggamma(K(1440221118), 0.8, [5], "float32"),
    [-0.899633, -0.424083, 0.631593, 0.102374, -1.07189],
  ],
  [
    "beta",
    () => random.beta(K(923534869), 0.8, 0.9, [5], "float32"),
    [0.533685, 0.843179, 0.063495, 0.573444, 0.459514],
  ],
  [
    "dirichlet",
    () => random.dirichlet(K(1590822961), [0.5, 0.6, 0.7], [2], "float32"),
    [
      [0.556287, 0.304219, 0.139494],
      [0.15221, 0.632251, 0.21554],
    ],
  ],
  ["poisson", () => random.poisson(K(1349191556), 5, [5], "int32"), [7, 3, 6, 11, 6]],
];

describe("original layout: JAX's _RANDOM_VALUES_CASES", () => {
  for (const [name, f, expected, rtol] of CASES) {
    it(name, () =>
      random.withThreefryPartitionable(false, () => close(f(), expected, rtol ?? 1e-6)),
    );
  }
  it("bernoulli", () =>
    random.withThreefryPartitionable(false, () => {
      expect(list(random.bernoulli(K(1612777541), 0.5, [5]))).toEqual([
        false,
        true,
        true,
        true,
        false,
      ]);
    }));
  it("random bits of PRNGKey(1701) (testRngRandomBits)", () =>
    random.withThreefryPartitionable(false, () => {
      expect(list(random.bits(K(1701), [3], "uint8"))).toEqual([216, 115, 43]);
      expect(list(random.bits(K(1701), [3], "uint16"))).toEqual([41682, 1300, 55017]);
      expect(list(random.bits(K(1701), [3], "uint32"))).toEqual([56197195, 4200222568, 961309823]);
    }));
  it("randint(PRNGKey(0), (3, 3), 0, 8) (testPRNGValues)", () =>
    random.withThreefryPartitionable(false, () => {
      expect(list(random.randint(K(0), [3, 3], 0, 8, "int32"))).toEqual([
        [2, 1, 3],
        [6, 1, 5],
        [6, 3, 4],
      ]);
    }));
  it("gamma and poisson give the same values under jit (unrolled loops)", () =>
    random.withThreefryPartitionable(false, () => {
      close(
        jit((k: Array) => random.gamma(k, 0.8, [5], "float32"))(K(1038747260)),
        [0.332641, 0.10187, 1.816109, 0.023457, 0.487853],
      );
      expect(list(jit((k: Array) => random.poisson(k, 5, [5], "int32"))(K(1349191556)))).toEqual([
        7, 3, 6, 11, 6,
      ]);
    }));
});
