/**
 * The axis argument positionally or in the options object, the same for every reduction
 * (jnp functions and Array methods). Expected values computed with numpy 2.x on
 * m = np.array([[1, 5, 2], [4, 3, 6]], np.float32), e.g. `m.sum(0).tolist()`.
 */
import { describe, expect, it } from "vitest";
import { AxisError, IndexError, ValueError, numpy as jnp } from "../../src/index.js";

const m = jnp.array(
  [
    [1, 5, 2],
    [4, 3, 6],
  ],
  "float32",
);

describe("positional axis (numpy's np.sum(m, 0))", () => {
  it("jnp reductions", () => {
    expect(jnp.sum(m, 0).tolist()).toEqual([5, 8, 8]);
    expect(jnp.sum(m, 1).tolist()).toEqual([8, 13]);
    expect(jnp.sum(m, [0, 1]).tolist()).toEqual(21);
    expect(jnp.sum(m, null).tolist()).toEqual(21);
    expect(jnp.sum(m, 0, { keepdims: true }).tolist()).toEqual([[5, 8, 8]]);
    expect(jnp.mean(m, 1).tolist()).toEqual([Math.fround(8 / 3), Math.fround(13 / 3)]);
    expect(jnp.var_(m, 0).tolist()).toEqual([2.25, 1, 4]);
    expect(jnp.std(m, 1).tolist()).toEqual([1.6996731758117676, 1.2472190856933594]);
    expect(jnp.std(m, 1, { ddof: 1 }).tolist()).toEqual([2.0816659927368164, 1.5275251865386963]);
    expect(jnp.max(m, 0).tolist()).toEqual([4, 5, 6]);
    expect(jnp.min(m, 1).tolist()).toEqual([1, 3]);
    expect(jnp.prod(m, 1).tolist()).toEqual([10, 72]);
    expect(jnp.argmax(m, 0).tolist()).toEqual([1, 0, 1]);
    expect(jnp.argmin(m, 1).tolist()).toEqual([0, 1]);
    expect(jnp.any(m.gt(3), 0).tolist()).toEqual([true, true, true]);
    expect(jnp.all(m.gt(0), 1).tolist()).toEqual([true, true]);
    expect(jnp.sort(m, 0).tolist()).toEqual([
      [1, 3, 2],
      [4, 5, 6],
    ]);
    expect(jnp.argsort(m, 0).tolist()).toEqual([
      [0, 1, 0],
      [1, 0, 1],
    ]);
  });

  it("cumsum/cumprod take the axis positionally or as { axis }", () => {
    const cs = [
      [1, 6, 8],
      [4, 7, 13],
    ];
    expect(jnp.cumsum(m, 1).tolist()).toEqual(cs);
    expect(jnp.cumsum(m, { axis: 1 }).tolist()).toEqual(cs);
    expect(jnp.cumsum(m, 1, "int32").dtype.name).toBe("int32");
    expect(jnp.cumsum(m, { axis: 1, dtype: "int32" }).dtype.name).toBe("int32");
    expect(jnp.cumprod(m, { axis: 0 }).tolist()).toEqual([
      [1, 5, 2],
      [4, 15, 12],
    ]);
  });

  it("Array methods", () => {
    expect(m.sum(0).tolist()).toEqual([5, 8, 8]);
    expect(m.sum({ axis: 0 }).tolist()).toEqual([5, 8, 8]);
    expect(m.mean(1).tolist()).toEqual([Math.fround(8 / 3), Math.fround(13 / 3)]);
    expect(m.max(0).tolist()).toEqual([4, 5, 6]);
    expect(m.min(1, { keepdims: true }).tolist()).toEqual([[1], [3]]);
    expect(m.prod(1).tolist()).toEqual([10, 72]);
    expect(m.argmax(0).tolist()).toEqual([1, 0, 1]);
    expect(m.argmin(1).tolist()).toEqual([0, 1]);
    expect(m.gt(3).any(0).tolist()).toEqual([true, true, true]);
    expect(m.gt(0).all(1).tolist()).toEqual([true, true]);
    expect(m.var(0).tolist()).toEqual([2.25, 1, 4]);
    expect(m.std(1).tolist()).toEqual([1.6996731758117676, 1.2472190856933594]);
    expect(m.cumsum(1).tolist()).toEqual([
      [1, 6, 8],
      [4, 7, 13],
    ]);
    expect(m.cumprod({ axis: 0 }).tolist()).toEqual([
      [1, 5, 2],
      [4, 15, 12],
    ]);
  });

  it("out-of-bounds and conflicting axes raise, never reduce everything", () => {
    const x = jnp.array([1, 2, 3]);
    expect(() => x.sum(3)).toThrow(AxisError);
    expect(() => x.sum(3)).toThrow("axis 3 is out of bounds for array of dimension 1");
    expect(() => jnp.mean(x, 1)).toThrow(AxisError);
    expect(() => jnp.argmax(x, 1)).toThrow(AxisError);
    expect(() => jnp.sum(m, 0, { axis: 1 })).toThrow(
      new TypeError("sum() got multiple values for argument 'axis'"),
    );
    expect(() => jnp.sum(m, "0" as never)).toThrow(TypeError);
  });
});

describe("AxisError is numpy's: a ValueError and an IndexError", () => {
  it("instanceof both, and duplicate axes are a ValueError", () => {
    let err: unknown;
    try {
      jnp.sum(m, 2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AxisError);
    expect(err).toBeInstanceOf(ValueError);
    expect(err).toBeInstanceOf(IndexError);
    expect((err as Error).name).toBe("AxisError");
    expect(() => jnp.sum(m, [0, 0])).toThrow(ValueError);
    expect(() => jnp.sum(m, [0, 0])).toThrow("duplicate value in 'axis': (0, 0)");
  });
});
