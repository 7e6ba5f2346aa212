/**
 * The public lax layer: JAX's signatures, dtype arguments as strings or `jnp.float32`, JS
 * scalars as weakly typed operands, and TypeErrors (never wrong values) for anything else.
 */
import { describe, expect, it } from "vitest";
import { type Array, float, lax, makeJaxpr, numpy as jnp } from "../../src/index.js";

const repr = (a: Array) => a.repr();

describe("lax operands", () => {
  const x = jnp.array([1, 2, 3], "float32");

  it("rejects JS lists instead of computing NaNs (JAX: not a valid JAX type)", () => {
    expect(() => lax.add(x, [1, 2, 3] as never)).toThrow(TypeError);
    expect(() => lax.add(x, [1, 2, 3] as never)).toThrow(
      "Value [1, 2, 3] of type list is not a valid JAX type (an operand of add)",
    );
    expect(() => lax.sin("a" as never)).toThrow("Value 'a' of type string is not a valid JAX type");
    expect(() => lax.reshape([1, 2] as never, [2])).toThrow(
      "lax.reshape: operand the JS list [1, 2] is not a valid JAX type",
    );
    // select_n is variadic in JAX: a list of cases is one (invalid) operand
    expect(() => lax.selectN(jnp.array([true, false, true]), [x, x] as never)).toThrow(TypeError);
  });

  it("takes JS scalars as weakly typed operands, with lax's same-dtype rule", () => {
    expect(repr(lax.add(x, float(1)))).toBe("Array([2., 3., 4.], dtype=float32)");
    expect(repr(lax.add(x, 1.5))).toBe("Array([2.5, 3.5, 4.5], dtype=float32)");
    // lax.add(f32, 1): int32 vs float32, a TypeError as in JAX (lax does not promote)
    expect(() => lax.add(x, 1)).toThrow(TypeError);
    expect(() => lax.add(x, 1)).toThrow("add requires arguments to have the same dtypes");
    expect(repr(lax.expandDims(2.5, [0]))).toBe("Array([2.5], dtype=float32, weak_type=True)");
    expect(makeJaxpr((a: Array) => lax.mul(a, 2.5))(x).toString()).toBe(
      "{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.5 in (b,) }",
    );
  });
});

describe("lax dtype arguments", () => {
  const x = jnp.array([1.7, -2.5, 3], "float32");
  it("convertElementType accepts names, jnp scalar types and JS scalars", () => {
    expect(repr(lax.convertElementType(x, "int32"))).toBe("Array([ 1, -2,  3], dtype=int32)");
    expect(repr(lax.convertElementType(x, jnp.int32))).toBe("Array([ 1, -2,  3], dtype=int32)");
    expect(repr(lax.convertElementType(5, "float32"))).toBe("Array(5., dtype=float32)");
    // always strongly typed, and int64 canonicalizes to int32 without x64
    expect(repr(lax.convertElementType(jnp.asarray(5), "int64"))).toBe("Array(5, dtype=int32)");
    expect(() => lax.convertElementType(x, "f32" as never)).toThrow(
      "Cannot interpret 'f32' as a data type",
    );
  });

  it("full(shape, fill, dtype?) and iota(dtype, size)", () => {
    expect(repr(lax.full([2], 3, "float32"))).toBe("Array([3., 3.], dtype=float32)");
    // without a dtype: the fill value's, weak type kept (JAX's lax.full)
    expect(repr(lax.full([2], 3))).toBe("Array([3, 3], dtype=int32, weak_type=True)");
    expect(repr(lax.full([], true, "bool"))).toBe("Array(True, dtype=bool)");
    expect(() => lax.full([2], jnp.ones([2]))).toThrow(
      "full must be called with scalar fill_value, got fill_value.shape (2,).",
    );
    expect(repr(lax.iota("int32", 4))).toBe("Array([0, 1, 2, 3], dtype=int32)");
    expect(repr(lax.iota(jnp.float32, 3))).toBe("Array([0., 1., 2.], dtype=float32)");
    expect(lax.broadcastedIota("int32", [2, 3], 1).tolist()).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(() => lax.iota("int32", 2.5)).toThrow(TypeError);
    expect(makeJaxpr(() => lax.full([2], 3, "float32"))().toString()).toBe(
      "{ lambda ; . let\n    a:f32[2] = broadcast_in_dim[broadcast_dimensions=() shape=(2,)] 3.0\n  in (a,) }",
    );
  });

  it("argmax index dtype and bitcast dtype as strings", () => {
    expect(repr(lax.argmax(x, 0, "int32"))).toBe("Array(2, dtype=int32)");
    expect(repr(lax.bitcastConvertType(jnp.float32(1), "int32"))).toBe(
      "Array(1065353216, dtype=int32)",
    );
  });
});

describe("lax.sort", () => {
  it("an Array gives an Array, a list gives a list", () => {
    const s = lax.sort(jnp.array([3, 1, 2]));
    expect(repr(s)).toBe("Array([1, 2, 3], dtype=int32)");
    const [k, v] = lax.sort([jnp.array([3, 1, 2]), jnp.array([30, 10, 20])], 0, true, 1);
    expect(k!.tolist()).toEqual([1, 2, 3]);
    expect(v!.tolist()).toEqual([10, 20, 30]);
    expect(() => lax.sort(jnp.array([3, 1]), 1)).toThrow(
      "dimension 1 is out of bounds for array of dimension 1",
    );
  });
});
