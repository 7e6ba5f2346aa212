/**
 * `Array`: the public array type (`jax.Array`). Concrete device arrays (runtime/) and tracers
 * (trace/) both extend it, so `x instanceof Array` holds inside transformations too, as in
 * JAX. Operator methods delegate to the numpy layer, which installs itself with
 * `installArrayMethods` (this layer cannot import it).
 *
 * Scalars out: `item()` returns the element as its dtype's JS value (number, boolean for bool,
 * bigint for 64-bit ints), typed as that union since an Array's dtype is not in its static
 * type; `itemNumber()` is the `number` form (Python's `float(x)`), for float and int arrays.
 */
/// <reference lib="esnext.disposable" preserve="true" />
import type { ShapedArray } from "../core/aval.js";
import type { DType, DTypeLike, TypedArray } from "../core/dtype.js";
import { ConcretizationTypeError } from "../core/errors.js";
import { invalidShapeError } from "./errors.js";

import type { ComplexScalar } from "../core/complex-scalar.js";

/** What `tolist()` gives: nested JS arrays of scalars (`{ re, im }` for complex elements). */
export type NestedList =
  number | boolean | bigint | { readonly re: number; readonly im: number } | NestedList[];

/** Anything the numpy layer accepts as an array: arrays, JS scalars, nested JS arrays, TypedArrays. */
export type ArrayLike =
  Array | number | boolean | bigint | ComplexScalar | ArrayBufferView | NestedArray;
export type NestedArray = ReadonlyArray<number | boolean | ComplexScalar | NestedArray | Array>;

export type Axis = number | readonly number[] | null;
export interface ReduceOptions {
  axis?: Axis;
  keepdims?: boolean;
  dtype?: DTypeLike | null;
  where?: ArrayLike | null;
}
export interface VarOptions extends ReduceOptions {
  ddof?: number;
}
export interface ArgReduceOptions {
  axis?: number | null;
  keepdims?: boolean;
}
export interface CumOptions {
  axis?: number | null;
  dtype?: DTypeLike | null;
}

/** One index along one axis: an int, a slice, `null` (new axis), `"..."`, or an index array. */
export type Index = number | Slice | null | "..." | string | ArrayLike;
export interface Slice {
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
}

/** Functional updates `x.at(i).set(v)`, as JAX's `x.at[i].set(v)`. */
export interface IndexUpdater {
  get(): Array;
  set(v: ArrayLike): Array;
  add(v: ArrayLike): Array;
  sub(v: ArrayLike): Array;
  mul(v: ArrayLike): Array;
  div(v: ArrayLike): Array;
  pow(v: ArrayLike): Array;
  min(v: ArrayLike): Array;
  max(v: ArrayLike): Array;
}

