/**
 * Running out of device memory inside a jitted call: a DeviceError naming the allocation and
 * the live total, nothing leaked (outputs allocated before the failing one are freed, inputs
 * untouched), and the same jitted function — same cache entry — works once memory allows.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Array, DeviceError, config, jit, numpy as jnp } from "../../src/index.js";
import type { WasmDevice } from "../../src/backend/wasm/runtime/device.js";
import { getDevice } from "../../src/runtime/devices.js";

const dev = () => getDevice("wasm") as WasmDevice;

describe("out of memory in a jitted call (wasm device)", () => {
  const savedLimit = config.read("memoryLimitBytes");
  const savedDevice = config.read("defaultDevice");
  afterEach(() => {
    config.update("memoryLimitBytes", savedLimit);
    config.update("defaultDevice", savedDevice);
  });

  it("raises DeviceError, frees what the call had allocated, and the function works afterwards", () => {
    config.update("defaultDevice", "wasm");
    const n = 2048;
    const x = jnp.arange(n, null, null, "float32").blockUntilReady();
    let traces = 0;
    // Two outputs: a small one, and an n×n outer product (16 MiB) that cannot be fused away.
    const f = jit((v: Array) => {
      traces++;
      return [v.mul(2), v.reshape(n, 1).mul(v.reshape(1, n))];
    });
    for (const out of f(x)) out!.dispose(); // compiled and cached while memory allows
    expect(traces).toBe(1);
    const before = dev().liveBytes;
    config.update("memoryLimitBytes", before + (4 << 20));
    let err: unknown;
    try {
      const [a, b] = f(x);
      a!.blockUntilReady();
      b!.blockUntilReady();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeviceError);
    const msg = (err as Error).message;
    expect(msg).toContain("Out of memory on the wasm device");
    expect(msg).toContain(`${(4 * n * n).toLocaleString("en-US")} bytes`);
    expect(msg).toMatch(/bytes are live/);
    // Nothing the failed call allocated stays live (the retry after a forced collection may
    // have reclaimed other unreachable arrays too); the input is intact.
    expect(dev().liveBytes).toBeLessThanOrEqual(before);
    expect(x.get(n - 1).item()).toBe(n - 1);
    // With memory to spare, the same cache entry runs (no re-trace) and is right.
    config.update("memoryLimitBytes", savedLimit);
    const [a, b] = f(x);
    expect(traces).toBe(1);
    expect(a!.get(3).item()).toBe(6);
    expect(b!.get(n - 1, n - 2).item()).toBe((n - 1) * (n - 2));
  });
});
