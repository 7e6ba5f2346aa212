// Child program of worker-start.test.ts: uses the wasm device's worker threads (a kernel queued
// to them), prints what it got, and then simply ends — the process must exit on its own (the
// workers are unref'd; a listener added after unref() once kept it alive forever).
import { config, numpy as jnp, devices } from "../../../../src/index.js";
import type { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";

config.update("threads", 2);
const dev = (devices("wasm")[0] as unknown as { impl: WasmDevice }).impl;
const threads = await dev.whenThreadsReady();
const before = dev.queuedTasks;
const total = jnp
  .exp(
    jnp
      .arange(1 << 21)
      .astype("float32")
      .mul(1e-7),
  )
  .sum()
  .item();
console.log(JSON.stringify({ threads, queued: dev.queuedTasks - before, total }));
