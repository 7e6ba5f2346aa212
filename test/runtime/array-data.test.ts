/** `await x.data()`: the asynchronous read, on the js and wasm devices (webgpu: its own tests). */
import { expect, it } from "vitest";
import { type Array, config, jit, numpy as jnp } from "../../src/index.js";
import { TracerArrayConversionError } from "../../src/core/errors.js";

it.each(["js", "wasm"])(
  "data() on the %s device equals toTypedArray() and is a copy",
  async (device) => {
    const prev = config.read("defaultDevice");
    config.update("defaultDevice", device);
    try {
      const x = jnp.arange(6).astype("float32").mul(1.5);
      const d = await x.data();
      expect(d).toEqual(new Float32Array([0, 1.5, 3, 4.5, 6, 7.5]));
      d[0] = 42;
      expect(x.toTypedArray()[0]).toBe(0);
      expect(await jnp.array([true, false]).data()).toEqual(new Uint8Array([1, 0]));
      expect(await jnp.array([1, 2], "float16").data()).toEqual(new Float32Array([1, 2]));
    } finally {
      config.update("defaultDevice", prev);
    }
  },
);

it("data() of a tracer rejects with TracerArrayConversionError", async () => {
  let p: Promise<unknown> | undefined;
  jit((x: Array) => {
    p = x.data();
    return x;
  })(jnp.ones(2));
  await expect(p).rejects.toThrow(TracerArrayConversionError);
});
