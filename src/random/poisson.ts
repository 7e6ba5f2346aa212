/**
 * Poisson sampling as JAX: Knuth's product-of-uniforms method for lam < 10 and Hörmann's
 * transformed rejection (PTRS) otherwise, both over the whole array with one key sequence.
 * The loops run as in loops.ts (on the host when eager; unrolled 64 / 16 times when traced).
 */
import { type DTypeLike, canonicalize, defaultInt, float32, toDType } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { asarray } from "../numpy/coerce.js";
import { type KeyLike, singleKey } from "./keys.js";
import { splitKeyData } from "./prng.js";
import { uniformData } from "./distributions.js";
import { keyAt } from "./shuffle.js";
import { whileAny } from "./loops.js";
import { broadcastTo, cst, shapeArg, toDtype } from "./util.js";
import { select } from "./util.js";
const selN = (p: Array, onFalse: Array, onTrue: Array): Array => select(p, onTrue, onFalse);

const f = (v: number) => cst(v, float32);

function knuth(key: Array, lam: Array): Array {
  type S = { k: Array; rng: Array; logProd: Array };
  const s = lam.shape;
  const out = whileAny<S>(
    { k: P.full(s, 0, float32), rng: key, logProd: P.full(s, 0, float32) },
    (st) => P.gt(st.logProd, P.neg(lam)),
    (going, st) => {
      const ks = splitKeyData(st.rng, [2]);
      const k = selN(going, st.k, P.add(st.k, f(1)));
      const u = uniformData(keyAt(ks, 1), s, float32);
      return { k, rng: keyAt(ks, 0), logProd: P.add(st.logProd, P.log(u)) };
    },
    64,
  );
  return P.sub(out.k, f(1));
}

function rejection(key: Array, lam: Array): Array {
  const s = lam.shape;
  const logLam = P.log(lam);
  const b = P.add(f(0.931), P.mul(f(2.53), P.sqrt(lam)));
  const a = P.add(f(-0.059), P.mul(f(0.02483), b));
  const invAlpha = P.add(f(1.1239), P.div(f(1.1328), P.sub(b, f(3.4))));
  const vR = P.sub(f(0.9277), P.div(f(3.6224), P.sub(b, f(2))));
  type S = { kOut: Array; accepted: Array; key: Array };
  const out = whileAny<S>(
    { kOut: P.full(s, -1, float32), accepted: P.full(s, false, toDType("bool")), key },
    (st) => P.not(st.accepted),
    (_going, st) => {
      const ks = splitKeyData(st.key, [3]);
      const u = P.sub(uniformData(keyAt(ks, 1), s, float32), f(0.5));
      const v = uniformData(keyAt(ks, 2), s, float32);
      const us = P.sub(f(0.5), P.abs(u));
      const k = P.floor(P.add(P.add(P.mul(P.add(P.div(P.mul(f(2), a), us), b), u), lam), f(0.43)));
      const sv = P.log(P.div(P.mul(v, invAlpha), P.add(P.div(a, P.mul(us, us)), b)));
      const t = P.sub(P.add(P.neg(lam), P.mul(k, logLam)), P.lgamma(P.add(k, f(1))));
      const accept1 = P.and(P.ge(us, f(0.07)), P.le(v, vR));
      const reject = P.or(P.lt(k, f(0)), P.and(P.lt(us, f(0.013)), P.gt(v, us)));
      const accept = P.or(accept1, P.and(P.not(reject), P.le(sv, t)));
      return {
        kOut: selN(accept, st.kOut, k),
        accepted: P.or(st.accepted, accept),
        key: keyAt(ks, 0),
      };
    },
    16,
  );
  return out.kOut;
}

/** Poisson(lam) integers: `jax.random.poisson`. */
export function poisson(
  key: KeyLike,
  lam: ArrayLike,
  shape?: readonly number[] | null,
  dtype: DTypeLike = defaultInt(),
): Array {
  const k = singleKey(key, "poisson").data;
  const d = canonicalize(toDType(dtype));
  const la = asarray(lam);
  const s = shape === undefined || shape === null ? [...la.shape] : shapeArg(shape, "poisson");
  const l = toDtype(broadcastTo(la, s), float32);
  const useKnuth = P.or(P.ne(l, l), P.lt(l, f(10)));
  const lamKnuth = selN(useKnuth, P.full(s, 0, float32), l);
  const lamRej = selN(useKnuth, l, P.full(s, 1e5, float32));
  const result = selN(useKnuth, rejection(k, lamRej), knuth(k, lamKnuth));
  const r = P.convertElementType(result, d);
  return selN(P.eq(l, f(0)), r, P.full(s, 0, d));
}