/** The operations an Array's methods delegate to (installed by numpy/). */
export interface ArrayMethodImpls {
  add(x: Array, y: ArrayLike): Array;
  sub(x: Array, y: ArrayLike): Array;
  mul(x: Array, y: ArrayLike): Array;
  div(x: Array, y: ArrayLike): Array;
  floorDiv(x: Array, y: ArrayLike): Array;
  mod(x: Array, y: ArrayLike): Array;
  pow(x: Array, y: ArrayLike): Array;
  neg(x: Array): Array;
  abs(x: Array): Array;
  gt(x: Array, y: ArrayLike): Array;
  ge(x: Array, y: ArrayLike): Array;
  lt(x: Array, y: ArrayLike): Array;
  le(x: Array, y: ArrayLike): Array;
  eq(x: Array, y: ArrayLike): Array;
  ne(x: Array, y: ArrayLike): Array;
  and(x: Array, y: ArrayLike): Array;
  or(x: Array, y: ArrayLike): Array;
  xor(x: Array, y: ArrayLike): Array;
  not(x: Array): Array;
  matmul(x: Array, y: ArrayLike): Array;
  sum(x: Array, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array;
  mean(x: Array, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array;
  var(x: Array, axis?: Axis | VarOptions, opts?: VarOptions): Array;
  std(x: Array, axis?: Axis | VarOptions, opts?: VarOptions): Array;
  max(x: Array, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array;
  min(x: Array, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array;
  prod(x: Array, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array;
  any(x: Array, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array;
  all(x: Array, axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array;
  argmax(x: Array, axis?: number | null | ArgReduceOptions, opts?: ArgReduceOptions): Array;
  argmin(x: Array, axis?: number | null | ArgReduceOptions, opts?: ArgReduceOptions): Array;
  cumsum(x: Array, axis?: number | null | CumOptions): Array;
  cumprod(x: Array, axis?: number | null | CumOptions): Array;
  reshape(x: Array, shape: readonly number[]): Array;
  transpose(x: Array, axes?: readonly number[]): Array;
  astype(x: Array, dtype: DTypeLike): Array;
  squeeze(x: Array, axis?: Axis): Array;
  flatten(x: Array): Array;
  get(x: Array, indices: readonly Index[]): Array;
  at(x: Array, indices: readonly Index[]): IndexUpdater;
}

let impls: ArrayMethodImpls | undefined;

export function installArrayMethods(m: ArrayMethodImpls): void {
  impls = m;
}

function ops(): ArrayMethodImpls {
  if (!impls) throw new Error("jaxts: array methods are not installed (import from 'jaxts').");
  return impls;
}

export abstract class Array {
  abstract get aval(): ShapedArray;

  get shape(): readonly number[] {
    return this.aval.shape;
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  get ndim(): number {
    return this.aval.shape.length;
  }
  get size(): number {
    return this.aval.size;
  }
  get weakType(): boolean {
    return this.aval.weakType;
  }

  /**
   * The single element of a size-1 array as the JS value of its dtype: a number for float and
   * 32-bit int arrays, a boolean for bool, a bigint for 64-bit ints (tracers: a
   * ConcretizationTypeError). The dtype is not known statically, so the type is that union;
   * `itemNumber()` is the number form.
   */
  abstract item(): number | boolean | bigint | { readonly re: number; readonly im: number };
  /**
   * The single element as a JS number, as Python's `float(x)`/`int(x)`: the value of a float
   * or int array (a 64-bit int through `Number`, exact up to 2^53), 0 or 1 for a bool array.
   */
  itemNumber(): number {
    const v = this.item();
    if (typeof v === "object") {
      throw new TypeError("can't convert complex to float (take jnp.real or jnp.abs first)");
    }
    return Number(v);
  }
  /** Nested JS arrays of the values (tracers: a TracerArrayConversionError). */
  abstract tolist(): NestedList;
  /** A new TypedArray of the values (bool → Uint8Array, float16 → Float32Array). */
  abstract toTypedArray(): TypedArray;

  /** JAX's repr (`Array([1, 2], dtype=int32)`; tracers print as tracers). */
  repr(): string {
    return this.toString();
  }

  /** Wait until computed; returns this array. */
  blockUntilReady(): this {
    return this;
  }
  /** Resolves with this array once computed, without blocking the thread. */
  async ready(): Promise<this> {
    return this;
  }
  /** Release this array's memory now (it is also reclaimed automatically when unreachable). */
  dispose(): void {}
  /** Whether this array's memory was released (`dispose`, `scope`, donation): JAX's is_deleted. */
  isDeleted(): boolean {
    return false;
  }
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * Iteration over the first axis, as Python's `for row in x` / `a, b = x`: `for…of`, spread
   * and destructuring (`const [k1, k2] = random.split(key)`) yield `x.get(0)`, `x.get(1)`, ….
   * A 0-d array raises JAX's TypeError; a tracer iterates over its static first dimension.
   * There is no numeric index access (`x[0]` is undefined): use `x.get(0)`.
   */
  *[Symbol.iterator](): Iterator<Array> {
    const shape = this.shape;
    if (shape.length === 0) throw new TypeError("iteration over a 0-d array");
    for (let i = 0; i < shape[0]!; i++) yield this.get(i);
  }

  /**
   * `JSON.stringify(x)`: the values as nested lists, as `tolist()`. JSON has no BigInt, so a
   * 64-bit int element is a number where it is a safe integer (|v| ≤ 2^53 − 1) and its decimal
   * string otherwise. Tracers raise TracerArrayConversionError, as `tolist()`.
   */
  toJSON(): unknown {
    return jsonSafe(this.tolist());
  }

  /** `Object.prototype.toString.call(x)` is `[object jaxts.Array]` (not a JS `Array`). */
  get [Symbol.toStringTag](): string {
    return "jaxts.Array";
  }

  /** A concrete scalar's value, for inlining as a jaxpr literal; undefined otherwise. */
  _literalValue(): number | boolean | bigint | undefined {
    return undefined;
  }

  add(y: ArrayLike): Array {
    return ops().add(this, y);
  }
  sub(y: ArrayLike): Array {
    return ops().sub(this, y);
  }
  mul(y: ArrayLike): Array {
    return ops().mul(this, y);
  }
  div(y: ArrayLike): Array {
    return ops().div(this, y);
  }
  floorDiv(y: ArrayLike): Array {
    return ops().floorDiv(this, y);
  }
  mod(y: ArrayLike): Array {
    return ops().mod(this, y);
  }
  pow(y: ArrayLike): Array {
    return ops().pow(this, y);
  }
  neg(): Array {
    return ops().neg(this);
  }
  abs(): Array {
    return ops().abs(this);
  }
  gt(y: ArrayLike): Array {
    return ops().gt(this, y);
  }
  ge(y: ArrayLike): Array {
    return ops().ge(this, y);
  }
  lt(y: ArrayLike): Array {
    return ops().lt(this, y);
  }
  le(y: ArrayLike): Array {
    return ops().le(this, y);
  }
  eq(y: ArrayLike): Array {
    return ops().eq(this, y);
  }
  ne(y: ArrayLike): Array {
    return ops().ne(this, y);
  }
  and(y: ArrayLike): Array {
    return ops().and(this, y);
  }
  or(y: ArrayLike): Array {
    return ops().or(this, y);
  }
  xor(y: ArrayLike): Array {
    return ops().xor(this, y);
  }
  not(): Array {
    return ops().not(this);
  }
  matmul(y: ArrayLike): Array {
    return ops().matmul(this, y);
  }
  // Reductions take the axis positionally or in the options: x.sum(0), x.sum({ axis: 0 }).
  sum(axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
    return ops().sum(this, axis, opts);
  }
  mean(axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
    return ops().mean(this, axis, opts);
  }
  var(axis?: Axis | VarOptions, opts?: VarOptions): Array {
    return ops().var(this, axis, opts);
  }
  std(axis?: Axis | VarOptions, opts?: VarOptions): Array {
    return ops().std(this, axis, opts);
  }
  max(axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
    return ops().max(this, axis, opts);
  }
  min(axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
    return ops().min(this, axis, opts);
  }
  prod(axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
    return ops().prod(this, axis, opts);
  }
  any(axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
    return ops().any(this, axis, opts);
  }
  all(axis?: Axis | ReduceOptions, opts?: ReduceOptions): Array {
    return ops().all(this, axis, opts);
  }
  argmax(axis?: number | null | ArgReduceOptions, opts?: ArgReduceOptions): Array {
    return ops().argmax(this, axis, opts);
  }
  argmin(axis?: number | null | ArgReduceOptions, opts?: ArgReduceOptions): Array {
    return ops().argmin(this, axis, opts);
  }
  cumsum(axis?: number | null | CumOptions): Array {
    return ops().cumsum(this, axis);
  }
  cumprod(axis?: number | null | CumOptions): Array {
    return ops().cumprod(this, axis);
  }
  reshape(...shape: number[] | [readonly number[]]): Array {
    const s = (Array_isArray(shape[0]) ? shape[0] : shape) as readonly number[];
    return ops().reshape(this, s);
  }
  transpose(...axes: number[] | [readonly number[]]): Array {
    if (axes.length === 0) return ops().transpose(this);
    const a = (Array_isArray(axes[0]) ? axes[0] : axes) as readonly number[];
    return ops().transpose(this, a);
  }
  /** The transpose (all axes reversed), as numpy's `.T`. */
  get T(): Array {
    return ops().transpose(this);
  }
  astype(dtype: DTypeLike): Array {
    return ops().astype(this, dtype);
  }
  squeeze(axis?: Axis): Array {
    return ops().squeeze(this, axis);
  }
  flatten(): Array {
    return ops().flatten(this);
  }
  ravel(): Array {
    return ops().flatten(this);
  }
  /**
   * Indexing, as numpy's `x[...]`: `x.get(0)`, `x.get(":", 1)`, `x.get("1:3", null, "...")`,
   * `x.get(slice(0, null, 2))`, `x.get(intArray)`, `x.get(boolMask)` (concrete masks only).
   */
  get(...indices: Index[]): Array {
    return ops().get(this, indices);
  }
  /** Functional updates: `x.at(0).set(5)`, `x.at(":", 1).add(y)`. */
  at(...indices: Index[]): IndexUpdater {
    return ops().at(this, indices);
  }
}

const Array_isArray = globalThis.Array.isArray;

/** A `tolist()` value with bigints JSON can hold: safe integers as numbers, others as strings. */
function jsonSafe(v: NestedList): unknown {
  if (Array_isArray(v)) return v.map(jsonSafe);
  if (typeof v !== "bigint") return v;
  const n = Number(v);
  return Number.isSafeInteger(n) && BigInt(n) === v ? n : v.toString();
}

/**
 * Shape entries as JS numbers: a 0-d concrete array gives its value and a tracer raises
 * TracerIntegerConversionError (Python's `__index__` on a tracer); others pass through to be
 * validated by the caller.
 */
export function concreteDims(shape: readonly unknown[]): unknown[] {
  return shape.map((d) => (d instanceof Array ? concreteDim(d, shape) : d));
}

/** A dim's value; a tracer raises JAX's invalid-shape error (see trace/errors.ts). */
function concreteDim(d: Array, shape: readonly unknown[]): unknown {
  try {
    return d.item();
  } catch (e) {
    if (e instanceof ConcretizationTypeError) throw invalidShapeError(shape, e);
    throw e;
  }
}
