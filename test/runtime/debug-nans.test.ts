// config debugNans (JAX's jax_debug_nans): a NaN in a float or complex output raises
// FloatingPointError naming the primitive (eager) or the jitted function; off by default.
import { afterEach, describe, expect, it } from "vitest";
import {
  FloatingPointError,
  config,
  debugInfs,
  debugNans,
  jit,
  numpy as jnp,
} from "../../src/index.js";

afterEach(() => {
  config.update("debugNans", false);
  config.update("debugInfs", false);
  config.update("defaultDevice", "wasm");
});

describe("debugNans", () => {
  it("is off by default: a NaN is returned", () => {
    expect(String(jnp.log(-1))).toBe("nan");
  });

  for (const device of ["wasm", "js"]) {
    it(`raises FloatingPointError naming the primitive or jit(f) on ${device}`, () => {
      config.update("defaultDevice", device);
      const x = jnp.array([1, -1], { dtype: "float32" });
      config.update("debugNans", true);
      expect(() => jnp.log(x)).toThrow(FloatingPointError);
      expect(() => jnp.log(x)).toThrow(/^invalid value \(nan\) encountered in log \(/);
      function logOfSquareMinus2(y: typeof x) {
        return jnp.log(y.mul(y).sub(2));
      }
      expect(() => jit(logOfSquareMinus2)(x)).toThrow(
        /invalid value \(nan\) encountered in jit\(logOfSquareMinus2\)/,
      );
      // finite results, integer outputs and inf pass
      expect(String(jnp.log(jnp.abs(x)))).toBe("[0. 0.]");
      expect(String(jnp.divide(x, 0))).toBe("[ inf -inf]");
      expect(String(jnp.arange(3))).toBe("[0 1 2]");
    });
  }

  it("debugNans() as JAX's context manager: on inside the body, restored after", () => {
    expect(() => debugNans(() => jnp.sqrt(-1))).toThrow(FloatingPointError);
    expect(config.read("debugNans")).toBe(false);
    {
      using _ = debugNans();
      expect(() => jnp.log(-1)).toThrow(/encountered in log/);
    }
    expect(String(jnp.log(-1))).toBe("nan");
  });

  it("debugInfs raises on ±inf (and not on NaN); jax_debug_infs is its JAX name", () => {
    config.update("jax_debug_infs", true);
    expect(config.read("debugInfs")).toBe(true);
    expect(() => jnp.divide(1, jnp.zeros([2]))).toThrow(
      /^invalid value \(inf\) encountered in div \(config debugInfs is on/,
    );
    expect(String(jnp.log(-1))).toBe("nan");
    config.update("debugInfs", false);
    expect(() => debugInfs(() => jnp.exp(1000))).toThrow(FloatingPointError);
    expect(String(jnp.exp(1000))).toBe("inf");
  });
});
