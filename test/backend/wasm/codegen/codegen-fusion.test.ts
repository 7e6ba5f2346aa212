/**
 * Fused kernels from traced programs (lowerJaxpr(makeJaxpr(f))): broadcasting, transposes,
 * reshapes, slices, pad, concatenate, iota, rev, selects and casts, at edge sizes and on
 * randomized shapes, compared with the JS codegen. Ranges are run whole and in halves.
 * Tolerance: float32 chains rtol 1e-5 (the JS device evaluates fused chains in double),
 * integer/bool results exact.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { float32, int32 } from "../../../../src/core/dtype.js";
import { type Array, lax, numpy as jnp } from "../../../../src/index.js";
import { type Tolerance, build, check } from "./codegen-harness.js";
import { floatArray as F } from "./codegen-values.js";

const I = (shape: number[], seed = 1) => F(shape, seed).mul(1000).astype("int32");
const TOL = { rtol: 1e-5, atol: 1e-6 };

function expectSame(
  f: (...a: Array[]) => Array | Array[],
  args: Array[],
  tol: Tolerance = TOL,
  split?: (t: number) => number[],
) {
  const b = build(f, ...args);
  const r = check(b, tol, split ? { split } : {});
  expect(r.error).toBeUndefined();
  return r.run.compiled;
}

describe("fused movement kernels", () => {
  const cases: [string, (...a: Array[]) => Array, Array[]][] = [
    ["row broadcast", (x, v) => x.add(v), [F([7, 13]), F([13], 2)]],
    ["column broadcast", (x, v) => x.mul(v.reshape(7, 1)), [F([7, 13]), F([7], 2)]],
    ["scalar broadcast", (x, s) => x.sub(s), [F([5, 9]), F([], 3)]],
    ["outer product", (u, v) => u.reshape(9, 1).mul(v.reshape(1, 11)), [F([9]), F([11], 2)]],
    ["transpose 2d", (x) => x.transpose().add(1), [F([13, 7])]],
    ["transpose 3d", (x) => x.transpose([2, 0, 1]).mul(x.transpose([2, 0, 1])), [F([3, 4, 5])]],
    ["transpose + contiguous operand", (x, y) => x.transpose().add(y), [F([6, 10]), F([10, 6], 2)]],
    ["reshape of transpose", (x) => x.transpose().reshape(35), [F([5, 7])]],
    ["slice", (x) => lax.slice(x, [1, 2], [6, 11]).mul(2), [F([7, 13])]],
    ["strided slice", (x) => lax.slice(x, [0, 1], [7, 13], [2, 3]), [F([7, 13])]],
    [
      "pad",
      (x) =>
        lax.pad(x, jnp.array(0.5, "float32"), [
          [1, 2, 0],
          [2, 1, 1],
        ]),
      [F([4, 5])],
    ],
    [
      "negative pad",
      (x) =>
        lax.pad(x, jnp.array(0, "float32"), [
          [-1, 1, 0],
          [0, -2, 0],
        ]),
      [F([4, 6])],
    ],
    ["concatenate", (x, y) => jnp.concatenate([x, y], 1).add(1), [F([4, 5]), F([4, 3], 2)]],
    ["concatenate rows", (x, y) => jnp.concatenate([x, y], 0), [F([2, 9]), F([5, 9], 2)]],
    ["iota", (x) => x.add(lax.iota(float32, [23])), [F([23])]],
    ["iota 2d int", (x) => x.add(lax.iota(int32, [4, 6], 1)), [I([4, 6])]],
    ["rev", (x) => lax.rev(x, [1]).sub(x), [F([5, 12])]],
    ["where", (x) => jnp.where(jnp.greater(x, 0), x, x.mul(0.01)), [F([41])]],
    ["clamp", (x) => lax.clamp(-0.5, x, 0.5), [F([41])]],
    ["int chain", (x, y) => x.mul(3).add(y).sub(7), [I([33]), I([33], 2)]],
    ["int division", (x, y) => jnp.floorDivide(x, y.add(1)), [I([33]), I([33], 2)]],
    [
      "bool logic",
      (x, y) => jnp.logicalAnd(jnp.greater(x, 0), jnp.less(y, 0.5)),
      [F([37]), F([37], 2)],
    ],
    ["integer_pow", (x) => lax.integerPow(x, 5), [F([37])]],
    ["broadcast 4d", (x, y) => x.add(y), [F([2, 3, 1, 5]), F([1, 3, 4, 1], 2)]],
  ];
  for (const [name, f, args] of cases) it(name, () => void expectSame(f, args));

  it("casts (the JS device carries -0 through float->int->float; an int32 has no -0)", () => {
    const f = (x: Array) =>
      x.astype("int32").astype("float32").add(x.astype("uint8").astype("float32"));
    expectSame(f, [F([37])], { ...TOL, ignoreZeroSign: true });
  });

  it("vectorizes contiguous kernels and keeps strided ones scalar", () => {
    expect(expectSame((x, v) => x.add(v), [F([7, 13]), F([13])]).text).toMatch(
      /vector over axis 1/,
    );
    expect(expectSame((x) => x.transpose().add(1), [F([13, 7])]).text).toMatch(
      /scalar output loops/,
    );
  });
});

describe("edge sizes", () => {
  for (const n of [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 33, 100_003]) {
    it(`elementwise and reductions at n = ${n}`, () => {
      const x = F([n]);
      expectSame(
        (a) => jnp.exp(a.neg()).add(1).mul(a),
        [x],
        { rtol: 1e-5, atol: 1e-6 },
        (t) => [1, t >> 1, t - 3],
      );
      if (n > 0) expectSame((a) => a.sum(), [x], { rtol: 1e-5, atol: 1e-4 });
      if (n > 0) expectSame((a) => a.max(), [x]);
      if (n > 0) expectSame((a) => jnp.argmin(a), [x]);
    });
  }
  it("zero-size dims in a fused 2-d kernel", () => {
    expectSame((a, b) => a.add(b), [F([0, 5]), F([5])]);
    expectSame((a) => a.sum({ axis: 0 }), [F([0, 5])]);
  });
  it("size-1 dims", () => {
    expectSame((a, b) => a.mul(b).sum({ axis: 1 }), [F([1, 1, 7]), F([7])]);
  });
});

describe("randomized shapes", () => {
  const shapeArb = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 });
  it("elementwise chains with broadcasting and a transpose", () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (shape, seed, bcastFirst) => {
          const x = F(shape, seed + 1);
          const perm = shape.map((_, i) => shape.length - 1 - i);
          const bshape = shape.map((d, i) => ((i === 0) === bcastFirst ? 1 : d));
          const y = F(bshape, seed + 2);
          expectSame((a, b) => jnp.tanh(a.mul(b).transpose(perm)).add(a.transpose(perm)), [x, y], {
            rtol: 1e-5,
            atol: 1e-6,
          });
        },
      ),
      { numRuns: 40 },
    );
  });
  it("integer kernels with random splits", () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 5 }),
        (shape, seed, k) => {
          const x = I(shape, seed + 1);
          const perm = shape.map((_, i) => shape.length - 1 - i);
          const y = I(
            perm.map((p) => shape[p]!),
            seed + 2,
          );
          expectSame(
            (a, b) => lax.shiftRightArithmetic(a.mul(a), 3).add(b.transpose(perm)),
            [x, y],
            TOL,
            (t) => [k % (t + 1), t - k],
          );
        },
      ),
      { numRuns: 30 },
    );
  });
});
