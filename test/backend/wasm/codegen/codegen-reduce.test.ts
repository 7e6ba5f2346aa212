/**
 * Reductions compiled to wasm vs the JS codegen: every op over each axis and over all axes,
 * argmax/argmin first-index semantics with NaNs / ties / infinities, integer and bool
 * reductions, several reductions sharing one loop, epilogues, large row/column reductions,
 * and determinism (the result does not depend on how [0, trip) is split).
 * Tolerances: float sums/products rtol 1e-4 + atol scaled with the reduction size (the JS
 * device accumulates float32 sums in double; the wasm code in float32, lane-parallel);
 * max/min/argmax/argmin and integer results exact.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Array, lax, numpy as jnp } from "../../../../src/index.js";
import { build, check, runWasm } from "./codegen-harness.js";
import { floatArray as F } from "./codegen-values.js";

const I = (shape: number[], seed = 1) => F(shape, seed).mul(1000).astype("int32");
const SUM_TOL = (n: number) => ({ rtol: 1e-4, atol: 1e-6 * Math.max(1, n) });

function expectSame(f: (...a: Array[]) => Array | Array[], args: Array[], tol: object = {}) {
  const b = build(f, ...args);
  const r = check(b, tol);
  expect(r.error).toBeUndefined();
  expect(r.run.compiled.fallback).toEqual([]);
  return r.run.compiled;
}

describe("each reduction over each axis", () => {
  const shape = [6, 7, 19];
  const x = F(shape);
  const xi = I(shape);
  const axesSets = [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]];
  for (const axes of axesSets) {
    it(`float32 sum/max/min/prod over ${axes.join(",")}`, () => {
      const n = axes.reduce((a, k) => a * shape[k]!, 1);
      expectSame((a) => a.sum({ axis: axes }), [x], SUM_TOL(n));
      expectSame((a) => a.max({ axis: axes }), [x]);
      expectSame((a) => a.min({ axis: axes }), [x]);
      expectSame((a) => a.mul(0.1).add(1).prod({ axis: axes }), [x], { rtol: 1e-4 });
    });
    it(`int32 sum/max/min/prod over ${axes.join(",")}`, () => {
      expectSame((a) => a.sum({ axis: axes }), [xi]);
      expectSame((a) => a.max({ axis: axes }), [xi]);
      expectSame((a) => a.min({ axis: axes }), [xi]);
      expectSame((a) => a.prod({ axis: axes }), [xi]);
    });
    it(`bool any/all over ${axes.join(",")}`, () => {
      expectSame((a) => jnp.any(jnp.greater(a, 1.9), { axis: axes }), [x]);
      expectSame((a) => jnp.all(jnp.greater(a, -1.99), { axis: axes }), [x]);
    });
  }
  for (const axis of [0, 1, 2]) {
    it(`argmax/argmin over axis ${axis}`, () => {
      expectSame((a) => jnp.argmax(a, { axis }), [x]);
      expectSame((a) => jnp.argmin(a, { axis }), [x]);
      expectSame((a) => jnp.argmax(a, { axis }), [xi]);
      expectSame((a) => jnp.argmin(a, { axis }), [xi.astype("uint8")]);
    });
  }
});

describe("argmax / argmin semantics", () => {
  const special = (vals: number[]) => jnp.array(Float32Array.from(vals));
  const cases: [string, number[]][] = [
    ["ties keep the first index", [1, 3, 3, 0, 3, 2, 3, 3, 1, 1, 3, 0, 0, 3, 3, 3, 3, 2, 1]],
    [
      "a NaN wins, the first one",
      [1, 2, NaN, 5, 9, NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    ],
    ["NaN in the scalar tail", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, NaN, 2]],
    ["NaN first", [NaN, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]],
    ["all -inf", new globalThis.Array(21).fill(-Infinity)],
    ["all +inf", new globalThis.Array(21).fill(Infinity)],
    [
      "infinities",
      [0, -Infinity, Infinity, 1, Infinity, -Infinity, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ],
    [
      "max in the last lane group",
      [...new globalThis.Array(40).fill(0).map((_, i) => i % 7), 50, 50],
    ],
  ];
  for (const [name, vals] of cases) {
    it(name, () => {
      for (let n = 1; n <= vals.length; n += Math.max(1, Math.floor(vals.length / 7))) {
        const x = special(vals.slice(0, n));
        expectSame((a) => jnp.argmax(a), [x]);
        expectSame((a) => jnp.argmin(a), [x]);
        expectSame((a) => jnp.argmax(a.reshape(1, n), { axis: 1 }), [x]);
      }
      // rows of the same data: the vectorized-over-outputs path (argmax over axis 0)
      const n = vals.length;
      const m = jnp
        .array(Float32Array.from(vals.flatMap((v) => new globalThis.Array(9).fill(v))))
        .reshape(n, 9);
      expectSame((a) => jnp.argmax(a, { axis: 0 }), [m]);
      expectSame((a) => jnp.argmin(a, { axis: 0 }), [m]);
    });
  }
  it("integer extremes", () => {
    const x = jnp.array(
      Int32Array.of(
        -2147483648,
        -2147483648,
        5,
        2147483647,
        2147483647,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
      ),
    );
    expectSame((a) => jnp.argmax(a), [x]);
    expectSame((a) => jnp.argmin(a), [x]);
    expectSame((a) => jnp.argmax(a.neg()), [x]);
    const u = jnp.array(new Uint32Array(19).fill(0));
    expectSame((a) => jnp.argmax(a), [u]);
    expectSame((a) => jnp.argmin(a), [u]);
  });
});

describe("shared loops, epilogues, large reductions", () => {
  it("several reductions over the same space share one kernel", () => {
    const x = F([9, 37]);
    const c = expectSame(
      (a) =>
        a
          .sum({ axis: 1 })
          .add(a.max({ axis: 1 }))
          .mul(jnp.argmin(a, { axis: 1 }).astype("float32")),
      [x],
      SUM_TOL(37),
    );
    expect(c.kernels.length).toBe(1);
  });
  it("reductions of different operands in one kernel", () => {
    expectSame(
      (a, b) => a.sum({ axis: 0 }).mul(b.sum({ axis: 0 })),
      [F([33, 21]), F([33, 21], 2)],
      SUM_TOL(33),
    );
    expectSame(
      (a) => a.sum({ axis: 0 }).add(a.transpose().sum({ axis: 0 })),
      [F([17, 17])],
      SUM_TOL(17),
    );
  });
  it("epilogues: norms, means, log-sum-exp pieces", () => {
    const x = F([13, 50]);
    expectSame((a) => jnp.sqrt(a.mul(a).sum({ axis: 1 })), [x], SUM_TOL(50));
    expectSame((a) => jnp.mean(a, { axis: 0 }), [x], SUM_TOL(13));
    expectSame((a) => jnp.log(jnp.exp(a).sum({ axis: 1 })), [x], { rtol: 1e-4, atol: 1e-5 });
    expectSame((a, w) => a.mul(w).sum({ axis: 1 }), [x, F([50], 3)], SUM_TOL(50));
  });
  for (const [r, c] of [
    [1000, 1003],
    [3, 100_003],
    [100_003, 3],
    [257, 31],
  ]) {
    it(`row and column sums of ${r}×${c}`, () => {
      const x = F([r, c]);
      expectSame((a) => a.sum({ axis: 1 }), [x], SUM_TOL(c));
      expectSame((a) => a.sum({ axis: 0 }), [x], SUM_TOL(r));
      expectSame((a) => a.max({ axis: 1 }), [x]);
      expectSame((a) => jnp.argmax(a, { axis: 0 }), [x]);
    });
  }
  it("the reduction paths are the vectorized ones", () => {
    const x = F([64, 64]);
    expect(expectSame((a) => a.sum({ axis: 1 }), [x], SUM_TOL(64)).text).toMatch(
      /vectorized along their innermost index/,
    );
    expect(expectSame((a) => a.sum({ axis: 0 }), [x], SUM_TOL(64)).text).toMatch(
      /vector over axis 0/,
    );
  });
  it("int and-reduction uses all-ones as its identity (XLA)", () => {
    const b = build(
      (a) => lax.reduceAnd(a, [0]),
      jnp.array(Int32Array.of(7, 6, 14, 15, 7, 6, 14, 15, 7)),
    );
    expect([
      ...runWasm(b).buffers[
        b.program.outputs[0]!.kind === "buffer"
          ? (b.program.outputs[0] as { buffer: number }).buffer
          : 0
      ]!,
    ]).toEqual([6]);
  });
});

describe("determinism", () => {
  it("float sums do not depend on the split of the parallel range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 39 }),
        (r, c, k) => {
          const b = build(
            (a) => a.sum({ axis: 1 }).add(a.sum({ axis: 0 }).sum()),
            F([r, c], r * 1000 + c),
          );
          const whole = runWasm(b);
          const split = runWasm(b, { split: (t) => [k % t, (3 * k) % t] }, whole.compiled);
          const o = b.program.outputs[0]!;
          if (o.kind !== "buffer") return;
          expect([...split.buffers[o.buffer]!]).toEqual([...whole.buffers[o.buffer]!]);
        },
      ),
      { numRuns: 25 },
    );
  });
});
