/**
 * webgpu vs js: scatter (scatter.ts: atomics, a last-writer pass for `set`) and gather (loop
 * kernels with clamped loads). `set` with duplicate indices is deterministic (the last update
 * wins, as on the js device); integer and bool combines and float min/max/mul are exact;
 * colliding float adds happen in an unspecified order: 1e-6 relative + 1e-6 absolute. Modes:
 * out-of-bounds dropped (FILL_OR_DROP) or clamped (CLIP); row windows of a 2-D operand;
 * grad of a gather (its transpose is a scatter-add) under jit.
 */
import { it } from "vitest";
import { type Array, grad, jit, numpy as jnp } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats, hostInts } from "./compare.js";

shutdownAfterAll();

const f32 = (n: number, seed: number) => jnp.array(hostFloats(n, seed));
const idx = (n: number, seed: number, hi: number) => jnp.array(hostInts(n, seed, 0, hi));

describeWebgpu("webgpu scatter and gather", () => {
  it("set with duplicates: the last update wins; add, min, max, mul", async () => {
    const i = () => idx(500, 1, 40);
    await expectSameAsJs(() => f32(40, 2).at(i()).set(f32(500, 3)));
    await expectSameAsJs(() => f32(40, 2).at(i()).add(f32(500, 4)), 1e-6, 1e-6);
    await expectSameAsJs(() => f32(40, 2).at(i()).min(f32(500, 5)));
    await expectSameAsJs(() => f32(40, 2).at(i()).max(f32(500, 6)));
    await expectSameAsJs(() =>
      f32(40, 2)
        .at(idx(30, 7, 40))
        .mul(f32(30, 8)),
    );
  });

  it("int32 add/mul/min/max exactly (wrapping), bool set and add (or)", async () => {
    const i = () => idx(300, 9, 25);
    const v = () => jnp.array(hostInts(300, 10, -1e6, 1e6));
    await expectSameAsJs(() => jnp.arange(25).at(i()).add(v().mul(5000)));
    await expectSameAsJs(() => jnp.arange(25).at(i()).mul(v()));
    await expectSameAsJs(() => jnp.arange(25).at(i()).min(v()));
    await expectSameAsJs(() => jnp.arange(25).at(i()).max(v()));
    await expectSameAsJs(() => jnp.zeros([25], "bool").at(i()).set(v().gt(0)));
    await expectSameAsJs(() => jnp.zeros([25], "bool").at(i()).add(v().gt(0)));
  });

  it("row windows of a 2-D operand; out-of-bounds dropped or clamped; NaN updates", async () => {
    const rows = () => jnp.array([0, 4, 0, -1, 9, 2]);
    const upd = () => f32(18, 11).reshape([6, 3]);
    // (The updater accepts { mode } at run time; its public type does not declare it yet.)
    type WithMode = Record<"add" | "set", (v: Array, o: { mode: string }) => Array>;
    const at = () => jnp.zeros([5, 3]).at(rows()) as unknown as WithMode;
    await expectSameAsJs(() => at().add(upd(), { mode: "drop" }));
    await expectSameAsJs(() => at().set(upd(), { mode: "clip" }));
    const nan = () => jnp.array([1, NaN, -0, Infinity]);
    await expectSameAsJs(() =>
      jnp
        .ones([3])
        .at(jnp.array([0, 1, 1, 2]))
        .max(nan()),
    );
    await expectSameAsJs(() =>
      jnp
        .ones([3])
        .at(jnp.array([0, 1, 1, 2]))
        .add(nan()),
    );
  });

  it("gather: take with clip and fill modes, fancy rows; grad of a gather under jit", async () => {
    await expectSameAsJs(() =>
      jnp.take(f32(50, 12), jnp.array([3, -1, 60, 0]), null, { mode: "clip" }),
    );
    await expectSameAsJs(() =>
      jnp.take(f32(50, 12), jnp.array([3, -1, 60, 0]), null, { mode: "fill" }),
    );
    await expectSameAsJs(() =>
      f32(60, 13)
        .reshape([12, 5])
        .at(jnp.array([11, 0, 3]))
        .get(),
    );
    const loss = jit(
      grad((x: Array) => jnp.sum(jnp.take(x, jnp.array([1, 1, 4, 7, 1])).mul(x.sum()))),
    );
    await expectSameAsJs(() => loss(f32(9, 14)), 1e-6, 1e-6);
  });
});
