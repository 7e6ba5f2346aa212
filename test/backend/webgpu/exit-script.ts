/**
 * Run as its own process by process-exit.test.ts: uses the webgpu device and ends without
 * any cleanup (argv "shutdown": after `shutdown()`); the process must exit by itself.
 */
import { config, numpy as jnp } from "../../../src/index.js";
import { getDevice } from "../../../src/runtime/devices.js";
import type { WebGpuDevice } from "../../../src/backend/webgpu/runtime/device.js";

config.update("defaultDevice", "webgpu");
const y = jnp.arange(5).astype("float32").mul(2);
console.log(`values ${String(y)} ${String(await y.data())}`);
if (process.argv.includes("shutdown")) (getDevice("webgpu") as WebGpuDevice).shutdown();
