/**
 * webgpu vs js: sort (sort.ts: a bitonic network over a permutation, stages within 512
 * positions in workgroup memory, longer ones as global passes). Exact equality: sorted values
 * and argsort indices (stability: equal keys keep their order — the permutation's index is the
 * last key), NaN last, −0 and +0 equal (kept in input order), −inf first; lengths 1, 2, odd,
 * just past a workgroup block (513) and with several global merges (3000); a non-last axis;
 * lax.sort of several operands with numKeys 1 and 2; int32, uint32 and bool keys; jit.
 */
import { it } from "vitest";
import { type Array, jit, lax, numpy as jnp } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats, hostInts } from "./compare.js";

shutdownAfterAll();

/** Floats with many duplicates (one decimal), NaN, ±0 and −inf sprinkled in. */
function keys(n: number, seed: number): Float32Array {
  const d = Float32Array.from(hostFloats(n, seed, -5, 5), (v) => Math.round(v * 10) / 10);
  for (let i = 0; i < n; i += 37) d[i] = [NaN, -0, 0, -Infinity][(i / 37) % 4]!;
  return d;
}

describeWebgpu("webgpu sort", () => {
  it.each([1, 2, 7, 513, 3000])(
    "sort and argsort of %i floats (NaN, ±0, −inf, ties)",
    async (n) => {
      await expectSameAsJs(() => jnp.sort(jnp.array(keys(n, n))));
      await expectSameAsJs(() => jnp.argsort(jnp.array(keys(n, n))));
    },
  );

  it("along a non-last axis and of an empty axis", async () => {
    await expectSameAsJs(() => jnp.sort(jnp.array(keys(600, 3)).reshape([40, 15]), 0));
    await expectSameAsJs(() => jnp.argsort(jnp.array(keys(600, 4)).reshape([6, 20, 5]), 1));
    await expectSameAsJs(() => jnp.sort(jnp.zeros([3, 0])));
  });

  it("lax.sort of several operands by numKeys 1 and 2; integer and bool keys", async () => {
    const a = () => jnp.array(hostInts(700, 5, 0, 4));
    const b = () => jnp.array(keys(700, 6));
    const c = () => jnp.arange(700);
    for (const numKeys of [1, 2]) {
      for (let out = 0; out < 3; out++) {
        await expectSameAsJs(() => lax.sort([a(), b(), c()], -1, true, numKeys)[out]!);
      }
    }
    await expectSameAsJs(() => jnp.sort(jnp.array(hostInts(999, 7, -1e6, 1e6))));
    await expectSameAsJs(() => jnp.argsort(jnp.array(hostInts(99, 8, 0, 1e6)).astype("uint32")));
    await expectSameAsJs(() => jnp.argsort(jnp.array(hostFloats(99, 9)).gt(0)));
  });

  it("under jit, fused with elementwise work before and after", async () => {
    const f = jit((x: Array) => jnp.sort(x.mul(-2), -1).add(1));
    await expectSameAsJs(() => f(jnp.array(keys(1100, 10)).reshape([2, 550])));
  });
});
