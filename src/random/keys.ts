/**
 * PRNG keys. Two forms, as in JAX:
 *
 * - `random.key(seed)` returns a typed key array, a `KeyArray` of shape `()` and dtype
 *   `key<fry>`, which hides the two uint32 words of each key (`keyData` shows them);
 * - `random.PRNGKey(seed)` returns the legacy raw form, a uint32 `Array` of shape `(2,)`.
 *
 * Every random function accepts either, and `split`/`foldIn` return keys in the form they were
 * given. A `KeyArray` is a pytree node holding its uint32 data, so it passes through `jit` (and
 * `vmap`) like an array. Unlike JAX, `KeyArray` is not a subclass of `Array`: it offers only what
 * keys need (shape, indexing, reshape, iteration).
 */
import { uint32 } from "../core/dtype.js";
import { registerPytreeNode } from "../core/pytree.js";
import { shapeStr, sizeOf } from "../core/shape.js";
import { Array, type Index } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { asarray } from "../numpy/coerce.js";
import { foldInKeyData, seedKeyData, splitKeyData } from "./prng.js";

/** The dtype of typed keys (JAX's `KeyTy` for the threefry2x32 implementation). */
export class KeyDType {
  readonly name = "key<fry>";
  readonly impl = "threefry2x32";
  /** Two uint32 words. */
  readonly itemsize = 8;
  toString(): string {
    return this.name;
  }
}
export const keyDType = new KeyDType();

