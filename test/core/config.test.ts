/**
 * config.update checks what it is given: unknown names, wrong types (TypeError) and values out
 * of an option's range (ValueError) raise, and a refused value leaves the option as it was.
 */
import { describe, expect, it } from "vitest";
import { ValueError, config } from "../../src/index.js";
import "../../src/runtime/devices.js"; // registers the devices and the defaultDevice check

describe("config.update validates", () => {
  it("rejects unknown options and wrong types", () => {
    expect(() => config.update("jax_no_such_flag", true)).toThrow(
      /Unrecognized config option: jax_no_such_flag\. Known options: enableX64, /,
    );
    expect(() => config.update("threads", "2")).toThrow(
      new TypeError('config.update("threads", …) expects a number, got string.'),
    );
    expect(() => config.update("jax_enable_x64", 1)).toThrow(TypeError);
  });

  it.each([
    ["threads", -1, "an integer from 0 (one per CPU) to 256"],
    ["threads", 1.5, "an integer from 0 (one per CPU) to 256"],
    ["threads", 1000, "an integer from 0 (one per CPU) to 256"],
    ["memoryLimitBytes", 100, "a whole number of bytes from 65,536 to 4,294,901,760"],
    ["memoryLimitBytes", 2 ** 32, "a whole number of bytes from 65,536 to 4,294,901,760"],
    ["memoryLimitBytes", Number.NaN, "a whole number of bytes from 65,536"],
    ["jitCacheSize", 0, "a positive integer"],
    ["workerTimeoutMs", -1, "0 (no timeout) or a whole number of milliseconds up to 2,147,483,647"],
    ["workerTimeoutMs", 0.5, "0 (no timeout) or a whole number of milliseconds"],
    ["workerTimeoutMs", 2 ** 31, "0 (no timeout) or a whole number of milliseconds"],
  ] as const)("%s = %s raises ValueError and keeps the old value", (name, value, what) => {
    const before = config.read(name);
    let err: unknown;
    try {
      config.update(name, value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValueError);
    expect((err as Error).message).toContain(`config.update("${name}", …) expects ${what}`);
    expect((err as Error).message).toContain(`got ${value}`);
    expect(config.read(name)).toBe(before);
  });

  it("defaultDevice must name a registered device", () => {
    const before = config.read("defaultDevice");
    expect(() => config.update("jax_default_device", "gpu")).toThrow(
      new ValueError(
        'config.update("jax_default_device", …) expects a registered device name ("js", "wasm", "webgpu"), got "gpu".',
      ),
    );
    expect(config.read("defaultDevice")).toBe(before);
  });

  it("accepts values in range", () => {
    const saved = config.read("jitCacheSize");
    config.update("jitCacheSize", 8);
    expect(config.read("jitCacheSize")).toBe(8);
    config.update("jitCacheSize", saved);
  });
});
