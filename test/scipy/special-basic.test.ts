/**
 * jax.scipy.special basics against scipy 1.17 (test/fixtures/make_special.py → special.json):
 * eager and jit on both devices (float32: rtol 1e-5, atol 2e-6; gammaln/factorial rtol 5e-5),
 * gradients against central differences in float64, and jaxpr names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  ValueError,
  config,
  jit,
  makeJaxpr,
  numpy as jnp,
  scipy,
} from "../../src/index.js";
import fixture from "../fixtures/special.json" with { type: "json" };
import { type CaseFn, type FixtureCase, runCase } from "../numpy/fixture-cases.js";
import { checkGrads, rng, uniform } from "../transforms/ad-helpers.js";

const sp = scipy.special;
const un =
  (f: (x: Array) => Array): CaseFn =>
  (a) =>
    f(a[0] as Array);
const bi =
  (f: (x: Array, y: Array) => Array): CaseFn =>
  (a) =>
    f(a[0] as Array, a[1] as Array);
const fns: Record<string, CaseFn> = {
  gammaln: un(sp.gammaln),
  digamma: un(sp.digamma),
  erf: un(sp.erf),
  erfc: un(sp.erfc),
  erfinv: un(sp.erfinv),
  expit: un(sp.expit),
  logit: un(sp.logit),
  ndtr: un(sp.ndtr),
  entr: un(sp.entr),
  relEntr: bi(sp.relEntr),
  klDiv: bi(sp.klDiv),
  betaln: bi(sp.betaln),
  factorial: un((x) => sp.factorial(x)),
  logsumexp: un((x) => sp.logsumexp(x)),
  softmax: un((x) => sp.softmax(x)),
  logSoftmax: un((x) => sp.logSoftmax(x)),
};

describe("scipy references", () => {
  for (const c of fixture.cases as FixtureCase[]) {
    const loose = ["gammaln", "factorial", "betaln", "digamma", "erfinv", "logit"].includes(c.fn);
    it(c.name, () => runCase(c, fns, { rtol: loose ? 5e-5 : 1e-5, atol: 2e-6 }));
  }
  it("factorial(exact=True) raises as JAX's", () => {
    expect(() => sp.factorial(3, true)).toThrow(ValueError);
  });
  it("functions carry scipy's names in jaxprs", () => {
    expect(sp.relEntr.name).toBe("rel_entr");
    expect(sp.klDiv.name).toBe("kl_div");
    const text = makeJaxpr((x: Array) => jit(sp.gammaln)(x))(jnp.ones([2])).toString();
    expect(text).toContain("name=gammaln");
    expect(text).toContain("lgamma");
  });
});

describe("gradients vs central differences (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  it("ndtr, logit, entr, rel_entr, kl_div, betaln, factorial", () => {
    checkGrads("ndtr", sp.ndtr, [uniform(rng(1), [5], -4, 4)]);
    checkGrads("logit", sp.logit, [uniform(rng(2), [5], 0.05, 0.95)]);
    checkGrads("entr", sp.entr, [uniform(rng(3), [5], 0.1, 3)]);
    checkGrads("rel_entr", sp.relEntr, [
      uniform(rng(4), [5], 0.1, 3),
      uniform(rng(5), [5], 0.1, 3),
    ]);
    checkGrads("kl_div", sp.klDiv, [uniform(rng(6), [5], 0.1, 3), uniform(rng(7), [5], 0.1, 3)]);
    checkGrads("betaln", sp.betaln, [uniform(rng(8), [4], 0.5, 4), uniform(rng(9), [4], 0.5, 4)]);
    checkGrads("factorial", (x: Array) => sp.factorial(x), [uniform(rng(10), [4], 0.5, 5)]);
  });
});
