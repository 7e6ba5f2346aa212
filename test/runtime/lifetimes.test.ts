/**
 * Array lifetimes on the wasm device: `using`, `jax.scope`, dispose, automatic reclamation of
 * unreachable arrays, and device memory staying bounded over long training-like loops.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  DeviceError,
  config,
  grad,
  jit,
  numpy as jnp,
  random,
  scope,
  tree,
} from "../../src/index.js";
import type { WasmDevice } from "../../src/backend/wasm/runtime/device.js";
import { getDevice } from "../../src/runtime/devices.js";
import type { ArrayImpl } from "../../src/runtime/array.js";

const dev = () => getDevice("wasm") as WasmDevice;

type Params = { w1: Array; w2: Array };

const loss = (p: Params, x: Array, y: Array) => {
  const h = jnp.tanh(jnp.matmul(x, p.w1));
  return jnp.mean(jnp.square(jnp.matmul(h, p.w2).sub(y)));
};
const LR = 0.01;
/** One jitted step: w ← w − lr·∇loss. */
const step = jit((p: Params, x: Array, y: Array): Params => {
  const g = grad(loss)(p, x, y) as Params;
  return tree.map((a: Array, b: Array) => a.sub(b.mul(LR)), p, g) as Params;
});
const gradFn = jit(grad(loss));

const STEPS = 10_000;

function init() {
  return {
    p: {
      w1: random.normal(random.PRNGKey(0), [64, 64]).mul(0.1),
      w2: random.normal(random.PRNGKey(1), [64, 8]).mul(0.1),
    } as Params,
    x: random.normal(random.PRNGKey(2), [32, 64]),
    y: random.normal(random.PRNGKey(3), [32, 8]),
  };
}

const disposeTree = (t: unknown) => tree.leaves(t).forEach((a) => (a as Array).dispose());

/** Live bytes above `base` at the peak of one more step (its outputs and temporaries). */
function stepWorkingSet(p: Params, x: Array, y: Array): number {
  const d = dev();
  const base = d.liveBytes;
  d.resetPeakBytes();
  const q = step(p, x, y);
  tree.leaves(q).forEach((a) => (a as Array).blockUntilReady());
  const w = d.peakBytes - base;
  disposeTree(q);
  return w;
}

