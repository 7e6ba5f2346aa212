/**
 * Gamma-family samplers: gamma, loggamma, beta and dirichlet. Gamma is Marsaglia-Tsang's
 * rejection method as in JAX's `_gamma_one` (alpha < 1 boosted to alpha + 1), one key per
 * element (`split(key, size)`), the rejection loops run as in loops.ts. Not differentiable with
 * respect to `a` yet (JAX's implicit `random_gamma_grad` is not implemented).
 */
import { type DType, type DTypeLike } from "../core/dtype.js";
import { sizeOf } from "../core/shape.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { reduceMax } from "../lax/wrappers.js";
import { asarray } from "../numpy/coerce.js";
import { type KeyLike, singleKey } from "./keys.js";
import { splitKeyData } from "./prng.js";
import { normalData, uniformData } from "./distributions.js";
import { whileAny, where } from "./loops.js";
import {
  broadcastShapesOrThrow,
  broadcastTo,
  checkShape,
  cst,
  finfo,
  floatDtypeArg,
  shapeArg,
  toDtype,
} from "./util.js";
import { select } from "./util.js";
const selN = (p: Array, onFalse: Array, onTrue: Array): Array => select(p, onTrue, onFalse);

/** Key `i` of each row of split key data `[N, m, 2]`: `[N, 2]`. */
function column(keys: Array, i: number): Array {
  const n = keys.shape[0]!;
  return P.reshape(P.slice(keys, [0, i, 0], [n, i + 1, 2]), [n, 2]);
}

/** Marsaglia-Tsang for a batch: keys `[N, 2]`, alphas `[N]`. */
function gammaBatch(keys: Array, alpha: Array, logSpace: boolean): Array {
  const d = alpha.dtype;
  const c1 = (v: number) => cst(v, d);
  const boost = P.ge(alpha, c1(1));
  const alphaB = selN(boost, P.add(alpha, c1(1)), alpha);
  const dd = P.sub(alphaB, c1(1 / 3));
  const c = P.div(c1(1 / 3), P.sqrt(dd));

  const ks0 = splitKeyData(keys, [2]);
  const uBoost = uniformData(column(ks0, 1), [], d);

  // Rejection test: keep looping while the candidate (X, V, U) is rejected.
  type S = { key: Array; X: Array; V: Array; U: Array };
  const rejected = ({ X, V, U }: S): Array => {
    const squeeze = P.ge(U, P.sub(c1(1), P.mul(c1(0.0331), P.mul(X, X))));
    const rhs = P.add(P.mul(X, c1(0.5)), P.mul(dd, P.add(P.sub(c1(1), V), P.log(V))));
    return P.and(squeeze, P.ge(P.log(U), rhs));
  };
  const n = alpha.shape[0]!;
  const init: S = {
    key: column(ks0, 0),
    X: P.full([n], 0, d),
    V: P.full([n], 1, d),
    U: P.full([n], 2, d),
  };
  const out = whileAny<S>(
    init,
    rejected,
    (active, s) => {
      const ks = splitKeyData(s.key, [3]);
      // Inner loop: draw normals until v = 1 + c·x is positive.
      type T = { k: Array; x: Array; v: Array };
      const inner = whileAny<T>(
        { k: column(ks, 1), x: P.full([n], 0, d), v: P.full([n], -1, d) },
        (t) => P.le(t.v, c1(0)),
        (go, t) => {
          const kk = splitKeyData(t.k, [2]);
          const x = normalData(column(kk, 1), [], d);
          const v = P.add(c1(1), P.mul(x, c));
          return { k: where(go, column(kk, 0), t.k), x: where(go, x, t.x), v: where(go, v, t.v) };
        },
        4,
      );
      const X = P.mul(inner.x, inner.x);
      const V = P.mul(P.mul(inner.v, inner.v), inner.v);
      const U = uniformData(column(ks, 2), [], d);
      return {
        key: where(active, column(ks, 0), s.key),
        X: where(active, X, s.X),
        V: where(active, V, s.V),
        U: where(active, U, s.U),
      };
    },
    8,
  );
  if (logSpace) {
    const logBoost = selN(boost, P.mul(P.log(uBoost), P.div(c1(1), alpha)), c1(0));
    return P.add(P.add(P.log(dd), P.log(out.V)), logBoost);
  }
  const boostV = selN(boost, P.pow(uBoost, P.div(c1(1), alpha)), c1(1));
  const z = P.mul(P.mul(dd, out.V), boostV);
  return selN(P.eq(z, c1(0)), z, c1(finfo(d).tiny));
}

