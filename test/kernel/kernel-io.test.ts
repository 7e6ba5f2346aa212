// kernelReads: a loop kernel whose output offset (a dynamic-update-slice write) loads a buffer
// reads that buffer too. Missing it, the wasm device ran a nested float64 kernel of a scan body
// as a JS step without declaring the index buffer ("b2 is not defined"), and buffer planning
// could end the index's lifetime before the write.
import { describe, expect, it } from "vitest";
import { type Array, lax, makeJaxpr, numpy as jnp } from "../../src/index.js";
import { topoSort } from "../../src/kernel/expr.js";
import type { Kernel, LoopKernel } from "../../src/kernel/kernel.js";
import { kernelReads } from "../../src/kernel/kernel-io.js";
import { compileJaxpr } from "../../src/runtime/compile.js";
import { getDevice } from "../../src/runtime/devices.js";

describe("kernelReads", () => {
  it("includes the buffers an output offset loads (a scan's stacked ys)", () => {
    const f = (xs: Array) =>
      lax.scan((c: Array, x: Array) => [c.add(x), jnp.cos(c)] as const, jnp.zeros([2]), xs)[1];
    const p = compileJaxpr(makeJaxpr(f)(jnp.ones([4, 2])).jaxpr, getDevice("js")).program;
    const all: Kernel[] = [];
    const walk = (ks: readonly Kernel[]) => {
      for (const k of ks) {
        all.push(k);
        if (k.kind === "while") walk([...k.cond, ...k.body]);
        if (k.kind === "cond") k.branches.forEach(walk);
      }
    };
    walk(p.kernels);
    const writes = all.filter(
      (k): k is LoopKernel => k.kind === "loop" && k.outputs.some((o) => o.offset !== undefined),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const k of writes) {
      const offsetLoads = k.outputs.flatMap((o) =>
        o.offset ? topoSort([o.offset]).flatMap((e) => (e.op === "load" ? [e.buffer] : [])) : [],
      );
      expect(offsetLoads.length).toBeGreaterThan(0);
      for (const b of offsetLoads) expect(kernelReads(k)).toContain(b);
    }
  });
});
