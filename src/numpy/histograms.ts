/**
 * jnp.histogram, histogram_bin_edges, bincount and digitize, as JAX computes them
 * (jax/_src/numpy/lax_numpy.py): `bins` equal-width bins over `range` (default the data's
 * min..max, widened by ±0.5 when that is a single value), each value counted in the bin whose
 * right edge is the first edge above it (the last bin includes its right edge), values outside
 * the range dropped; `density` divides by the bin widths and the total. bincount needs a
 * static `length` under transformations (the count depends on the data otherwise).
 */
import { ConcretizationTypeError, ValueError } from "../core/errors.js";
import { defaultInt } from "../core/dtype.js";
import type { Array, ArrayLike } from "../trace/array.js";
import { isConcreteArray } from "../runtime/array.js";
import * as lax from "../primitives/index.js";
import { asarray, promoteArgsInexact } from "./coerce.js";
import { max, min, sum } from "./reductions.js";
import { searchsorted } from "./sorting.js";
import { flip, ravel } from "./shape.js";
import { clip, where } from "./ufuncs.js";

/** Keyword arguments of `jnp.histogram` / `histogramBinEdges` (`bins`, `range`, `weights`, `density`). */
export interface HistogramOptions {
  /** The lower and upper edge (default: the data's min and max). */
  range?: readonly [ArrayLike, ArrayLike] | ArrayLike | null;
  /** A weight per value of `a` (default 1 each). */
  weights?: ArrayLike | null;
  /** Divide the counts by the bin widths and the total, making a density. */
  density?: boolean | null;
}

/** The bin edges `histogram` uses (`jnp.histogram_bin_edges(a, bins, range, weights)`). */
export function histogramBinEdges(
  a: ArrayLike,
  bins: number | ArrayLike = 10,
  range: HistogramOptions["range"] = null,
  _weights: ArrayLike | null = null,
): Array {
  const [x] = promoteArgsInexact(a);
  const arr = x!;
  if (typeof bins !== "number") {
    const b = asarray(bins);
    if (b.ndim !== 1) throw new ValueError("`bins` must be 1d, when an array");
    return lax.convertElementType(b, arr.dtype);
  }
  if (!Number.isInteger(bins) || bins < 1) {
    throw new ValueError(`\`bins\` must be positive, when an integer, got ${bins}`);
  }
  const r =
    range === null || range === undefined
      ? lax.convertElementType(
          lax.concatenate([lax.reshape(min(arr), [1]), lax.reshape(max(arr), [1])], 0),
          arr.dtype,
        )
      : lax.convertElementType(asarray(range as ArrayLike), arr.dtype);
  if (r.ndim !== 1 || r.shape[0] !== 2) {
    throw new ValueError(
      `\`range\` must be either None or a sequence of scalars, got shape (${r.shape.join(", ")})`,
    );
  }
  const lo0 = lax.reshape(lax.slice(r, [0], [1]), []);
  const hi0 = lax.reshape(lax.slice(r, [1], [2]), []);
  const same = lax.eq(lo0, hi0);
  const lo = where(same, lax.sub(lo0, lax.scalarLike(lo0, 0.5)), lo0);
  const hi = where(same, lax.add(hi0, lax.scalarLike(hi0, 0.5)), hi0);
  // linspace(lo, hi, bins + 1) with traced ends, the last edge exactly hi.
  const i = lax.iota(arr.dtype, [bins + 1], 0);
  const step = lax.div(lax.sub(hi, lo), lax.scalarLike(hi, bins));
  const edges = lax.add(lax.mul(i, step), lo);
  const isLast = lax.eq(
    lax.iota(defaultInt(), [bins + 1], 0),
    lax.scalarConstantOf(bins, defaultInt()),
  );
  return where(isLast, hi, edges);
}

/**
 * Counts (or summed weights) of `a`'s values in each bin, and the bin edges
 * (`jnp.histogram(a, bins, range, weights, density)` → `[hist, binEdges]`).
 */
