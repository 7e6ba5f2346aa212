/**
 * `permutation` and `choice`. JAX shuffles by sorting on fresh random 32-bit keys for
 * ceil(3·ln(n)/ln(2³²-1)) rounds (a stable sort, so ties keep their order); the stable sort
 * and the gathers here are computed by comparisons and masked reductions (O(n²) per row),
 * which gives the same result as JAX's sort without a sort kernel.
 */
import { ConcretizationTypeError } from "../core/errors.js";
import { type DType, defaultInt, uint32 } from "../core/dtype.js";
import { normalizeAxis, sizeOf } from "../core/shape.js";
import { Array, type ArrayLike } from "../trace/array.js";
import * as P from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "../numpy/coerce.js";
import { type KeyLike, singleKey } from "./keys.js";
import { randomBitsKeyData, splitKeyData } from "./prng.js";
import { gumbelData, randint, uniformData } from "./distributions.js";
import { ValueError, moveAxis, scatterByPosition, shapeArg, stableRanks, take } from "./util.js";

/** Key `i` of split key data `[n, 2]`. */
export function keyAt(keys: Array, i: number): Array {
  return P.reshape(P.slice(keys, [i, 0], [i + 1, 2]), [2]);
}

/** Sort `x` along `axis` by uint32 `sortKeys` of the same shape, stably. */
function sortByKeys(sortKeys: Array, x: Array, axis: number): Array {
  const last = x.ndim - 1;
  const pos = stableRanks(moveAxis(sortKeys, axis, last));
  return moveAxis(scatterByPosition(moveAxis(x, axis, last), pos), last, axis);
}

/** JAX's `_shuffle`: repeated sorts on random keys. */
function shuffleData(k: Array, x: Array, axis: number): Array {
  const rounds = Math.ceil((3 * Math.log(Math.max(1, x.size))) / Math.log(2 ** 32 - 1));
  let key = k;
  let out = x;
  for (let r = 0; r < rounds; r++) {
    const ks = splitKeyData(key, [2]);
    key = keyAt(ks, 0);
    out = sortByKeys(randomBitsKeyData(keyAt(ks, 1), 32, out.shape), out, axis);
  }
  return out;
}

function concreteInt(x: ArrayLike, what: string): number {
  if (typeof x === "number") return x;
  const a = x as Array & { item?: () => unknown };
  if (a instanceof Array && a.ndim === 0) {
    const v = a._literalValue();
    if (v === undefined) {
      throw new ConcretizationTypeError(
        `Abstract tracer value encountered where a concrete value is expected: ${what}. ` +
          `The size of the output depends on it, so it must be a concrete integer, not traced.`,
      );
    }
    return Number(v);
  }
  throw new TypeError(`${what} must be an integer`);
}

const arangeInt = (n: number): Array => P.iota(defaultInt(), [n], 0);

/** A random permutation of `arange(x)` or of `x` along `axis`: `jax.random.permutation`. */
export function permutation(key: KeyLike, x: ArrayLike, axis = 0, independent = false): Array {
  const k = singleKey(key, "permutation").data;
  const arr = typeof x === "number" ? undefined : asarray(x);
  if (arr === undefined || arr.ndim === 0) {
    const isInt = typeof x === "number" ? Number.isInteger(x) : arr!.dtype.isInt;
    if (!isInt) throw new TypeError("x must be an integer or at least 1-dimensional");
    const n = concreteInt(x, "argument x of jax.random.permutation()");
    return shuffleData(k, arangeInt(n), 0);
  }
  const ax = normalizeAxis(axis, arr.ndim);
  if (independent || arr.ndim === 1) return shuffleData(k, arr, ax);
  const ind = shuffleData(k, arangeInt(arr.shape[ax]!), 0);
  return take(arr, ind, ax);
}

