/**
 * float16 scalar constants are stored as binary16 bit patterns everywhere a JS scalar is
 * written (scalar arrays, literal outputs, constant folding), on both devices.
 * Expected values computed with numpy 2.x float16 arithmetic, e.g.
 * `(np.array([1,2,3], np.float16) + np.float16(0.1)).astype(np.float32).tolist()`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, makeJaxpr, numpy as jnp } from "../../src/index.js";

const vals = (a: Array) => [...a.toTypedArray()];

for (const device of ["wasm", "js"]) {
  describe(`float16 constants (${device} device)`, () => {
    const before = config.read("defaultDevice");
    beforeAll(() => config.update("defaultDevice", device));
    afterAll(() => config.update("defaultDevice", before));

    it("creation: ones, full, jnp.float16, zeros + 1", () => {
      expect(vals(jnp.ones([2], "float16"))).toEqual([1, 1]);
      expect(vals(jnp.full([2], 3, "float16"))).toEqual([3, 3]);
      expect(vals(jnp.full([2], 1.5, "float16"))).toEqual([1.5, 1.5]);
      expect(jnp.float16(1.5).item()).toBe(1.5);
      expect(String(jnp.float16(1.5))).toBe("1.5");
      expect(String(jnp.ones([2], "float16"))).toBe("[1. 1.]");
      expect(vals(jnp.add(jnp.zeros([2], "float16"), 1))).toEqual([1, 1]);
    });

    it("arithmetic with weak JS scalars rounds the scalar to float16", () => {
      const x = jnp.array([1, 2, 3], "float16");
      expect(vals(jnp.add(x, 0.1))).toEqual([1.099609375, 2.099609375, 3.099609375]);
      expect(vals(jnp.multiply(x, 1000))).toEqual([1000, 2000, 3000]);
      expect(vals(jnp.multiply(x, 30000))).toEqual([30000, 60000, Infinity]);
      expect(jnp.mean(x).item()).toBe(2);
      expect(jnp.var_(x).item()).toBeCloseTo(0.6665, 4); // np.var -> 0.6665 (float16)
      expect(jnp.mean(x).dtype.name).toBe("float16");
    });
  });
}

describe("float16 literals in jaxprs", () => {
  it("stages the literal's float16 value", () => {
    const f16 = jnp.zeros([2], "float16");
    expect(makeJaxpr((x: Array) => jnp.add(x, 1))(f16).toString()).toBe(
      "{ lambda ; a:f16[2]. let b:f16[2] = add a 1.0 in (b,) }",
    );
    expect(makeJaxpr((x: Array) => jnp.multiply(x, 0.1))(f16).toString()).toBe(
      "{ lambda ; a:f16[2]. let b:f16[2] = mul a 0.1 in (b,) }",
    );
  });
  it("a literal output of a jitted program holds the float16 value", () => {
    const out = makeJaxpr(() => jnp.float16(2.5))();
    expect(out.toString()).toBe("{ lambda ; . let  in (2.5,) }");
  });
});
