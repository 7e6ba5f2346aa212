/**
 * The threefry2x32 PRNG on raw key data, as JAX's `prng.py`: a key is a pair of uint32 words
 * (the last axis, of size 2); every function here also takes a batch of keys `[...B, 2]` and
 * maps over it, which is how samplers that need one key per element (gamma) use them.
 *
 * Two counter layouts exist (config.ts): the partitionable one (JAX's default) hashes the
 * 64-bit index of each output element split into (hi, lo) words; the original one hashes
 * `iota(n)` split into two halves.
 */
import { config } from "../core/config.js";
import { type DType, uint16, uint32, uint64, uint8 } from "../core/dtype.js";
import { sizeOf } from "../core/shape.js";
import type { Array } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { asarray } from "../numpy/coerce.js";
import { threefryPartitionable } from "./config.js";

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);
const u32 = (v: number): Array => P.full([], v >>> 0, uint32);

/** The two words of key data `[...B, 2]`, each of shape `B`. */
export function keyHalves(keys: Array): [Array, Array] {
  const b = keys.shape.slice(0, -1);
  const zeros = b.map(() => 0);
  const k1 = P.reshape(P.slice(keys, [...zeros, 0], [...b, 1]), b);
  const k2 = P.reshape(P.slice(keys, [...zeros, 1], [...b, 2]), b);
  return [k1, k2];
}

/** Threefry of each key in `keys [...B, 2]` with counter words `x1, x2` of shape C: `[...B, ...C]`. */
function hash(keys: Array, x1: Array, x2: Array): [Array, Array] {
  const b = keys.shape.slice(0, -1);
  const c = x1.shape;
  const out = [...b, ...c];
  const [k1, k2] = keyHalves(keys);
  const kb = (k: Array) => P.broadcastInDim(k, out, range(b.length));
  const cb = (x: Array) =>
    P.broadcastInDim(
      x,
      out,
      range(c.length).map((i) => i + b.length),
    );
  return P.threefry2x32(kb(k1), kb(k2), cb(x1), cb(x2));
}

/** Stack two arrays of equal shape along a new last axis. */
function stackLast(a: Array, b: Array): Array {
  const s = [...a.shape, 1];
  return P.concatenate([P.reshape(a, s), P.reshape(b, s)], a.ndim);
}

/**
 * JAX's `threefry_2x32(key, counts)` for a flat uint32 count vector: pad to even length,
 * hash the first half against the second, concatenate, drop the pad. Result `[...B, n]`.
 */
export function threefryCounts(keys: Array, counts: Array): Array {
  const b = keys.shape.slice(0, -1);
  const n = counts.shape[0]!;
  if (n === 0) return P.full([...b, 0], 0, uint32);
  const odd = n % 2;
  const padded = odd ? P.concatenate([counts, P.full([1], 0, uint32)], 0) : counts;
  const h = (n + odd) / 2;
  const [y1, y2] = hash(keys, P.slice(padded, [0], [h]), P.slice(padded, [h], [2 * h]));
  const out = P.concatenate([y1, y2], b.length);
  return odd
    ? P.slice(
        out,
        out.shape.map(() => 0),
        [...b, n],
      )
    : out;
}

/** The (hi, lo) words of each element's row-major index in `shape` (JAX's `iota_2x32_shape`). */
export function iota2x32(shape: readonly number[]): [Array, Array] {
  const size = sizeOf(shape);
  if (size > 2 ** 32) {
    throw new Error(
      `random bits array of size ${size} exceeds 2**32 elements, which is not supported.`,
    );
  }
  const hi = P.full(shape, 0, uint32);
  const lo = shape.length === 0 ? P.full([], 0, uint32) : P.reshape(P.iota(uint32, [size]), shape);
  return [hi, lo];
}

