/**
 * `jnp.array` / `jnp.asarray` of nested lists as JAX: the dtype is the promotion of the
 * leaves (JS numbers weakly typed by the scalar rule), lists holding arrays — concrete or
 * traced — are stacked, and a requested dtype always gives a strongly typed result.
 * Expected values computed with numpy 2.x (`np.array([[1, 2], [3, 4]])`, …).
 */
import { describe, expect, it } from "vitest";
import { type Array, ValueError, float, makeJaxpr, numpy as jnp } from "../../src/index.js";

const list = (a: Array) => a.tolist();
const repr = (a: Array) => a.repr();

describe("jnp.array of lists holding arrays (stacked, as JAX)", () => {
  it("stacks concrete arrays and mixes numbers with arrays", () => {
    const a = jnp.array([jnp.array([1, 2]), jnp.array([3, 4])] as never);
    expect(repr(a)).toBe("Array([[1, 2],\n       [3, 4]], dtype=int32)");
    // a float leaf makes the whole result float32
    const b = jnp.array([jnp.array([1, 2]), [5, 6.5]] as never);
    expect(b.dtype.name).toBe("float32");
    expect(list(b)).toEqual([
      [1, 2],
      [5, 6.5],
    ]);
    // strong scalar arrays win over weak JS numbers: jnp.array([jnp.float32(1), 2]) is float32
    expect(repr(jnp.array([jnp.float32(1), 2] as never))).toBe("Array([1., 2.], dtype=float32)");
    expect(repr(jnp.array([jnp.array(1, "int8"), 3] as never))).toBe("Array([1, 3], dtype=int8)");
    // TypedArray leaves count as arrays of their dtype
    const t = jnp.array([new Float32Array([1, 2]), new Float32Array([3, 4])] as never);
    expect(t.dtype.name).toBe("float32");
    expect(t.shape).toEqual([2, 2]);
  });

  it("stages broadcast_in_dim + concatenate for traced leaves", () => {
    expect(makeJaxpr((x: Array) => jnp.array([x, 1] as never))(float(1)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = convert_element_type[new_dtype=float32 weak_type=False] a",
        "    c:f32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,)] b",
        "    d:f32[1] = broadcast_in_dim[broadcast_dimensions=() shape=(1,)] 1.0",
        "    e:f32[2] = concatenate[dimension=0] c d",
        "  in (e,) }",
      ].join("\n"),
    );
    expect(
      makeJaxpr((x: Array) => jnp.array([x, x] as never))(jnp.zeros([2], "float32")).toString(),
    ).toBe(
      [
        "{ lambda ; a:f32[2]. let",
        "    b:f32[1,2] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(1, 2)] a",
        "    c:f32[1,2] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(1, 2)] a",
        "    d:f32[2,2] = concatenate[dimension=0] b c",
        "  in (d,) }",
      ].join("\n"),
    );
  });

  it("raises ValueError for elements of different shapes, TypeError for other leaves", () => {
    expect(() => jnp.array([jnp.ones([2]), jnp.ones([3])] as never)).toThrow(ValueError);
    expect(() => jnp.array([jnp.ones([2]), jnp.ones([3])] as never)).toThrow(
      "the elements have shapes (2,), (3,)",
    );
    expect(() => jnp.array([[1, 2], [3]])).toThrow(ValueError);
    expect(() => jnp.array([[1, 2], [3]])).toThrow(
      "inhomogeneous shape after 1 dimensions: the element at [1] has length 1, expected 2",
    );
    expect(() => jnp.array([1, null] as never)).toThrow(TypeError);
  });
});

describe("dtype of JS-number lists (the README's scalar rule, element by element)", () => {
  it("integers outside int32 make the list float32 instead of wrapping", () => {
    // np.array([1, 1e10], np.float32) -> [1.e+00, 1.e+10]
    const a = jnp.array([1, 1e10]);
    expect(a.dtype.name).toBe("float32");
    expect(list(a)).toEqual([1, 1e10]);
    expect(jnp.array([2 ** 31]).dtype.name).toBe("float32");
    expect(jnp.array([2 ** 31 - 1]).dtype.name).toBe("int32");
    expect(jnp.array([-(2 ** 31)]).dtype.name).toBe("int32");
    expect(
      jnp.array([
        [1, 2],
        [3, 4.5],
      ]).dtype.name,
    ).toBe("float32");
    expect(jnp.array([true, 2]).dtype.name).toBe("int32");
    expect(jnp.array([true, false]).dtype.name).toBe("bool");
  });

  it("an empty list is float32 (numpy's default float)", () => {
    expect(repr(jnp.array([]))).toBe("Array([], shape=(0,), dtype=float32)");
    expect(repr(jnp.array([[], []]))).toBe("Array([], shape=(2, 0), dtype=float32)");
  });
});

describe("a requested dtype drops the weak type (JAX's convert_element_type)", () => {
  it("astype and asarray(x, dtype) give weak_type=False even when the dtype is unchanged", () => {
    const w = jnp.asarray(5);
    expect(w.weakType).toBe(true);
    expect(repr(w.astype("int32"))).toBe("Array(5, dtype=int32)");
    expect(repr(jnp.asarray(w, "int32"))).toBe("Array(5, dtype=int32)");
    expect(repr(jnp.array(w, jnp.int32))).toBe("Array(5, dtype=int32)");
    // without a dtype the weak type is kept
    expect(jnp.asarray(w).weakType).toBe(true);
    expect(makeJaxpr((x: Array) => x.astype("float32"))(float(1)).toString()).toBe(
      "{ lambda ; a:f32[]. let\n    b:f32[] = convert_element_type[new_dtype=float32 weak_type=False] a\n  in (b,) }",
    );
  });
});
