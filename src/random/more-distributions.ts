/**
 * More samplers, each composing the existing ones exactly as jax/_src/random.py does (same key
 * splits, same formulas), so that with the same key they give JAX's values whenever the
 * samplers they build on do: chisquare, f, t, rayleigh, wald, lognormal, geometric,
 * triangular, double_sided_maxwell, generalized_normal, ball, orthogonal and
 * multivariate_normal.
 */
import { type DType, type DTypeLike, canonicalize, defaultInt, toDType } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as P from "../primitives/index.js";
import * as jnp from "../numpy/namespace.js";
import { promoteArgsInexact } from "../numpy/coerce.js";
import { type KeyLike, singleKey } from "./keys.js";
import { splitKeyData } from "./prng.js";
import { exponential, maxwell, normal, rademacher, uniform } from "./distributions.js";
import { gamma, loggamma } from "./gamma.js";
import {
  ValueError,
  broadcastShapesOrThrow,
  checkShape,
  floatDtypeArg,
  shapeArg,
  toDtype,
} from "./util.js";

type Shape = readonly number[] | null | undefined;

/** JAX's `_split(key)`: the two halves of a split, as raw key data. */
function split2(key: KeyLike, name: string): [Array, Array] {
  const ks = splitKeyData(singleKey(key, name).data, [2]);
  return [P.reshape(P.slice(ks, [0, 0], [1, 2]), [2]), P.reshape(P.slice(ks, [1, 0], [2, 2]), [2])];
}

/** The sample shape: the parameters' broadcast shape when none is given, else checked. */
function sampleShape(name: string, shape: Shape, ...params: Array[]): number[] {
  if (shape === undefined || shape === null)
    return broadcastShapesOrThrow(name, ...params.map((p) => p.shape));
  const s = shapeArg(shape, name);
  checkShape(name, s, ...params.map((p) => p.shape));
  return s;
}

/** Chi-square(df) values: `exp(log 2 + loggamma(df / 2))` (`jax.random.chisquare`). */
export function chisquare(
  key: KeyLike,
  df: ArrayLike,
  shape?: Shape,
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "chisquare");
  const dfa = toDtype(jnp.asarray(df), d);
  const s = sampleShape("chisquare", shape, dfa);
  const logG = loggamma(key, jnp.divide(dfa, 2), s, d);
  return jnp.exp(jnp.add(Math.log(2), logG));
}

/** F(dfnum, dfden) values (`jax.random.f`). */
export function f(
  key: KeyLike,
  dfnum: ArrayLike,
  dfden: ArrayLike,
  shape?: Shape,
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "f");
  const num = toDtype(jnp.asarray(dfnum), d);
  const den = toDtype(jnp.asarray(dfden), d);
  const s = sampleShape("f", shape, num, den);
  const [kDen, kNum] = split2(key, "f");
  const chiNum = chisquare(kNum, num, s, d);
  const chiDen = chisquare(kDen, den, s, d);
  return jnp.divide(jnp.divide(chiNum, num), jnp.divide(chiDen, den));
}

/** Student's t(df) values (`jax.random.t`). */
export function t(key: KeyLike, df: ArrayLike, shape?: Shape, dtype?: DTypeLike | null): Array {
  const d = floatDtypeArg(dtype, "t");
  const dfa = toDtype(jnp.asarray(df), d);
  const s = sampleShape("t", shape, dfa);
  const [kn, kg] = split2(key, "t");
  const n = normal(kn, s, d);
  const halfDf = jnp.divide(dfa, 2);
  const g = gamma(kg, halfDf, s, d);
  return jnp.multiply(n, jnp.sqrt(jnp.divide(halfDf, g)));
}

/** Rayleigh(scale) values (`jax.random.rayleigh`). */
export function rayleigh(
  key: KeyLike,
  scale: ArrayLike = 1,
  shape?: Shape,
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "rayleigh");
  const sc = toDtype(jnp.asarray(scale), d);
  const s = sampleShape("rayleigh", shape, sc);
  const u = uniform(key, s, d, 0, 1);
  return jnp.multiply(jnp.sqrt(jnp.multiply(jnp.log(u), -2)), sc);
}

