/**
 * jax.scipy.stats' non-distribution functions (jax/_src/scipy/stats/_core.py): `mode`,
 * `rankdata` and `sem`, with JAX's options and errors (nan_policy "omit"/"raise" are not
 * implemented by JAX for mode/rankdata either: NotImplementedError).
 */
import type { Array, ArrayLike } from "../../trace/array.js";
import { NotImplementedError, ValueError } from "../../core/errors.js";
import { normalizeAxis } from "../../core/shape.js";
import { vmap } from "../../transforms/vmap.js";
import {
  any,
  arange,
  argmax,
  argsort,
  asarray,
  atleast1d,
  concatenate,
  cumsum,
  fullLike,
  isnan,
  max,
  moveaxis,
  nanstd,
  nonzero,
  ravel,
  reshape,
  sqrt,
  std,
  sum,
  take,
  unique,
  where,
  zerosLike,
} from "../../numpy/namespace.js";
import { promoteArgsInexact } from "../../numpy/coerce.js";

/** `mode`'s result: the most frequent value and its count, destructurable as a pair. */
export class ModeResult {
  constructor(
    readonly mode: Array,
    readonly count: Array,
  ) {}
  *[Symbol.iterator](): Iterator<Array> {
    yield this.mode;
    yield this.count;
  }
}

type NanPolicy = "propagate" | "omit" | "raise";

function checkNanPolicy(name: string, policy: string): void {
  if (!["propagate", "omit", "raise"].includes(policy))
    throw new ValueError(
      `Illegal nan_policy value '${policy}'; expected one of {'propagate', 'omit', 'raise'}`,
    );
  if (policy === "omit")
    throw new NotImplementedError(`Logic for \`nan_policy\` of ${policy} is not implemented`);
  if (policy === "raise")
    throw new NotImplementedError(
      `In order to best JIT compile \`${name}\`, we cannot know whether \`x\` contains nans. Please check if nans exist in \`x\` outside of the \`${name}\` function.`,
    );
}

/** Options of `mode`. */
export interface ModeOptions {
  axis?: number | null;
  nanPolicy?: NanPolicy;
  keepdims?: boolean;
}

/** The most frequent value along an axis (the smallest on ties) and its count (`mode`). */
export function mode(a: ArrayLike, opts: ModeOptions = {}): ModeResult {
  checkNanPolicy("mode", opts.nanPolicy ?? "propagate");
  let x = atleast1d(asarray(a)) as Array;
  let axis = opts.axis === undefined ? 0 : opts.axis;
  if (axis !== null) axis = normalizeAxis(axis, x.ndim);
  const shape = x.shape;
  const outShape = opts.keepdims
    ? shape.map((s, i) => (axis === null || i === axis ? 1 : s))
    : axis === null
      ? []
      : shape.filter((_, i) => i !== axis);
  if (axis === null) {
    x = ravel(x);
    axis = 0;
  }
  const moved = moveaxis(x, axis, 0);
  const n = moved.shape[0]!;
  const columns = reshape(moved, [n, -1]);
  const one = (col: Array): Array[] => {
    const float = asarray(0.5).dtype;
    if (n === 0)
      return [fullLike(col.sum(), NaN).astype(float), zerosLike(col.sum()).astype(float)];
    const [vals, counts] = unique(col, { returnCounts: true, size: n }) as [Array, Array];
    return [take(vals, argmax(counts)), max(counts)];
  };
  const [vals, counts] = vmap(one, { inAxes: 1 })(columns) as Array[];
  return new ModeResult(reshape(vals!, outShape), reshape(counts!, outShape));
}

/** Options of `rankdata`. */
export interface RankdataOptions {
  axis?: number | null;
  nanPolicy?: NanPolicy;
}

type RankMethod = "average" | "min" | "max" | "dense" | "ordinal";

function rank1d(a: Array, method: RankMethod): Array {
  const n = a.shape[0]!;
  const sorter = argsort(a, { stable: true });
  const sorted = take(a, sorter);
  const inv = zerosLike(sorter)
    .at(sorter)
    .set(arange(n, { dtype: sorter.dtype }));
  // JAX's default float dtype (float64 under jax_enable_x64).
  const out = (v: Array): Array => v.astype(asarray(0.5).dtype);
  let result: Array;
  if (method === "ordinal") result = out(inv.add(1));
  else {
    const obs = concatenate([
      asarray([true]),
      take(sorted, arange(1, Math.max(n, 1))).ne(take(sorted, arange(0, Math.max(n - 1, 0)))),
    ]);
    const dense = take(cumsum(obs), inv);
    if (method === "dense") result = out(dense);
    else {
      const count = out(nonzero(obs, { size: n + 1, fillValue: n })[0]!);
      if (method === "max") result = take(count, dense);
      else if (method === "min") result = take(count, dense.sub(1)).add(1);
      else
        result = take(count, dense)
          .add(take(count, dense.sub(1)))
          .add(1)
          .mul(0.5);
    }
  }
  return where(any(isnan(a)), NaN, result);
}

/** Ranks of the data (1-based; ties by `method`), along `axis` or of the flattened array. */
export function rankdata(
  a: ArrayLike,
  method: RankMethod = "average",
  opts: RankdataOptions = {},
): Array {
  checkNanPolicy("rankdata", opts.nanPolicy ?? "propagate");
  if (!["average", "min", "max", "dense", "ordinal"].includes(method))
    throw new ValueError(`unknown method '${method}'`);
  const x = asarray(a);
  if (opts.axis === undefined || opts.axis === null) return rank1d(ravel(x), method);
  const axis = normalizeAxis(opts.axis, x.ndim);
  const moved = moveaxis(x, axis, -1);
  const rows = reshape(moved, [-1, moved.shape[moved.ndim - 1]!]);
  const ranked = vmap((r: Array) => rank1d(r, method))(rows);
  return moveaxis(reshape(ranked, moved.shape), -1, axis);
}

/** Options of `sem`. */
export interface SemOptions {
  axis?: number | null;
  ddof?: number;
  nanPolicy?: "propagate" | "omit";
  keepdims?: boolean;
}

/** The standard error of the mean, std(ddof = 1)/√n (`sem`). */
export function sem(a: ArrayLike, opts: SemOptions = {}): Array {
  const [b] = promoteArgsInexact(a) as [Array];
  const axis = opts.axis === undefined ? 0 : opts.axis;
  const ddof = opts.ddof ?? 1;
  const keepdims = opts.keepdims ?? false;
  const policy = opts.nanPolicy ?? "propagate";
  if (policy === "propagate") {
    const size = axis === null ? b.size : b.shape[normalizeAxis(axis, b.ndim)]!;
    return std(b, { axis, ddof, keepdims }).div(Math.sqrt(size));
  }
  if (policy === "omit") {
    const count = sum(isnan(b).not(), { axis, keepdims });
    return nanstd(b, { axis, ddof, keepdims }).div(sqrt(count).astype(b.dtype));
  }
  throw new ValueError(`${String(policy)} is not supported`);
}
