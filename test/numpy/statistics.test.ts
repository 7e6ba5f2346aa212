/**
 * jnp statistics against numpy 2.4 (test/fixtures/make_statistics.py → statistics.json):
 * nan-reductions, quantile/percentile/median (all five methods, NaN squashing), average, ptp,
 * cov/corrcoef (ddof, bias, fweights, aweights), histogram, bincount, digitize — eager and jit,
 * wasm and js devices, float32 tolerances (rtol 2e-5, atol 2e-6). Plus gradients against
 * central differences (float64), JAX's values where numpy differs, and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  ConcretizationTypeError,
  NotImplementedError,
  ValueError,
  config,
  jit,
  numpy as jnp,
  vmap,
} from "../../src/index.js";
import fixture from "../fixtures/statistics.json" with { type: "json" };
import { type CaseFn, type FixtureCase, runCase } from "./fixture-cases.js";
import { checkGrads, rng, uniform } from "../transforms/ad-helpers.js";

type Fn = (...a: never[]) => unknown;
const call =
  (f: Fn, axisKw = true): CaseFn =>
  (args, kw) => {
    const { axis, ...rest } = kw;
    const opts = axisKw ? { ...rest, ...(axis !== undefined ? { axis } : {}) } : rest;
    return (f as (...a: unknown[]) => unknown)(...args, opts);
  };

const fns: Record<string, CaseFn> = {
  nansum: call(jnp.nansum),
  nanprod: call(jnp.nanprod),
  nanmax: call(jnp.nanmax),
  nanmin: call(jnp.nanmin),
  nanmean: call(jnp.nanmean),
  nanvar: call(jnp.nanvar),
  nanstd: call(jnp.nanstd),
  nanargmax: call(jnp.nanargmax),
  nanargmin: call(jnp.nanargmin),
  nancumsum: (a, kw) => jnp.nancumsum(a[0] as Array, (kw.axis as number) ?? null),
  nancumprod: (a, kw) => jnp.nancumprod(a[0] as Array, (kw.axis as number) ?? null),
  quantile: call(jnp.quantile),
  percentile: call(jnp.percentile),
  median: call(jnp.median),
  nanmedian: call(jnp.nanmedian),
  nanquantile: call(jnp.nanquantile),
  nanpercentile: call(jnp.nanpercentile),
  average: call(jnp.average),
  ptp: call(jnp.ptp),
  cov: (a, kw) => jnp.cov(a[0] as Array, (a[1] as Array) ?? null, kw),
  corrcoef: (a) => jnp.corrcoef(a[0] as Array, (a[1] as Array) ?? null),
  histogram: (a, kw) => jnp.histogram(a[0] as Array, a[1] as number, kw),
  histogramBinEdges: (a) => jnp.histogramBinEdges(a[0] as Array, a[1] as number),
  bincount: (a, kw) =>
    jnp.bincount(a[0] as Array, (kw.weights as Array) ?? null, (kw.minlength as number) ?? 0, {
      length: (kw.length as number) ?? null,
    }),
  digitize: (a, kw) => jnp.digitize(a[0] as Array, a[1] as Array, (kw.right as boolean) ?? false),
};

describe("numpy references", () => {
  for (const c of fixture.cases as FixtureCase[]) {
    // bincount sizes its output from the data: jit needs a static length (tested below).
    it(c.name, () => runCase(c, fns, { jit: c.fn !== "bincount" }));
  }
});

describe("JAX's values and errors", () => {
  it("nanargmax/nanargmin give -1 for an all-NaN slice (numpy raises)", () => {
    const x = jnp.array([
      [NaN, NaN],
      [1, 2],
    ]);
    expect(jnp.nanargmax(x, 1).tolist()).toEqual([-1, 1]);
    expect(jnp.nanargmin(x, 1).tolist()).toEqual([-1, 0]);
  });
  it("integer inputs reduce as the plain functions", () => {
    const x = jnp.array([1, 5, 2]);
    expect(jnp.nanmax(x).item()).toBe(5);
    expect(jnp.nansum(x).dtype.name).toBe("int32");
    expect(jnp.nanmean(x).item()).toBeCloseTo(8 / 3, 6);
  });
  it("bincount under jit needs a static length", () => {
    const f = jit((x: Array) => jnp.bincount(x));
    expect(() => f(jnp.array([1, 2]))).toThrow(ConcretizationTypeError);
    const g = jit((x: Array) => jnp.bincount(x, null, 0, { length: 4 }));
    expect(g(jnp.array([0, 3, 3, 9, -1])).tolist()).toEqual([2, 0, 0, 2]); // -1 → 0 (clipped), 9 dropped
    expect(() => jnp.bincount(jnp.array([1.5]))).toThrow(TypeError);
  });
  it("quantile's errors", () => {
    const x = jnp.arange(6).astype("float32");
    expect(() => jnp.quantile(x, 0.5, { method: "bogus" as never })).toThrow(ValueError);
    expect(() => jnp.quantile(x, 0.5, { method: "inverted_cdf" as never })).toThrow(
      NotImplementedError,
    );
    expect(() => jnp.quantile(x, [[0.5]])).toThrow(/q must be have rank <= 1/);
    expect(() => jnp.average(jnp.ones([2, 3]), { weights: jnp.ones([3]) })).toThrow(
      /Axis must be specified/,
    );
  });
  it("median vmaps as a loop over rows", () => {
    const x = jnp
      .array([
        [3, 1, 2],
        [9, 7, 8],
        [0, 5, -5],
      ])
      .astype("float32");
    const batched = vmap((r: Array) => jnp.median(r))(x);
    expect(batched.tolist()).toEqual([0, 1, 2].map((i) => jnp.median(x.get(i)).item()));
  });
});

describe("gradients vs central differences (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  const x = () => uniform(rng(11), [3, 4], -2, 2);
  it("nanmean / nanvar / nanstd (no NaNs present)", () => {
    checkGrads("nanmean", (a: Array) => jnp.nanmean(a, 1), [x()]);
    checkGrads("nanvar", (a: Array) => jnp.nanvar(a, 0, { ddof: 1 }), [x()]);
    checkGrads("nanstd", (a: Array) => jnp.nanstd(a), [x()]);
  });
  it("quantile (linear) and median, away from ties", () => {
    checkGrads("quantile", (a: Array) => jnp.quantile(a, 0.3, 1), [x()]);
    checkGrads("median", (a: Array) => jnp.median(a, 0), [x()]);
  });
  it("average with weights (in both), cov, corrcoef", () => {
    const w = uniform(rng(5), [4], 0.5, 2);
    checkGrads("average", (a: Array, ww: Array) => jnp.average(a, 1, { weights: ww }), [x(), w]);
    checkGrads("cov", (a: Array) => jnp.cov(a), [x()]);
    checkGrads("corrcoef", (a: Array) => jnp.corrcoef(a), [x()]);
  });
});
