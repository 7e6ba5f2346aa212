/**
 * webgpu vs js: cumulative ops (scan.ts). Short lines and many lines take the one-pass kernel
 * (a workgroup per line); few long lines (≥ 4 chunks of 1024) the three-pass one. Integer,
 * bool, max and min results are exact; float32 sums and products are combined in a tree order
 * (the js device: left to right), so they match within 1e-5 relative plus an absolute
 * 2e-7·n·max|x| (a bound on either order's rounding).
 */
import { it } from "vitest";
import { type Array, jit, lax, numpy as jnp } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats, hostInts } from "./compare.js";

shutdownAfterAll();

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const arr = (shape: number[], seed: number) =>
  jnp.array(hostFloats(size(shape), seed)).reshape(shape);
const iarr = (shape: number[], seed: number) =>
  jnp.array(hostInts(size(shape), seed)).reshape(shape);

describeWebgpu("webgpu cumulative ops", () => {
  it.each([[[10]], [[5, 7]], [[3, 1500]], [[2, 9000]], [[20000]], [[0]], [[4, 0, 3]]])(
    "cumsum / cumprod / cummax / cummin of %j along each axis, both directions",
    async (shape) => {
      const n = size(shape);
      for (let axis = 0; axis < shape.length; axis++) {
        for (const reverse of [false, true]) {
          const tol = 2e-7 * (shape[axis] ?? 1) * 2;
          await expectSameAsJs(() => lax.cumsum(arr(shape, 1), axis, reverse), 1e-5, tol, "sum");
          // (Each new shader is a cold compile of a second or more on lavapipe: the long
          // shapes check the multi-pass max in one direction only.)
          if (n <= 3000 || !reverse)
            await expectSameAsJs(() => lax.cummax(arr(shape, 2), axis, reverse), 0, 0, "max");
          if (n <= 3000) {
            await expectSameAsJs(() => lax.cummin(arr(shape, 3), axis, reverse), 0, 0, "min");
            const near1 = () => arr(shape, 4).mul(0.01).add(1);
            await expectSameAsJs(() => lax.cumprod(near1(), axis, reverse), 1e-5, 0, "prod");
          }
        }
      }
    },
  );

  it("int32 sums wrap exactly, uint32 products, bool (promoted) sums, int32 cummin", async () => {
    await expectSameAsJs(() => jnp.cumsum(iarr([3, 5000], 5).mul(1_000_000), 1));
    await expectSameAsJs(() => lax.cumprod(iarr([7, 30], 6).astype("uint32"), 1, false));
    await expectSameAsJs(() => jnp.cumsum(arr([4100], 7).gt(1.5)));
    await expectSameAsJs(() => lax.cummin(iarr([6000], 9), 0, false));
  });

  it("NaN propagates through cummax; −0 and +0 order as max/min do; under jit", async () => {
    const d = hostFloats(300, 10);
    d[5] = -0;
    d[6] = 0;
    d[100] = NaN;
    await expectSameAsJs(() => lax.cummax(jnp.array(d), 0, false));
    await expectSameAsJs(() => lax.cummin(jnp.array(d.slice(0, 50)), 0, true));
    const f = jit((x: Array) => jnp.cumsum(x.mul(2), 0).add(1));
    await expectSameAsJs(() => f(arr([5000], 11)), 1e-5, 2e-7 * 5000 * 4);
  });
});
