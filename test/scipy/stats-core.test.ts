/**
 * jax.scipy.stats' mode, rankdata, sem and gaussian_kde against scipy 1.17
 * (test/fixtures/make_stats_core.py → stats-core.json), eager and under jit, in float32
 * (rtol 1e-5; KDE values rtol 1e-4), plus resample's shape and moments.
 */
import { describe, expect, it } from "vitest";
import { type Array, jit, numpy as jnp, random, scipy } from "../../src/index.js";
import ref from "../fixtures/stats-core.json" with { type: "json" };
import { expectClose, vals } from "../transforms/ad-helpers.js";

const st = scipy.stats;
const flat = (x: unknown): number[] =>
  globalThis.Array.isArray(x) ? x.flatMap(flat) : [Number(x)];
const close = (got: Array, want: unknown, rtol = 1e-5, what = ""): void =>
  expectClose(vals(got), flat(want), rtol, 1e-6, what);
const A = jnp.array(ref.mode_in as number[][]);

describe("mode, rankdata, sem", () => {
  it("mode along an axis, with keepdims, and of the flattened array", () => {
    const [m0, c0] = st.mode(A);
    close(m0, ref.mode_axis0[0], 0, "mode axis 0");
    close(c0, ref.mode_axis0[1], 0, "count axis 0");
    const r1 = st.mode(A, { axis: 1, keepdims: true });
    expect(r1.mode.shape).toEqual([3, 1]);
    close(r1.mode, ref.mode_axis1_keepdims[0], 0);
    close(r1.count, ref.mode_axis1_keepdims[1], 0);
    const rn = jit((x: Array) => st.mode(x, { axis: null }).mode)(A);
    close(rn, ref.mode_none[0], 0, "mode axis None under jit");
  });
  it("rankdata's five methods, and along an axis", () => {
    const r = jnp.array(ref.rank_in as number[]);
    for (const [method, want] of Object.entries(ref.rank)) {
      const m = method as "average" | "min" | "max" | "dense" | "ordinal";
      close(st.rankdata(r, m), want, 0, `rankdata ${method}`);
      close(jit((x: Array) => st.rankdata(x, m))(r), want, 0, `jit rankdata ${method}`);
    }
    close(st.rankdata(A, "average", { axis: 1 }), ref.rank_axis1, 0, "rankdata axis 1");
    expect(vals(st.rankdata(jnp.array([1, NaN, 2])))).toEqual([NaN, NaN, NaN]);
  });
  it("sem", () => {
    close(st.sem(A), ref.sem_axis0, 1e-5, "sem axis 0");
    close(st.sem(A, { axis: null, ddof: 0 }), ref.sem_none_ddof0, 1e-5, "sem axis None ddof 0");
  });
});

describe("gaussian_kde", () => {
  const k = ref.kde;
  const d1 = jnp.array(k.d1 as number[]);
  const d2 = jnp.array(k.d2 as number[][]);
  const w = jnp.array(k.w as number[]);
  const pts1 = jnp.array(k.pts1 as number[]);
  const pts2 = jnp.array(k.pts2 as number[][]);
  it("evaluate, logpdf and the bandwidth rules", () => {
    const k1 = st.gaussianKde(d1);
    close(k1.evaluate(pts1), k.k1_eval, 1e-4, "1-d evaluate");
    close(k1.pdf(pts1), k.k1_eval, 1e-4, "1-d pdf");
    close(k1.logpdf(pts1), k.k1_logpdf, 1e-4, "1-d logpdf");
    close(st.gaussianKde(d1, "silverman").evaluate(pts1), k.k1s_eval, 1e-4, "silverman");
    const k2 = st.gaussianKde(d2, null, w);
    close(k2.covariance, k.k2_cov, 1e-4, "weighted covariance");
    close(k2.evaluate(pts2), k.k2_eval, 1e-4, "2-d weighted evaluate");
    close(k2.logpdf(pts2), k.k2_logpdf, 1e-4, "2-d weighted logpdf");
    close(st.gaussianKde(d2, 0.4).evaluate(pts2), k.k2b_eval, 1e-4, "scalar bandwidth");
  });
  it("integrals", () => {
    const k1 = st.gaussianKde(d1);
    close(k1.integrateBox1d(-1, 0.5), k.k1_box, 1e-4, "integrate_box_1d");
    close(k1.integrateGaussian(0.3, 0.8), k.k1_gauss, 1e-4, "integrate_gaussian");
    const k2 = st.gaussianKde(d2, null, w);
    close(k2.integrateKde(st.gaussianKde(d2, 0.4)), k.k2_kde, 1e-4, "integrate_kde");
    expect(() => k2.integrateBox1d(0, 1)).toThrow(/only handles 1D pdfs/);
    expect(() => k2.integrateBox()).toThrow(/only 1D box integrations/);
  });
  it("resample: shape (d, ...shape) and the estimate's mean and spread", () => {
    const k2 = st.gaussianKde(d2, null, w);
    const s = k2.resample(random.key(0), [4000]);
    expect(s.shape).toEqual([2, 4000]);
    // Mean: the weighted data mean (± 4 standard errors of the mixture).
    const wn = vals(w.div(jnp.sum(w)));
    const data = [0, 1].map((r) => vals(d2.get(r)));
    const means = data.map((row) => row.reduce((acc, v, i) => acc + v * wn[i]!, 0));
    const sampleMeans = vals(jnp.mean(s, 1));
    const spread = vals(jnp.std(s, { axis: 1 }));
    means.forEach((m, r) =>
      expect(Math.abs(sampleMeans[r]! - m)).toBeLessThan((4 * spread[r]!) / Math.sqrt(4000)),
    );
  });
});
