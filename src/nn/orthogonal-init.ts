/**
 * `jax.nn.initializers.orthogonal` and `delta_orthogonal`, as JAX defines them: a normal
 * matrix's QR factor with R's diagonal signs folded in (Haar-uniform), reshaped so that
 * `column_axis` holds the columns; delta_orthogonal puts one such matrix at the spatial centre
 * of a convolution kernel.
 */
import { type DTypeLike, canonicalize, defaultFloat, toDType } from "../core/dtype.js";
import { normalizeAxis } from "../core/shape.js";
import type { Array } from "../trace/array.js";
import * as jnp from "../numpy/index.js";
import * as random from "../random/index.js";
import { ValueError } from "../transforms/jit/static-args.js";
import type { KeyLike } from "../random/keys.js";

/** An initializer's signature (as initializers.ts's `Initializer`; not imported: no cycle). */
type Initializer = (key: KeyLike, shape: readonly number[], dtype?: DTypeLike | null) => Array;

/** Orthogonal matrices (rows or columns orthonormal), scaled (`orthogonal(scale, column_axis, dtype)`). */
export function orthogonal(scale = 1.0, columnAxis = -1, dtype?: DTypeLike | null): Initializer {
  return (key, shape, d) => {
    const t = canonicalize(d ? toDType(d) : dtype ? toDType(dtype) : defaultFloat());
    if (shape.length < 2)
      throw new ValueError("orthogonal initializer requires at least a 2D shape");
    const ax = normalizeAxis(columnAxis, shape.length);
    const nCols = shape[ax]!;
    const nRows = shape.reduce((p, v) => p * v, 1) / nCols;
    const wide = nRows < nCols;
    const a = random.normal(key, wide ? [nCols, nRows] : [nRows, nCols], t);
    const { Q, R } = jnp.linalg.qr(a) as jnp.linalg.QRResult;
    let q: Array = jnp.multiply(Q, jnp.expandDims(jnp.sign(jnp.diagonal(R)), 0));
    if (wide) q = jnp.transpose(q);
    q = jnp.reshape(q, [...shape.filter((_, i) => i !== ax), nCols]);
    return jnp.multiply(jnp.moveaxis(q, -1, ax), jnp.asarray(scale, t));
  };
}

/** Orthogonal delta kernels for 1-3 spatial dimensions (`delta_orthogonal(scale, column_axis, dtype)`). */
export function deltaOrthogonal(
  scale = 1.0,
  columnAxis = -1,
  dtype?: DTypeLike | null,
): Initializer {
  return (key, shape, d) => {
    const t = canonicalize(d ? toDType(d) : dtype ? toDType(dtype) : defaultFloat());
    if (![3, 4, 5].includes(shape.length))
      throw new ValueError("Delta orthogonal initializer requires a 3D, 4D or 5D shape.");
    if (shape[shape.length - 1]! < shape[shape.length - 2]!)
      throw new ValueError("`fan_in` must be less or equal than `fan_out`. ");
    const ortho = orthogonal(scale, columnAxis, t)(key, shape.slice(-2), t);
    const centre = shape.slice(0, -2).map((k) => Math.floor((k - 1) / 2));
    return jnp
      .zeros(shape, t)
      .at(...centre)
      .set(ortho);
  };
}
