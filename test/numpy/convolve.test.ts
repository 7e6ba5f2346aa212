/**
 * jnp.convolve / jnp.correlate against numpy (fixtures from test/fixtures/make_conv.py): all
 * modes, both argument orders, on both devices and under jit; dtypes and errors as JAX's.
 */
import { describe, expect, it } from "vitest";
import { type Array, ValueError, jit, numpy as jnp } from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";
import { convFixtures, expectFixture } from "../fixtures/conv-fixtures.js";

const cases = convFixtures.filter((c) => c.ns === "jnp");

describe("jnp.convolve / jnp.correlate vs numpy", () => {
  for (const device of ["js", "wasm"]) {
    it(`${cases.length} cases on ${device}, eager and jit`, () => {
      on(device, () => {
        for (const c of cases) {
          const f = c.fn === "convolve" ? jnp.convolve : jnp.correlate;
          const a = jnp.asarray(Float32Array.from(c.a));
          const b = jnp.asarray(Float32Array.from(c.b));
          expectFixture(f(a, b, c.mode), c);
          expectFixture(jit((x: Array, y: Array) => f(x, y, c.mode))(a, b), c);
        }
      });
    });
  }

  it("promotes to inexact; preferred_element_type keeps integers", () => {
    const y = jnp.convolve([1, 2, 3], [0, 1, 0.5]);
    expect(y.dtype.name).toBe("float32");
    expect(y.tolist()).toEqual([0, 1, 2.5, 4, 1.5]);
    const i = jnp.convolve(jnp.asarray([1, 2, 3], "int32"), jnp.asarray([1, 1], "int32"));
    expect(i.dtype.name).toBe("float32");
    const p = jnp.correlate(jnp.asarray([1, 2, 3], "int32"), jnp.asarray([1, 1], "int32"), "full", {
      preferredElementType: "int32",
    });
    expect(p.dtype.name).toBe("int32");
    expect(p.tolist()).toEqual([1, 3, 5, 3]);
    expect(jnp.correlate.name).toBe("correlate");
  });

  it("raises JAX's errors", () => {
    expect(() => jnp.convolve(jnp.ones([2, 2]), [1])).toThrow(ValueError);
    expect(() => jnp.convolve(jnp.ones([2, 2]), [1])).toThrow(
      "convolve() only support 1-dimensional inputs.",
    );
    expect(() => jnp.correlate(jnp.ones([0]), [1])).toThrow(
      "correlate: inputs cannot be empty, got shapes (0,) and (1,).",
    );
    // @ts-expect-error: an unknown mode
    expect(() => jnp.convolve([1, 2], [1], "wrap")).toThrow(
      "mode must be one of ['full', 'same', 'valid']",
    );
  });
});
