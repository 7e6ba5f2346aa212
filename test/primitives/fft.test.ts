/**
 * The `fft` primitive (lax.fft): its jaxpr text, JAX's abstract-evaluation errors, the
 * transposes by the dot-product identity Re Σ (F x)·y = Re Σ x·(Fᵀ y) (vjp gives Fᵀ y in JAX's
 * convention) for FFT, IFFT, RFFT, IRFFT in one and two dimensions, the JVP (F of the tangent),
 * gradients of real compositions against central differences, vmap against a loop over each
 * batch axis, and the js and wasm devices against each other.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  grad,
  jit,
  jvp,
  lax,
  makeJaxpr,
  numpy as jnp,
  vjp,
  vmap,
} from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";
import { parkMiller } from "../backend/park-miller.js";
import { complexFrom, flatValues, relL2 } from "../numpy/fft/fft-helpers.js";
import { checkGrads } from "../transforms/ad-helpers.js";

const cplx = (seed: number, shape: number[]) =>
  complexFrom(parkMiller(seed, 2 * shape.reduce((a, b) => a * b, 1)), shape, "float32");
const real = (seed: number, shape: number[]) =>
  jnp
    .array(
      parkMiller(
        seed,
        shape.reduce((a, b) => a * b, 1),
      ),
      "float32",
    )
    .reshape(shape);

describe("lax.fft jaxpr and errors", () => {
  it("stages fft[fft_lengths=(8,) fft_type=0] (FftType is an IntEnum: JAX prints its value)", () => {
    const text = makeJaxpr((x: Array) => lax.fft(x, "FFT", [8]))(cplx(1, [8])).toString();
    expect(text).toBe(
      "{ lambda ; a:c64[8]. let b:c64[8] = fft[fft_lengths=(8,) fft_type=0] a in (b,) }",
    );
    const r = makeJaxpr((x: Array) => lax.fft(x, "rfft", [3, 8]))(real(2, [2, 3, 8])).toString();
    expect(r).toBe(
      "{ lambda ; a:f32[2,3,8]. let\n    b:c64[2,3,5] = fft[fft_lengths=(3, 8) fft_type=2] a\n  in (b,) }",
    );
  });

  it("raises JAX's errors", () => {
    const ones = jnp.ones([14, 15]);
    expect(() => lax.fft(ones, "fft", [4, 5, 6])).toThrow(
      "FFT input shape (14, 15) must have at least as many input dimensions as fft_lengths (4, 5, 6).",
    );
    expect(() => lax.fft(ones, "fft", [17])).toThrow(
      "FFT input shape (14, 15) minor dimensions must be equal to fft_lengths (17,)",
    );
    expect(() => lax.fft(jnp.ones([2, 14, 15]), "rfft", [14, 12])).toThrow(
      "RFFT input shape (2, 14, 15) minor dimensions must be equal to fft_lengths (14, 12)",
    );
    expect(() => lax.fft(jnp.ones([2, 14, 15]), "irfft", [13, 15])).toThrow(
      "IRFFT input shape (2, 14, 15) minor dimensions must be equal to all except the last fft_length, got fft_lengths=(13, 15)",
    );
    expect(() => lax.fft(jnp.ones([14, 15], "float16"), "rfft", [5, 6])).toThrow(
      "RFFT input must be float32 or float64, got float16",
    );
    expect(() => lax.fft(ones, "dft", [15])).toThrow("Unknown FFT type 'dft'");
    expect(() => lax.fft(ones, 7, [15])).toThrow("Unknown FFT type value '7'");
    // XLA rejects an IRFFT whose innermost input length is not fft_lengths[-1] // 2 + 1.
    expect(() => lax.fft(cplx(1, [2, 4]), "irfft", [8])).toThrow(
      "IRFFT input shape (2, 4) innermost dimension must be fft_lengths[-1] // 2 + 1 = 5",
    );
    expect(() => lax.fft(cplx(1, [4]), lax.FftType.RFFT, [4])).toThrow(
      "only real valued inputs supported for rfft",
    );
  });

  it("casts as JAX: integers to complex64, no lengths returns the cast input, FftType values", () => {
    const y = lax.fft(jnp.arange(4), 0, [4]);
    expect(y.dtype.name).toBe("complex64");
    expect(flatValues(y)).toEqual([6, 0, -2, 2, -2, 0, -2, -2]);
    const z = lax.fft(jnp.arange(3), "FFT", []);
    expect(z.dtype.name).toBe("complex64");
    expect(flatValues(z)).toEqual([0, 0, 1, 0, 2, 0]);
    expect(lax.fft(jnp.arange(4), "rfft", [4]).dtype.name).toBe("complex64");
    expect(jnp.fft.fft(jnp.zeros([0, 4])).shape).toEqual([0, 4]);
    expect(jnp.fft.rfft(jnp.zeros([3, 0, 6]), { axis: 1, n: 4 }).shape).toEqual([3, 3, 6]);
  });
});

/** Re Σ a·b over flat interleaved (complex) or plain (real) values of equal-dtype arrays. */
function bilinearRe(a: Array, b: Array): number {
  const x = flatValues(a);
  const y = flatValues(b);
  const isC = a.dtype.name.startsWith("complex");
  let s = 0;
  if (!isC) {
    for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
    return s;
  }
  for (let i = 0; i < x.length; i += 2) s += x[i]! * y[i]! - x[i + 1]! * y[i + 1]!;
  return s;
}