/** Key data `[2]` from an integer seed (JAX's `threefry_seed`). */
export function seedKeyData(seed: number | bigint | Array): Array {
  if (typeof seed === "number" || typeof seed === "bigint") {
    if (typeof seed === "number" && !Number.isInteger(seed)) {
      throw new TypeError(`PRNG key seed must be an integer; got ${seed}.`);
    }
    // As JAX: Python ints become int64 first; without x64 only the low 32 bits survive.
    const u = BigInt.asUintN(64, BigInt(seed));
    const hi = config.enableX64 ? Number(u >> 32n) : 0;
    const lo = Number(u & 0xffffffffn);
    return asarray(Uint32Array.of(hi, lo));
  }
  if (seed.ndim !== 0)
    throw new TypeError(
      `PRNG key seed must be a scalar; got an array of shape (${seed.shape.join(", ")}${seed.ndim === 1 ? "," : ""}).`,
    );
  if (!seed.dtype.isInt)
    throw new TypeError(`PRNG key seed must be an integer; got dtype ${seed.dtype.name}.`);
  let k1: Array;
  let k2: Array;
  if (seed.dtype.itemsize === 8) {
    k1 = P.convertElementType(P.shiftRightLogical(seed, P.full([], 32, seed.dtype)), uint32);
    k2 = P.convertElementType(P.and(seed, P.full([], 0xffffffff, seed.dtype)), uint32);
  } else {
    k1 = u32(0);
    k2 = P.convertElementType(seed, uint32);
  }
  return P.concatenate([P.reshape(k1, [1]), P.reshape(k2, [1])], 0);
}

/** `num` keys per key: `[...B, 2]` → `[...B, ...shape, 2]` (JAX's `threefry_split`). */
export function splitKeyData(keys: Array, shape: readonly number[]): Array {
  const b = keys.shape.slice(0, -1);
  if (threefryPartitionable()) {
    const [hi, lo] = iota2x32(shape);
    const [y1, y2] = hash(keys, hi, lo);
    return stackLast(y1, y2);
  }
  const num = sizeOf(shape);
  const bits = threefryCounts(keys, P.iota(uint32, [2 * num]));
  return P.reshape(bits, [...b, ...shape, 2]);
}

/** Fold a uint32 scalar into each key: `[...B, 2]` → `[...B, 2]` (JAX's `threefry_fold_in`). */
export function foldInKeyData(keys: Array, data: Array): Array {
  const [y1, y2] = hash(keys, P.reshape(u32(0), [1]), P.reshape(data, [1]));
  const b = keys.shape.slice(0, -1);
  return P.reshape(P.concatenate([y1, y2], b.length), [...b, 2]);
}

const UINT: Record<number, DType> = { 8: uint8, 16: uint16, 32: uint32, 64: uint64 };

/** Uniform random bits of a width in {8, 16, 32, 64}: `[...B, 2]` → `[...B, ...shape]`. */
export function randomBitsKeyData(keys: Array, bitWidth: number, shape: readonly number[]): Array {
  const dtype = UINT[bitWidth];
  if (!dtype) throw new TypeError("requires 8-, 16-, 32- or 64-bit field width.");
  if (bitWidth === 64 && !config.enableX64) {
    throw new TypeError(
      "64-bit random bits need jax_enable_x64 (config.update('enableX64', true)).",
    );
  }
  const b = keys.shape.slice(0, -1);
  if (threefryPartitionable()) {
    const [hi, lo] = iota2x32(shape);
    const [y1, y2] = hash(keys, hi, lo);
    if (bitWidth === 64) {
      const h = P.convertElementType(y1, uint64);
      return P.or(P.shiftLeft(h, P.full([], 32, uint64)), P.convertElementType(y2, uint64));
    }
    const x = P.xor(y1, y2);
    return bitWidth === 32 ? x : P.convertElementType(x, dtype);
  }
  const size = sizeOf(shape);
  const maxCount = Math.ceil((bitWidth * size) / 32);
  const bits = threefryCounts(keys, P.iota(uint32, [maxCount]));
  const zeros = b.map(() => 0);
  if (bitWidth === 64) {
    const half = maxCount / 2;
    const hi = P.convertElementType(P.slice(bits, [...zeros, 0], [...b, half]), uint64);
    const lo = P.convertElementType(P.slice(bits, [...zeros, half], [...b, maxCount]), uint64);
    return P.reshape(P.or(P.shiftLeft(hi, P.full([], 32, uint64)), lo), [...b, ...shape]);
  }
  if (bitWidth === 32) return P.reshape(bits, [...b, ...shape]);
  // 8/16 bits: the little-endian pieces of each word, as numpy's `bits.view(dtype)`.
  const per = 32 / bitWidth;
  const wide = [...b, maxCount, per];
  const words = P.broadcastInDim(bits, wide, range(b.length + 1));
  const shifts = P.mul(P.iota(uint32, wide, b.length + 1), P.full(wide, bitWidth, uint32));
  const pieces = P.and(P.shiftRightLogical(words, shifts), P.full(wide, 2 ** bitWidth - 1, uint32));
  const flat = P.convertElementType(P.reshape(pieces, [...b, maxCount * per]), dtype);
  return P.reshape(P.slice(flat, [...zeros, 0], [...b, size]), [...b, ...shape]);
}