/** Wald (inverse Gaussian) values with the given mean (`jax.random.wald`). */
export function wald(
  key: KeyLike,
  mean: ArrayLike,
  shape?: Shape,
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "wald");
  const m = toDtype(jnp.asarray(mean), d);
  const s = sampleShape("wald", shape, m);
  const [k1, k2] = split2(key, "wald");
  const v = normal(k1, s, d);
  const z = uniform(k2, s, d);
  const y = P.mul(v, v);
  const ySq = P.mul(y, y);
  const mSq = jnp.square(m);
  const sqrtTerm = jnp.sqrt(jnp.add(jnp.multiply(jnp.multiply(4, m), y), jnp.multiply(mSq, ySq)));
  const x = jnp.subtract(
    jnp.add(m, jnp.divide(jnp.multiply(mSq, y), 2)),
    jnp.multiply(jnp.divide(m, 2), sqrtTerm),
  );
  return jnp.where(jnp.lessEqual(z, jnp.divide(m, jnp.add(m, x))), x, jnp.divide(mSq, x));
}

/** Log-normal values: `exp(sigma · normal)` (`jax.random.lognormal`). */
export function lognormal(
  key: KeyLike,
  sigma: ArrayLike = 1,
  shape?: Shape,
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "lognormal");
  const sg = toDtype(jnp.asarray(sigma), d);
  const s = sampleShape("lognormal", shape, sg);
  return jnp.exp(jnp.multiply(normal(key, s, d), sg));
}

/** Geometric(p) trial counts ≥ 1 (`jax.random.geometric`). */
export function geometric(
  key: KeyLike,
  p: ArrayLike,
  shape?: Shape,
  dtype: DTypeLike = defaultInt(),
): Array {
  const out = canonicalize(toDType(dtype));
  if (!out.isInt)
    throw new ValueError(`dtype argument to \`geometric\` must be an int dtype, got ${out.name}`);
  const [pa] = promoteArgsInexact(p) as [Array];
  const s = sampleShape("geometric", shape, pa);
  const u = uniform(key, s, pa.dtype);
  const g = jnp.add(jnp.floor(jnp.divide(jnp.log(u), jnp.log1p(jnp.negative(pa)))), 1);
  return P.convertElementType(g, out);
}

/** Triangular(left, mode, right) values (`jax.random.triangular`). */
export function triangular(
  key: KeyLike,
  left: ArrayLike,
  mode: ArrayLike,
  right: ArrayLike,
  shape?: Shape,
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "triangular");
  const [l, m, r] = [left, mode, right].map((v) => toDtype(jnp.asarray(v), d)) as [
    Array,
    Array,
    Array,
  ];
  const s = sampleShape("triangular", shape, l, m, r);
  const fc = jnp.divide(jnp.subtract(m, l), jnp.subtract(r, l));
  const u = uniform(key, s, d);
  const out1 = jnp.add(
    l,
    jnp.sqrt(jnp.multiply(jnp.multiply(u, jnp.subtract(r, l)), jnp.subtract(m, l))),
  );
  const out2 = jnp.subtract(
    r,
    jnp.sqrt(
      jnp.multiply(jnp.multiply(jnp.subtract(1, u), jnp.subtract(r, l)), jnp.subtract(r, m)),
    ),
  );
  return jnp.where(jnp.less(u, fc), out1, out2);
}

/** Double-sided Maxwell values: `sign · maxwell · scale + loc` (`jax.random.double_sided_maxwell`). */
export function doubleSidedMaxwell(
  key: KeyLike,
  loc: ArrayLike,
  scale: ArrayLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "double_sided_maxwell");
  const lo = toDtype(jnp.asarray(loc), d);
  const sc = toDtype(jnp.asarray(scale), d);
  const params = broadcastShapesOrThrow("double_sided_maxwell", lo.shape, sc.shape);
  // As JAX: an empty shape means the parameters' shape, and the parameters' shape is appended.
  const base = shapeArg(shape, "double_sided_maxwell");
  const s = [...(base.length ? base : params), ...params];
  const [km, kr] = split2(key, "double_sided_maxwell");
  const mx = maxwell(km, s, d);
  const sign = rademacher(kr, s, d);
  return jnp.add(jnp.multiply(jnp.multiply(sign, mx), sc), lo);
}

/** Generalized normal(p) values: `sign · gamma(1/p) ** (1/p)` (`jax.random.generalized_normal`). */
export function generalizedNormal(
  key: KeyLike,
  p: ArrayLike,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  const d = floatDtypeArg(dtype, "generalized_normal");
  const pa = toDtype(jnp.asarray(p), d);
  const s = shapeArg(shape, "generalized_normal");
  checkShape("generalized_normal", s, pa.shape);
  const [k1, k2] = split2(key, "generalized_normal");
  const g = gamma(k1, jnp.divide(1, pa), s, d);
  const r = rademacher(k2, s, d);
  return jnp.multiply(r, jnp.power(g, jnp.divide(1, pa)));
}