export function histogram(
  a: ArrayLike,
  bins: number | ArrayLike = 10,
  options: HistogramOptions = {},
): [Array, Array] {
  const [x] = promoteArgsInexact(a);
  const flat = ravel(x!);
  const edges = histogramBinEdges(flat, bins, options.range ?? null);
  const nEdges = edges.shape[0]!;
  let idx = searchsorted(edges, flat, { side: "right" });
  const lastEdge = lax.reshape(lax.slice(edges, [nEdges - 1], [nEdges]), []);
  idx = where(lax.eq(flat, lastEdge), nEdges - 1, idx);
  const w =
    options.weights === undefined || options.weights === null
      ? lax.fullLike(flat, 1)
      : ravel(asarray(options.weights));
  if (w.size !== flat.size) throw new ValueError("weights should have the same shape as a.");
  const total = lax.full([nEdges], 0, w.dtype).at(idx).add(w);
  let counts = lax.slice(total, [1], [nEdges]);
  if (options.density) {
    const widths = lax.sub(lax.slice(edges, [1], [nEdges]), lax.slice(edges, [0], [nEdges - 1]));
    const c = lax.convertElementType(counts, edges.dtype);
    counts = lax.div(lax.div(c, widths), sum(c));
  }
  return [counts, edges];
}

/**
 * The number of occurrences of each value 0..length−1 in the non-negative integer 1-d `x`
 * (weighted sums with `weights`) (`jnp.bincount(x, weights, minlength, { length })`).
 */
export function bincount(
  x: ArrayLike,
  weights: ArrayLike | null = null,
  minlength = 0,
  options: { length?: number | null } = {},
): Array {
  const a = asarray(x);
  if (!a.dtype.isInt) {
    throw new TypeError(`x argument to bincount must have an integer type; got ${a.dtype.name}`);
  }
  if (a.ndim !== 1) throw new ValueError("only 1-dimensional input supported.");
  if (!Number.isInteger(minlength) || minlength < 0) {
    throw new ValueError(`minlength must be a non-negative integer, got ${minlength}`);
  }
  let length = options.length;
  if (length === undefined || length === null) {
    if (!isConcreteArray(a)) {
      throw new ConcretizationTypeError(
        `Abstract tracer value encountered where concrete value is expected: traced array with shape ${a.aval.str()}.\n` +
          "The error occurred because of argument 'x' of jnp.bincount. To avoid this error, pass a static `length` argument: jnp.bincount(x, null, 0, { length: n }).",
      );
    }
    length = Math.max(minlength, a.size ? Number(max(a).item()) + 1 : 0);
  }
  const w = weights === null ? lax.scalarConstantOf(1, defaultInt()) : asarray(weights);
  if (weights !== null && w.shape.join() !== a.shape.join()) {
    throw new ValueError("shape of weights must match shape of x.");
  }
  return lax.full([length], 0, w.dtype).at(clip(a, 0)).add(w);
}

/**
 * The index of the bin of `bins` (monotonic, increasing or decreasing) each value of `x` falls
 * in (`jnp.digitize(x, bins, right)`).
 */
export function digitize(x: ArrayLike, bins: ArrayLike, right = false): Array {
  const b = asarray(bins);
  if (b.ndim !== 1)
    throw new ValueError(`digitize: bins must be a 1-dimensional array; got bins=${b.shape}`);
  const xa = asarray(x);
  if (b.shape[0] === 0) return lax.fullLike(xa, 0, defaultInt());
  const side = right ? "left" : "right";
  const n = b.shape[0]!;
  const first = lax.reshape(lax.slice(b, [0], [1]), []);
  const last = lax.reshape(lax.slice(b, [n - 1], [n]), []);
  const increasing = searchsorted(b, xa, { side });
  const decreasing = lax.sub(lax.scalarLike(increasing, n), searchsorted(flip(b, 0), xa, { side }));
  return where(lax.ge(last, first), increasing, decreasing);
}