const cases: { type: string; lengths: number[]; x: () => Array; ct: () => Array }[] = [
  { type: "FFT", lengths: [12], x: () => cplx(3, [2, 12]), ct: () => cplx(4, [2, 12]) },
  { type: "IFFT", lengths: [7], x: () => cplx(5, [3, 7]), ct: () => cplx(6, [3, 7]) },
  { type: "FFT", lengths: [3, 4], x: () => cplx(7, [2, 3, 4]), ct: () => cplx(8, [2, 3, 4]) },
  { type: "RFFT", lengths: [8], x: () => real(9, [2, 8]), ct: () => cplx(10, [2, 5]) },
  { type: "RFFT", lengths: [9], x: () => real(11, [9]), ct: () => cplx(12, [5]) },
  { type: "RFFT", lengths: [3, 6], x: () => real(13, [3, 6]), ct: () => cplx(14, [3, 4]) },
  { type: "IRFFT", lengths: [8], x: () => cplx(15, [2, 5]), ct: () => real(16, [2, 8]) },
  { type: "IRFFT", lengths: [7], x: () => cplx(17, [4]), ct: () => real(18, [7]) },
  { type: "IRFFT", lengths: [4, 6], x: () => cplx(19, [4, 4]), ct: () => real(20, [4, 6]) },
];

describe("lax.fft transposes: the dot-product identity", () => {
  it.each(cases.map((c) => [`${c.type} ${JSON.stringify(c.lengths)}`, c] as const))(
    "%s",
    (_l, c) => {
      const f = (x: Array) => lax.fft(x, c.type, c.lengths);
      const x = c.x();
      const y = c.ct();
      const [fx, pullback] = vjp(f, x) as [Array, (t: Array) => Array[]];
      const [fty] = pullback(y);
      const lhs = bilinearRe(fx, y);
      const rhs = bilinearRe(x, fty!);
      expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(lhs)));
    },
  );
});

describe("lax.fft JVP, gradients, vmap, devices", () => {
  it("jvp is F applied to the tangent", () => {
    const x = cplx(21, [6]);
    const t = cplx(22, [6]);
    const [y, dy] = jvp((z: Array) => lax.fft(z, "FFT", [6]), [x], [t]) as [Array, Array];
    expect(relL2(flatValues(y), flatValues(lax.fft(x, "FFT", [6])))).toBe(0);
    expect(relL2(flatValues(dy), flatValues(lax.fft(t, "FFT", [6])))).toBeLessThan(1e-7);
  });

  it("gradients of real compositions match central differences", () => {
    const c = cplx(23, [5]);
    const w = real(24, [8]);
    checkGrads(
      "irfft(rfft(x)·c)",
      (x: Array) => jnp.fft.irfft(jnp.fft.rfft(x).mul(c)).mul(w),
      [real(25, [8]).astype("float32")],
      {
        rtol: 2e-2,
        atol: 2e-3,
        eps: 1e-2,
      },
    );
    const g = grad((x: Array) => jnp.sum(lax.real(jnp.fft.fft(x)).mul(w)))(real(26, [8])) as Array;
    // d/dx_j Σ_k w_k Re(F x)_k = Σ_k w_k cos(2π jk/8).
    const want = globalThis.Array.from({ length: 8 }, (_, j) =>
      flatValues(w).reduce((s, wk, k) => s + wk * Math.cos((2 * Math.PI * j * k) / 8), 0),
    );
    expect(relL2(flatValues(g), want)).toBeLessThan(1e-5);
  });

  it("vmap along each axis equals a loop", () => {
    const x = cplx(27, [3, 4, 5]);
    for (const axis of [0, 1, 2]) {
      const f = (z: Array) => lax.fft(z, "IFFT", [z.shape[z.ndim - 1]!]);
      const batched = vmap(f, { inAxes: axis })(x);
      const slices = globalThis.Array.from({ length: x.shape[axis]! }, (_, i) =>
        f(jnp.take(x, i, axis)),
      );
      expect(relL2(flatValues(batched), flatValues(jnp.stack(slices)))).toBeLessThan(1e-7);
    }
  });

  it("vmap of jnp.fft.fft2 (batched along axis 1) equals a loop", () => {
    const x = cplx(28, [4, 2, 6]);
    const f = (z: Array) => jnp.fft.fft2(z, { s: [3, 6], norm: "ortho" });
    const batched = vmap(f, { inAxes: 1 })(x);
    const loop = jnp.stack([0, 1].map((i) => f(jnp.take(x, i, 1))));
    expect(relL2(flatValues(batched), flatValues(loop))).toBeLessThan(1e-7);
  });

  it("jit equals eager; wasm equals js", () => {
    for (const c of cases) {
      const f = (x: Array) => lax.fft(x, c.type, c.lengths);
      const x = c.x();
      const eager = flatValues(f(x));
      expect(relL2(flatValues(jit(f)(x)), eager)).toBeLessThan(1e-7);
      expect(
        relL2(
          on("wasm", () => flatValues(jit(f)(x))),
          eager,
        ),
      ).toBeLessThan(1e-7);
    }
  });
});
