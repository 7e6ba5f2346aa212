/**
 * The webgpu device beside the wasm device in the same run: matmul 1024² f32 and sigmoid over
 * 1e7 f32, each under jit on both devices (inputs made on the device, blockUntilReady, the
 * result not copied out). The ratio column is webgpu time / wasm time. When the adapter is a
 * CPU implementation (Mesa's lavapipe, SwiftShader) the row names say so: there the numbers
 * show only the kernels' relative quality, not GPU speed. Rows are "n/a" without an adapter.
 */
import { type Array as JArray, config, jit, numpy as jnp } from "../../src/index.js";
import { getDevice } from "../../src/runtime/devices.js";
import type { WebGpuDevice } from "../../src/backend/webgpu/runtime/device.js";
import type { Prepared } from "../harness.js";
import { type Row, uniform } from "../rows.js";
import { MM } from "./matmul.js";

const N = 10_000_000;

function onDevice<T>(device: string, f: () => T): T {
  const prev = config.read("defaultDevice");
  config.update("defaultDevice", device);
  try {
    return f();
  } finally {
    config.update("defaultDevice", prev);
  }
}

/** The webgpu device and a label for its adapter, or why it is not available. */
function webgpu(): { dev: WebGpuDevice; label: string } | { na: string } {
  try {
    const dev = getDevice("webgpu") as WebGpuDevice;
    return { dev, label: dev.cpuAdapter ? "lavapipe/CPU adapter" : dev.adapter };
  } catch (e) {
    return { na: `no webgpu device: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function bench(device: string, make: () => JArray[], f: (...xs: JArray[]) => JArray): Prepared {
  const xs = onDevice(device, () => make().map((x) => x.blockUntilReady()));
  const g = jit(f);
  return {
    fn: () => onDevice(device, () => g(...xs).blockUntilReady()),
    cleanup: (r) => (r as JArray).dispose(),
    teardown: () => xs.forEach((x) => x.dispose()),
  };
}

const matmulInputs = () => [
  jnp.asarray(uniform(MM * MM, 1)).reshape(MM, MM),
  jnp.asarray(uniform(MM * MM, 2)).reshape(MM, MM),
];
const sigmoidInputs = () => [jnp.arange(N, null, null, "float32")];
const sigmoid = (x: JArray): JArray => jnp.divide(1, jnp.exp(x.neg()).add(1));

export function webgpuRows(): Row[] {
  const gpu = webgpu();
  const tag = "na" in gpu ? "" : ` (${gpu.label})`;
  const pair = (
    what: string,
    group: string,
    make: () => JArray[],
    f: (...xs: JArray[]) => JArray,
    work: Row["work"],
  ): Row[] => [
    {
      id: `webgpu/${what}-wasm`,
      group,
      name: `wasm jit ${what}`,
      lib: "jaxts",
      what: `jaxts on the wasm device: jit ${what}; blockUntilReady()`,
      ...(work ? { work } : {}),
      prepare: async () => bench("wasm", make, f),
    },
    {
      id: `webgpu/${what}`,
      group,
      name: `webgpu jit ${what}${tag}`,
      lib: "jaxts",
      what: `jaxts on the webgpu device: jit ${what}; blockUntilReady(); ratio: webgpu / wasm time`,
      vs: { ref: `webgpu/${what}-wasm`, formula: "this/ref" },
      ...(work ? { work } : {}),
      prepare: async () => ("na" in gpu ? { na: gpu.na } : bench("webgpu", make, f)),
    },
  ];
  return [
    ...pair("matmul", `webgpu: matmul ${MM}×${MM} f32`, matmulInputs, jnp.matmul, {
      flops: 2 * MM ** 3,
    }),
    ...pair("sigmoid", "webgpu: sigmoid over 1e7 f32", sigmoidInputs, sigmoid, { bytes: 8 * N }),
  ];
}
