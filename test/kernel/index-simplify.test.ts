import { describe, expect, it } from "vitest";
import { idx } from "../../src/kernel/expr.js";
import {
  bounds,
  flatIndex,
  isAffine,
  ixAdd,
  ixFloorDiv,
  ixMod,
  ixMul,
  unflatIndex,
} from "../../src/kernel/index.js";
import { jit, numpy as jnp, type Array } from "../../src/index.js";
import { compileJaxpr } from "../../src/runtime/compile.js";
import { getDevice } from "../../src/runtime/devices.js";
import { makeJaxpr } from "../../src/index.js";

describe("index arithmetic", () => {
  it("folds a contiguous reshape back to the flat index", () => {
    const i = idx(0, 24);
    const coords = unflatIndex(i, [2, 3, 4]);
    expect(flatIndex(coords, [2, 3, 4])).toBe(i);
  });

  it("simplifies division and remainder with bounds", () => {
    const i = idx(0, 10);
    expect(ixFloorDiv(i, 16).op).toBe("const");
    expect(ixMod(i, 16)).toBe(i);
    const j = idx(1, 4);
    const e = ixAdd(ixMul(i, 4), j);
    expect(ixFloorDiv(e, 4)).toBe(i);
    expect(ixMod(e, 4)).toBe(j);
    expect(bounds(e)).toEqual([0, 39]);
  });

  it("leaves genuinely strided accesses as division", () => {
    const i = idx(0, 12);
    const coords = unflatIndex(i, [3, 4]);
    const transposed = ixAdd(coords[0]!, ixMul(coords[1]!, 3));
    expect(isAffine(transposed)).toBe(false);
  });
});

describe("kernel programs", () => {
  const program = (f: (...a: Array[]) => Array, ...args: Array[]) =>
    compileJaxpr(makeJaxpr(f)(...args).jaxpr, getDevice("js")).program;

  it("fuses an elementwise chain into one flat loop", () => {
    const p = program((x: Array) => jnp.divide(1, jnp.exp(x.neg()).add(1)), jnp.ones([4, 5, 6]));
    expect(p.kernels.length).toBe(1);
    const k = p.kernels[0]!;
    expect(k.kind === "loop" && k.shape).toEqual([120]);
  });

  it("fuses broadcasting, reshape and a reduction with its producers", () => {
    const p = program(
      (x: Array, b: Array) => x.add(b).reshape(6, 4).mul(2).sum({ axis: 1 }),
      jnp.ones([2, 3, 4]),
      jnp.ones([4]),
    );
    expect(p.kernels.length).toBe(1);
  });

  it("materializes a reduction consumed through a broadcast (softmax)", () => {
    const p = program(
      (x: Array) => {
        const m = x.max({ axis: 1, keepdims: true });
        const e = jnp.exp(x.sub(m));
        return e.div(e.sum({ axis: 1, keepdims: true }));
      },
      jnp.ones([8, 16]),
    );
    // max, exp (read twice, too costly to recompute), sum, and the normalizing division.
    expect(p.kernels.length).toBe(4);
  });

  it("computes fused results equal to eager ones", () => {
    const f = (x: Array, b: Array) => x.add(b).reshape(6, 4).transpose().mul(2).sum({ axis: 0 });
    const x = jnp.arange(24).reshape(2, 3, 4).astype("float32");
    const b = jnp.array([1, 2, 3, 4], "float32");
    expect(jit(f)(x, b).tolist()).toEqual(f(x, b).tolist());
  });
});
