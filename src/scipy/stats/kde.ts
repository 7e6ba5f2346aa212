/**
 * `gaussian_kde` (jax.scipy.stats): a Gaussian kernel density estimate with JAX's API and
 * formulas (jax/_src/scipy/stats/kde.py) — bandwidth by Scott's or Silverman's rule, a scalar,
 * or a function of the estimate; weighted datasets; `evaluate`/`pdf`/`logpdf` through the
 * whitened (Cholesky of the inverse covariance) squared distances, summed or logsumexp'd;
 * `integrateGaussian`, `integrateBox1d`, `integrateKde`, and `resample` (a weighted choice of
 * points plus N(0, covariance) noise from the Cholesky factor, as jax.random's
 * multivariate_normal draws it). `integrateBox` and `setBandwidth` raise NotImplementedError as
 * JAX's do. Data are (d, n): d dimensions, n points.
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { NotImplementedError, ValueError } from "../../core/errors.js";
import {
  asarray,
  atleast1d,
  atleast2d,
  cov,
  diagonal,
  exp,
  expandDims,
  fullLike,
  log,
  matmul,
  prod,
  reshape,
  sqrt,
  square,
  squeeze,
  sum,
  transpose,
  zeros,
} from "../../numpy/namespace.js";
import { inv } from "../../numpy/linalg/index.js";
import { slice } from "../../numpy/indexing.js";
import { vmap } from "../../transforms/vmap.js";
import { promoteArgsInexact } from "../../numpy/coerce.js";
import { cholesky } from "../../lax/linalg/index.js";
import { choFactor, choSolve } from "../linalg/decompositions.js";
import { choice } from "../../random/shuffle.js";
import { normal } from "../../random/distributions.js";
import { type KeyLike, split } from "../../random/keys.js";
import { logsumexp } from "../../nn/softmax.js";
import { ndtr } from "../special/basic.js";

/** A bandwidth rule: "scott", "silverman", a scalar factor, or a function of the estimate. */
export type BwMethod = null | "scott" | "silverman" | number | ((kde: GaussianKde) => ArrayLike);

function isComplex(x: Array): boolean {
  return String(x.dtype).startsWith("complex");
}

/** A Gaussian kernel density estimate of a (d, n) dataset (`jax.scipy.stats.gaussian_kde`). */
export class GaussianKde {
  readonly dataset: Array;
  readonly weights: Array;
  readonly neff: Array;
  readonly covariance: Array;
  readonly invCov: Array;

  constructor(dataset: ArrayLike, bwMethod: BwMethod = null, weights: ArrayLike | null = null) {
    let data = atleast2d(asarray(dataset)) as Array;
    if (isComplex(data))
      throw new NotImplementedError("gaussian_kde does not support complex data");
    if (!(data.size > 1)) throw new ValueError("`dataset` input should have multiple elements.");
    const [d, n] = data.shape as [number, number];
    let w: Array;
    if (weights !== null) {
      [data, w] = promoteArgsInexact(data, weights) as [Array, Array];
      w = atleast1d(w) as Array;
      w = w.div(sum(w));
      if (w.ndim !== 1) throw new ValueError("`weights` input should be one-dimensional.");
      if (w.shape[0] !== n) throw new ValueError("`weights` input should be of length n");
    } else {
      [data] = promoteArgsInexact(data) as [Array];
      w = fullLike(zeros([n], data.dtype), 1 / n);
    }
    this.dataset = data;
    this.weights = w;
    this.neff = sum(square(w)).pow(-1);
    let factor: Array;
    const rule = bwMethod ?? "scott";
    if (rule === "scott") factor = this.neff.pow(-1 / (d + 4));
    else if (rule === "silverman") factor = this.neff.mul((d + 2) / 4).pow(-1 / (d + 4));
    else if (typeof rule === "number") factor = asarray(rule);
    else if (typeof rule === "function") {
      // The rule sees the data, weights and neff (covariance is not set yet, as in JAX).
      factor = asarray(rule(this));
    } else
      throw new ValueError("`bw_method` should be 'scott', 'silverman', a scalar, or a callable.");
    const dataCov = atleast2d(cov(data, null, { rowvar: true, bias: false, aweights: w })) as Array;
    this.covariance = dataCov.mul(square(factor));
    this.invCov = inv(dataCov).div(square(factor));
  }

  /** The number of dimensions. */
  get d(): number {
    return this.dataset.shape[0]!;
  }

  /** The number of data points. */
  get n(): number {
    return this.dataset.shape[1]!;
  }

  /** The estimated density at `points` (d, m) (or a d-vector for one point). */
  evaluate(points: ArrayLike): Array {
    return this.kernelEval(false, this.reshapePoints(points));
  }

  /** Same as `evaluate`. */
  pdf(x: ArrayLike): Array {
    return this.evaluate(x);
  }

  /** The log of the estimated density, by logsumexp over the data points. */
  logpdf(x: ArrayLike): Array {
    return this.kernelEval(true, this.reshapePoints(x));
  }

  /** ∫ kde(x)·N(x; mean, cov) dx. */
  integrateGaussian(mean: ArrayLike, covariance: ArrayLike): Array {
    const m = atleast1d(squeeze(asarray(mean))) as Array;
    const c = atleast2d(asarray(covariance)) as Array;
    if (m.ndim !== 1 || m.shape[0] !== this.d)
      throw new ValueError(`mean does not have dimension ${this.d}`);
    if (c.ndim !== 2 || c.shape[0] !== this.d || c.shape[1] !== this.d)
      throw new ValueError(`covariance does not have dimension ${this.d}`);
    const chol = choFactor(this.covariance.add(c));
    const norm = prod(diagonal(chol[0]))
      .mul(Math.sqrt(2 * Math.PI) ** this.d)
      .pow(-1);
    return convolve(chol, norm, this.dataset, this.weights, m);
  }

