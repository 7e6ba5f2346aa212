/**
 * Gaussian-process regression, as JAX's examples/gaussian_process_regression.py does it: an RBF
 * kernel whose amplitude, length scale and noise are softplus of free parameters, the negative
 * log marginal likelihood through a Cholesky factor, its gradient by `grad`, fitted with Adam
 * inside `jit`; then the posterior mean and standard deviation at test points. The covariance
 * matrix is built with `vmap` of `vmap` of the kernel of two scalars.
 * Run: `npm run example:gp`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { type Array, jit, nn, numpy as jnp, scipy, valueAndGrad, vmap } from "jaxts";
import { adamInit, adamUpdate } from "./adam.js";
import { linePlotSvg } from "./plot.js";

/** Training data: a smooth function plus a deterministic wiggle standing in for noise. */
export function trainingData(n = 24): { x: number[]; y: number[] } {
  const x = globalThis.Array.from({ length: n }, (_, i) => -3 + (6 * i) / (n - 1));
  return {
    x,
    y: x.map((t) => Math.sin(t) + 0.5 * Math.cos(2 * t) + 0.1 * Math.sin(13.7 * t + 0.3)),
  };
}

/** Free parameters [amplitude, length scale, noise], mapped through softplus to positive ones. */
export type Raw = Array;
const JITTER = 1e-6;

export function hyper(raw: Raw): { amp: Array; scale: Array; noise: Array } {
  const p = nn.softplus(raw);
  return { amp: p.get(0), scale: p.get(1), noise: p.get(2) };
}

/** k(a, b) = amp² exp(−(a − b)² / (2 scale²)) for scalars a, b. */
function rbf(raw: Raw, a: Array, b: Array): Array {
  const { amp, scale } = hyper(raw);
  const d = a.sub(b).div(scale);
  return amp.mul(amp).mul(jnp.exp(d.mul(d).mul(-0.5)));
}

/** The covariance matrix K[i, j] = k(xs[i], ys[j]) by vmap of vmap. */
export function covariance(raw: Raw, xs: Array, ys: Array): Array {
  const row = (a: Array) => vmap((b: Array) => rbf(raw, a, b))(ys);
  return vmap(row)(xs);
}

/** Lower Cholesky factor of K(x, x) + (noise² + jitter) I. */
function factor(raw: Raw, x: Array): Array {
  const { noise } = hyper(raw);
  const n = x.shape[0]!;
  const k = covariance(raw, x, x).add(jnp.eye(n).mul(noise.mul(noise).add(JITTER)));
  return jnp.linalg.cholesky(k);
}

/** Negative log marginal likelihood: ½ yᵀK⁻¹y + Σ log diag L + ½ n log 2π. */
export function negLogLikelihood(raw: Raw, x: Array, y: Array): Array {
  const l = factor(raw, x);
  const alpha = scipy.linalg.choSolve([l, true], y);
  const n = x.shape[0]!;
  return y
    .mul(alpha)
    .sum()
    .mul(0.5)
    .add(jnp.log(jnp.diagonal(l)).sum())
    .add(0.5 * n * Math.log(2 * Math.PI));
}

/** Posterior mean and standard deviation of f at `xs` given the training data. */
export function posterior(raw: Raw, x: Array, y: Array, xs: Array): { mean: Array; std: Array } {
  const l = factor(raw, x);
  const ks = covariance(raw, x, xs);
  const mean = ks.T.matmul(scipy.linalg.choSolve([l, true], y));
  const v = scipy.linalg.solveTriangular(l, ks, { lower: true });
  const { amp } = hyper(raw);
  const variance = amp.mul(amp).sub(v.mul(v).sum(0));
  return { mean, std: jnp.sqrt(jnp.maximum(variance, 0)) };
}

const step = jit((raw: Raw, m: Array, v: Array, t: Array, x: Array, y: Array) => {
  const [loss, g] = valueAndGrad(negLogLikelihood)(raw, x, y);
  const next = adamUpdate(raw, g, m, v, t, { lr: 0.05, b1: 0.9, b2: 0.999, eps: 1e-8 });
  return [next.params, next.m, next.v, loss] as const;
});

/** Fits the hyperparameters by Adam from softplus⁻¹(1) each; returns them and the losses. */
export function fit(steps: number, data = trainingData()): { raw: Raw; losses: number[] } {
  const x = jnp.array(data.x);
  const y = jnp.array(data.y);
  let raw = jnp.full([3], Math.log(Math.E - 1));
  let { m, v } = adamInit(raw);
  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const [r, m2, v2, loss] = step(raw, m, v, jnp.array(t), x, y);
    [raw, m, v] = [r, m2, v2];
    losses.push(loss.itemNumber());
  }
  return { raw, losses };
}

function main(): void {
  const data = trainingData();
  const t0 = performance.now();
  const { raw, losses } = fit(300, data);
  losses.forEach((l, i) => {
    if ((i + 1) % 50 === 0)
      console.log(`step ${String(i + 1).padStart(3)}  −log p(y) ${l.toFixed(4)}`);
  });
  const p = nn.softplus(raw).tolist() as number[];
  console.log(
    `amplitude ${p[0]!.toFixed(3)}, length scale ${p[1]!.toFixed(3)}, noise ${p[2]!.toFixed(4)} ` +
      `(${((performance.now() - t0) / 1e3).toFixed(2)} s)`,
  );
  const xs = jnp.linspace(-3.5, 3.5, 57);
  const { mean, std } = posterior(raw, jnp.array(data.x), jnp.array(data.y), xs);
  const [mu, sd, grid] = [mean.tolist(), std.tolist(), xs.tolist()] as number[][];
  for (const i of [0, 14, 28, 42, 56])
    console.log(`f(${grid![i]!.toFixed(2)}) ≈ ${mu![i]!.toFixed(3)} ± ${(2 * sd![i]!).toFixed(3)}`);
  const outDir = new URL("./out/", import.meta.url);
  mkdirSync(outDir, { recursive: true });
  const svg = linePlotSvg("Gaussian-process regression", "step / test point", [
    { name: "−log marginal likelihood", values: losses },
    { name: "posterior mean", values: mu! },
    { name: "posterior 2σ", values: sd!.map((s) => 2 * s) },
  ]);
  writeFileSync(new URL("gp-regression.svg", outDir), svg);
  console.log(`Plots: examples/out/gp-regression.svg`);
}

const invoked =
  typeof process === "object" &&
  process.argv[1]?.replace(/\.ts$/, "").endsWith("examples/gp-regression");
if (invoked) main();
