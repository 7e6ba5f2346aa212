/**
 * The wasm device's compiled sort (LSD radix sort, custom-sort.ts) against the js device's
 * comparator sort, bit for bit: float32/int32/uint32 keys with NaN, ±0, ±inf, ties and
 * integer extremes; every dimension of rank-1..3 shapes including empty and size-1 axes;
 * insertion-sort rows (≤ 32) and radix rows; several operands sorted by one or two keys with
 * payloads of other dtypes; argsort stability; jit and eager; rows split across threads.
 */
import { describe, expect, it } from "vitest";
import { type Array, lax, numpy as jnp } from "../../../../src/index.js";
import { agree, data, expectCompiled, withThreads } from "./helpers.js";

withThreads();

const KEY_DTYPES = ["float32", "int32", "uint32"] as const;
const SHAPES: [number[], number][] = [
  [[1], 0],
  [[0], 0],
  [[0, 4], 1],
  [[5, 1], 1],
  [[33], 0],
  [[31], 0],
  [[7, 40], 1],
  [[40, 7], 0],
  [[3, 70, 5], 1],
  [[2, 3, 300], 2],
  [[3, 2, 4], 0],
];

describe("sort: wasm equals the js device bit for bit", () => {
  for (const dtype of KEY_DTYPES) {
    it(`${dtype} keys: sort and argsort over every shape and dimension`, () => {
      for (const [shape, dim] of SHAPES) {
        const args = () => [data(shape, dtype, 11 + dim, { levels: 64 })];
        agree(`sort ${dtype} (${shape}) dim ${dim}`, (x) => jnp.sort(x, { axis: dim }), args, {
          eager: true,
        });
        agree(`argsort ${dtype} (${shape}) dim ${dim}`, (x) => jnp.argsort(x, { axis: dim }), args);
      }
    });
  }

  it("compiles the kernel for every key dtype (insertion sort ≤ 32, radix above)", () => {
    for (const dtype of KEY_DTYPES) {
      const small = () => [data([4, 32], dtype, 1)];
      expectCompiled((x) => jnp.sort(x), small, /sort 1 operand\(s\).*insertion sort/);
      const big = () => [data([33], dtype, 1)];
      expectCompiled((x) => jnp.argsort(x), big, /sort 2 operand\(s\).*LSD radix sort/);
    }
  });

  it("NaNs sort last in their original order, -0 and +0 keep their order (stable)", () => {
    const vals = [NaN, 0, -0, 1, -NaN, -0, 0, -Infinity, NaN, 2, Infinity, -1];
    const long = globalThis.Array.from({ length: 120 }, (_, i) => vals[(i * 7) % vals.length]!);
    for (const v of [vals, long]) {
      const args = () => [jnp.array(new Float32Array(v))];
      agree(`sort/argsort of ${v.length} specials`, (x) => [jnp.sort(x), jnp.argsort(x)], args);
      const idx = jnp.argsort(jnp.array(new Float32Array(v))).toTypedArray() as Int32Array;
      const zeros = globalThis.Array.from(idx).filter((i) => v[i] === 0);
      expect(zeros).toEqual([...zeros].sort((a, b) => a - b));
      const nans = globalThis.Array.from(idx).slice(-v.filter((x) => Number.isNaN(x)).length);
      expect(nans.every((i) => Number.isNaN(v[i]!))).toBe(true);
      expect(nans).toEqual([...nans].sort((a, b) => a - b));
    }
  });

  it("argsort is stable on heavy ties (2 levels, 5000 elements)", () => {
    for (const dtype of KEY_DTYPES) {
      const args = () => [data([5000], dtype, 3, { levels: 2, special: false })];
      agree(`argsort ties ${dtype}`, (x) => jnp.argsort(x), args, { eager: true });
    }
  });
});

describe("lax.sort with several operands", () => {
  it("two keys (float32 then int32) carry int32, float16 and bool payloads", () => {
    for (const [shape, dim] of [
      [[50], 0],
      [[6, 45], 1],
      [[45, 6], 0],
      [[3, 20, 2], 1],
    ] as [number[], number][]) {
      const args = () => [
        data(shape, "float32", 5, { levels: 6 }),
        data(shape, "int32", 6, { levels: 5 }),
        data(shape, "float32", 7),
      ];
      const f = (a: Array, b: Array, c: Array) =>
        lax.sort([a, b, c.astype("float16"), c.gt(0), c], dim, true, 2);
      agree(`lax.sort numKeys=2 (${shape}) dim ${dim}`, f, args, { eager: true });
      expectCompiled(f, args, /sort 5 operand\(s\) by 2 key\(s\)/);
    }
  });

  it("uint32 keys with an int32 payload, and numKeys = every operand", () => {
    const args = () => [data([300], "uint32", 8, { levels: 20 }), data([300], "int32", 9)];
    agree("uint32 key + payload", (a, b) => lax.sort([a, b], 0, true, 1), args);
    agree("numKeys = 2 of 2", (a, b) => lax.sort([a, b], 0, true, 2), args);
  });

  it("other key dtypes keep the JS kernel (and still agree)", () => {
    const args = () => [data([40], "int32", 2).astype("int8")];
    agree("int8 sort", (x) => jnp.sort(x), args);
  });
});

describe("rows split across the worker threads", () => {
  it("2000 rows of 64 and one row of 200000 equal the js device", () => {
    const rows = () => [data([2000, 64], "float32", 21, { levels: 1000 })];
    agree("sort 2000×64", (x) => [jnp.sort(x, { axis: 1 }), jnp.argsort(x, { axis: 1 })], rows);
    const long = () => [data([200000], "float32", 22)];
    agree("argsort 200000", (x) => jnp.argsort(x), long);
  });
});
