/**
 * jnp.fft's 14 transforms against numpy.fft (test/fixtures/make_fft.py → fft.json, inputs
 * regenerated from the fixture's Park-Miller seeds): complex64 / float32 within a relative L2
 * error of 1e-5, and complex128 / float64 under x64 within 1e-12; jit vs eager, the wasm
 * device vs the js device, and bad arguments.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, jit, numpy as jnp } from "../../../src/index.js";
import { on } from "../../backend/differential-helpers.js";
import { parkMiller } from "../../backend/park-miller.js";
import { complexFrom, flatValues, relL2 } from "./fft-helpers.js";

interface TransformCase {
  name: string;
  shape: number[];
  real: boolean;
  seed: number;
  args: {
    n?: number;
    axis?: number;
    s?: number[];
    axes?: number[];
    norm?: "backward" | "ortho" | "forward";
  };
  outShape: number[];
  complex: boolean;
  expected: number[];
}
const fx = JSON.parse(
  readFileSync(new URL("../../fixtures/fft.json", import.meta.url), "utf8"),
) as {
  transforms: TransformCase[];
};

type Transform = (a: Array, options: TransformCase["args"]) => Array;
const fns = jnp.fft as unknown as Record<string, Transform>;

function inputOf(c: TransformCase, dtype: "float32" | "float64"): Array {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const v = parkMiller(c.seed, c.real ? size : 2 * size);
  return c.real
    ? jnp.array(Float64Array.from(v), dtype).reshape(c.shape)
    : complexFrom(v, c.shape, dtype);
}

const label = (c: TransformCase) =>
  `${c.name}(${JSON.stringify(c.shape)}, ${JSON.stringify(c.args)})`;

describe.each([
  ["float32", 1e-5],
  ["float64", 1e-12],
] as const)("jnp.fft vs numpy.fft (%s)", (dt, tol) => {
  beforeAll(() => config.update("jax_enable_x64", dt === "float64"));
  afterAll(() => config.update("jax_enable_x64", false));
  it.each(fx.transforms.map((c) => [label(c), c] as const))("%s", (_l, c) => {
    const x = inputOf(c, dt);
    const got = fns[c.name]!(x, c.args);
    expect(got.shape).toEqual(c.outShape);
    const want = c.complex ? (dt === "float32" ? "complex64" : "complex128") : dt;
    expect(got.dtype.name).toBe(want);
    expect(relL2(flatValues(got), c.expected)).toBeLessThanOrEqual(tol);
  });
});

describe("jnp.fft under jit and on the wasm device", () => {
  const picks = fx.transforms.filter((_, i) => i % 3 === 0);
  it.each(picks.map((c) => [label(c), c] as const))("%s", (_l, c) => {
    const x = inputOf(c, "float32");
    const eager = flatValues(fns[c.name]!(x, c.args));
    const jitted = jit((y: Array) => fns[c.name]!(y, c.args));
    expect(relL2(flatValues(jitted(x)), eager)).toBeLessThanOrEqual(1e-6);
    const onWasm = on("wasm", () => flatValues(jitted(x)));
    expect(relL2(onWasm, eager)).toBeLessThanOrEqual(1e-6);
  });
});

describe("jnp.fft arguments", () => {
  const x = jnp.ones([4, 6]);
  it("positional and options forms agree", () => {
    expect(flatValues(jnp.fft.fft(x, 8, 0, "ortho"))).toEqual(
      flatValues(jnp.fft.fft(x, { n: 8, axis: 0, norm: "ortho" })),
    );
    expect(flatValues(jnp.fft.fftn(x, [3, 5], [1, 0]))).toEqual(
      flatValues(jnp.fft.fftn(x, { s: [3, 5], axes: [1, 0] })),
    );
  });
  it("bad arguments raise JAX's errors", () => {
    expect(() => jnp.fft.fft(x, { norm: "bad" as "ortho" })).toThrow(
      'Invalid norm value bad; should be "backward","ortho" or "forward".',
    );
    expect(() => jnp.fft.fftn(x, { s: [0, 2] })).toThrow("Shape should be positive.");
    expect(() => jnp.fft.fftn(x, { s: [2, 2], axes: [0] })).toThrow(
      "Shape and axes have different lengths.",
    );
    expect(() => jnp.fft.fftn(x, { axes: [0, 0] })).toThrow(
      "jax.numpy.fft.fftn does not support repeated axes. Got axes (0, 0).",
    );
    expect(() => jnp.fft.fft2(jnp.ones([2, 3, 4]), { axes: [0, 1, 2] })).toThrow(
      "jax.numpy.fft.fft2 only supports 2 axes. Got axes = (0, 1, 2).",
    );
    expect(() => jnp.fft.fft(x, { axis: [0, 1] as unknown as number })).toThrow(
      "jax.numpy.fft.fft does not support multiple axes. Please use jax.numpy.fft.fftn. Got axis = [0, 1].",
    );
    expect(() => jnp.fft.fft(x, { axis: 2 })).toThrow(/axis 2 is out of bounds/);
    expect(() => jnp.fft.rfft(jnp.fft.fft(x))).toThrow(
      "only real valued inputs supported for rfft",
    );
    expect(() => jnp.fft.fft(x, { bogus: 1 } as unknown as { n: number })).toThrow(
      /unexpected keyword argument 'bogus'/,
    );
  });
});
