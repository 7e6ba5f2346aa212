/**
 * jnp.fft's real-valued helpers against numpy (test/fixtures/make_fft.py → fft.json):
 * fftfreq / rfftfreq exactly as JAX computes them (integer frequencies over d·n rounded to the
 * dtype; float32 equal bit for bit, and within 1 float32 ulp of numpy's float64 values), in
 * float64 under x64, with a `dtype` option and an array `d`; fftshift / ifftshift along every
 * axis spec; jit vs eager, js vs wasm, vmap vs a loop, the gradient (a permutation's
 * transpose), and bad arguments.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, grad, jit, numpy as jnp, vmap } from "../../../src/index.js";
import { on } from "../../backend/differential-helpers.js";
import { vals } from "../../transforms/ad-helpers.js";

interface FreqCase {
  n: number;
  d: number;
  fftfreq32: number[];
  rfftfreq32: number[];
  fftfreq64: number[];
  rfftfreq64: number[];
  numpyFftfreq: number[];
  numpyRfftfreq: number[];
}
interface ShiftCase {
  shape: number[];
  axes: number | number[] | null;
  fftshift: number[];
  ifftshift: number[];
}
const fx = JSON.parse(
  readFileSync(new URL("../../fixtures/fft.json", import.meta.url), "utf8"),
) as {
  helpers: { freq: FreqCase[]; shift: ShiftCase[] };
};

describe("fftfreq / rfftfreq", () => {
  it.each(fx.helpers.freq.map((c) => [c.n, c.d, c] as const))("n=%i d=%f", (_n, _d, c) => {
    const f = jnp.fft.fftfreq(c.n, c.d);
    const r = jnp.fft.rfftfreq(c.n, c.d);
    expect(f.dtype.name).toBe("float32");
    expect(f.shape).toEqual([c.n]);
    expect(vals(f)).toEqual(c.fftfreq32);
    expect(vals(r)).toEqual(c.rfftfreq32);
    // Within one float32 ulp of numpy's float64 values.
    vals(f).forEach((v, i) =>
      expect(Math.abs(v - c.numpyFftfreq[i]!)).toBeLessThanOrEqual(
        Math.abs(c.numpyFftfreq[i]!) * 2 ** -23,
      ),
    );
    vals(r).forEach((v, i) =>
      expect(Math.abs(v - c.numpyRfftfreq[i]!)).toBeLessThanOrEqual(
        Math.abs(c.numpyRfftfreq[i]!) * 2 ** -23,
      ),
    );
  });

  describe("under x64", () => {
    beforeAll(() => config.update("jax_enable_x64", true));
    afterAll(() => config.update("jax_enable_x64", false));
    it("float64 values", () => {
      for (const c of fx.helpers.freq) {
        const f = jnp.fft.fftfreq(c.n, c.d);
        expect(f.dtype.name).toBe("float64");
        expect(vals(f)).toEqual(c.fftfreq64);
        expect(vals(jnp.fft.rfftfreq(c.n, c.d))).toEqual(c.rfftfreq64);
      }
    });
  });

  it("dtype option, array d, jit and both devices agree", () => {
    const c = fx.helpers.freq.find((k) => k.n === 9 && k.d === 2.5)!;
    expect(vals(jnp.fft.fftfreq(9, jnp.array(2.5, "float32")))).toEqual(c.fftfreq32);
    const asInt = jnp.fft.fftfreq(8, 0.125, { dtype: "int32" });
    expect(asInt.dtype.name).toBe("int32");
    expect(vals(asInt)).toEqual([0, 1, 2, 3, -4, -3, -2, -1]);
    const jitted = jit((d: Array) => jnp.fft.fftfreq(9, d));
    expect(vals(jitted(jnp.array(2.5, "float32")))).toEqual(c.fftfreq32);
    for (const device of ["js", "wasm"])
      on(device, () => {
        expect(vals(jnp.fft.rfftfreq(9, 2.5))).toEqual(c.rfftfreq32);
        expect(vals(jitted(jnp.array(2.5, "float32")))).toEqual(c.fftfreq32);
      });
  });

  it("n = 0 gives an empty array; bad arguments raise JAX's errors", () => {
    expect(jnp.fft.fftfreq(0).shape).toEqual([0]);
    expect(() => jnp.fft.fftfreq([4, 5] as unknown as number)).toThrow(
      "The n argument of jax.numpy.fft.fftfreq only takes an int. Got n = [4, 5].",
    );
    expect(() => jnp.fft.rfftfreq(4, [1, 2] as unknown as number)).toThrow(
      "The d argument of jax.numpy.fft.rfftfreq only takes a single value. Got d = [1, 2].",
    );
    expect(() => jnp.fft.fftfreq(2.5)).toThrow(/n must be a non-negative integer/);
  });
});

describe("fftshift / ifftshift", () => {
  const input = (shape: number[]): Array =>
    jnp
      .arange(
        shape.reduce((a, b) => a * b, 1),
        { dtype: "float32" },
      )
      .reshape(shape);

  it.each(
    fx.helpers.shift.map((c) => [JSON.stringify(c.shape), JSON.stringify(c.axes), c] as const),
  )("shape %s axes %s", (_s, _a, c) => {
    const x = input(c.shape);
    expect(vals(jnp.fft.fftshift(x, c.axes))).toEqual(c.fftshift);
    expect(vals(jnp.fft.ifftshift(x, c.axes))).toEqual(c.ifftshift);
    expect(vals(jnp.fft.ifftshift(jnp.fft.fftshift(x, c.axes), c.axes))).toEqual(vals(x));
    const j = jit((y: Array) => jnp.fft.fftshift(y, c.axes));
    expect(vals(j(x))).toEqual(c.fftshift);
    on("wasm", () => expect(vals(j(x))).toEqual(c.fftshift));
  });

  it("vmap equals a loop; the gradient is the inverse shift of the cotangent", () => {
    const x = input([3, 5]);
    const batched = vmap((r: Array) => jnp.fft.fftshift(r))(x);
    const loop = jnp.stack([0, 1, 2].map((i) => jnp.fft.fftshift(x.get(i))));
    expect(vals(batched)).toEqual(vals(loop));
    const w = jnp.arange(15, { dtype: "float32" }).reshape([3, 5]).mul(0.5).add(1);
    const g = grad((y: Array) => jnp.sum(jnp.fft.fftshift(y).mul(w)))(x) as Array;
    expect(vals(g)).toEqual(vals(jnp.fft.ifftshift(w)));
  });

  it("bad axes raise", () => {
    expect(() => jnp.fft.fftshift(input([3]), 1)).toThrow(/axis 1 is out of bounds/);
  });
});
