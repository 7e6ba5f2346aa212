/**
 * Regression: convert_element_type between real and complex dtypes carries tangents (it is
 * linear), as JAX's — the tangent of float32 → complex64 was a symbolic zero, so
 * grad(f)(x) of f(x) = Σ w·real(fft(x)) for real x was silently all zeros.
 */
import { describe, expect, it } from "vitest";
import { type Array, grad, jvp, lax, numpy as jnp } from "../../src/index.js";

describe("convert_element_type real ↔ complex under autodiff", () => {
  const w = jnp.array([1, 2, 3], "float32");
  const x = jnp.array([0.5, -1, 2], "float32");

  it("float32 → complex64: real(convert(x)) has gradient w", () => {
    const f = (y: Array) => jnp.sum(lax.real(lax.convertElementType(y, "complex64")).mul(w));
    expect(globalThis.Array.from((grad(f)(x) as Array).toTypedArray() as Float32Array)).toEqual([
      1, 2, 3,
    ]);
  });

  it("float32 → complex64: the JVP converts the tangent", () => {
    const [, t] = jvp((y: Array) => lax.convertElementType(y, "complex64"), [x], [w]) as [
      Array,
      Array,
    ];
    expect(t.dtype.name).toBe("complex64");
    expect(globalThis.Array.from(lax.real(t).toTypedArray() as Float32Array)).toEqual([1, 2, 3]);
  });

  it("complex64 → float32 keeps the real part's tangent", () => {
    const z = lax.complex(x, w);
    const [, t] = jvp((y: Array) => lax.convertElementType(y, "float32"), [z], [z]) as [
      Array,
      Array,
    ];
    expect(globalThis.Array.from(t.toTypedArray() as Float32Array)).toEqual([0.5, -1, 2]);
  });
});
