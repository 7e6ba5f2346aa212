// The Gaussian-process example (examples/gp-regression.ts) against scipy/numpy float64
// references (test/fixtures/make_gp.py): the negative log marginal likelihood, its gradient
// and the posterior at fixed parameters (float32: relative 1e-3), and the Adam fit reaching
// scipy L-BFGS-B's optimum (NLL within 2e-3, hyperparameters within 1%).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { grad, jit, nn, numpy as jnp } from "jaxts";
import { fit, negLogLikelihood, posterior, trainingData } from "../../examples/gp-regression.js";

const ref = JSON.parse(readFileSync(new URL("../fixtures/gp.json", import.meta.url), "utf8")) as {
  fixed: number[];
  nll: number;
  grad: number[];
  xs: number[];
  mean: number[];
  std: number[];
  optimum: { nll: number; params: number[] };
};
const data = trainingData();
const x = jnp.array(data.x);
const y = jnp.array(data.y);
const close = (got: number, want: number, rel: number, abs = 0) =>
  expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThanOrEqual(rel * Math.abs(want) + abs);

describe("examples/gp-regression", () => {
  const raw = jnp.array(ref.fixed);

  it("negative log marginal likelihood and its gradient at fixed parameters (eager and jit)", () => {
    close(negLogLikelihood(raw, x, y).itemNumber(), ref.nll, 1e-3);
    close(jit(negLogLikelihood)(raw, x, y).itemNumber(), ref.nll, 1e-3);
    const g = grad(negLogLikelihood)(raw, x, y).tolist() as number[];
    g.forEach((v, i) => close(v, ref.grad[i]!, 5e-3, 1e-2));
  });

  it("posterior mean and standard deviation at test points", () => {
    const { mean, std } = posterior(raw, x, y, jnp.array(ref.xs));
    (mean.tolist() as number[]).forEach((v, i) => close(v, ref.mean[i]!, 1e-3, 1e-3));
    (std.tolist() as number[]).forEach((v, i) => close(v, ref.std[i]!, 1e-3, 2e-3));
  });

  it("Adam inside jit reaches scipy's L-BFGS-B optimum", () => {
    const { raw: fitted, losses } = fit(250);
    close(losses.at(-1)!, ref.optimum.nll, 2e-3);
    (nn.softplus(fitted).tolist() as number[]).forEach((v, i) =>
      close(v, ref.optimum.params[i]!, 1e-2),
    );
  });
});
