/**
 * A lost GPU device (`device.lost`; here: the GPUDevice destroyed through
 * loseDeviceForTesting, as a driver reset would): reads of arrays computed on it fail with a
 * DeviceError that says the device was lost, synchronously and asynchronously, and keep
 * failing; the next computation re-creates the device (a new worker and GPUDevice), and
 * programs compiled before — a cached jit function — run again on it with the js device's
 * values. Disposing a lost array is harmless.
 */
import { expect, it } from "vitest";
import { DeviceError } from "../../../src/core/errors.js";
import { type Array, jit, numpy as jnp } from "../../../src/index.js";
import { describeWebgpu, shutdownAfterAll, webgpu } from "./webgpu-env.js";
import { expectSameAsJs, hostFloats, onDevice } from "./compare.js";

shutdownAfterAll();

describeWebgpu("webgpu device loss", () => {
  it("fails the lost device's arrays clearly and re-creates the device on the next call", async () => {
    const f = jit((x: Array) => jnp.cumsum(x.mul(2).add(1)));
    const data = hostFloats(100, 1);
    const before = onDevice("webgpu", () => f(jnp.array(data)));
    await expectSameAsJs(() => f(jnp.array(data)), 1e-5, 1e-5);
    const pending = onDevice("webgpu", () => f(jnp.array(data)));
    const gen = webgpu!.generation;
    webgpu!.loseDeviceForTesting();
    await expect(pending.data()).rejects.toThrow(DeviceError);
    await expect(pending.data()).rejects.toThrow(/lost/);
    expect(() => before.toTypedArray()).toThrow(DeviceError);
    expect(() => String(before)).toThrow(/GPU device was lost.*compute the array again/);
    expect(webgpu!.generation).toBe(gen + 1);
    before.dispose();
    // The cached jit program and fresh eager work run on the new device.
    await expectSameAsJs(() => f(jnp.array(data)), 1e-5, 1e-5);
    await expectSameAsJs(() => jnp.sort(jnp.array(data)));
    expect(webgpu!.memoryStats().liveBuffers).toBeGreaterThan(0);
  });
});
