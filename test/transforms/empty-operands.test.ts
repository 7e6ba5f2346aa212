/**
 * Size-0 operands under jit and grad: an empty, reversed or strided slice reshaped or
 * concatenated compiles (index arithmetic over an empty space divided by a zero stride and
 * recursed without end), and jit returns what eager returns (shape, dtype, values: exact).
 * Size-0 batch dimensions of matmul broadcast as numpy's (shapes from numpy 1.26).
 */
import { describe, expect, it } from "vitest";
import { type Array, grad, jit, numpy as jnp } from "../../src/index.js";
import { idx } from "../../src/kernel/expr.js";
import { flatIndex, unflatIndex } from "../../src/kernel/index.js";

/** jit(f) equals f, exactly, on the given arguments. */
function jitMatchesEager(f: (...xs: Array[]) => Array, ...args: Array[]): Array {
  const eager = f(...args);
  const jitted = jit(f)(...args);
  expect(jitted.shape).toEqual(eager.shape);
  expect(jitted.dtype.name).toBe(eager.dtype.name);
  expect(jitted.tolist()).toEqual(eager.tolist());
  return jitted;
}

describe("size-0 slices under jit", () => {
  it("unflatIndex over a shape with a zero dimension gives in-range coordinates (no division by 0)", () => {
    const coords = unflatIndex(idx(0, 0), [3, 0, 4]);
    expect(coords).toHaveLength(3);
    expect(flatIndex(coords, [3, 0, 4]).op).toBe("const");
  });

  it("concatenate of an empty, reversed slice (was: Maximum call stack size exceeded)", () => {
    const f = (v0: Array, v4: Array) =>
      jnp.concatenate([v0.get("5:0:1", "2:6", "-1:-2:2", null, "-1::-2"), v4], 2);
    const r = jitMatchesEager(f, jnp.zeros([3, 4, 2, 3]), jnp.zeros([0, 2, 2, 1, 2]));
    expect(r.shape).toEqual([0, 2, 2, 1, 2]);
  });

  it("jit(grad) of the sum of an empty strided slice (was: Maximum call stack size exceeded)", () => {
    const cases: [number[], (x: Array) => Array][] = [
      [[3, 4, 2, 3], (x) => x.get("5:0:1", "2:6", "-1:-2:2", null, "-1::-2").sum()],
      [[3, 0, 4], (x) => x.get("::-1", ":", "1::2").reshape([3, 0]).sum()],
    ];
    for (const [shape, f] of cases) {
      const x = jnp
        .arange(shape.reduce((a, b) => a * b, 1))
        .astype("float32")
        .reshape(shape);
      const g = jitMatchesEager(grad(f), x);
      expect(g.shape).toEqual(shape);
      expect(g.sum().item()).toBe(0);
    }
  });

  it("a reshape of an empty reversed slice, jit and eager", () => {
    const f = (x: Array) => x.get("::-1", "2:0", "::2").reshape([0, 5]).add(1);
    expect(jitMatchesEager(f, jnp.ones([4, 3, 10])).shape).toEqual([0, 5]);
  });
});

describe("size-0 batch dimensions of matmul broadcast as numpy's", () => {
  // [a shape, b shape, numpy's result shape]
  const cases: [number[], number[], number[]][] = [
    [
      [0, 2, 3],
      [1, 3, 4],
      [0, 2, 4],
    ],
    [
      [0, 1, 1],
      [1, 1, 3],
      [0, 1, 3],
    ],
    [
      [1, 2, 3],
      [0, 3, 4],
      [0, 2, 4],
    ],
    [
      [2, 0, 2, 3],
      [1, 3, 4],
      [2, 0, 2, 4],
    ],
    [[3], [0, 3, 2], [0, 2]],
    [[0, 2, 3], [3], [0, 2]],
  ];
  for (const [sa, sb, want] of cases) {
    it(`[${sa}] @ [${sb}] -> [${want}] (eager and jit)`, () => {
      const f = (a: Array, b: Array) => jnp.matmul(a, b);
      const r = jitMatchesEager(f, jnp.ones(sa), jnp.ones(sb));
      expect(r.shape).toEqual(want);
      expect(r.dtype.name).toBe("float32");
    });
  }

  it("batch dimensions 0 and 2 do not broadcast (TypeError, as numpy's ValueError)", () => {
    expect(() => jnp.matmul(jnp.ones([0, 2, 3]), jnp.ones([2, 3, 4]))).toThrow(TypeError);
  });

  it("a broadcast batch of 1 against a non-empty one keeps its values", () => {
    const a = jnp.arange(6).astype("float32").reshape([1, 2, 3]);
    const b = jnp.arange(24).astype("float32").reshape([2, 3, 4]);
    const r = jitMatchesEager((p: Array, q: Array) => jnp.matmul(p, q), a, b);
    // numpy: (np.arange(6).reshape(1,2,3) @ np.arange(24).reshape(2,3,4))[1, 1]
    expect(r.tolist()).toEqual([
      [
        [20, 23, 26, 29],
        [56, 68, 80, 92],
      ],
      [
        [56, 59, 62, 65],
        [200, 212, 224, 236],
      ],
    ]);
  });
});
