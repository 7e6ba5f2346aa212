/**
 * Shared pieces of the compiled-custom-kernel differential tests: deterministic data with the
 * awkward values (NaN, ±0, ±inf, ties, integer extremes), a run on both devices, the check
 * that the wasm device compiled the kernel (not the JS fallback), and threads on for the
 * wasm device (so large cases split across the workers).
 */
import { afterAll, beforeAll, expect } from "vitest";
import { type Array, config, jit, numpy as jnp } from "../../../../src/index.js";
import { getDevice } from "../../../../src/runtime/devices.js";
import type { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";
import { on, outs, same } from "../../differential-helpers.js";

/** Park–Miller style generator (deterministic per seed). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 48271) >>> 0) % 2147483647;
    return s / 2147483647;
  };
}

const SPECIAL_F32 = [NaN, -0, 0, Infinity, -Infinity, 1, -1, 1.5, -NaN, 3.4e38, -1e-45];
const SPECIAL_I32 = [0, -1, 1, 2147483647, -2147483648, 7, 7, -7];
const SPECIAL_U32 = [0, 1, 4294967295, 2147483648, 2147483647, 9, 9];

/**
 * Values of `dtype` on the current device: `levels` distinct values (ties when the array is
 * longer), with about a quarter replaced by special values when `special`.
 */
export function data(
  shape: readonly number[],
  dtype: "float32" | "int32" | "uint32",
  seed: number,
  opts: { levels?: number; special?: boolean } = {},
): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const r = rng(seed);
  const levels = opts.levels ?? 1 << 20;
  const special = opts.special ?? true;
  const Ctor = dtype === "float32" ? Float32Array : dtype === "int32" ? Int32Array : Uint32Array;
  const sp = dtype === "float32" ? SPECIAL_F32 : dtype === "int32" ? SPECIAL_I32 : SPECIAL_U32;
  const v = new Ctor(n);
  for (let i = 0; i < n; i++) {
    const q = Math.floor(r() * levels);
    if (special && r() < 0.25) v[i] = sp[Math.floor(r() * sp.length)]!;
    else if (dtype === "float32") v[i] = (q - levels / 2) / 16;
    else if (dtype === "int32") v[i] = q - (levels >> 1);
    else v[i] = q * 4099;
  }
  return jnp.array(v, { dtype }).reshape([...shape]);
}

/** Run `f` on both devices (jit, and eager when `eager`) and compare bit for bit. */
export function agree(
  what: string,
  f: (...a: Array[]) => Array | Array[],
  args: () => Array[],
  opts: { eager?: boolean } = {},
): void {
  const want = on("js", () => outs(jit(f)(...args())));
  const got = on("wasm", () => outs(jit(f)(...args())));
  want.forEach((w, q) => same(got[q]!, w, 0, `${what} (jit) output ${q}`));
  // A module that fails to build runs everything on the JS path: that must not pass silently.
  expect(compiledText(f, args), what).not.toMatch(/wasm (compilation|instantiation) failed/);
  if (opts.eager) {
    const eager = on("wasm", () => outs(f(...args())));
    want.forEach((w, q) => same(eager[q]!, w, 0, `${what} (eager) output ${q}`));
  }
}

/** The wasm device's compiled text of `f` (kernel summary lines). */
export function compiledText(f: (...a: Array[]) => Array | Array[], args: () => Array[]): string {
  return on("wasm", () =>
    jit(f)
      .lower(...args())
      .compile()
      .asText(),
  );
}

/** Expect the wasm device to compile `f`'s custom kernel matching `summary` (no JS fallback). */
export function expectCompiled(
  f: (...a: Array[]) => Array | Array[],
  args: () => Array[],
  summary: RegExp,
): void {
  const text = compiledText(f, args);
  expect(text).toMatch(summary);
  expect(text).not.toMatch(/js fallback \(custom|wasm (compilation|instantiation) failed/);
}

/** Threads on for the wasm device for the file's tests (and back off after). */
export function withThreads(): void {
  beforeAll(async () => {
    config.update("threads", 2);
    await (getDevice("wasm") as WasmDevice).whenThreadsReady();
  });
  afterAll(() => {
    config.update("threads", 0);
  });
}
