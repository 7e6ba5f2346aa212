/**
 * jax top-level device and configuration functions: devices, localDevices, deviceCount,
 * defaultBackend, devicePut, blockUntilReady, process*, and the context functions disableJit,
 * enableX64, logCompiles, defaultDevice (restore on dispose and after a body, also a throwing one).
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  Device,
  blockUntilReady,
  config,
  defaultBackend,
  defaultDevice,
  deviceCount,
  devicePut,
  devices,
  disableJit,
  enableX64,
  jit,
  localDeviceCount,
  localDevices,
  logCompiles,
  numpy as jnp,
  processCount,
  processIndex,
  processIndices,
  Array as JaxArray,
  ValueError,
} from "../../src/index.js";
import { ArrayImpl } from "../../src/runtime/array.js";

const deviceName = (x: unknown): string => (x as ArrayImpl).buffer.device.name;

afterEach(() => {
  config.update("defaultDevice", "wasm");
  config.update("disableJit", false);
  config.update("enableX64", false);
});

describe("device listing", () => {
  it("one device per backend, the default backend first", () => {
    expect(defaultBackend()).toBe("wasm");
    const [d] = devices();
    expect(devices()).toHaveLength(1);
    expect(d).toBeInstanceOf(Device);
    expect(d!.platform).toBe("wasm");
    expect(d!.id).toBe(0);
    expect(d!.processIndex).toBe(0);
    expect(String(d)).toBe("WasmDevice(id=0)");
    expect(devices("js")[0]!.platform).toBe("js");
    expect(devices("js")[0]).toBe(devices("js")[0]); // one object per device
    expect(deviceCount()).toBe(1);
    expect(localDeviceCount("js")).toBe(1);
    expect(localDevices()).toEqual(devices());
    config.update("defaultDevice", "js");
    expect(defaultBackend()).toBe("js");
    expect(devices()[0]!.platform).toBe("js");
  });
  it("one process", () => {
    expect(processIndex()).toBe(0);
    expect(processCount()).toBe(1);
    expect(processIndices()).toEqual([0]);
    expect(() => localDevices({ processIndex: 1 })).toThrow(ValueError);
  });
  it("unknown backends raise ValueError naming the known ones", () => {
    expect(() => devices("tpu")).toThrow(
      /Backend 'tpu' is not in the list of known backends: js, wasm/,
    );
    expect(() => devices("tpu")).toThrow(ValueError);
  });
});

describe("devicePut", () => {
  it("copies arrays to another device, values and avals intact", () => {
    const x = jnp.arange(6).reshape([2, 3]).astype("float32");
    expect(deviceName(x)).toBe("wasm");
    const y = devicePut(x, devices("js")[0]!);
    expect(deviceName(y)).toBe("js");
    expect(y === x).toBe(false);
    expect(y.shape).toEqual([2, 3]);
    expect(y.dtype.name).toBe("float32");
    expect(y.tolist()).toEqual(x.tolist());
    const back = devicePut(y, "wasm");
    expect(deviceName(back)).toBe("wasm");
    expect(back.tolist()).toEqual(x.tolist());
    // Computation follows the data: y + 1 runs where y lives.
    expect(deviceName(y.add(1))).toBe("js");
  });
  it("returns arrays already on the device unchanged", () => {
    const x = jnp.ones([3]);
    expect(devicePut(x)).toBe(x);
    expect(devicePut(x, devices()[0]!)).toBe(x);
  });
  it("maps pytrees; JS scalars become weakly typed arrays, TypedArrays 1-d arrays", () => {
    const out = devicePut({ a: 1, b: [1.5, true], c: new Float32Array([1, 2]) }, "js");
    const a = out.a as unknown as JaxArray;
    const [b0, b1] = out.b as unknown as JaxArray[];
    const c = out.c as unknown as JaxArray;
    expect(a).toBeInstanceOf(JaxArray);
    expect([a.dtype.name, a.weakType, a.item()]).toEqual(["int32", true, 1]);
    expect([b0!.dtype.name, b0!.weakType, b0!.item()]).toEqual(["float32", true, 1.5]);
    expect([b1!.dtype.name, b1!.item()]).toEqual(["bool", true]);
    expect([c.dtype.name, c.shape, c.tolist()]).toEqual(["float32", [2], [1, 2]]);
    for (const leaf of [a, b0, b1, c]) expect(deviceName(leaf)).toBe("js");
  });
  it("passes tracers through under jit", () => {
    const f = jit((x: JaxArray) => devicePut(x).mul(2));
    expect(f(jnp.array([1, 2])).tolist()).toEqual([2, 4]);
  });
  it("rejects leaves that are not arrays", () => {
    expect(() => devicePut({ a: "text" })).toThrow(TypeError);
  });
});

describe("blockUntilReady", () => {
  it("returns its argument after every array leaf is computed", () => {
    const tree = { w: jnp.ones([1000]).mul(2), b: [jnp.zeros([2]), 3] };
    expect(blockUntilReady(tree)).toBe(tree);
    expect(tree.w.sum().item()).toBe(2000);
  });
});

describe("configuration contexts", () => {
  it("disableJit runs the Python function each call, with concrete arrays", () => {
    let traces = 0;
    let sawConcrete = false;
    const f = jit((x: JaxArray) => {
      traces++;
      sawConcrete = x instanceof ArrayImpl;
      return x.add(1);
    });
    {
      using _ctx = disableJit();
      expect(config.read("disableJit")).toBe(true);
      f(jnp.ones([2]));
      f(jnp.ones([2]));
      expect(traces).toBe(2);
      expect(sawConcrete).toBe(true);
    }
    expect(config.read("disableJit")).toBe(false);
    f(jnp.ones([2]));
    f(jnp.ones([2]));
    expect(traces).toBe(3); // traced once, then cached
    expect(sawConcrete).toBe(false);
  });
  it("the body form restores the option, also when the body throws", () => {
    expect(disableJit(() => config.read("disableJit"))).toBe(true);
    expect(config.read("disableJit")).toBe(false);
    expect(() =>
      disableJit(() => {
        throw new RangeError("boom");
      }),
    ).toThrow(RangeError);
    expect(config.read("disableJit")).toBe(false);
    expect(disableJit(false, () => config.read("disableJit"))).toBe(false);
  });
  it("enableX64 makes float64 the default float; nested contexts restore in order", () => {
    expect(enableX64(() => jnp.array([1.5]).dtype.name)).toBe("float64");
    expect(jnp.array([1.5]).dtype.name).toBe("float32");
    const outer = enableX64();
    const inner = enableX64(false);
    expect(config.read("enableX64")).toBe(false);
    inner.restore();
    expect(config.read("enableX64")).toBe(true);
    outer[Symbol.dispose]();
    outer[Symbol.dispose](); // once only
    expect(config.read("enableX64")).toBe(false);
  });
  it("logCompiles and defaultDevice (a Device or a backend name)", () => {
    expect(logCompiles(() => config.read("logCompiles"))).toBe(true);
    expect(config.read("logCompiles")).toBe(false);
    const x = defaultDevice(devices("js")[0]!, () => jnp.ones([2]));
    expect(deviceName(x)).toBe("js");
    expect(deviceName(defaultDevice("js", () => jnp.zeros([1])))).toBe("js");
    expect(config.read("defaultDevice")).toBe("wasm");
    expect(() => defaultDevice("tpu")).toThrow(ValueError);
    expect(config.read("defaultDevice")).toBe("wasm");
  });
});
