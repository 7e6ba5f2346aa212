/**
 * webgpu vs js: cond, switch, while_loop, fori_loop and scan. The device drives them from the
 * host (codegen.ts PlanNode): a branch index or loop predicate is read back synchronously
 * (Node), then the chosen kernels are dispatched. Float results within 1e-6 relative (the same
 * operations in the same order; transcendentals are the adapter's), integers exactly; loops
 * with zero iterations; a cond nested in a loop; eagerly and under jit.
 */
import { it } from "vitest";
import { type Array, jit, lax, numpy as jnp } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats } from "./compare.js";

shutdownAfterAll();

const x = () => jnp.array(hostFloats(37, 1));

describeWebgpu("webgpu control flow", () => {
  it("cond and switch pick the branch the index says (clamped), eager and jit", async () => {
    for (const t of [-1, 0.5]) {
      const f = (v: Array) =>
        lax.cond(
          v.sum().gt(t),
          (a: Array) => jnp.sin(a).add(1),
          (a: Array) => a.mul(-2),
          v,
        );
      await expectSameAsJs(() => f(x()), 1e-6, 1e-7);
      await expectSameAsJs(() => jit(f)(x()), 1e-6, 1e-7);
    }
    const branches = [(a: Array) => a.add(1), (a: Array) => a.mul(3), (a: Array) => a.neg()];
    for (const i of [-4, 1, 9])
      await expectSameAsJs(() => lax.switch(jnp.array(i), branches, x()), 0, 0, `switch ${i}`);
  });

  it("while_loop with a data-dependent trip count, and with none", async () => {
    type C = [Array, Array];
    const body = (c: C): C => [c[0].add(1), c[1].mul(1.5).sub(0.25)];
    for (const stop of [0, 9]) {
      const run = () => lax.whileLoop((c: C) => c[0].lt(stop), body, [jnp.array(0), x()]);
      await expectSameAsJs(() => run()[1]!, 1e-6, 1e-7, `stop ${stop}`);
      await expectSameAsJs(() => run()[0]!);
    }
    const untilBig = jit((v: Array) =>
      lax.whileLoop(
        (a: Array) => jnp.max(jnp.abs(a)).lt(100),
        (a: Array) => a.mul(3),
        v,
      ),
    );
    await expectSameAsJs(() => untilBig(x()), 1e-6, 0);
  });

  it("fori_loop and scan (carry and stacked outputs); a cond inside a loop", async () => {
    await expectSameAsJs(
      () => lax.foriLoop(0, 6, (i: Array, a: Array) => a.mul(2).add(i), x()),
      1e-6,
      1e-6,
    );
    const scanned = (xs: Array) =>
      lax.scan((c: Array, a: Array) => [c.add(a), c.mul(a)] as [Array, Array], jnp.float32(0), xs);
    await expectSameAsJs(() => scanned(x())[0], 1e-6, 1e-6, "carry");
    await expectSameAsJs(() => scanned(x())[1], 1e-6, 1e-6, "ys");
    const g = jit((v: Array) =>
      lax.foriLoop(
        0,
        5,
        (i: Array, a: Array) =>
          lax.cond(
            i.gt(2),
            (b: Array) => b.add(i),
            (b: Array) => b.mul(-1),
            a,
          ),
        v,
      ),
    );
    await expectSameAsJs(() => g(x()), 1e-6, 1e-7);
  });
});
