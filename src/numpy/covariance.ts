/**
 * jnp.average, ptp, cov and corrcoef, as JAX defines them (jax/_src/numpy/reductions.py,
 * lax_numpy.py): weighted means with numpy's shape rules for 1-d weights along one axis,
 * covariance of rows (or columns with `rowvar: false`) with `ddof`/`bias` and frequency and
 * analytic weights, correlation coefficients clipped to [−1, 1].
 */
import { ValueError } from "../core/errors.js";
import { normalizeAxes, normalizeAxis } from "../core/shape.js";
import type { Array, ArrayLike, Axis } from "../trace/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "./coerce.js";
import { type AxisArg, axisOptions } from "./axis-args.js";
import { max, mean, min, sum } from "./reductions.js";
import { atleast2d, concatenate, moveaxis, reshape, squeeze, transpose } from "./shape.js";
import { broadcastTo, clip, sqrt } from "./ufuncs.js";
import { dot } from "./products.js";
import { diagonal } from "./diagonal.js";

/** Keyword arguments of `jnp.average` (`axis`, `weights`, `returned`, `keepdims`). */
export interface AverageOptions {
  axis?: Axis;
  /** A weight per element (a's shape), or a 1-d weight per index of the single `axis`. */
  weights?: ArrayLike | null;
  /** Also return the sum of the weights (broadcast to the result's shape). */
  returned?: boolean;
  keepdims?: boolean;
}

/** The weighted mean along `axis` (`jnp.average`); `[avg, weightSum]` with `returned`. */
export function average(
  a: ArrayLike,
  axis?: AxisArg<AverageOptions>,
  options?: AverageOptions,
): Array;
export function average(
  a: ArrayLike,
  axis: AxisArg<AverageOptions> | undefined,
  options: AverageOptions & { returned: true },
): [Array, Array];
export function average(
  a: ArrayLike,
  axisArg?: AxisArg<AverageOptions>,
  options?: AverageOptions,
): Array | [Array, Array] {
  const o = axisOptions("average", axisArg, options);
  const keepdims = o.keepdims ?? false;
  let avg: Array;
  let wsum: Array;
  if (o.weights === undefined || o.weights === null) {
    const x = asarray(a);
    avg = mean(x, { axis: o.axis ?? null, keepdims });
    const axes = normalizeAxes(o.axis ?? null, x.ndim);
    wsum = lax.fullLike(
      avg,
      axes.reduce((n, d) => n * x.shape[d]!, 1),
    );
  } else {
    const [x0, w0] = promoteArgsInexact(a, o.weights);
    const x = x0!;
    let w = w0!;
    if (x.shape.join() !== w.shape.join()) {
      if (w.ndim !== 1)
        throw new ValueError("1D weights expected when shapes of a and weights differ.");
      if (o.axis === undefined || o.axis === null) {
        throw new ValueError("Axis must be specified when shapes of a and weights differ.");
      }
      if (typeof o.axis !== "number") {
        throw new ValueError("Single axis expected when shapes of a and weights differ");
      }
      const ax = normalizeAxis(o.axis, x.ndim);
      if (w.shape[0] !== x.shape[ax]) {
        throw new ValueError("Length of weights not compatible with specified axis.");
      }
      w = moveaxis(
        reshape(w, [...new globalThis.Array<number>(x.ndim - 1).fill(1), w.shape[0]!]),
        -1,
        ax,
      );
      w = broadcastTo(w, x.shape);
    }
    wsum = sum(w, { axis: o.axis ?? null, keepdims });
    avg = lax.div(sum(lax.mul(x, w), { axis: o.axis ?? null, keepdims }), wsum);
  }
  if (!o.returned) return avg;
  if (avg.shape.join() !== wsum.shape.join()) wsum = broadcastTo(wsum, avg.shape);
  return [avg, wsum];
}

/** max − min along `axis` ("peak to peak", `jnp.ptp`). */
export function ptp(
  a: ArrayLike,
  axis?: AxisArg<{ axis?: Axis; keepdims?: boolean }>,
  options?: { axis?: Axis; keepdims?: boolean },
): Array {
  const o = axisOptions("ptp", axis, options);
  const x = asarray(a);
  return lax.sub(max(x, o), min(x, o));
}

