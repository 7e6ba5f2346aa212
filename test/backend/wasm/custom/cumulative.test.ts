/**
 * The wasm device's compiled cumulative ops (custom-cumulative.ts) against the js device, bit
 * for bit: cumsum/cumprod/cummax/cummin, forward and reverse, along every axis of rank-1..3
 * shapes (inner extent < 4: one chain per lane; ≥ 4: four lanes per SIMD op, 256-lane blocks
 * with a scalar tail), float32 with NaN/±0/±inf, int32 and uint32 (wrapping sums/products,
 * signed/unsigned extrema), empty and size-1 axes, jit and eager, split across threads.
 */
import { describe, it } from "vitest";
import { type Array, lax } from "../../../../src/index.js";
import { agree, data, expectCompiled, withThreads } from "./helpers.js";

withThreads();

const OPS = ["cumsum", "cumprod", "cummax", "cummin"] as const;
const run = (op: (typeof OPS)[number], x: Array, axis: number, reverse: boolean) =>
  lax[op](x, axis, reverse);

const SHAPES: number[][] = [
  [1],
  [0],
  [13],
  [4, 0],
  [1, 6],
  [5, 3],
  [6, 7, 5],
  [3, 4, 261],
  [2, 300],
];

describe("cumulative ops: wasm equals the js device bit for bit", () => {
  for (const dtype of ["float32", "int32", "uint32"] as const) {
    it(`${dtype}: every op, axis and direction`, () => {
      for (const shape of SHAPES) {
        for (let axis = 0; axis < shape.length; axis++) {
          // Products of many values overflow: keep them near 1 for float32.
          const args = () => [data(shape, dtype, 3 + axis, { levels: 64 })];
          for (const op of OPS) {
            for (const reverse of [false, true]) {
              const f = (x: Array) =>
                run(op, op === "cumprod" && dtype === "float32" ? x.mul(0.25) : x, axis, reverse);
              agree(`${op} ${dtype} (${shape}) axis ${axis}${reverse ? " reverse" : ""}`, f, args);
            }
          }
        }
      }
    });
  }

  it("eager calls and numpy's cumsum/cumprod wrappers agree too", () => {
    const args = () => [data([5, 9], "float32", 4)];
    agree("eager cumsum axis 0", (x) => lax.cumsum(x, 0), args, { eager: true });
    agree("eager cummax axis 1 reverse", (x) => lax.cummax(x, 1, true), args, { eager: true });
  });

  it("compiles both strategies (no JS fallback) for the three dtypes", () => {
    for (const dtype of ["float32", "int32", "uint32"] as const) {
      expectCompiled(
        (x) => lax.cumsum(x, 0),
        () => [data([50], dtype, 1)],
        /cumulative sum .* one sequential chain per lane/,
      );
      expectCompiled(
        (x) => lax.cummin(x, 0, true),
        () => [data([7, 9], dtype, 1)],
        /cumulative reverse min .* 4 lanes per SIMD op/,
      );
    }
  });

  it("large inputs split across the worker threads agree (rows and lanes)", () => {
    agree(
      "cumsum (600, 2100) axis 0",
      (x) => lax.cumsum(x, 0),
      () => [data([600, 2100], "float32", 8)],
    );
    agree(
      "cumsum (2100, 600) axis 1 reverse",
      (x) => lax.cumsum(x, 1, true),
      () => [data([2100, 600], "float32", 9)],
    );
    agree(
      "cumsum 1e6",
      (x) => lax.cumsum(x, 0),
      () => [data([1_000_000], "float32", 10)],
    );
  });

  it("other dtypes keep the JS kernel (and still agree)", () => {
    agree(
      "int8 cumsum",
      (x) => lax.cumsum(x.astype("int8"), 0),
      () => [data([40], "int32", 2)],
    );
  });
});
