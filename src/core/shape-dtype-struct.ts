/**
 * `ShapeDtypeStruct`: a shape and a dtype standing in for an array (JAX's `jax.ShapeDtypeStruct`).
 * What `evalShape` returns, and what `jit(f).trace/lower(...)` accept in an array's place.
 */
import { ShapedArray } from "./aval.js";
import { type DType, type DTypeLike, canonicalize, toDType } from "./dtype.js";
import { ValueError } from "./errors.js";
import { type Shape, shapeStr, sizeOf } from "./shape.js";

/** Options of `new ShapeDtypeStruct(shape, dtype, options)`. */
export interface ShapeDtypeStructOptions {
  /** A Python scalar's weak type (as JAX's `weak_type=`). */
  weakType?: boolean;
}

/** JAX's `jax.ShapeDtypeStruct`: a shape and a dtype standing in for an array. */
export class ShapeDtypeStruct {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly weakType: boolean;

  constructor(shape: Shape | number, dtype: DTypeLike, opts: ShapeDtypeStructOptions = {}) {
    const dims = typeof shape === "number" ? [shape] : [...shape];
    if (dims.some((d) => d === null || d === undefined)) {
      throw new ValueError(
        `\`shape\` passed to \`ShapeDtypeStruct\` cannot have None in it. Got shape=[${dims.map(String).join(", ")}]`,
      );
    }
    for (const d of dims) {
      if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
        throw new TypeError(
          `ShapeDtypeStruct: shape must be a sequence of non-negative integers, got ` +
            `[${dims.map(String).join(", ")}]`,
        );
      }
    }
    if (dtype === null || dtype === undefined) {
      throw new ValueError("ShapeDtypeStruct: dtype must be specified.");
    }
    this.shape = Object.freeze(dims);
    this.dtype = toDType(dtype);
    this.weakType = opts.weakType ?? false;
    Object.freeze(this);
  }

  /** The struct of an array-like value: anything with an `aval` (arrays, tracers). */
  static like(x: { readonly aval: ShapedArray }): ShapeDtypeStruct {
    return ShapeDtypeStruct.fromAval(x.aval);
  }

  static fromAval(a: ShapedArray): ShapeDtypeStruct {
    return new ShapeDtypeStruct(a.shape, a.dtype, { weakType: a.weakType });
  }

  get size(): number {
    return sizeOf(this.shape);
  }
  get ndim(): number {
    return this.shape.length;
  }

  /** The abstract value it stands for (dtype canonicalized, as JAX's `_sds_aval_mapping`). */
  get aval(): ShapedArray {
    return new ShapedArray(this.shape, canonicalize(this.dtype), this.weakType);
  }

  /** A copy with some fields replaced (JAX's `update`). */
  update(changes: { shape?: Shape; dtype?: DTypeLike; weakType?: boolean }): ShapeDtypeStruct {
    return new ShapeDtypeStruct(changes.shape ?? this.shape, changes.dtype ?? this.dtype, {
      weakType: changes.weakType ?? this.weakType,
    });
  }

  equals(o: unknown): boolean {
    return (
      o instanceof ShapeDtypeStruct &&
      o.dtype === this.dtype &&
      o.weakType === this.weakType &&
      o.shape.length === this.shape.length &&
      o.shape.every((d, i) => d === this.shape[i])
    );
  }

  /** `ShapeDtypeStruct(shape=(2, 3), dtype=float32)`, as JAX's repr. */
  toString(): string {
    const wt = this.weakType ? ", weak_type=True" : "";
    return `ShapeDtypeStruct(shape=${shapeStr(this.shape)}, dtype=${this.dtype.name}${wt})`;
  }
}
