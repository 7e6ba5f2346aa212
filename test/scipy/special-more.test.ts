/**
 * jax.scipy.special's incomplete gamma/beta, ndtri/log_ndtr, gamma family, Bessel, zeta and
 * polygamma functions (and lax.igamma_grad_a / random_gamma_grad) against scipy 1.17 and
 * mpmath (test/fixtures/make_special_more.py → special-more.json), with expn/exp1/expi/erfcx/spence/dawsn,: float32 eager and jit on
 * both devices at each case's tolerance, and float64 (eager and jit) where the case gives a
 * float64 tolerance (rtol 1e-10 … 1e-13).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, jit, lax, numpy as jnp, scipy } from "../../src/index.js";
import fixture from "../fixtures/special-more.json" with { type: "json" };
import { type CaseFn, type FixtureCase, runCase } from "../numpy/fixture-cases.js";

type MoreCase = FixtureCase & { rtol: number; atol: number; rtol64?: number; atol64?: number };
const sp = scipy.special;
const arr = (a: unknown[]): Array => a[0] as Array;
const fns: Record<string, CaseFn> = {
  gammainc: (a) => sp.gammainc(arr(a), a[1] as Array),
  gammaincc: (a) => sp.gammaincc(arr(a), a[1] as Array),
  betainc: (a) => sp.betainc(arr(a), a[1] as Array, a[2] as Array),
  ndtri: (a) => sp.ndtri(arr(a)),
  log_ndtr: (a) => sp.logNdtr(arr(a)),
  gamma: (a) => sp.gamma(arr(a)),
  gammasgn: (a) => sp.gammasgn(arr(a)),
  loggamma: (a) => sp.loggamma(arr(a)),
  beta: (a) => sp.beta(arr(a), a[1] as Array),
  comb: (a, k) => sp.comb(arr(a), a[1] as Array, { repetition: k.repetition === true }),
  poch: (a) => sp.poch(arr(a), a[1] as Array),
  multigammaln: (a, k) => sp.multigammaln(arr(a), k.d as number),
  polygamma: (a) => sp.polygamma(arr(a), a[1] as Array),
  zeta: (a) => sp.zeta(arr(a), a[1] as Array),
  i0: (a) => sp.i0(arr(a)),
  i0e: (a) => sp.i0e(arr(a)),
  i1: (a) => sp.i1(arr(a)),
  i1e: (a) => sp.i1e(arr(a)),
  bernoulli: (_a, k) => sp.bernoulli(k.n as number),
  boxcox: (a) => sp.boxcox(arr(a), a[1] as Array),
  boxcox1p: (a) => sp.boxcox1p(arr(a), a[1] as Array),
  expn: (a) => sp.expn(arr(a), a[1] as Array),
  exp1: (a) => sp.exp1(arr(a)),
  expi: (a) => sp.expi(arr(a)),
  erfcx: (a) => sp.erfcx(arr(a)),
  spence: (a) => sp.spence(arr(a)),
  dawsn: (a) => sp.dawsn(arr(a)),
  igamma_grad_a: (a) => lax.igammaGradA(arr(a), a[1] as Array),
  random_gamma_grad: (a) => lax.randomGammaGrad(arr(a), a[1] as Array),
};
const cases = fixture.cases as MoreCase[];
const num = (v: unknown): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);

describe("float32 vs scipy", () => {
  for (const c of cases) it(c.name, () => runCase(c, fns, { rtol: c.rtol, atol: c.atol }));
});

describe("float64 vs scipy", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  for (const c of cases.filter((k) => k.rtol64 !== undefined)) {
    it(c.name, () => {
      // Integer orders (polygamma's n) stay int32; the rest become float64 arrays.
      const args = c.args.map((a, i) =>
        jnp.array((a as unknown[]).map(num), c.fn === "polygamma" && i === 0 ? "int32" : "float64"),
      );
      const want = (c.expected as unknown[]).map(num);
      const f = fns[c.fn]!;
      for (const got of [
        f(args, c.kwargs) as Array,
        jit((...xs: Array[]) => f(xs, c.kwargs) as Array)(...args),
      ]) {
        expect(String(got.dtype)).toBe("float64");
        const g = globalThis.Array.from(got.toTypedArray(), Number);
        want.forEach((w, i) => {
          if (Number.isNaN(w)) expect(Number.isNaN(g[i]!), `${c.name}[${i}]`).toBe(true);
          else if (!Number.isFinite(w)) expect(g[i], `${c.name}[${i}]`).toBe(w);
          else
            expect(Math.abs(g[i]! - w), `${c.name}[${i}] = ${g[i]}, want ${w}`).toBeLessThanOrEqual(
              c.atol64! + c.rtol64! * Math.abs(w),
            );
        });
      }
    });
  }
});
