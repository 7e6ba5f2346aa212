/**
 * webgpu: a fused MLP training step with grad (vs js, and the loss gradient vs central finite
 * differences on the webgpu device itself), vmap, jit vs eager; the lowering shows WGSL;
 * memory (dispose, size-class reuse, memoryLimitBytes → DeviceError with sizes); errors for
 * dtypes the device cannot hold and kernels it cannot run yet; asynchronous reads.
 */
import { expect, it } from "vitest";
import {
  type Array,
  config,
  grad,
  jit,
  lax,
  memoryStats,
  numpy as jnp,
  nn,
  vmap,
} from "../../../src/index.js";
import { DeviceError, NotImplementedError } from "../../../src/core/errors.js";
import { describeWebgpu, shutdownAfterAll, webgpu } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats, onDevice } from "./compare.js";

shutdownAfterAll();

const arr = (shape: number[], seed: number, scale = 1) =>
  jnp
    .array(
      hostFloats(
        shape.reduce((a, b) => a * b, 1),
        seed,
        -scale,
        scale,
      ),
    )
    .reshape(shape);

type Params = { w1: Array; b1: Array; w2: Array; b2: Array };
const params = (): Params => ({
  w1: arr([8, 16], 1, 0.5),
  b1: arr([16], 2, 0.1),
  w2: arr([16, 3], 3, 0.5),
  b2: arr([3], 4, 0.1),
});
function loss(p: Params, x: Array, y: Array): Array {
  const h = nn.relu(jnp.matmul(x, p.w1).add(p.b1));
  const logits = jnp.matmul(h, p.w2).add(p.b2);
  return jnp.mean(jnp.square(logits.sub(y)));
}
const step = jit((p: Params, x: Array, y: Array) => {
  const g = grad(loss)(p, x, y);
  return {
    w1: p.w1.sub(g.w1.mul(0.1)),
    b1: p.b1.sub(g.b1.mul(0.1)),
    w2: p.w2.sub(g.w2.mul(0.1)),
    b2: p.b2.sub(g.b2.mul(0.1)),
  };
});

describeWebgpu("webgpu MLP step with grad", () => {
  it("two jitted SGD steps match the js device", async () => {
    for (const k of ["w1", "b1", "w2", "b2"] as const) {
      await expectSameAsJs(
        () => {
          let p = params();
          for (let s = 0; s < 2; s++) p = step(p, arr([32, 8], 5), arr([32, 3], 6));
          return p[k];
        },
        1e-4,
        1e-6,
        k,
      );
    }
  });

  it("grad matches central finite differences on the webgpu device", async () => {
    onDevice("webgpu", () => {
      const x = arr([4, 8], 7);
      const y = arr([4, 3], 8);
      const p = params();
      const g = grad((b2: Array) => loss({ ...p, b2 }, x, y))(p.b2).toTypedArray();
      const h = 1e-2;
      for (let i = 0; i < 3; i++) {
        const e = jnp.array(Float32Array.from([0, 1, 2], (v) => (v === i ? h : 0)));
        const up = loss({ ...p, b2: p.b2.add(e) }, x, y).item() as number;
        const dn = loss({ ...p, b2: p.b2.sub(e) }, x, y).item() as number;
        expect(g[i]).toBeCloseTo((up - dn) / (2 * h), 3);
      }
    });
  });

  it("vmap of a per-example loss equals a loop, and jit equals eager", async () => {
    onDevice("webgpu", () => {
      const p = params();
      const xs = arr([5, 8], 9);
      const ys = arr([5, 3], 10);
      const per = vmap((x: Array, y: Array) => loss(p, x.reshape([1, 8]), y.reshape([1, 3])))(
        xs,
        ys,
      );
      const loop = [0, 1, 2, 3, 4].map((i) =>
        loss(p, xs.get(i).reshape([1, 8]), ys.get(i).reshape([1, 3])).item(),
      );
      per.toTypedArray().forEach((v, i) => expect(v).toBeCloseTo(loop[i] as number, 5));
      const jitted = jit(loss)(p, xs, ys).item() as number;
      expect(jitted).toBeCloseTo(loss(p, xs, ys).item() as number, 5);
    });
  });

  it("lower(...).asText() shows the WGSL of the webgpu device", async () => {
    onDevice("webgpu", () => {
      const text = jit((x: Array) => jnp.tanh(x).sum())
        .lower(arr([4], 11))
        .asText();
      expect(text).toContain("# device webgpu");
      expect(text).toContain("@compute @workgroup_size(64)");
      expect(text).toContain("fn tanh_(x: f32) -> f32");
    });
  });
});

