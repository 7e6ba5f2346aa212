/** Tracer errors with JAX's classes and names; invalid output leaves of traced functions. */
import { describe, expect, it } from "vitest";
import {
  type Array,
  TracerIntegerConversionError,
  UnexpectedTracerError,
  jit,
  makeJaxpr,
  numpy as jnp,
} from "../../src/index.js";

describe("output leaves that are not arrays", () => {
  it("makeJaxpr raises a TypeError naming the leaf", () => {
    expect(() => makeJaxpr((_x: unknown) => "s")(1)).toThrow(TypeError);
    expect(() => makeJaxpr((_x: unknown) => "s")(1)).toThrow(
      "Value 's' of type string is not a valid JAX type: it is output leaf 0 of the function " +
        "<lambda> traced for make_jaxpr.",
    );
    expect(() => makeJaxpr((x: unknown) => ({ a: x, b: () => 1 }))(1)).toThrow(
      "Value of type function is not a valid JAX type: it is output leaf 1",
    );
  });
  it("JS numbers and TypedArrays are valid outputs", () => {
    expect(makeJaxpr((_x: unknown) => 3)(1).toString()).toBe("{ lambda ; a:i32[]. let  in (3,) }");
    expect(makeJaxpr((_x: unknown) => new Float32Array([1, 2]))(1).toString()).toBe(
      "{ lambda a:f32[2]; b:i32[]. let  in (a,) }",
    );
  });
});

describe("tracer conversions", () => {
  it("a traced size is a TracerIntegerConversionError (reshape, zeros)", () => {
    const f = (x: Array, n: unknown) => x.reshape([n as number]);
    expect(() => makeJaxpr(f)(jnp.ones([3]), 3)).toThrow(TracerIntegerConversionError);
    expect(() => makeJaxpr(f)(jnp.ones([3]), 3)).toThrow(
      "An integer conversion (an index or a size) was attempted on traced array with shape int32[].",
    );
    expect(() => makeJaxpr((n: unknown) => jnp.zeros([n as number]))(3)).toThrow(
      TracerIntegerConversionError,
    );
    // a concrete 0-d array is a fine size
    expect(jnp.ones([3]).reshape([jnp.asarray(3) as unknown as number]).shape).toEqual([3]);
  });

  it("a leaked staged tracer is named DynamicJaxprTracer, as in JAX", () => {
    let leaked: Array | undefined;
    jit((x: Array) => {
      leaked = x.mul(2);
      return x;
    })(jnp.ones([2]));
    expect(() => jnp.add(leaked!, 1)).toThrow(UnexpectedTracerError);
    expect(() => jnp.add(leaked!, 1)).toThrow(
      "intermediate value with type float32[2] wrapped in a DynamicJaxprTracer to escape",
    );
  });
});