describe("training loops keep device memory bounded", () => {
  beforeAll(async () => {
    config.update("defaultDevice", "wasm");
    await dev().whenThreadsReady();
  });
  afterAll(() => config.update("defaultDevice", "js"));

  it(`${STEPS} steps with \`using\`: peak ≤ 3× one step's working set`, () => {
    const d = dev();
    const { p: p0, x, y } = init();
    let { w1, w2 } = step(p0, x, y); // warm up: compile, scratch areas
    disposeTree(p0);
    const W = stepWorkingSet({ w1, w2 }, x, y);
    const live0 = d.liveBytes;
    d.resetPeakBytes();
    for (let i = 0; i < STEPS; i++) {
      using o1 = w1;
      using o2 = w2;
      ({ w1, w2 } = step({ w1: o1, w2: o2 }, x, y));
    }
    w1.blockUntilReady();
    const peak = d.peakBytes - live0;
    expect(W).toBeGreaterThan(18_000);
    expect(peak).toBeLessThanOrEqual(3 * W);
    expect(d.liveBytes).toBe(live0);
    expect(loss({ w1, w2 }, x, y).item()).toBeLessThan(loss(init().p, x, y).item() as number);
  });

  it(`${STEPS} steps with jax.scope (eager update, jitted grad): peak ≤ 3× one step's working set`, () => {
    const d = dev();
    const { p: p0, x, y } = init();
    let p = scope(
      () => tree.map((a: Array, b: Array) => a.sub(b.mul(LR)), p0, gradFn(p0, x, y)) as Params,
    );
    disposeTree(p0);
    const live0 = d.liveBytes;
    // One step's working set: gradients, eager temporaries and new parameters.
    d.resetPeakBytes();
    const q = scope(
      () => tree.map((a: Array, b: Array) => a.sub(b.mul(LR)), p, gradFn(p, x, y)) as Params,
    );
    const W = d.peakBytes - live0;
    disposeTree(q);
    d.resetPeakBytes();
    for (let i = 0; i < STEPS; i++) {
      const prev = p;
      p = scope(() => {
        const g = gradFn(prev, x, y) as Params;
        return tree.map((a: Array, b: Array) => a.sub(b.mul(LR)), prev, g) as Params;
      });
      disposeTree(prev);
    }
    const peak = d.peakBytes - live0;
    expect(peak).toBeLessThanOrEqual(3 * W);
    expect(d.liveBytes).toBe(live0);
  });

  it(`${STEPS} plain steps, yielding to the event loop every 100: memory stays bounded`, async () => {
    const d = dev();
    const saved = d.gcGrowthBytes;
    d.gcGrowthBytes = 2 << 20;
    try {
      const { p: p0, x, y } = init();
      let p = step(p0, x, y);
      await new Promise(setImmediate);
      const W = stepWorkingSet(p, x, y);
      const live0 = d.liveBytes;
      // What 100 steps allocate (their outputs stay allocated until the event loop turns).
      const burst = 100 * W;
      const peaks: number[] = [];
      d.resetPeakBytes();
      for (let i = 0; i < STEPS; i++) {
        p = step(p, x, y);
        if (i % 100 === 99) await new Promise(setImmediate);
        if (i % 1000 === 999) {
          peaks.push(d.peakBytes - live0);
          d.resetPeakBytes();
        }
      }
      // Bound: the collection trigger (gcGrowthBytes) plus what can pile up between turns.
      const bound = d.gcGrowthBytes + 3 * burst;
      for (const pk of peaks) expect(pk).toBeLessThanOrEqual(bound);
      // No drift: the last thousand steps peak no higher than the first thousands did.
      expect(Math.max(...peaks.slice(5))).toBeLessThanOrEqual(
        Math.max(...peaks.slice(0, 5)) * 1.25 + burst,
      );
      expect(d.gcCount).toBeGreaterThan(0);
    } finally {
      d.gcGrowthBytes = saved;
    }
  });

  it("unreachable arrays are freed once the event loop turns (after a GC)", async () => {
    const d = dev();
    const base = d.liveBufferCount;
    for (let i = 0; i < 200; i++) jnp.ones([1000]).mul(i);
    expect(d.liveBufferCount).toBeGreaterThan(base + 100);
    const gc =
      (globalThis as { gc?: () => void }).gc ?? (await import("node:vm")).runInNewContext("gc");
    for (let k = 0; k < 5 && d.liveBufferCount > base + 10; k++) {
      (gc as () => void)();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(d.liveBufferCount).toBeLessThanOrEqual(base + 10);
  });
});

describe("jax.scope", () => {
  beforeAll(() => config.update("defaultDevice", "wasm"));
  afterAll(() => config.update("defaultDevice", "js"));

  it("frees everything created inside except the returned pytree", () => {
    const outside = jnp.ones([100]);
    const kept: Array[] = [];
    const res = scope(() => {
      const a = outside.mul(2);
      const b = a.add(1);
      const c = b.sum();
      kept.push(a, b);
      return { c, nested: [b] };
    });
    expect((kept[0]! as ArrayImpl).isDisposed).toBe(true);
    expect((kept[1]! as ArrayImpl).isDisposed).toBe(false);
    expect(res.c.item()).toBe(300);
    expect((outside as ArrayImpl).isDisposed).toBe(false);
    expect(() => kept[0]!.sum()).toThrow(DeviceError);
  });

  it("nests: an inner scope's results belong to the outer one", () => {
    let inner: Array | undefined;
    const out = scope(() => {
      inner = scope(() => jnp.arange(5).astype("float32").mul(3));
      expect((inner as ArrayImpl).isDisposed).toBe(false);
      return inner.sum();
    });
    expect((inner! as ArrayImpl).isDisposed).toBe(true);
    expect(out.item()).toBe(30);
  });

  it("frees what was created when fn throws, and rejects async functions", () => {
    let made: Array | undefined;
    expect(() =>
      scope(() => {
        made = jnp.ones([10]);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect((made! as ArrayImpl).isDisposed).toBe(true);
    expect(() => scope((async () => jnp.ones([2])) as never)).toThrow(/synchronous/);
  });

  it("does not free constants captured while tracing inside it", () => {
    const f = jit((v: Array) => v.add(jnp.arange(3).astype("float32")));
    const r = scope(() => f(jnp.ones([3])));
    expect(r.tolist()).toEqual([1, 2, 3]);
    expect(f(jnp.ones([3])).tolist()).toEqual([1, 2, 3]);
  });
});

describe("out of memory at the array level", () => {
  const saved = config.read("memoryLimitBytes");
  beforeAll(() => config.update("defaultDevice", "wasm"));
  afterAll(() => {
    config.update("memoryLimitBytes", saved);
    config.update("defaultDevice", "js");
  });

  it("a small configured limit gives a DeviceError, and the device keeps working", () => {
    const d = dev();
    const heap = (d as unknown as { allocator: { heapTop: number } }).allocator.heapTop;
    config.update("memoryLimitBytes", heap + (4 << 20));
    expect(() => jnp.zeros([8 << 20])).toThrow(DeviceError);
    expect(() => jnp.zeros([8 << 20])).toThrow(
      /cannot allocate 33,554,432 bytes; [\d,]+ bytes are live .* the limit is [\d,]+ bytes/,
    );
    expect(() => jit((v: Array) => jnp.tile(v, 5000))(jnp.ones([2000]))).toThrow(/Out of memory/);
    const small = jnp.ones([1000]).mul(2);
    expect(small.sum().item()).toBe(2000);
    config.update("memoryLimitBytes", saved);
    expect(jnp.zeros([8 << 20]).shape).toEqual([8 << 20]);
  });

  it("(ArrayImpl) reads of a disposed array name the problem", () => {
    const a = jnp.ones([]) as ArrayImpl;
    a.dispose();
    expect(() => a.item()).toThrow(/disposed/);
    expect(() => a.toString()).toThrow(/disposed/);
  });
});
