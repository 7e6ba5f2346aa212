/**
 * Helpers for the per-primitive differential tests: deterministic data, running on a device,
 * and comparisons with stated tolerances — exact (bit-for-bit, NaN = NaN, -0 ≠ +0) or within
 * float32 ulps.
 */
import { expect } from "vitest";
import { type Array, config, numpy as jnp } from "../../src/index.js";

/** Uniform values in [lo, hi) from a fixed LCG (float32). */
export function floats(shape: number[], seed: number, lo = -2, hi = 2): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return jnp.array(d).reshape(shape);
}

export const ints = (shape: number[], seed: number, lo = -50, hi = 50): Array =>
  jnp.floor(floats(shape, seed, lo, hi)).astype("int32");

export function on<T>(device: string, f: () => T): T {
  const prev = config.read("defaultDevice");
  config.update("defaultDevice", device);
  try {
    return f();
  } finally {
    config.update("defaultDevice", prev);
  }
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** float32 values on a line where adjacent floats differ by 1 (-0 and +0 are both 0). */
function ordinal(v: number): number {
  f32[0] = v;
  const b = i32[0]!;
  return b < 0 ? -(b & 0x7fffffff) : b;
}

/** Distance in float32 ulps (Infinity when exactly one is NaN, 0 when both are). */
export function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(ordinal(a) - ordinal(b));
}

/** The outputs of a case as a list. */
export const outs = (r: Array | Array[]): Array[] => (globalThis.Array.isArray(r) ? r : [r]);

/**
 * `got` equals `want` in shape, dtype, weak type and values: exactly when `ulp` is 0 (Object.is:
 * the sign of zero counts), else float32 values within `ulp` ulps.
 */
export function same(got: Array, want: Array, ulp: number, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  expect(got.dtype.name, what).toBe(want.dtype.name);
  expect(got.weakType, what).toBe(want.weakType);
  const x = got.toTypedArray();
  const y = want.toTypedArray();
  let worst = 0;
  let at = -1;
  for (let i = 0; i < x.length; i++) {
    const u = x[i] as number | bigint;
    const v = y[i] as number | bigint;
    if (ulp === 0 || !got.dtype.isFloat) {
      if (!Object.is(u, v) && !(Number.isNaN(u) && Number.isNaN(v))) {
        expect.fail(`${what}: element ${i}: ${String(u)} !== ${String(v)}`);
      }
      continue;
    }
    const d = ulps(Number(u), Number(v));
    if (d > worst) [worst, at] = [d, i];
  }
  if (worst > ulp)
    expect.fail(`${what}: element ${at}: ${x[at]} vs ${y[at]} differ by ${worst} ulp > ${ulp}`);
}
