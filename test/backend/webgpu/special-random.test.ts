/**
 * webgpu vs js: erf, erfc and erf_inv in float32 (wgsl-special.ts: Cody's rationals and
 * Giles' polynomials with a Newton step, evaluated in f32; the js device computes in float64
 * and rounds), and the random functions built on them and on threefry (u32 arithmetic):
 * random.bits exactly, uniform and normal within the math's tolerance, eagerly and under jit.
 * Tolerances: erf, erf_inv 1e-6 relative + 1e-7 absolute; erfc 1e-5 relative + 1e-30
 * absolute (its tail is a product of exponentials); normal 1e-6 relative + 1e-6 absolute.
 */
import { it } from "vitest";
import { jit, lax, numpy as jnp, random } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll } from "./webgpu-env.js";
import { expectSameAsJs } from "./compare.js";

shutdownAfterAll();

const grid = (n: number, lo: number, hi: number, extra: number[]) =>
  jnp.array(
    Float32Array.from([
      ...globalThis.Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / n),
      ...extra,
    ]),
  );
const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30, 0.5, -0.5, 4, -4];

describeWebgpu("webgpu erf family and random", () => {
  it("erf and erfc over [-6, 6) plus zeros, NaN, infinities and branch points", async () => {
    await expectSameAsJs(() => lax.erf(grid(1001, -6, 6, SPECIAL)), 1e-6, 1e-7, "erf");
    await expectSameAsJs(() => lax.erfc(grid(1001, -6, 6, SPECIAL)), 1e-5, 1e-30, "erfc");
  });

  it("erf_inv over (-1, 1), ±1 → ±inf, |x| > 1 → NaN, ±0 kept", async () => {
    const ext = [1, -1, 1 - 2 ** -24, -1 + 2 ** -24, 1.5, -2, NaN, 0, -0, 1e-20];
    await expectSameAsJs(() => lax.erfInv(grid(2001, -0.9995, 0.9995, ext)), 1e-6, 1e-7);
  });

  it("random.bits exactly; uniform and normal eagerly and under jit", async () => {
    // Keys are made inside each function: on the device being compared.
    await expectSameAsJs(() => random.bits(random.key(42), [1000]));
    await expectSameAsJs(() => random.uniform(random.key(42), [333]), 0, 0);
    await expectSameAsJs(() => random.normal(random.key(42), [7, 129]), 1e-6, 1e-6);
    const f = jit((k: random.KeyArray) => random.normal(k, [4097]).mul(2).add(1));
    await expectSameAsJs(() => f(random.key(7)), 1e-6, 1e-6);
  });
});
