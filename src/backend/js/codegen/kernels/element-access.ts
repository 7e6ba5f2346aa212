/**
 * Reading and writing elements of js-device buffers as JS values in custom kernels: float16 is
 * stored as bit patterns, everything else is read and written directly (TypedArray stores do
 * the integer wrap-around and float32 rounding).
 */
import type { TypedArray } from "../../../../core/dtype.js";
import { f2h, h2f } from "../helpers.js";

export type Scalar = number | bigint;

export interface Accessor {
  get(buf: TypedArray, i: number): Scalar;
  set(buf: TypedArray, i: number, v: Scalar): void;
}

const direct: Accessor = {
  get: (b, i) => b[i]!,
  set: (b, i, v) => {
    (b as unknown as Scalar[])[i] = v;
  },
};

const half: Accessor = {
  get: (b, i) => h2f[b[i] as number]!,
  set: (b, i, v) => {
    b[i] = f2h(v as number);
  },
};

export function accessor(dtypeName: string): Accessor {
  return dtypeName === "float16" ? half : direct;
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new globalThis.Array<number>(shape.length);
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= shape[k]!;
  }
  return s;
}
