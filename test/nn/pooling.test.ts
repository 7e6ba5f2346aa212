/**
 * nn.avgPool / maxPool / minPool (flax's pooling): values against numpy references
 * (test/fixtures/make_window.py → window.json, float64 sliding_window_view; float32 results
 * within rtol 1e-6 / atol 1e-6) on the js and wasm devices, eager and jitted; gradients
 * against central finite differences in float64 (checkGrads: rtol 1e-6 / atol 1e-7, second
 * order 10×), with tie-free inputs; max-pool tie-breaking (the first element of a window in
 * row-major order gets the gradient, as XLA's `ge` select); vmap against a loop.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, grad, jit, jvp, nn, numpy as jnp, vmap } from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";
import { checkGrads, expectClose, rng, uniform, vals } from "../transforms/ad-helpers.js";

interface Case {
  name: string;
  op: "avg" | "max" | "min";
  shape: number[];
  x: number[];
  window: number[];
  strides: number[];
  padding: string | [number, number][];
  countIncludePad: boolean;
  outShape: number[];
  y: number[];
}

const cases = JSON.parse(
  readFileSync(new URL("../fixtures/window.json", import.meta.url), "utf8"),
) as Case[];

function poolOf(c: Case): (x: Array) => Array {
  const opts = { strides: c.strides, padding: c.padding };
  if (c.op === "max") return (x) => nn.maxPool(x, c.window, opts);
  if (c.op === "min") return (x) => nn.minPool(x, c.window, opts);
  return (x) => nn.avgPool(x, c.window, { ...opts, countIncludePad: c.countIncludePad });
}

describe("pooling vs numpy (window.json)", () => {
  for (const device of ["js", "wasm"]) {
    for (const c of cases) {
      it(`${c.name} on ${device}, eager and jit`, () => {
        on(device, () => {
          const x = jnp.array(Float32Array.from(c.x)).reshape(c.shape);
          const f = poolOf(c);
          for (const [how, y] of [
            ["eager", f(x)],
            ["jit", jit(f)(x)],
          ] as const) {
            expect(y.shape, how).toEqual(c.outShape);
            expect(y.dtype.name).toBe("float32");
            expectClose(vals(y), c.y, 1e-6, 1e-6, `${c.name} ${how} on ${device}`);
          }
        });
      });
    }
  }
});

describe("pooling gradients (float64, finite differences)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  const r = rng(3);

  it("avgPool SAME, counting and excluding padding", () => {
    const x = uniform(r, [2, 4, 5, 2]);
    checkGrads("avgPool", (y) => nn.avgPool(y, [3, 2], { padding: "SAME" }), [x], {
      order2: true,
    });
    checkGrads(
      "avgPool excluding pad",
      (y) => nn.avgPool(y, [3, 3], { strides: [2, 1], padding: "SAME", countIncludePad: false }),
      [x],
    );
  });

  it("maxPool and minPool (tie-free inputs), strided, padded, overlapping", () => {
    const x = uniform(r, [2, 5, 4, 2]);
    checkGrads("maxPool", (y) => nn.maxPool(y, [2, 3], { strides: [1, 2], padding: "SAME" }), [x], {
      order2: true,
    });
    checkGrads(
      "minPool",
      (y) =>
        nn.minPool(y, [3, 2], {
          padding: [
            [1, 0],
            [0, 1],
          ],
        }),
      [x],
    );
  });
});

describe("max-pool ties", () => {
  it("the first maximum of each window (row-major) takes the gradient", () => {
    const x = jnp
      .array([
        [1, 1, 0],
        [1, 1, 0],
        [0, 0, 0],
      ])
      .astype("float32")
      .reshape([1, 3, 3, 1]);
    const g = grad((y: Array) => nn.maxPool(y, [2, 2]).sum())(x);
    // windows at (0,0) (0,1) (1,0) (1,1): their first maxima are (0,0), (0,1), (1,0), (1,1).
    expect(g.reshape([3, 3]).tolist()).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    const flat = jnp.array([3, 3, 3, 2]).astype("float32").reshape([1, 4, 1]);
    const g1 = grad((y: Array) => nn.maxPool(y, [2]).sum())(flat);
    expect(vals(g1)).toEqual([1, 1, 1, 0]);
    const g2 = grad((y: Array) => nn.maxPool(y, [3], { strides: [1] }).sum())(flat);
    // windows [0, 2] and [1, 3]: their first maxima are elements 0 and 1.
    expect(vals(g2)).toEqual([1, 1, 0, 0]);
    const g3 = grad((y: Array) => nn.minPool(y, [4]).sum())(
      jnp.array([2, 1, 1, 5]).astype("float32").reshape([1, 4, 1]),
    );
    expect(vals(g3)).toEqual([0, 1, 0, 0]);
  });

  it("forward mode takes the tangent of the first maximum", () => {
    const x = jnp.array([5, 5, 1, 5]).astype("float32").reshape([1, 4, 1]);
    const t = jnp.array([10, 20, 30, 40]).astype("float32").reshape([1, 4, 1]);
    const [y, dy] = jvp((v: Array) => nn.maxPool(v, [2], { strides: [1] }), [x], [t]) as [
      Array,
      Array,
    ];
    expect(vals(y)).toEqual([5, 5, 5]);
    expect(vals(dy)).toEqual([10, 20, 40]);
  });
});

describe("pooling under vmap", () => {
  it("vmap of maxPool / avgPool and their gradients equals a loop", () => {
    const xs = uniform(rng(9), [3, 2, 5, 4, 2], -1, 1, "float32");
    const fns: [string, (x: Array) => Array][] = [
      ["maxPool", (x) => nn.maxPool(x, [2, 2], { padding: "SAME" })],
      [
        "avgPool",
        (x) => nn.avgPool(x, [3, 2], { strides: [2, 1], countIncludePad: false, padding: "SAME" }),
      ],
      ["grad maxPool", grad((x: Array) => nn.maxPool(x, [2, 3], { strides: [2, 1] }).sum())],
      ["grad avgPool", grad((x: Array) => nn.avgPool(x, [2, 2], { padding: "SAME" }).sum())],
    ];
    for (const [name, f] of fns) {
      for (const axis of [0, 2]) {
        const moved = jnp.moveaxis(xs, 0, axis);
        const batched = vmap(f, axis)(moved);
        const looped = jnp.stack([0, 1, 2].map((i) => f(jnp.take(xs, i, 0))));
        expectClose(vals(batched), vals(looped), 1e-6, 1e-6, `${name} in_axes=${axis}`);
      }
    }
  });
});

describe("pooling arguments", () => {
  it("an input without a batch dimension is pooled as one example", () => {
    const x = jnp.arange(12).astype("float32").reshape([4, 3, 1]);
    expect(nn.maxPool(x, [2, 2]).shape).toEqual([3, 2, 1]);
    expect(vals(nn.maxPool(x, [2, 2]))).toEqual([4, 5, 7, 8, 10, 11]);
  });
  it("names match flax", () => {
    expect(nn.maxPool.name).toBe("max_pool");
    expect(nn.avgPool.name).toBe("avg_pool");
    expect(nn.minPool.name).toBe("min_pool");
  });
});