/** Sequential cumulative sum of a 1-D array (by a triangular masked reduction). */
function cumsum(p: Array): Array {
  const n = p.shape[0]!;
  const pair = [n, n]; // [i, j]: sum over j <= i
  const pj = P.broadcastInDim(p, pair, [1]);
  const mask = P.le(P.iota(uint32, pair, 1), P.iota(uint32, pair, 0));
  return P.reduceSum(P.selectN(mask, P.full(pair, 0, p.dtype), pj), [1]);
}

/** numpy's searchsorted(sorted, v, side='left'): the count of entries below each v. */
function searchsortedLeft(sorted: Array, v: Array): Array {
  const n = sorted.shape[0]!;
  const full = [...v.shape, n];
  const s = P.broadcastInDim(sorted, full, [v.ndim]);
  const vb = P.broadcastInDim(
    v,
    full,
    v.shape.map((_, i) => i),
  );
  return P.reduceSum(P.convertElementType(P.lt(s, vb), defaultInt()), [v.ndim]);
}

/** Random samples from `arange(a)` or from `a` along `axis`: `jax.random.choice`. */
export function choice(
  key: KeyLike,
  a: ArrayLike,
  shape: readonly number[] = [],
  replace = true,
  p: ArrayLike | null = null,
  axis = 0,
): Array {
  const k = singleKey(key, "choice").data;
  if (!globalThis.Array.isArray(shape)) {
    throw new TypeError(
      `shape argument of jax.random.choice must be a sequence, got ${String(shape)}`,
    );
  }
  const s = shapeArg(shape, "choice");
  const arr = asarray(a);
  let nInputs: number;
  let ax = 0;
  if (arr.ndim === 0) nInputs = concreteInt(a, "The error occurred in jax.random.choice()");
  else {
    ax = normalizeAxis(axis, arr.ndim);
    nInputs = arr.shape[ax]!;
  }
  const nDraws = sizeOf(s);
  if (nDraws === 0) return P.full(s, 0, arr.dtype);
  if (nInputs <= 0) throw new ValueError("a must be greater than 0 unless no samples are taken");
  if (!replace && nDraws > nInputs)
    throw new ValueError("Cannot take a larger sample than population when 'replace=False'");
  let result: Array;
  if (p === null || p === undefined) {
    if (replace) {
      const ind = randint(k, s, 0, nInputs);
      result = arr.ndim === 0 ? ind : take(arr, ind, ax);
    } else {
      const perm = permutation(k, arr.ndim === 0 ? nInputs : arr, ax);
      const start = perm.shape.map(() => 0);
      const limit = [...perm.shape];
      limit[arr.ndim === 0 ? 0 : ax] = nDraws;
      result = P.slice(perm, start, limit);
    }
  } else {
    const pArr = promoteArgsInexact(p)[0]!;
    if (pArr.ndim !== 1 || pArr.shape[0] !== nInputs)
      throw new ValueError("p must be None or match the shape of a");
    let ind: Array;
    if (replace) {
      const cum = cumsum(pArr);
      const total = P.reshape(P.slice(cum, [nInputs - 1], [nInputs]), []);
      const u = uniformData(k, s, pArr.dtype as DType);
      const r = P.mul(total, P.sub(P.full([], 1, pArr.dtype), u));
      ind = searchsortedLeft(cum, r);
    } else {
      // Gumbel top-k: the n_draws smallest of -gumbel - log(p), in stable order.
      const g = P.sub(P.neg(gumbelData(k, [nInputs], pArr.dtype)), P.log(pArr));
      const pos = stableRanks(g);
      const order = scatterByPosition(arangeInt(nInputs), pos);
      ind = P.slice(order, [0], [nDraws]);
    }
    result = arr.ndim === 0 ? ind : take(arr, ind, ax);
  }
  const outShape =
    arr.ndim === 0 ? s : [...arr.shape.slice(0, ax), ...s, ...arr.shape.slice(ax + 1)];
  return P.reshape(result, outShape);
}
