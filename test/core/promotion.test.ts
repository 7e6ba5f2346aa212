import { describe, expect, it } from "vitest";
import { config, numpy as jnp } from "../../src/index.js";

// Entries of JAX's type promotion table (jax.readthedocs.io/en/latest/type_promotion.html).
describe("type promotion", () => {
  const cases: [string, string, string][] = [
    ["bool", "bool", "bool"],
    ["bool", "uint8", "uint8"],
    ["bool", "float16", "float16"],
    ["uint8", "int8", "int16"],
    ["uint8", "uint16", "uint16"],
    ["uint16", "int16", "int32"],
    ["uint32", "int32", "int64"],
    ["uint32", "int8", "int64"],
    ["int8", "int32", "int32"],
    ["int32", "float16", "float16"],
    ["uint32", "float16", "float16"],
    ["int64", "float16", "float16"],
    ["uint64", "int64", "float64"],
    ["float16", "float32", "float32"],
    ["float32", "float64", "float64"],
  ];
  it.each(cases)("promote_types(%s, %s) = %s", (a, b, out) => {
    expect(jnp.promoteTypes(a as never, b as never).name).toBe(out);
    expect(jnp.promoteTypes(b as never, a as never).name).toBe(out);
  });

  it("canonicalizes result_type without x64", () => {
    expect(jnp.resultType("uint32", "int32").name).toBe("int32");
    expect(jnp.resultType("float64").name).toBe("float32");
    config.update("jax_enable_x64", true);
    try {
      expect(jnp.resultType("uint32", "int32").name).toBe("int64");
      expect(jnp.resultType("float64").name).toBe("float64");
    } finally {
      config.update("jax_enable_x64", false);
    }
  });

  it("treats JS numbers as weak types", () => {
    expect(jnp.resultType(jnp.zeros([2], "float16"), 1.5).name).toBe("float16");
    expect(jnp.resultType(jnp.zeros([2], "uint8"), 3).name).toBe("uint8");
    expect(jnp.resultType(jnp.zeros([2], "int32"), 1.5).name).toBe("float32");
    expect(jnp.resultType(1, 2).name).toBe("int32");
    expect(jnp.resultType(1, 2.5).name).toBe("float32");
    expect(jnp.resultType(true, 2).name).toBe("int32");
    expect(jnp.resultType(true, false).name).toBe("bool");
    const a = jnp.add(jnp.arange(3), 1.5);
    expect([a.dtype.name, a.weakType]).toEqual(["float32", true]);
    const b = jnp.add(jnp.arange(3, undefined, undefined, "int8"), 1);
    expect([b.dtype.name, b.weakType]).toEqual(["int8", false]);
    const c = jnp.add(jnp.float16(1), jnp.int32(1));
    expect(c.dtype.name).toBe("float16");
  });

  it("infers nested-array and TypedArray dtypes like numpy", () => {
    expect(jnp.array([1, 2, 3]).dtype.name).toBe("int32");
    expect(jnp.array([1, 2.5]).dtype.name).toBe("float32");
    expect(jnp.array([true, false]).dtype.name).toBe("bool");
    expect(
      jnp.array([
        [1, 2],
        [3, 4],
      ]).shape,
    ).toEqual([2, 2]);
    expect(jnp.array(new Float64Array([1, 2])).dtype.name).toBe("float32");
    expect(jnp.array(new Uint32Array([1, 2])).dtype.name).toBe("uint32");
    expect(jnp.array(new Int8Array([1, 2])).dtype.name).toBe("int8");
    expect(jnp.array([1, 2]).weakType).toBe(false);
    expect(jnp.asarray(3).weakType).toBe(true);
  });

  it("rejects ragged lists and unknown dtypes", () => {
    expect(() => jnp.array([[1, 2], [3]])).toThrow(/inhomogeneous shape after 1 dimensions/);
    expect(() => jnp.zeros([2], "float128" as never)).toThrow(
      /Cannot interpret 'float128' as a data type/,
    );
    expect(() => jnp.array(["a"] as never)).toThrow(/Cannot convert string/);
  });

  it("prints dtypes and scalar types by name", () => {
    expect(String(jnp.float32)).toBe("float32");
    expect(jnp.float32(2).dtype.name).toBe("float32");
    expect(jnp.zeros([1]).astype(jnp.int32).dtype.name).toBe("int32");
  });
});
