/**
 * Multivariate distributions of jax.scipy.stats (JAX's formulas): multinomial (integer
 * counts), multivariate_normal (mean/cov with batch broadcasting through a Cholesky factor and
 * a triangular solve; scalar or vector mean, scalar or matrix cov) and dirichlet (x on the
 * simplex along axis 0, optionally with one entry fewer than alpha).
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { broadcastShapes, shapeStr } from "../../core/shape.js";
import * as lax from "../../primitives/index.js";
import { cholesky, triangularSolve } from "../../lax/linalg/index.js";
import {
  abs,
  all,
  broadcastTo,
  concatenate,
  diagonal,
  equal,
  exp,
  expandDims,
  log,
  reshape,
  square,
  sum,
  where,
} from "../../numpy/namespace.js";
import { promoteArgsInexact, promoteArgsNumeric } from "../../numpy/coerce.js";
import { xlogy } from "../special/namespace.js";
import { distribution } from "./common.js";

type A = ArrayLike;

function multinomialLogpmf(x: A, n: A, p: A): Array {
  const [pp] = promoteArgsInexact(p);
  const [xx, nn] = promoteArgsNumeric(x, n);
  if (!/^u?int/.test(String(xx!.dtype)))
    throw new ValueError(
      `x and n must be of integer type; got x.dtype=${String(xx!.dtype)}, n.dtype=${String(nn!.dtype)}`,
    );
  const xf = xx!.astype(pp!.dtype);
  const nf = nn!.astype(pp!.dtype);
  const logProbs = lax.lgamma(nf.add(1)).add(sum(xlogy(xf, pp!).sub(lax.lgamma(xf.add(1))), -1));
  // The counts must sum to n per sample (JAX sums all of x, which only agrees for one sample).
  return where(equal(sum(xf, -1), nf), logProbs, -Infinity);
}

/** The multinomial distribution (`jax.scipy.stats.multinomial`). */
export const multinomial = distribution({
  logpmf: multinomialLogpmf,
  pmf: (x: A, n: A, p: A): Array => exp(multinomialLogpmf(x, n, p)),
});

const LOG_2PI = Math.log(2 * Math.PI);

function mvnLogpdf(x: A, mean: A, cov: A, allowSingular: null | undefined = undefined): Array {
  if (allowSingular !== undefined && allowSingular !== null)
    throw new NotImplementedError("allow_singular argument of multivariate_normal.logpdf");
  const [xv, m, c] = promoteArgsInexact(x, mean, cov) as [Array, Array, Array];
  if (m.ndim === 0) return square(xv.sub(m)).div(c).mul(-0.5).sub(log(c).add(LOG_2PI).mul(0.5));
  const n = m.shape[m.ndim - 1]!;
  const y = xv.sub(m);
  if (c.ndim === 0)
    return sum(y.mul(y), -1)
      .div(c)
      .mul(-0.5)
      .sub(
        log(c)
          .add(LOG_2PI)
          .mul(n / 2),
      );
  if (c.ndim < 2 || c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n)
    throw new ValueError("multivariate_normal.logpdf got incompatible shapes");
  const L = cholesky(c);
  // Solve L z = y for every batch element: broadcast the batch dimensions first.
  const batch = broadcastShapes(y.shape.slice(0, -1), L.shape.slice(0, -2));
  if (!batch)
    throw new ValueError(
      `multivariate_normal.logpdf: x of shape ${shapeStr(y.shape)} and cov of shape ${shapeStr(c.shape)} do not broadcast`,
    );
  const Lb = broadcastTo(L, [...batch, n, n]);
  const yb = broadcastTo(y, [...batch, n]);
  const z = triangularSolve(Lb, expandDims(yb, -1), { leftSide: true, lower: true });
  const quad = sum(square(reshape(z, [...batch, n])), -1);
  const logDet = sum(log(diagonal(L, 0, -2, -1)), -1);
  return quad
    .mul(-0.5)
    .sub(LOG_2PI * (n / 2))
    .sub(logDet);
}

/** The multivariate normal distribution (`jax.scipy.stats.multivariate_normal`). */
export const multivariateNormal = distribution({
  logpdf: mvnLogpdf,
  pdf: (x: A, mean: A, cov: A): Array => exp(mvnLogpdf(x, mean, cov)),
});

function dirichletLogpdf(x: A, alpha: A): Array {
  let [xv, al] = promoteArgsInexact(x, alpha) as [Array, Array];
  if (al.ndim !== 1)
    throw new ValueError(
      `\`alpha\` must be one-dimensional; got alpha.shape=${shapeStr(al.shape)}`,
    );
  const k = al.shape[0]!;
  if (xv.ndim === 0 || (xv.shape[0] !== k && xv.shape[0] !== k - 1))
    throw new ValueError(
      `\`x\` must have either the same number of entries as \`alpha\` or one entry fewer; got x.shape=${shapeStr(xv.shape)}, alpha.shape=${shapeStr(al.shape)}`,
    );
  if (xv.shape[0] !== k) xv = concatenate([xv, sum(xv, 0, { keepdims: true }).neg().add(1)], 0);
  const normalize = sum(lax.lgamma(al)).sub(lax.lgamma(sum(al)));
  if (xv.ndim > 1) al = reshape(al, [k, ...globalThis.Array<number>(xv.ndim - 1).fill(1)]);
  const logProbs = sum(xlogy(al.sub(1), xv), 0).sub(normalize);
  const simplex = all(xv.gt(0), 0).and(abs(sum(xv, 0).sub(1)).lt(1e-6));
  return where(simplex, logProbs, -Infinity);
}

/** The Dirichlet distribution (`jax.scipy.stats.dirichlet`). */
export const dirichlet = distribution({
  logpdf: dirichletLogpdf,
  pdf: (x: A, alpha: A): Array => exp(dirichletLogpdf(x, alpha)),
});
