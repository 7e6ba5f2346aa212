/**
 * jax.nn identity, tanh, squareplus, sparse_plus, sparse_sigmoid, log1mexp, logmeanexp
 * against float64 references (test/fixtures/make_nn_more.py → nn-more.json), eager and jit on
 * both devices (rtol 1e-5, atol 2e-6), and gradients against central differences (float64).
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { type Array, config, nn } from "../../src/index.js";
import fixture from "../fixtures/nn-more.json" with { type: "json" };
import { type CaseFn, type FixtureCase, runCase } from "../numpy/fixture-cases.js";
import { checkGrads, rng, uniform } from "../transforms/ad-helpers.js";

const fns: Record<string, CaseFn> = {
  identity: (a) => nn.identity(a[0] as Array),
  tanh: (a) => nn.tanh(a[0] as Array),
  squareplus: (a) =>
    a.length > 1 ? nn.squareplus(a[0] as Array, a[1] as number) : nn.squareplus(a[0] as Array),
  sparsePlus: (a) => nn.sparsePlus(a[0] as Array),
  sparseSigmoid: (a) => nn.sparseSigmoid(a[0] as Array),
  log1mexp: (a) => nn.log1mexp(a[0] as Array),
  logmeanexp: (a, kw) => nn.logmeanexp(a[0] as Array, kw),
};

describe("references", () => {
  for (const c of fixture.cases as FixtureCase[])
    it(c.name, () => runCase(c, fns, { rtol: 1e-5, atol: 2e-6 }));
});

describe("gradients vs central differences (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  it("smooth pieces", () => {
    checkGrads("squareplus", (x: Array) => nn.squareplus(x), [uniform(rng(1), [5], -3, 3)]);
    checkGrads("sparse_plus (inside)", nn.sparsePlus, [uniform(rng(2), [5], -0.9, 0.9)]);
    checkGrads("sparse_sigmoid (inside)", nn.sparseSigmoid, [uniform(rng(3), [5], -0.9, 0.9)]);
    checkGrads("log1mexp", nn.log1mexp, [uniform(rng(4), [5], 0.05, 4)]);
    checkGrads("logmeanexp", (x: Array) => nn.logmeanexp(x, { axis: 0 }), [
      uniform(rng(5), [3, 2], -2, 2),
    ]);
  });
});