describeWebgpu("webgpu memory", () => {
  it("dispose returns buffers; the pool reuses their size class", async () => {
    onDevice("webgpu", () => {
      const before = memoryStats();
      const xs = [0, 1, 2].map(() => jnp.array(new Float32Array(1000)));
      const during = memoryStats();
      expect(during.liveBuffers - before.liveBuffers).toBe(3);
      expect(during.liveBytes - before.liveBytes).toBe(3 * 4096); // 4000 bytes → class 4096
      xs.forEach((x) => x.dispose());
      expect(memoryStats().liveBytes).toBe(before.liveBytes);
      expect(memoryStats().limitBytes).toBe(config.read("memoryLimitBytes"));
      expect(() => xs[0]!.toTypedArray()).toThrow(/disposed/);
    });
  });

  it("past memoryLimitBytes an allocation raises DeviceError with the sizes; disposing recovers", async () => {
    const prev = config.read("memoryLimitBytes");
    try {
      onDevice("webgpu", () => {
        const live = memoryStats().liveBytes;
        config.update("memoryLimitBytes", live + 5 * 2 ** 20);
        const big = () => jnp.array(new Float32Array(2 ** 19)); // 2 MiB each
        const a = big();
        const b = big();
        let err: unknown;
        try {
          big();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(DeviceError);
        expect(String(err)).toMatch(/out of memory allocating 2097152 bytes/);
        expect(String(err)).toMatch(/limit \d+ bytes/);
        a.dispose();
        expect(big().sum().item()).toBe(0);
        b.dispose();
      });
    } finally {
      config.update("memoryLimitBytes", prev);
    }
  });
});

describeWebgpu("webgpu errors and reads", () => {
  it("float64 and int64 raise DeviceError naming the dtype and the device", async () => {
    const prev = config.read("enableX64");
    config.update("enableX64", true);
    try {
      onDevice("webgpu", () => {
        expect(() => jnp.array([1.5, 2], "float64")).toThrow(
          /dtype float64 is not supported on the webgpu device/,
        );
        expect(() => jnp.array([1, 2], "int64")).toThrow(
          /dtype int64 is not supported on the webgpu device/,
        );
        expect(() => jnp.array([1, 2], "float16")).toThrow(
          /dtype float16 is not supported on the webgpu device yet .*shader-f16/,
        );
        expect(() => jnp.ones([2]).astype("float16")).toThrow(DeviceError);
      });
    } finally {
      config.update("enableX64", prev);
    }
  });

  it("a kernel the device cannot run yet raises NotImplementedError naming it and the device", async () => {
    onDevice("webgpu", () => {
      const x = arr([6], 12);
      const m = arr([9], 12).reshape([3, 3]);
      const spd = () => jnp.matmul(m, m.T).add(jnp.eye(3));
      expect(() => jnp.linalg.cholesky(spd())).toThrow(NotImplementedError);
      expect(() => jnp.linalg.cholesky(spd())).toThrow(
        /cholesky is not implemented on the webgpu device/,
      );
      expect(() => lax.lgamma(x)).toThrow(/lgamma on float32 is not implemented on the webgpu/);
    });
  });

  it("await x.data() and await x.ready() read without blocking", async () => {
    const y = onDevice("webgpu", () => arr([5], 13).mul(2));
    await y.ready();
    const d = await y.data();
    expect(d).toBeInstanceOf(Float32Array);
    expect(d).toEqual(y.toTypedArray());
    const b = onDevice("webgpu", () => arr([3], 14).gt(0));
    expect(await b.data()).toEqual(b.toTypedArray());
  });

  it("the device reports its adapter", async () => {
    expect(webgpu!.adapter.length).toBeGreaterThan(0);
  });
});
