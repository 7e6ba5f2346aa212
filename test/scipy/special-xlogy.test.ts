/**
 * jax.scipy.special.xlogy / xlog1py: JAX's values (jax/_src/scipy/special.py) — 0 where x = 0,
 * NaN in y propagated, and JAX's custom_jvp rule ẋ·log(y) + ẏ·x/y (log1p(y), 1 + y for
 * xlog1py), so d/dx at (0, 0) is log(0) = −inf and d/dx at (0, 2) is log 2 (issue 16).
 */
import { describe, expect, it } from "vitest";
import { type Array, grad, jit, numpy as jnp, scipy } from "../../src/index.js";

const { xlogy, xlog1py } = scipy.special;
const f32 = (v: number) => jnp.float32(v) as unknown as Array;
const n = (a: unknown) => (a as Array).item() as number;

describe("scipy.special.xlogy", () => {
  it("values: 0 at x = 0 (y = 0 too), NaN from y kept", () => {
    expect(n(xlogy(f32(0), f32(0)))).toBe(0);
    expect(n(xlogy(f32(2), f32(3)))).toBeCloseTo(2 * Math.log(3), 6);
    expect(Number.isNaN(n(xlogy(f32(0), f32(NaN))))).toBe(true);
    expect(xlogy.name).toBe("xlogy");
  });
  it("d/dx = log y, at x = 0 too (JAX custom_jvp); d/dy = x/y", () => {
    for (const g of [grad(xlogy), jit(grad(xlogy))]) {
      expect(n(g(f32(0), f32(2)))).toBeCloseTo(Math.log(2), 6);
      expect(n(g(f32(0), f32(0)))).toBe(-Infinity);
    }
    const gy = grad(xlogy, { argnums: 1 });
    expect(n(gy(f32(0), f32(1)))).toBe(0);
    expect(n(gy(f32(2), f32(4)))).toBeCloseTo(0.5, 6);
  });
});

describe("scipy.special.xlog1py", () => {
  it("values: 0 at (0, -1)", () => {
    expect(n(xlog1py(f32(0), f32(-1)))).toBe(0);
    expect(n(xlog1py(f32(2), f32(1)))).toBeCloseTo(2 * Math.log(2), 6);
  });
  it("d/dx = log1p y (−inf at (0, −1), JAX custom_jvp); d/dy = x/(1+y)", () => {
    expect(n(grad(xlog1py)(f32(0), f32(-1)))).toBe(-Infinity);
    expect(n(jit(grad(xlog1py))(f32(0), f32(1)))).toBeCloseTo(Math.log(2), 6);
    expect(n(grad(xlog1py, { argnums: 1 })(f32(3), f32(1)))).toBeCloseTo(1.5, 6);
  });
});