  /** ∫ kde over [low, high] for a one-dimensional estimate (scalar limits). */
  integrateBox1d(low: ArrayLike, high: ArrayLike): Array {
    if (this.d !== 1) throw new ValueError("integrate_box_1d() only handles 1D pdfs");
    if (asarray(low).ndim !== 0 || asarray(high).ndim !== 0)
      throw new ValueError("the limits of integration in integrate_box_1d must be scalars");
    const sigma = squeeze(sqrt(this.covariance));
    const lo = squeeze(asarray(low).sub(this.dataset).div(sigma));
    const hi = squeeze(asarray(high).sub(this.dataset).div(sigma));
    return sum(this.weights.mul(ndtr(hi).sub(ndtr(lo))));
  }

  /** ∫ kde(x)·other(x) dx for another estimate of the same dimension. */
  integrateKde(other: GaussianKde): Array {
    if (other.d !== this.d) throw new ValueError("KDEs are not the same dimensionality");
    const chol = choFactor(this.covariance.add(other.covariance));
    const norm = prod(diagonal(chol[0]))
      .mul(Math.sqrt(2 * Math.PI) ** this.d)
      .pow(-1);
    const [small, large] = this.n < other.n ? [this, other] : [other, this];
    const perPoint = vmap(
      (point: Array) => convolve(chol, norm, large.dataset, large.weights, point),
      {
        inAxes: 1,
      },
    )(small.dataset);
    return sum(perPoint.mul(small.weights));
  }

  /** `shape` new samples, (d, ...shape): weighted data points plus kernel noise. */
  resample(key: KeyLike, shape: readonly number[] = []): Array {
    const [indKey, epsKey] = split(key) as unknown as [KeyLike, KeyLike];
    const ind = choice(indKey, this.n, shape, true, this.weights);
    const factor = cholesky(this.covariance);
    const z = normal(epsKey, [...shape, this.d], this.dataset.dtype);
    const eps = transpose(matmul(z, transpose(factor)));
    return take2(this.dataset, ind).add(eps);
  }

  /** Not supported (JAX: only 1-D box integration). */
  integrateBox(): never {
    throw new NotImplementedError("only 1D box integrations are supported; use `integrate_box_1d`");
  }

  /** Not supported (JAX: the bandwidth is fixed at construction). */
  setBandwidth(): never {
    throw new NotImplementedError("dynamically changing the bandwidth method is not supported");
  }

  private reshapePoints(points: ArrayLike): Array {
    let p = atleast2d(asarray(points)) as Array;
    if (isComplex(p))
      throw new NotImplementedError("gaussian_kde does not support complex coordinates");
    const [d, m] = p.shape as [number, number];
    if (d !== this.d) {
      if (d === 1 && m === this.d) p = reshape(p, [this.d, 1]);
      else throw new ValueError(`points have dimension ${d}, dataset has dimension ${this.d}`);
    }
    return p;
  }

  private kernelEval(inLog: boolean, xi: Array): Array {
    const [pts, vals, x, precision] = promoteArgsInexact(
      transpose(this.dataset),
      this.weights,
      transpose(xi),
      this.invCov,
    ) as [Array, Array, Array, Array];
    const whitening = cholesky(precision);
    const points = matmul(pts, whitening);
    const test = matmul(x, whitening);
    const logNorm = sum(log(diagonal(whitening))).sub(0.5 * this.d * Math.log(2 * Math.PI));
    // (m, n) squared whitened distances.
    const diff = expandDims(test, 1).sub(expandDims(points, 0));
    const arg = logNorm.sub(sum(square(diff), -1).mul(0.5));
    if (inLog) return logsumexp(log(vals).add(arg), { axis: 1 });
    return sum(vals.mul(exp(arg)), 1);
  }
}

/** dataset[:, ind] for an index array of any shape. */
function take2(data: Array, ind: Array): Array {
  const flat = reshape(ind, [-1]);
  const cols = data.get(slice(), flat);
  return reshape(cols, [data.shape[0]!, ...ind.shape]);
}

/** norm · Σ wᵢ exp(−½ (xᵢ − mean)ᵀ C⁻¹ (xᵢ − mean)). */
function convolve(
  chol: [Array, boolean],
  norm: Array,
  target: Array,
  weights: Array,
  mean: Array,
): Array {
  const diff = target.sub(expandDims(mean, 1));
  const alpha = choSolve(chol, diff);
  const arg = sum(diff.mul(alpha), 0).mul(0.5);
  return norm.mul(sum(exp(arg.neg()).mul(weights)));
}

/**
 * `gaussian_kde(dataset, bw_method, weights)`: JAX's class under its name, callable with or
 * without `new` (its prototype is GaussianKde's, so `instanceof` and the methods agree).
 */
export const gaussianKde = function gaussianKde(
  dataset: ArrayLike,
  bwMethod: BwMethod = null,
  weights: ArrayLike | null = null,
): GaussianKde {
  return new GaussianKde(dataset, bwMethod, weights);
} as unknown as {
  (dataset: ArrayLike, bwMethod?: BwMethod, weights?: ArrayLike | null): GaussianKde;
  new (dataset: ArrayLike, bwMethod?: BwMethod, weights?: ArrayLike | null): GaussianKde;
  prototype: GaussianKde;
};
gaussianKde.prototype = GaussianKde.prototype;
