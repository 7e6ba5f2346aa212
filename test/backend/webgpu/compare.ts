/** Running a function on the js device and on the webgpu device from the same host data. */
import { expect } from "vitest";
import { type Array, config } from "../../../src/index.js";

export function onDevice<T>(device: string, f: () => T): T {
  const prev = config.read("defaultDevice");
  config.update("defaultDevice", device);
  try {
    return f();
  } finally {
    config.update("defaultDevice", prev);
  }
}

/** Deterministic float32 data in [lo, hi). */
export function hostFloats(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  const d = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return d;
}

export const hostInts = (n: number, seed: number, lo = -50, hi = 50): Int32Array =>
  Int32Array.from(hostFloats(n, seed, lo, hi), Math.floor);

/**
 * `f` on webgpu equals `f` on js: same shape and dtype; ints and bools exactly; floats within
 * |got − want| ≤ atol + rtol·|want| (NaN matches NaN). Reads the webgpu result asynchronously.
 */
export async function expectSameAsJs(
  f: () => Array,
  rtol = 0,
  atol = 0,
  what = "",
): Promise<Array> {
  const want = onDevice("js", f);
  const got = onDevice("webgpu", f);
  expect(got.shape, what).toEqual(want.shape);
  expect(got.dtype.name, what).toBe(want.dtype.name);
  // An asynchronous read: a first run compiles shaders, which can take seconds on lavapipe,
  // and a blocked test thread would starve the test runner's own messages.
  const x = await got.data();
  const y = want.toTypedArray();
  for (let i = 0; i < y.length; i++) {
    const u = Number(x[i]);
    const v = Number(y[i]);
    if (Number.isNaN(v) && Number.isNaN(u)) continue;
    const ok =
      rtol === 0 && atol === 0
        ? Object.is(u, v) || u === v
        : u === v || Math.abs(u - v) <= atol + rtol * Math.abs(v);
    if (!ok) expect.fail(`${what} element ${i}: webgpu ${u} vs js ${v}`);
  }
  return got;
}
