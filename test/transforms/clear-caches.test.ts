// jax.clear_caches: after clearCaches() every jitted function traces again (its cache is
// empty), results are unchanged, and arrays made before stay valid.
import { describe, expect, it } from "vitest";
import { type Array, clearCaches, jit, numpy as jnp } from "../../src/index.js";

describe("clearCaches", () => {
  it("makes jitted functions retrace on their next call; values and arrays unaffected", () => {
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return jnp.sin(x).mul(2);
    });
    const x = jnp.arange(4).astype("float32");
    const first = String(f(x));
    f(x);
    expect(traces).toBe(1);
    expect(f.cacheSize()).toBe(1);
    clearCaches();
    expect(f.cacheSize()).toBe(0);
    expect(String(f(x))).toBe(first);
    expect(traces).toBe(2);
    expect(String(x)).toBe("[0. 1. 2. 3.]");
    expect(String(jnp.cos(x).sum())).toBe(String(jnp.cos(jnp.arange(4).astype("float32")).sum()));
  });
});