/** Keyword arguments of `jnp.cov` (`rowvar`, `bias`, `ddof`, `fweights`, `aweights`). */
export interface CovOptions {
  /** Rows are variables (default), or columns with false. */
  rowvar?: boolean;
  /** Normalize by N (true) rather than N − 1; overridden by `ddof`. */
  bias?: boolean;
  ddof?: number | null;
  /** Integer frequency weights, one per observation. */
  fweights?: ArrayLike | null;
  /** Analytic (reliability) weights, one per observation. */
  aweights?: ArrayLike | null;
}

/** The covariance matrix of the variables in `m` (and `y`) (`jnp.cov`). */
export function cov(m: ArrayLike, y: ArrayLike | null = null, options: CovOptions = {}): Array {
  const rowvar = options.rowvar ?? true;
  const promoted = y === null ? promoteArgsInexact(m) : promoteArgsInexact(m, y);
  const mm = promoted[0]!;
  if (mm.ndim > 2) throw new ValueError("m has more than 2 dimensions");
  let X = atleast2d(mm);
  if (!rowvar && mm.ndim !== 1) X = transpose(X);
  if (X.shape[0] === 0) return lax.full([0, 0], 0, X.dtype);
  if (y !== null) {
    const ya = promoted[1]!;
    if (ya.ndim > 2) throw new ValueError("y has more than 2 dimensions");
    let Y = atleast2d(ya);
    if (!rowvar && Y.shape[0] !== 1) Y = transpose(Y);
    X = concatenate([X, Y], 0);
  }
  const ddof = options.ddof ?? (options.bias ? 0 : 1);
  const nObs = X.shape[1]!;
  let w: Array | null = null;
  if (options.fweights !== undefined && options.fweights !== null) {
    const f = asarray(options.fweights);
    if (f.ndim > 1) throw new ValueError("cannot handle multidimensional fweights");
    if (f.shape[0] !== nObs) throw new ValueError("incompatible numbers of samples and fweights");
    if (!f.dtype.isInt) throw new TypeError("fweights must be integer.");
    w = f;
  }
  let aw: Array | null = null;
  if (options.aweights !== undefined && options.aweights !== null) {
    aw = asarray(options.aweights);
    if (aw.ndim > 1) throw new ValueError("cannot handle multidimensional aweights");
    if (aw.shape[0] !== nObs) throw new ValueError("incompatible numbers of samples and aweights");
    w = w === null ? aw : lax.mul(...(promoteArgsInexact(w, aw) as [Array, Array]));
  }
  const [avg, wsumAll] = average(X, 1, { weights: w, returned: true });
  const wsum = lax.reshape(lax.slice(wsumAll, [0], [1]), []);
  let f: Array | number;
  if (w === null) f = nObs - ddof;
  else if (ddof === 0) f = wsum;
  else if (aw === null) f = lax.sub(wsum, lax.scalarLike(wsum, ddof));
  else {
    const [ww, aa] = promoteArgsInexact(w, aw) as [Array, Array];
    f = lax.sub(wsum, lax.div(lax.mul(lax.scalarLike(wsum, ddof), sum(lax.mul(ww, aa))), wsum));
  }
  const centered = lax.sub(X, lax.broadcastInDim(avg, X.shape, [0]));
  const weighted =
    w === null
      ? centered
      : lax.mul(centered, lax.broadcastInDim(lax.convertElementType(w, X.dtype), X.shape, [1]));
  const prod = dot(centered, transpose(weighted));
  const fArr =
    typeof f === "number" ? lax.scalarLike(prod, f) : lax.convertElementType(f, prod.dtype);
  return squeeze(lax.div(prod, fArr));
}

/** Pearson correlation coefficients of the variables in `x` (and `y`) (`jnp.corrcoef`). */
export function corrcoef(x: ArrayLike, y: ArrayLike | null = null, rowvar = true): Array {
  const c = cov(x, y, { rowvar });
  if (c.ndim === 0) return lax.div(c, c);
  const sd = sqrt(diagonal(c));
  const n = sd.shape[0]!;
  const scaled = lax.div(
    lax.div(c, lax.broadcastInDim(sd, [n, n], [0])),
    lax.broadcastInDim(sd, [n, n], [1]),
  );
  return clip(scaled, -1, 1);
}
