/**
 * ensureCompileTimeEval: operations on concrete values run eagerly while staging (JAX's
 * eager_constant_folding), so their results drive JS control flow inside jit; operations on
 * traced values are still staged (and concretizing them still fails); the option is restored.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  ConcretizationTypeError,
  TracerIntegerConversionError,
  config,
  ensureCompileTimeEval,
  jit,
  makeJaxpr,
  numpy as jnp,
} from "../../src/index.js";

// JAX's docstring example: z's sign decides the branch at trace time.
const f = (x: Array | number): Array => {
  const [z, positive] = ensureCompileTimeEval(() => {
    const z = jnp.sin(jnp.sin(3.0));
    return [z, z.gt(0)] as const;
  });
  return positive.item() ? jnp.sin(x).mul(z) : jnp.cos(x);
};

describe("ensureCompileTimeEval", () => {
  it("concrete computations fold into literals; traced ones are staged", () => {
    expect(makeJaxpr(f)(1.5).toString()).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 0.14065208 in (c,) }",
    );
    const jitted = jit(f)(jnp.array(1.5, "float32"));
    const eager = f(jnp.array(1.5, "float32"));
    expect(jitted.item()).toBeCloseTo(Number(eager.item()), 6);
    expect(Number(eager.item())).toBeCloseTo(Math.sin(1.5) * Math.sin(Math.sin(3)), 6);
  });

  it("without it the same constants are staged (omnistaging) and cannot drive control flow", () => {
    expect(() =>
      makeJaxpr((x: Array | number) => (jnp.sin(3.0).gt(0).item() ? jnp.sin(x) : x))(1.5),
    ).toThrow(ConcretizationTypeError);
    expect(makeJaxpr((x: Array | number) => jnp.add(x, jnp.arange(3).sum()))(1.5).eqns.length).toBe(
      4,
    );
  });

  it("traced values are still traced inside it", () => {
    expect(() =>
      makeJaxpr((x: Array | number) => ensureCompileTimeEval(() => jnp.sin(x).gt(0).item()))(1.5),
    ).toThrow(TracerIntegerConversionError);
  });

  it("the disposable form and the config flag; the option is restored", () => {
    {
      using _ctx = ensureCompileTimeEval();
      expect(config.read("eagerConstantFolding")).toBe(true);
      expect(
        makeJaxpr((x: Array | number) => jnp.add(x, jnp.arange(3).sum()))(1.5).toString(),
      ).toBe("{ lambda ; a:f32[]. let b:f32[] = add a 3.0 in (b,) }");
    }
    expect(config.read("eagerConstantFolding")).toBe(false);
    expect(() =>
      ensureCompileTimeEval(() => {
        throw new Error("x");
      }),
    ).toThrow("x");
    expect(config.read("eagerConstantFolding")).toBe(false);
    config.update("jax_eager_constant_folding", true);
    try {
      expect(
        makeJaxpr((x: Array | number) => jnp.add(x, jnp.arange(3).sum()))(1.5).eqns.length,
      ).toBe(1);
    } finally {
      config.update("jax_eager_constant_folding", false);
    }
  });
});
