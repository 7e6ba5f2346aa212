import { describe, it, expect } from "vitest";
import { random, jit, numpy as jnp, config } from "../../src/index.js";
import type { Array } from "../../src/index.js";

const list = (x: unknown) => (x as { tolist(): unknown }).tolist();
const data = (k: unknown) => list(random.keyData(k as random.KeyLike));

describe("key forms", () => {
  it("random.key gives a typed scalar key, PRNGKey a raw uint32[2]", () => {
    const k = random.key(0);
    expect(k).toBeInstanceOf(random.KeyArray);
    expect(k.shape).toEqual([]);
    expect(k.dtype.name).toBe("key<fry>");
    expect(data(k)).toEqual([0, 0]);
    const r = random.PRNGKey(0);
    expect(r.shape).toEqual([2]);
    expect(r.dtype.name).toBe("uint32");
    expect(list(r)).toEqual([0, 0]);
    expect(String(k)).toBe("Array((), dtype=key<fry>) overlaying:\n[0 0]");
  });

  it("split and foldIn answer in the form they were given", () => {
    const typed = random.split(random.key(0));
    expect(typed).toBeInstanceOf(random.KeyArray);
    expect((typed as random.KeyArray).shape).toEqual([2]);
    const raw = random.split(random.PRNGKey(0)) as Array;
    expect(raw.shape).toEqual([2, 2]);
    expect(random.foldIn(random.key(1), 3)).toBeInstanceOf(random.KeyArray);
  });

  it("typed key arrays index, iterate and reshape over key axes", () => {
    const ks = random.split(random.key(0), 4) as random.KeyArray;
    const [a, b] = ks;
    expect(data(a)).toEqual(data(ks.get(0)));
    expect(data(b)).toEqual(data(ks.get(1)));
    expect(ks.reshape([2, 2]).shape).toEqual([2, 2]);
    expect(() => ks.get(0, 0)).toThrow(/Too many indices/);
    expect(() => [...random.key(0)]).toThrow(/0-d key array/);
  });

  it("wrapKeyData / keyData round-trip", () => {
    const k = random.wrapKeyData(random.PRNGKey(7));
    expect(data(k)).toEqual([0, 7]);
  });
});

// Seeds and their keys without x64, from JAX's tests/random_test.py::test_prng_seeds_and_keys.
describe("seeds", () => {
  const cases: [number, [number, number]][] = [
    [0, [0, 0]],
    [1, [0, 1]],
    [-1, [0, 4294967295]],
    [-2, [0, 4294967294]],
    [2147483647 + 100, [0, 2147483747]],
    [-2147483648 - 100, [0, 2147483548]],
  ];
  for (const [seed, expected] of cases) {
    it(`PRNGKey(${seed})`, () => {
      expect(list(random.PRNGKey(seed))).toEqual(expected);
      expect(data(random.key(seed))).toEqual(expected);
    });
  }
  it("traced int32 seeds (under jit)", () => {
    const f = jit((s: Array) => random.PRNGKey(s));
    expect(list(f(jnp.array(-3, "int32")))).toEqual([0, 4294967293]);
  });
  it("with x64, 64-bit seeds fill both words", () => {
    config.update("enableX64", true);
    try {
      expect(list(random.PRNGKey(-1))).toEqual([4294967295, 4294967295]);
      expect(list(random.PRNGKey(-3))).toEqual([4294967295, 4294967293]);
    } finally {
      config.update("enableX64", false);
    }
  });
});

describe("split / foldIn values", () => {
  // Published: the partitionable split of key(0) (JAX >= 0.5 default).
  it("split(key(0)) with threefry_partitionable", () => {
    expect(data(random.split(random.key(0)))).toEqual([
      [1797259609, 2579123966],
      [928981903, 3453687069],
    ]);
  });

  // split(PRNGKey(seed)) for seeds 1 and 2 as pinned (from JAX) in NVIDIA TensorRT-incubator's
  // mlir-tensorrt JAX test (expected_values, partitionable layout).
  it("split(PRNGKey(1)), split(PRNGKey(2))", () => {
    expect(list(random.split(random.PRNGKey(1)))).toEqual([
      [507451445, 1853169794],
      [1948878966, 4237131848],
    ]);
    expect(list(random.split(random.PRNGKey(2)))).toEqual([
      [1821159224, 3364244817],
      [637334850, 3278974502],
    ]);
  });

  // JAX's tests/random_test.py::test_threefry_split_fold_in_symmetry (partitionable layout).
  it("fold_in(key, i) equals split(key, 3)[i]", () => {
    const key = random.PRNGKey(72);
    const s = list(random.split(key, 3)) as number[][];
    for (let i = 0; i < 3; i++) expect(list(random.foldIn(key, i))).toEqual(s[i]);
  });

  // JAX's tests/random_test.py::testPRNGValues (threefry_partitionable=False layout).
  it("split(PRNGKey(0), 4) and fold_in(PRNGKey(0), 4), original layout", () => {
    random.withThreefryPartitionable(false, () => {
      expect(list(random.split(random.PRNGKey(0), 4))).toEqual([
        [2285895361, 1501764800],
        [1518642379, 4090693311],
        [433833334, 4221794875],
        [839183663, 3740430601],
      ]);
      expect(list(random.foldIn(random.PRNGKey(0), 4))).toEqual([2285895361, 433833334]);
    });
  });

  it("split with a shape", () => {
    const ks = random.split(random.key(3), [2, 3]) as random.KeyArray;
    expect(ks.shape).toEqual([2, 3]);
    const flat = data(random.split(random.key(3), 6)) as number[][];
    expect((data(ks) as number[][][]).flat()).toEqual(flat);
  });

  it("typed keys pass through jit as pytrees", () => {
    const f = jit((k: random.KeyArray) => random.split(k));
    const out = f(random.key(0));
    expect(out).toBeInstanceOf(random.KeyArray);
    expect(data(out)).toEqual(data(random.split(random.key(0))));
    const g = jit((k: random.KeyArray) => random.foldIn(k, 5));
    expect(data(g(random.key(2)))).toEqual(data(random.foldIn(random.key(2), 5)));
  });
});

describe("key errors", () => {
  it("rejects non-key inputs", () => {
    expect(() => random.uniform(jnp.array([1, 2]) as never)).toThrow(/uint32/);
    expect(() => random.uniform(jnp.array(Uint32Array.of(1, 2, 3)))).toThrow(/end with \(2,\)/);
    expect(() => random.uniform(5 as never)).toThrow(/unexpected PRNG key type/);
    expect(() => random.split("key" as never)).toThrow(TypeError);
  });
  it("rejects batched keys where a single key is needed", () => {
    const ks = random.split(random.key(0), 3);
    expect(() => random.uniform(ks)).toThrow(/accepts a single key.*\(3,\)/);
    expect(() => random.split(ks)).toThrow(/split accepts a single key/);
  });
  it("rejects bad seeds", () => {
    expect(() => random.key(1.5)).toThrow(/integer/);
    expect(() => random.PRNGKey(jnp.array([1, 2]))).toThrow(/scalar seed/);
    expect(() => random.PRNGKey(jnp.array(1.5))).toThrow(/integer/);
    expect(() => random.PRNGKey(random.key(0) as never)).toThrow(/PRNGKeyArray/);
  });
  it("rejects non-scalar fold_in data", () => {
    expect(() => random.foldIn(random.key(0), jnp.array([1, 2]))).toThrow(/scalar/);
  });
});
