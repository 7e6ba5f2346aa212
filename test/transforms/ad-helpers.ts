/** Shared helpers for the transformation tests: deterministic inputs, values, finite differences. */
import { expect } from "vitest";
import { type Array, grad, jvp, numpy as jnp } from "../../src/index.js";

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** An array of `shape` (float64 when x64 is on, else float32) with values uniform in [lo, hi). */
export function uniform(
  r: () => number,
  shape: readonly number[],
  lo = -1,
  hi = 1,
  dtype: "float32" | "float64" = "float64",
): Array {
  const n = sizeOf(shape);
  const data = dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * r();
  return fromHost(data, shape);
}

export function fromHost(data: Float64Array | Float32Array, shape: readonly number[]): Array {
  return jnp.asarray(data).reshape([...shape]);
}

/** Flat values of an array. */
export function vals(x: unknown): number[] {
  return Array_from((x as { toTypedArray(): ArrayLike<number> }).toTypedArray());
}
const Array_from = (x: ArrayLike<number>) => globalThis.Array.from(x, Number);

export function expectClose(
  actual: readonly number[],
  expected: readonly number[],
  rtol: number,
  atol: number,
  what = "",
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`).toBe(true);
      continue;
    }
    const tol = atol + rtol * Math.abs(e);
    if (!(Math.abs(a - e) <= tol) && a !== e) {
      throw new Error(
        `${what}[${i}]: ${a} vs expected ${e} (|diff| ${Math.abs(a - e)} > tol ${tol})\nactual:   ${actual.join(", ")}\nexpected: ${expected.join(", ")}`,
      );
    }
  }
}

/** Replace element `j` of a flat copy of `x` by `x[j] + d`. */
function perturb(x: Array, j: number, d: number): Array {
  const data = Float64Array.from(vals(x));
  data[j]! += d;
  return fromHost(x.dtype.name === "float32" ? Float32Array.from(data) : data, x.shape);
}

/** `x + s·v` elementwise (host side). */
function axpy(x: Array, v: Array, s: number): Array {
  const a = vals(x);
  const b = vals(v);
  const data = Float64Array.from(a, (xi, i) => xi + s * b[i]!);
  return fromHost(x.dtype.name === "float32" ? Float32Array.from(data) : data, x.shape);
}

export interface CheckOptions {
  rtol?: number;
  atol?: number;
  /** Finite-difference step (relative to max(1, |x|)). */
  eps?: number;
  /** Also check second order (Hessian-vector products, forward-over-reverse and reverse-over-reverse). */
  order2?: boolean;
  seed?: number;
}

/**
 * Check first (and second) derivatives of `f` at `args` against central finite differences:
 * f is scalarized with fixed random output weights; grad (reverse), jvp (forward) and — with
 * order2 — jvp∘grad and grad∘grad are compared with differences of f and of grad f.
 */
export function checkGrads(
  name: string,
  f: (...xs: Array[]) => Array,
  args: Array[],
  opts: CheckOptions = {},
): void {
  const r = rng(opts.seed ?? 7);
  const rtol = opts.rtol ?? 1e-6;
  const atol = opts.atol ?? 1e-7;
  const eps = opts.eps ?? 1e-5;
  const out0 = f(...args);
  const w = uniform(r, out0.shape, 0.5, 1.5, out0.dtype.name === "float32" ? "float32" : "float64");
  const g = (...xs: Array[]) => jnp.sum(f(...xs).mul(w));
  const argnums = args.map((_, i) => i);
  const scalar = (x: Array) => vals(x)[0]!;

  // reverse mode vs finite differences
  const analytic = grad(g, { argnums })(...args) as Array[];
  args.forEach((x, i) => {
    const fd = vals(x).map((xj, j) => {
      const h = eps * Math.max(1, Math.abs(xj));
      const plus = args.map((a, k) => (k === i ? perturb(a, j, h) : a));
      const minus = args.map((a, k) => (k === i ? perturb(a, j, -h) : a));
      return (scalar(g(...plus)) - scalar(g(...minus))) / (2 * h);
    });
    expectClose(vals(analytic[i]!), fd, rtol, atol, `${name}: grad wrt arg ${i}`);
  });

  // forward mode: the directional derivative along random v
  const vs = args.map((a) =>
    uniform(r, a.shape, -1, 1, a.dtype.name === "float32" ? "float32" : "float64"),
  );
  const [, tOut] = jvp(g, args, vs) as [Array, Array];
  const dot = analytic.reduce(
    (acc, gi, i) => acc + vals(gi).reduce((s, v, j) => s + v * vals(vs[i]!)[j]!, 0),
    0,
  );
  expectClose([scalar(tOut)], [dot], rtol, atol, `${name}: jvp vs grad·v`);

  if (!opts.order2) return;
  // second order: H·v by forward-over-reverse and reverse-over-reverse, vs differences of grad
  const gradG = grad(g, { argnums });
  const hmax = Math.max(...args.flatMap((a) => vals(a).map((v) => Math.max(1, Math.abs(v)))));
  const h = eps * hmax;
  const gp = gradG(...args.map((a, i) => axpy(a, vs[i]!, h))) as Array[];
  const gm = gradG(...args.map((a, i) => axpy(a, vs[i]!, -h))) as Array[];
  const fdHv = gp.map((p, i) => vals(p).map((pv, j) => (pv - vals(gm[i]!)[j]!) / (2 * h)));
  const [, hvFwd] = jvp((...xs: Array[]) => gradG(...xs), args, vs) as [unknown, Array[]];
  const hvRev = grad(
    (...xs: Array[]) =>
      (gradG(...xs) as Array[]).reduce(
        (acc: Array, gi, i) => acc.add(jnp.sum(gi.mul(vs[i]!))),
        jnp.zeros([], args[0]!.dtype),
      ),
    { argnums },
  )(...args) as Array[];
  const rtol2 = rtol * 10;
  const atol2 = atol * 10;
  fdHv.forEach((fd, i) => {
    expectClose(vals(hvFwd[i]!), fd, rtol2, atol2, `${name}: jvp(grad) wrt arg ${i}`);
    expectClose(vals(hvRev[i]!), fd, rtol2, atol2, `${name}: grad(grad) wrt arg ${i}`);
  });
}

/**
 * grad of a scalar `f` at `x` against central differences of `f` along three random
 * directions (relative tolerance `rtol`, absolute 1e-7): for functions whose gradient is only
 * meaningful as a whole (gauge-invariant functions of decompositions).
 */
export function checkDirectionalGrad(
  f: (x: Array) => Array,
  x: Array,
  seed: number,
  what: string,
  rtol = 1e-6,
  h = 1e-6,
): void {
  const g = grad(f)(x);
  const r = rng(seed);
  for (let k = 0; k < 3; k++) {
    const dir = uniform(r, x.shape, -1, 1);
    const analytic = vals(jnp.sum(g.mul(dir)))[0]!;
    const fd = (vals(f(x.add(dir.mul(h))))[0]! - vals(f(x.sub(dir.mul(h))))[0]!) / (2 * h);
    expectClose([analytic], [fd], rtol, 1e-7, `${what} dir ${k}`);
  }
}