function gammaImpl(
  key: KeyLike,
  a: ArrayLike,
  shape: readonly number[] | null | undefined,
  dtype: DTypeLike | null | undefined,
  logSpace: boolean,
  name: string,
): Array {
  const k = singleKey(key, name).data;
  const d = floatDtypeArg(dtype, name);
  let aa = toDtype(asarray(a), d);
  let s: number[];
  if (shape === undefined || shape === null) s = [...aa.shape];
  else {
    s = shapeArg(shape, name);
    checkShape(name, s, aa.shape);
  }
  aa = broadcastTo(aa, s);
  const size = sizeOf(s);
  if (size === 0) return P.full(s, 0, d);
  const keys = P.reshape(splitKeyData(k, [size]), [size, 2]);
  return P.reshape(gammaBatch(keys, P.reshape(aa, [size]), logSpace), s);
}

/** Gamma(a, 1) values: `jax.random.gamma`. */
export function gamma(
  key: KeyLike,
  a: ArrayLike,
  shape?: readonly number[] | null,
  dtype?: DTypeLike | null,
): Array {
  return gammaImpl(key, a, shape, dtype, false, "gamma");
}

/** log of Gamma(a, 1) values, accurate for small a: `jax.random.loggamma`. */
export function loggamma(
  key: KeyLike,
  a: ArrayLike,
  shape?: readonly number[] | null,
  dtype?: DTypeLike | null,
): Array {
  return gammaImpl(key, a, shape, dtype, true, "loggamma");
}

/** Beta(a, b) values: `jax.random.beta`. */
export function beta(
  key: KeyLike,
  a: ArrayLike,
  b: ArrayLike,
  shape?: readonly number[] | null,
  dtype?: DTypeLike | null,
): Array {
  const k = singleKey(key, "beta").data;
  const d = floatDtypeArg(dtype, "beta");
  const aa = toDtype(asarray(a), d);
  const bb = toDtype(asarray(b), d);
  let s: number[];
  if (shape === undefined || shape === null) s = broadcastShapesOrThrow("beta", aa.shape, bb.shape);
  else {
    s = shapeArg(shape, "beta");
    checkShape("beta", s, aa.shape, bb.shape);
  }
  const ks = splitKeyData(k, [2]);
  const ka = P.reshape(P.slice(ks, [0, 0], [1, 2]), [2]);
  const kb = P.reshape(P.slice(ks, [1, 0], [2, 2]), [2]);
  const lga = loggamma(ka, broadcastTo(aa, s), s, d);
  const lgb = loggamma(kb, broadcastTo(bb, s), s, d);
  const m = P.max(lga, lgb);
  const ga = P.exp(P.sub(lga, m));
  const gb = P.exp(P.sub(lgb, m));
  return P.div(ga, P.add(ga, gb));
}

/** Dirichlet(alpha) values over the last axis: `jax.random.dirichlet`. */
export function dirichlet(
  key: KeyLike,
  alpha: ArrayLike,
  shape?: readonly number[] | null,
  dtype?: DTypeLike | null,
): Array {
  const d: DType = floatDtypeArg(dtype, "dirichlet");
  const al = toDtype(asarray(alpha), d);
  if (al.ndim < 1)
    throw new RangeError(`dirichlet requires alpha.ndim >= 1, got alpha.ndim == ${al.ndim}`);
  const batch = al.shape.slice(0, -1);
  let s: number[];
  if (shape === undefined || shape === null) s = [...batch];
  else {
    s = shapeArg(shape, "dirichlet");
    checkShape("dirichlet", s, batch);
  }
  const full = [...s, al.shape[al.ndim - 1]!];
  const lg = loggamma(key, broadcastTo(al, full), full, d);
  const last = full.length - 1;
  const m = reduceMax(lg, [last]);
  const keep = full.map((x, i) => (i === last ? 1 : x));
  const e = P.exp(P.sub(lg, broadcastTo(P.reshape(m, keep), full)));
  const sum = P.reduceSum(e, [last]);
  return P.div(e, broadcastTo(P.reshape(sum, keep), full));
}
