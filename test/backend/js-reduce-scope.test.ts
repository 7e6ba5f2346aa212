/**
 * Regression: the js device's loop emitter named a load inside one reduction loop and reused
 * that name in a second reduction placed at another loop depth, where it is not in scope
 * (`ReferenceError: t19 is not defined` for jit(sum(a·w, 1) / sum(w, 1)) with w broadcast
 * from a vector — jnp.average with 1-d weights). Names computed inside a reduction loop are
 * now scoped to it.
 */
import { describe, expect, it } from "vitest";
import { type Array, config, jit, numpy as jnp } from "../../src/index.js";

describe("js codegen: names inside reduction loops", () => {
  it("a load shared by reductions at different depths is recomputed in each loop", () => {
    const prev = config.read("defaultDevice");
    config.update("defaultDevice", "js");
    try {
      const a = jnp
        .array([
          [1, 2, 3],
          [4, 5, 6],
        ])
        .astype("float32");
      const w = jnp.array([0.5, 1, 2]).astype("float32");
      const f = jit((x: Array, v: Array) => {
        const vv = jnp.broadcastTo(v, [2, 3]);
        return jnp.sum(x.mul(vv), 1).div(jnp.sum(vv, 1));
      });
      const got = f(a, w).tolist() as number[];
      expect(got[0]).toBeCloseTo(8.5 / 3.5, 5);
      expect(got[1]).toBeCloseTo(19 / 3.5, 5);
    } finally {
      config.update("defaultDevice", prev);
    }
  });
});
