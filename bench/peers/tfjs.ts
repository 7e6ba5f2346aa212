/**
 * TensorFlow.js on its wasm backend (XNNPACK), loaded from node_modules without network access:
 * `setWasmPaths` gets the package's own `dist/` directory as a file-path prefix (Node reads the
 * `.wasm` with `fs`).
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { NotAvailable } from "../harness.js";
import { restoreWebWorkerShim, withTfjsThreadedLoader } from "./shims.js";

export type Tf = typeof import("@tensorflow/tfjs-core");

export interface TfjsPeer {
  readonly tf: Tf;
  readonly version: string;
  /** "wasm-simd", "wasm-threaded-simd" or "wasm". */
  readonly build: string;
  readonly threads: number;
  readonly note: string;
}

const require = createRequire(import.meta.url);

export async function loadTfjs(threads: number): Promise<TfjsPeer | NotAvailable> {
  try {
    const tf = (await import("@tensorflow/tfjs-core")) as Tf;
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const pkgDir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
    wasm.setWasmPaths(path.join(pkgDir, "dist") + path.sep);
    const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
    let note = "";
    const init = async () => {
      if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') failed");
      await tf.ready();
    };
    if (threads > 1 && simd) {
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
      wasm.setThreadsCount(threads);
      const script = path.join(pkgDir, "wasm-out", "tfjs-backend-wasm-threaded-simd.js");
      await withTfjsThreadedLoader(script, threads, init);
      note = "threaded build via bench shim";
    } else {
      await init();
    }
    restoreWebWorkerShim();
    const actual = wasm.getThreadsCount();
    const threaded = Boolean(tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT"));
    if (threads > 1 && actual !== threads) {
      process.stderr.write(`bench: tfjs-wasm runs ${actual} thread(s), asked for ${threads}\n`);
    }
    return {
      tf,
      version: tf.version_core,
      build: threaded && simd ? "wasm-threaded-simd" : simd ? "wasm-simd" : "wasm",
      threads: actual,
      note,
    };
  } catch (e) {
    return { na: `tfjs-wasm failed to load: ${(e as Error).message ?? String(e)}` };
  }
}
