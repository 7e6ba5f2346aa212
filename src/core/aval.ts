/** Abstract values: what a traced value is known to be (JAX's `ShapedArray`). */
import type { DType } from "./dtype.js";
import { type Shape, shapeEqual, sizeOf } from "./shape.js";

export class ShapedArray {
  readonly shape: readonly number[];
  constructor(
    shape: Shape,
    readonly dtype: DType,
    readonly weakType = false,
  ) {
    this.shape = Object.freeze([...shape]);
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return sizeOf(this.shape);
  }

  /** `f32[3,4]`, as in jaxprs. */
  strShort(): string {
    return `${this.dtype.short}[${this.shape.join(",")}]`;
  }

  /** `float32[3,4]`. */
  str(): string {
    return `${this.dtype.name}[${this.shape.join(",")}]`;
  }

  /** `ShapedArray(float32[], weak_type=True)`. */
  toString(): string {
    return `ShapedArray(${this.str()}${this.weakType ? ", weak_type=True" : ""})`;
  }

  /** Identity for caches: shape, dtype and weak type. */
  get key(): string {
    return `${this.dtype.short}[${this.shape.join(",")}]${this.weakType ? "w" : ""}`;
  }

  equals(o: ShapedArray): boolean {
    return (
      this.dtype === o.dtype && this.weakType === o.weakType && shapeEqual(this.shape, o.shape)
    );
  }

  update(changes: { shape?: Shape; dtype?: DType; weakType?: boolean }): ShapedArray {
    return new ShapedArray(
      changes.shape ?? this.shape,
      changes.dtype ?? this.dtype,
      changes.weakType ?? this.weakType,
    );
  }

  strongType(): ShapedArray {
    return this.weakType ? this.update({ weakType: false }) : this;
  }
}
