import { describe, expect, it } from "vitest";
import { planBuffers } from "../../src/kernel/buffer-plan.js";
import { type Array, jit, makeJaxpr, numpy as jnp } from "../../src/index.js";
import { compileJaxpr } from "../../src/runtime/compile.js";
import { getDevice } from "../../src/runtime/devices.js";

describe("buffer planning", () => {
  // Each stage's exp is read by two consumers, so it is materialized: a chain of temporaries.
  const f = (x: Array) => {
    let y = x;
    for (let i = 0; i < 5; i++) {
      const e = jnp.exp(y.mul(0.1));
      y = e.mul(2).sub(e.mul(3));
    }
    return y;
  };

  it("reuses storage of temporaries whose lifetimes do not overlap", () => {
    const p = compileJaxpr(makeJaxpr(f)(jnp.ones([64])).jaxpr, getDevice("js")).program;
    const temps = p.buffers.filter((b) => b.kind === "temp");
    expect(temps.length).toBeGreaterThanOrEqual(4);
    const plan = planBuffers(p);
    expect(plan.slotBytes.length).toBeLessThanOrEqual(2);
  });

  it("computes the same values as eager execution with shared slots", () => {
    const x = jnp.linspace(-1, 1, 64);
    const got = jit(f)(x).toTypedArray();
    const want = f(x).toTypedArray();
    got.forEach((v, i) => expect(Number(v)).toBeCloseTo(Number(want[i]), 5));
  });
});
