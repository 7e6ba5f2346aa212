/**
 * Shims that let the peers' multi-threaded wasm builds run in Node 20, used only when the bench
 * asks for peer threads > 1 (`--peer-threads`). Without them both peers run single-threaded in
 * Node:
 *
 * - jax-js starts its worker pool only when `typeof Worker !== "undefined"` (a Web Worker
 *   global, which Node 20 lacks) and sizes it from `navigator.hardwareConcurrency` (Node 20 has
 *   no `navigator`; it would then start 4 workers). `installWebWorkerShim` defines a global
 *   `Worker` over `worker_threads` that loads the `blob:` URL jax-js creates.
 * - tfjs-backend-wasm hard-codes `WASM_HAS_MULTITHREAD_SUPPORT = false` on Node (tfjs#3830);
 *   forced on, its Emscripten pthreads fail with ERR_WORKER_PATH because the pthread worker is
 *   a `blob:` URL, and the worker then `importScripts` a Blob of the main script.
 *   `withTfjsThreadedLoader` writes the worker script to a temporary file (pointing its
 *   `importScripts` at the package's own `wasm-out/…threaded-simd.js`). Its thread pool is
 *   capped at half of `os.cpus().length` (1 on a 2-core machine), so the CPU count is reported
 *   doubled while the backend initializes.
 */
import { resolveObjectURL } from "node:buffer";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker as NodeWorker } from "node:worker_threads";

const WORKER_PRELUDE = `"use strict";
const { parentPort } = require("node:worker_threads");
globalThis.self = globalThis;
globalThis.postMessage = (m) => parentPort.postMessage(m);
parentPort.on("message", (data) => {
  if (typeof self.onmessage === "function") self.onmessage({ data });
});
`;

/** The subset of the Web Worker API jax-js uses, over `worker_threads`. */
class WebWorkerShim {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: ((e: { message: string }) => void) | null = null;
  private worker: NodeWorker | undefined;
  private queue: unknown[] = [];

  constructor(url: string | URL) {
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`WebWorkerShim: cannot resolve ${String(url)}`);
    void blob.text().then((src) => {
      const w = new NodeWorker(WORKER_PRELUDE + src, { eval: true });
      w.unref();
      w.on("message", (data) => this.onmessage?.({ data }));
      w.on("error", (e) => this.onerror?.({ message: String(e) }));
      this.worker = w;
      for (const m of this.queue) w.postMessage(m);
      this.queue = [];
    });
  }

  postMessage(m: unknown): void {
    if (this.worker) this.worker.postMessage(m);
    else this.queue.push(m);
  }

  terminate(): void {
    void this.worker?.terminate();
  }
}

/**
 * Define `globalThis.Worker` (kept: jax-js checks it at every kernel compile). tfjs's
 * Emscripten runtime may already have set it to `worker_threads.Worker` (when tfjs loads
 * first) and starts its pthreads from file paths: those still get a Node worker, `blob:` URLs
 * (jax-js) get the Web Worker shim.
 */
export function installWebWorkerShim(): void {
  const g = globalThis as { Worker?: unknown };
  shimWanted = true;
  if (g.Worker === HybridWorker) return;
  const previous = g.Worker as (new (url: string | URL, opts?: object) => object) | undefined;
  HybridWorker.fallback = previous ?? NodeWorker;
  g.Worker = HybridWorker;
}

let shimWanted = false;

/**
 * After tfjs loads: its Emscripten runtime sets `globalThis.Worker = worker_threads.Worker`,
 * which would hide the shim from jax-js if jax-js loaded first; put the shim back in front.
 */
export function restoreWebWorkerShim(): void {
  if (shimWanted) installWebWorkerShim();
}

/** `new Worker(url)`: the Web Worker shim for `blob:` URLs, the previous Worker otherwise. */
function HybridWorker(url: string | URL, opts?: object): object {
  return String(url).startsWith("blob:")
    ? new WebWorkerShim(url)
    : new HybridWorker.fallback(url, opts);
}
HybridWorker.fallback = NodeWorker as new (url: string | URL, opts?: object) => object;

/** Run `init` with `navigator.hardwareConcurrency = n` visible (then remove `navigator`). */
export async function withHardwareConcurrency<T>(n: number, init: () => Promise<T>): Promise<T> {
  const g = globalThis as { navigator?: unknown };
  if (g.navigator !== undefined) return init();
  g.navigator = { hardwareConcurrency: n };
  try {
    return await init();
  } finally {
    delete g.navigator;
  }
}

/**
 * Run `init` (which initializes tfjs's wasm backend) with the hooks the threaded build needs in
 * Node. `threadedScript` is the package's `wasm-out/tfjs-backend-wasm-threaded-simd.js`.
 */
export async function withTfjsThreadedLoader<T>(
  threadedScript: string,
  threads: number,
  init: () => Promise<T>,
): Promise<T> {
  const g = globalThis as { Blob: typeof Blob };
  const RealBlob = g.Blob;
  const realCreate = URL.createObjectURL.bind(URL);
  const realCpus = os.cpus;
  const texts = new WeakMap<object, string>();
  const dir = mkdtempSync(path.join(os.tmpdir(), "jaxts-bench-tfjs-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  class RecordingBlob extends RealBlob {
    constructor(parts?: BlobPart[], opts?: BlobPropertyBag) {
      super(parts, opts);
      if (parts?.every((p) => typeof p === "string")) texts.set(this, parts.join(""));
    }
  }
  g.Blob = RecordingBlob;
  URL.createObjectURL = (obj: Blob) => {
    const text = texts.get(obj);
    if (text === undefined || !text.includes("importScripts(objectUrl)")) return realCreate(obj);
    const file = path.join(dir, "tfjs-backend-wasm-threaded-simd.worker.js");
    writeFileSync(
      file,
      text.replace("importScripts(objectUrl)", `importScripts(${JSON.stringify(threadedScript)})`),
    );
    return file;
  };
  const cpus = realCpus();
  const fake = Array.from(
    { length: Math.max(cpus.length, 2 * threads) },
    (_, i) => cpus[i % cpus.length]!,
  );
  (os as { cpus: () => os.CpuInfo[] }).cpus = () => fake;
  try {
    return await init();
  } finally {
    g.Blob = RealBlob;
    URL.createObjectURL = realCreate;
    (os as { cpus: () => os.CpuInfo[] }).cpus = realCpus;
  }
}
