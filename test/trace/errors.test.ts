import { describe, expect, it } from "vitest";
import {
  type Array,
  ConcretizationTypeError,
  TracerArrayConversionError,
  TracerBoolConversionError,
  TracerIntegerConversionError,
  UnexpectedTracerError,
  float,
  jit,
  makeJaxpr,
  numpy as jnp,
} from "../../src/index.js";

describe("tracer errors", () => {
  it("comparisons and Number() on tracers raise TracerBoolConversionError", () => {
    expect(() => makeJaxpr((x: Array) => ((x as unknown as number) > 0 ? x : x))(float(1))).toThrow(
      TracerBoolConversionError,
    );
    expect(() => makeJaxpr((x: Array) => jnp.full([Number(x)], 1))(3 as never)).toThrow(
      ConcretizationTypeError,
    );
  });

  it("item() on a tracer raises TracerIntegerConversionError; tolist() TracerArrayConversionError", () => {
    expect(() => jit((x: Array) => jnp.zeros([x.item() as number]))(3 as never)).toThrow(
      TracerIntegerConversionError,
    );
    expect(() => jit((x: Array) => jnp.array(x.tolist() as number[]))(jnp.ones([2]))).toThrow(
      TracerArrayConversionError,
    );
  });

  it("names the argument a value depends on, through arithmetic and pytrees", () => {
    const f = (p: { a: Array; b: Array }, y: Array) =>
      (p.b.add(y).sum().gt(0) as unknown as number) > 0;
    let msg = "";
    try {
      jit(f)({ a: jnp.ones([2]), b: jnp.ones([2]) }, jnp.ones([2]));
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain("depends on the values of the arguments p['b'] and y.");
  });

  it("a tracer used after its transformation ended raises UnexpectedTracerError", () => {
    let leaked: Array | undefined;
    jit((x: Array) => {
      leaked = x;
      return x.add(1);
    })(jnp.ones([2]));
    expect(() => leaked!.mul(2)).toThrow(UnexpectedTracerError);
    expect(() => leaked!.mul(2)).toThrow(/escape the scope of the transformation/);
  });

  it("a tracer prints as JAX prints it, in template literals and util.inspect", () => {
    let text = "";
    makeJaxpr((x: Array) => {
      text = `${x}`;
      return x;
    })(jnp.ones([3], "int32"));
    expect(text).toBe("Traced<ShapedArray(int32[3])>with<DynamicJaxprTrace(level=1/0)>");
  });
});
