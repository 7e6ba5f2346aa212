/**
 * jax-js (`@jax-js/jax`) on its wasm device. `init()` with no argument also probes WebGPU and
 * throws in Node 20 (`navigator` is not defined), so only "wasm" is initialized. Arrays are
 * reference-counted: every call consumes its arguments, so the bench passes `x.ref`.
 */
import type { NotAvailable } from "../harness.js";
import { packageVersion } from "./version.js";
import { installWebWorkerShim, withHardwareConcurrency } from "./shims.js";

export type JaxJs = typeof import("@jax-js/jax");

export interface JaxJsPeer {
  readonly jax: JaxJs;
  readonly version: string;
  /** Worker threads of the wasm device (1: runs on the main thread). */
  readonly threads: number;
  readonly note: string;
}

export async function loadJaxJs(threads: number): Promise<JaxJsPeer | NotAvailable> {
  try {
    let note = "";
    if (threads > 1) {
      installWebWorkerShim();
      note = "Web Worker shim over worker_threads";
    }
    const jax = (await import("@jax-js/jax")) as JaxJs;
    const devices = await withHardwareConcurrency(threads, () => jax.init("wasm"));
    if (!devices.includes("wasm")) return { na: "jax-js: wasm device unavailable" };
    jax.defaultDevice("wasm");
    const version = packageVersion("@jax-js/jax");
    const hasWorkers = typeof (globalThis as { Worker?: unknown }).Worker !== "undefined";
    return { jax, version, threads: hasWorkers ? threads : 1, note };
  } catch (e) {
    return { na: `jax-js failed to load: ${(e as Error).message ?? String(e)}` };
  }
}