/** Uniform points in the d-dimensional unit p-ball (`jax.random.ball(key, d, p=2, shape)`). */
export function ball(
  key: KeyLike,
  d: number,
  p = 2,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
): Array {
  if (!Number.isInteger(d) || d < 1)
    throw new ValueError(`ball: d must be a positive integer, got ${d}`);
  if (!(p > 0)) throw new ValueError(`ball: p must be positive, got ${p}`);
  const dt = floatDtypeArg(dtype, "ball");
  const s = shapeArg(shape, "ball");
  const [k1, k2] = split2(key, "ball");
  const g = generalizedNormal(k1, p, [...s, d], dt);
  const e = exponential(k2, s, dt);
  const norm = jnp.power(jnp.add(jnp.sum(jnp.power(jnp.abs(g), p), -1), e), 1 / p);
  return jnp.divide(g, jnp.expandDims(norm, -1));
}

/** Haar-random n×m matrices with orthonormal columns (`jax.random.orthogonal(key, n, shape, dtype, m)`). */
export function orthogonal(
  key: KeyLike,
  n: number,
  shape: readonly number[] = [],
  dtype?: DTypeLike | null,
  m: number | null = null,
): Array {
  const dt = floatDtypeArg(dtype, "orthogonal");
  const s = shapeArg(shape, "orthogonal");
  const cols = m ?? n;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(cols) || cols < 0)
    throw new ValueError(`orthogonal: n and m must be non-negative integers, got ${n}, ${cols}`);
  const z = normal(key, [...s, n, cols], dt);
  const { Q: q, R: r } = jnp.linalg.qr(z) as jnp.linalg.QRResult;
  const diag = jnp.diagonal(r, 0, -2, -1);
  return jnp.multiply(q, jnp.expandDims(jnp.sign(diag), -2));
}

/** Multivariate normal values (`jax.random.multivariate_normal(key, mean, cov, shape, dtype, method)`). */
export function multivariateNormal(
  key: KeyLike,
  mean: ArrayLike,
  cov: ArrayLike,
  shape?: Shape,
  dtype?: DTypeLike | null,
  method: "cholesky" | "eigh" | "svd" = "cholesky",
): Array {
  if (!["cholesky", "eigh", "svd"].includes(method))
    throw new ValueError("method must be one of {'svd', 'eigh', 'cholesky'}");
  const d: DType = floatDtypeArg(dtype, "multivariate_normal");
  let [mu, c] = promoteArgsInexact(mean, cov) as [Array, Array];
  mu = toDtype(mu, d);
  c = toDtype(c, d);
  if (mu.ndim < 1)
    throw new ValueError(
      `multivariate_normal requires mean.ndim >= 1, got mean.ndim == ${mu.ndim}`,
    );
  if (c.ndim < 2)
    throw new ValueError(`multivariate_normal requires cov.ndim >= 2, got cov.ndim == ${c.ndim}`);
  const n = mu.shape[mu.ndim - 1]!;
  if (c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n)
    throw new ValueError(
      `multivariate_normal requires cov.shape == (..., n, n) for n=${n}, but got cov.shape == (${c.shape.join(", ")}).`,
    );
  const batchM = mu.shape.slice(0, -1);
  const batchC = c.shape.slice(0, -2);
  let s: number[];
  if (shape === undefined || shape === null)
    s = broadcastShapesOrThrow("multivariate_normal", batchM, batchC);
  else {
    s = shapeArg(shape, "multivariate_normal");
    checkShape("normal", s, batchM, batchC);
  }
  let factor: Array;
  if (method === "svd") {
    const { U: u, S: sv } = jnp.linalg.svd(c) as jnp.linalg.SVDResult;
    factor = jnp.multiply(u, jnp.expandDims(jnp.sqrt(sv), -2));
  } else if (method === "eigh") {
    const { eigenvalues: w, eigenvectors: v } = jnp.linalg.eigh(c);
    factor = jnp.multiply(v, jnp.expandDims(jnp.sqrt(w), -2));
  } else factor = jnp.linalg.cholesky(c);
  const z = normal(key, [...s, n], d);
  // JAX: einsum("...ij,...j->...i", factor, z), a batched matrix-vector product.
  return jnp.add(mu, jnp.matvec(factor, z));
}
