/** Test inputs for the wasm codegen: special values per dtype plus deterministic noise. */
import {
  type DType,
  type TypedArray,
  bool,
  float32,
  int16,
  int32,
  int8,
  uint16,
  uint32,
  uint8,
} from "../../../../src/core/dtype.js";
import { type Array, numpy as jnp } from "../../../../src/index.js";

export const DTYPES32 = [float32, int32, uint32] as const;
export const INT_DTYPES = [int32, uint32, int8, uint8, int16, uint16] as const;
export const ALL_DTYPES = [float32, int32, uint32, int8, uint8, int16, uint16, bool] as const;

const FLOAT_SPECIALS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  -1.5,
  2.5,
  -2.5,
  3,
  -3,
  0.1,
  -7.25,
  100,
  -100,
  1e-7,
  1e-40,
  -1e-40,
  1.1754944e-38,
  88,
  -88,
  89.5,
  -104,
  16777217,
  -16777217,
  1e30,
  -1e30,
  3.4e38,
  -3.4e38,
  Infinity,
  -Infinity,
  NaN,
  0.99999994,
  2147483648,
  -2147483904,
  4294967296,
  300,
  -129,
  65536.5,
  Math.PI / 2,
  1e6,
  -2e6,
  0.75,
  -0.25,
];

function specials(d: DType): number[] {
  switch (d.name) {
    case "float32":
      return FLOAT_SPECIALS;
    case "int32":
      return [
        0, 1, -1, 2, -2, 3, 7, -7, 8, 31, 32, 33, -32, 100, -100, 255, 256, 65535, 65536,
        2147483647, -2147483648, 123456789, -987654321,
      ];
    case "uint32":
      return [
        0, 1, 2, 3, 7, 8, 31, 32, 33, 255, 256, 65535, 4294967295, 2147483648, 2147483647,
        4000000000, 123456789,
      ];
    case "int8":
      return [0, 1, -1, 2, -2, 3, 7, -7, 8, 31, 32, -128, 127, -127, 100, -100, 64];
    case "uint8":
      return [0, 1, 2, 3, 7, 8, 31, 32, 33, 127, 128, 255, 254, 100, 200];
    case "int16":
      return [0, 1, -1, 2, -2, 7, 15, 16, 17, -32768, 32767, 1000, -1000, 255, 256];
    case "uint16":
      return [0, 1, 2, 7, 15, 16, 17, 65535, 32768, 32767, 1000, 255, 256];
    default:
      return [0, 1];
  }
}

function noise(d: DType, n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const u = s / 2 ** 32;
    if (d.isFloat)
      out.push(
        i % 3 === 0
          ? (u - 0.5) * 20
          : i % 3 === 1
            ? (u - 0.5) * 2
            : Math.exp((u - 0.5) * 60) * (i % 2 ? -1 : 1),
      );
    else if (d.isBool) out.push(s & 1);
    else {
      const bits = 8 * d.itemsize;
      const v = s % 2 ** bits;
      out.push(d.isSigned && v >= 2 ** (bits - 1) ? v - 2 ** bits : v);
    }
  }
  return out;
}

export function typed(d: DType, values: readonly number[]): TypedArray {
  const a = new d.storage(values.length);
  values.forEach((v, i) => (a[i] = v as never));
  return a;
}

/** Specials followed by noise, `n` values in all (at least the specials). */
export function values(d: DType, n = 0, seed = 7): TypedArray {
  const sp = specials(d);
  return typed(d, [...sp, ...noise(d, Math.max(0, n - sp.length), seed)]);
}

/** Every pair of specials (plus noise pairs): two arrays of equal length. */
export function pairs(d: DType, e: DType = d, extra = 64): [TypedArray, TypedArray] {
  const a = specials(d);
  const b = specials(e);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const x of a) {
    for (const y of b) {
      xs.push(x);
      ys.push(y);
    }
  }
  xs.push(...noise(d, extra, 11));
  ys.push(...noise(e, extra, 13));
  return [typed(d, xs), typed(e, ys)];
}

/** Deterministic float32 data in [-2, 2). */
/** A float32 Array of `shape` filled with `floats` (deterministic noise in [-2, 2)). */
export function floatArray(shape: readonly number[], seed = 1): Array {
  return jnp
    .array(
      floats(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
    )
    .reshape([...shape]);
}

export function floats(n: number, seed = 1): Float32Array {
  const d = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    d[i] = ((s >>> 8) / 2 ** 24) * 4 - 2;
  }
  return d;
}