/** An array of typed PRNG keys, backed by uint32 data of shape `[...shape, 2]`. */
export class KeyArray {
  constructor(readonly data: Array) {
    checkKeyData(data);
  }
  get shape(): readonly number[] {
    return this.data.shape.slice(0, -1);
  }
  get ndim(): number {
    return this.data.ndim - 1;
  }
  get size(): number {
    return sizeOf(this.shape);
  }
  get dtype(): KeyDType {
    return keyDType;
  }
  /** Index the key axes, as `keys[i]`: the key words are never indexed. */
  get(...indices: Index[]): KeyArray {
    const explicit = indices.filter((i) => i !== null && i !== "...").length;
    if (explicit > this.ndim) {
      throw new RangeError(
        `Too many indices for a key array of shape ${shapeStr(this.shape)}: got ${explicit}.`,
      );
    }
    return new KeyArray(this.data.get(...indices, ":"));
  }
  reshape(shape: readonly number[]): KeyArray {
    return new KeyArray(P.reshape(this.data, [...shape, 2]));
  }
  *[Symbol.iterator](): Iterator<KeyArray> {
    if (this.ndim === 0) throw new TypeError("iteration over a 0-d key array");
    for (let i = 0; i < this.shape[0]!; i++) yield this.get(i);
  }
  toString(): string {
    return `Array(${shapeStr(this.shape)}, dtype=${keyDType.name}) overlaying:\n${String(this.data)}`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

registerPytreeNode(
  KeyArray,
  (k: KeyArray) => [[k.data], "fry"],
  (_aux: string, [data]: unknown[]) => new KeyArray(data as Array),
);

function checkKeyData(data: unknown): asserts data is Array {
  if (!(data instanceof Array)) {
    throw new TypeError(
      `JAX encountered invalid PRNG key data: expected an Array, got ${String(data)}.`,
    );
  }
  if (data.ndim < 1) {
    throw new TypeError(
      `JAX encountered invalid PRNG key data: expected key_data.ndim >= 1; got ndim=${data.ndim}.`,
    );
  }
  if (data.shape[data.ndim - 1] !== 2) {
    throw new TypeError(
      `JAX encountered invalid PRNG key data: expected key_data.shape to end with (2,); got ` +
        `shape=${shapeStr(data.shape)} for impl=threefry2x32.`,
    );
  }
  if (data.dtype !== uint32) {
    throw new TypeError(
      `JAX encountered invalid PRNG key data: expected key_data.dtype = uint32; got dtype=${data.dtype.name}.`,
    );
  }
}

/** A typed key or a raw uint32 `[..., 2]` array. */
export type KeyLike = KeyArray | Array;

/** The raw data of a key and whether it was given raw (to answer in the same form). */
export function unwrapKey(key: unknown, name: string): { data: Array; raw: boolean } {
  if (key instanceof KeyArray) return { data: key.data, raw: false };
  if (key instanceof Array) {
    checkKeyData(key);
    return { data: key, raw: true };
  }
  throw new TypeError(
    `${name}: unexpected PRNG key type ${key === null ? "null" : typeof key}; pass random.key(seed) or random.PRNGKey(seed).`,
  );
}

/** The data of a single (0-d) key, or a JAX-worded error. */
export function singleKey(key: unknown, name: string): { data: Array; raw: boolean } {
  const k = unwrapKey(key, name);
  if (k.data.ndim !== 1) {
    const shape = shapeStr(k.data.shape.slice(0, -1));
    throw new TypeError(
      `${name} accepts a single key, but was given a key array of shape ${shape} != (). Use jax.vmap for batching.`,
    );
  }
  return k;
}

const rewrap = (data: Array, raw: boolean): KeyLike => (raw ? data : new KeyArray(data));

function checkSeed(seed: unknown, name: string): number | bigint | Array {
  if (seed instanceof KeyArray)
    throw new TypeError(`${name} accepts a scalar seed, but was given a PRNGKeyArray.`);
  if (typeof seed === "number" || typeof seed === "bigint") return seed;
  if (seed instanceof Array) {
    if (seed.ndim !== 0) {
      throw new TypeError(
        `${name} accepts a scalar seed, but was given an array of shape ${shapeStr(seed.shape)} != (). Use jax.vmap for batching`,
      );
    }
    return seed;
  }
  throw new TypeError(`${name}: PRNG key seed must be an integer; got ${String(seed)}.`);
}

/** A typed PRNG key (shape `()`, dtype `key<fry>`) from an integer seed: `jax.random.key`. */
export function key(seed: number | bigint | Array): KeyArray {
  return new KeyArray(seedKeyData(checkSeed(seed, "key")));
}

/** A legacy raw key (uint32 array of shape `(2,)`) from an integer seed: `jax.random.PRNGKey`. */
export function PRNGKey(seed: number | bigint | Array): Array {
  return seedKeyData(checkSeed(seed, "PRNGKey"));
}

/** The uint32 data underlying keys (`[..., 2]`): `jax.random.key_data`. */
export function keyData(keys: KeyLike): Array {
  return unwrapKey(keys, "key_data").data;
}

/** Typed keys over uint32 data of shape `[..., 2]`: `jax.random.wrap_key_data`. */
export function wrapKeyData(data: Array | ArrayLikeData): KeyArray {
  return new KeyArray(data instanceof Array ? data : asarray(data as never, uint32));
}
type ArrayLikeData = Uint32Array | readonly number[] | readonly (readonly number[])[];

/** `num` new keys (a leading axis; `num` may be a shape): `jax.random.split`. */
export function split(key: KeyArray, num?: number | readonly number[]): KeyArray;
export function split(key: Array, num?: number | readonly number[]): Array;
export function split(key: KeyLike, num?: number | readonly number[]): KeyLike;
export function split(key: KeyLike, num: number | readonly number[] = 2): KeyLike {
  const { data, raw } = singleKey(key, "split");
  const shape = typeof num === "number" ? [num] : [...num];
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new TypeError(
        `split: num must be a non-negative integer (or shape), got ${String(num)}.`,
      );
  }
  return rewrap(splitKeyData(data, shape), raw);
}

/** A new key that is a deterministic function of `key` and a 32-bit `data`: `jax.random.fold_in`. */
export function foldIn(key: KeyLike, data: number | Array): KeyLike {
  const k = singleKey(key, "fold_in");
  let d: Array;
  if (typeof data === "number") {
    if (!Number.isInteger(data))
      throw new TypeError(`fold_in: data must be an integer, got ${data}.`);
    d = P.full([], data >>> 0, uint32);
  } else {
    if (data.ndim !== 0) {
      throw new TypeError(
        `fold_in accepts a scalar, but was given an array of shape ${shapeStr(data.shape)} != (). Use jax.vmap for batching.`,
      );
    }
    d = P.convertElementType(data, uint32);
  }
  return rewrap(foldInKeyData(k.data, d), k.raw);
}

/** A copy of a key, for explicit reuse (JAX's `random.clone`): keys are values, so itself. */
export function clone(key: KeyLike): KeyLike {
  unwrapKey(key, "clone");
  return key;
}
