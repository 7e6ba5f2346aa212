import { describe, it, expect } from "vitest";
import { random, jit, numpy as jnp } from "../../src/index.js";
import type { Array } from "../../src/index.js";

const list = (x: unknown) => (x as { tolist(): unknown }).tolist();
const flat = (x: Array) => (list(x) as unknown[]).flat(3) as number[];
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);
const key = random.key(0);

describe("permutation", () => {
  it("permutes arange(n) (int argument)", () => {
    const p = flat(random.permutation(key, 100));
    expect(sorted(p)).toEqual(range(100));
    expect(p).not.toEqual(range(100));
    expect(random.permutation(key, 100).dtype.name).toBe("int32");
  });
  it("permutes an array's rows, keeping rows intact", () => {
    const x = jnp.arange(12).reshape([4, 3]);
    const rows = list(random.permutation(key, x)) as number[][];
    expect(rows.map((r) => r[0]! / 3).sort()).toEqual([0, 1, 2, 3]);
    rows.forEach((r) => expect(r).toEqual([r[0]!, r[0]! + 1, r[0]! + 2]));
  });
  it("independent=True shuffles each column separately along axis 0", () => {
    const x = jnp.arange(40).reshape([20, 2]);
    const cols = list(random.permutation(key, x, 0, true)) as number[][];
    expect(sorted(cols.map((r) => r[0]!))).toEqual(range(20).map((i) => 2 * i));
    expect(sorted(cols.map((r) => r[1]!))).toEqual(range(20).map((i) => 2 * i + 1));
  });
  it("preserves float values exactly (-0, inf, nan)", () => {
    const x = jnp.array([-0, Infinity, NaN, 1.5]);
    const p = flat(random.permutation(key, x));
    expect(p.some((v) => Object.is(v, -0))).toBe(true);
    expect(p.filter((v) => Number.isNaN(v)).length).toBe(1);
    expect(p).toContain(Infinity);
  });
  it("uses two sort rounds past 1625 elements and is jit-invariant", () => {
    const p = flat(random.permutation(key, 2000));
    expect(sorted(p)).toEqual(range(2000));
    const f = jit((k: random.KeyArray) => random.permutation(k, jnp.arange(50)));
    expect(list(f(key))).toEqual(list(random.permutation(key, jnp.arange(50))));
  });
  it("errors", () => {
    expect(() => random.permutation(key, 10.5)).toThrow(/integer or at least 1-dimensional/);
    expect(() =>
      jit((k: random.KeyArray, n: Array) => random.permutation(k, n))(key, jnp.array(10)),
    ).toThrow(/concrete/);
  });
});

describe("choice", () => {
  it("with replacement: values in range, shape as requested", () => {
    const c = random.choice(key, 5, [3, 4]);
    expect(c.shape).toEqual([3, 4]);
    expect(flat(c).every((v) => v >= 0 && v < 5)).toBe(true);
  });
  it("without replacement: distinct", () => {
    const c = flat(random.choice(key, 20, [10], false));
    expect(new Set(c).size).toBe(10);
    // the first entries of the permutation, as JAX
    expect(c).toEqual(flat(random.permutation(key, 20)).slice(0, 10));
  });
  it("from an array along an axis", () => {
    const x = jnp.arange(15).reshape([5, 3]);
    const c = list(random.choice(key, x, [2], false)) as number[][];
    expect(c.length).toBe(2);
    c.forEach((r) => expect(r[1]! - r[0]!).toBe(1));
    expect(random.choice(key, x, [2, 2], true, null, 1).shape).toEqual([5, 2, 2]);
  });
  it("weighted with replacement follows p", () => {
    const p = [0.1, 0.0, 0.6, 0.3];
    const c = flat(random.choice(key, 4, [50_000], true, p));
    expect(c.filter((v) => v === 1).length).toBe(0);
    p.forEach((pi, j) =>
      expect(Math.abs(c.filter((v) => v === j).length / 50_000 - pi)).toBeLessThan(0.01),
    );
  });
  it("weighted without replacement never repeats and skips zero weights", () => {
    const c = flat(random.choice(key, 6, [3], false, [0.2, 0, 0.2, 0.2, 0.2, 0.2]));
    expect(new Set(c).size).toBe(3);
    expect(c).not.toContain(1);
  });
  it("errors", () => {
    expect(() => random.choice(key, 3, [5], false)).toThrow(/larger sample than population/);
    expect(() => random.choice(key, 0, [2])).toThrow(/greater than 0/);
    expect(() => random.choice(key, 3, [2], true, [0.5, 0.5])).toThrow(/p must be None or match/);
    expect(() => random.choice(key, 3, 2 as never)).toThrow(/must be a sequence/);
  });
});
