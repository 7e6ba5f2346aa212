/**
 * qr, eigh and svd (and pinv/lstsq/norms over them) under transformations: exact jaxpr text,
 * jit vs eager and the wasm device vs the js device (bit for bit: one kernel), vmap vs a loop,
 * derivatives vs central finite differences in float64 for gauge-invariant functions (sign
 * choices of vectors cancel), and JAX's errors for bad inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  NotImplementedError,
  ValueError,
  config,
  grad,
  jit,
  lax,
  makeJaxpr,
  numpy as jnp,
  vmap,
} from "../../../src/index.js";
import { on } from "../../backend/differential-helpers.js";
import {
  checkDirectionalGrad,
  expectClose,
  rng,
  uniform,
  vals,
} from "../../transforms/ad-helpers.js";

describe("jaxpr text", () => {
  it("qr, eigh, svd bind one primitive each with JAX's params", () => {
    const a = jnp.ones([4, 3], "float32");
    expect(makeJaxpr((x: Array) => lax.linalg.qr(x, { fullMatrices: false }))(a).toString()).toBe(
      `{ lambda ; a:f32[4,3]. let
    b:f32[4,3] c:f32[3,3] = qr[
      full_matrices=False
      pivoting=False
      use_magma=None
    ] a
  in (b, c) }`,
    );
    const s = jnp.ones([3, 3], "float32");
    expect(makeJaxpr((x: Array) => lax.linalg.eigh(x, { symmetrizeInput: false }))(s).toString())
      .toBe(`{ lambda ; a:f32[3,3]. let
    b:f32[3,3] c:f32[3] = eigh[
      algorithm=None
      lower=True
      sort_eigenvalues=True
      subset_by_index=None
    ] a
  in (b, c) }`);
    expect(makeJaxpr((x: Array) => lax.linalg.svd(x))(a).toString()).toBe(
      `{ lambda ; a:f32[4,3]. let
    b:f32[3] c:f32[4,4] d:f32[3,3] = svd[
      algorithm=None
      compute_uv=True
      full_matrices=True
      subset_by_index=None
    ] a
  in (c, b, d) }`,
    );
    expect(makeJaxpr((x: Array) => lax.linalg.qr(x, { pivoting: true }))(a).toString()).toBe(
      `{ lambda ; a:f32[4,3]. let
    b:f32[4,4] c:f32[4,3] d:i32[3] = qr[
      full_matrices=True
      pivoting=True
      use_magma=None
    ] a
  in (b, c, d) }`,
    );
  });
});

const all = (x: Array): Array[] => {
  const [q, r] = lax.linalg.qr(x, { fullMatrices: false }) as Array[];
  const sym = x.add(jnp.swapaxes(x, -1, -2));
  const [v, w] = lax.linalg.eigh(sym);
  const [u, s, vt] = lax.linalg.svd(x) as Array[];
  return [q!, r!, v, w, u!, s!, vt!, jnp.linalg.pinv(x)];
};

describe("jit, devices, vmap (float32)", () => {
  const r = rng(21);
  const a = uniform(r, [3, 5, 5], -1, 1, "float32");

  it("jit equals eager, bit for bit", () => {
    const eager = all(a);
    const jitted = jit(all)(a);
    eager.forEach((e, i) => expect(vals(jitted[i]), `output ${i}`).toEqual(vals(e)));
  });

  it("the wasm device equals the js device (eager and jit)", () => {
    // The decompositions run one kernel on both devices (bit for bit); pinv's products go
    // through each device's own dot kernel (float32 sums in another order: ≤ 1e-5 relative).
    const same = (x: number[][], y: number[][], what: string) =>
      x.forEach((e, i) =>
        i === 7
          ? expectClose(y[i]!, e, 1e-5, 1e-6, `${what} ${i}`)
          : expect(y[i], `${what} ${i}`).toEqual(e),
      );
    same(
      on("js", () => all(a).map(vals)),
      on("wasm", () => all(a).map(vals)),
      "eager",
    );
    same(
      on("js", () => jit(all)(a).map(vals)),
      on("wasm", () => jit(all)(a).map(vals)),
      "jit",
    );
  });

  it("vmap equals a loop (batch dim not in front, nested vmap)", () => {
    const moved = jnp.moveaxis(a, 0, 2);
    const outs = vmap(all, { inAxes: 2 })(moved);
    for (let k = 0; k < 3; k++) {
      const one = all(a.get(k));
      one.forEach((e, i) => expect(vals(outs[i]!.get(k)), `${i}@${k}`).toEqual(vals(e)));
    }
    const b = uniform(r, [2, 2, 4, 3], -1, 1, "float32");
    const s2 = vmap(vmap((x: Array) => lax.linalg.svd(x, { computeUv: false }) as Array))(b);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        expect(vals(s2.get(i, j))).toEqual(
          vals(lax.linalg.svd(b.get(i, j), { computeUv: false }) as Array),
        );
  });
});

describe("derivatives (float64) vs central finite differences", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));

  const checkGrad = (f: (x: Array) => Array, x: Array, seed: number, what: string) =>
    checkDirectionalGrad(f, x, seed, what, 2e-6);

  const weights = (n: number) => jnp.arange(1, n + 1).astype("float64");

  it("qr: ‖R‖, and Q, R themselves (tall reduced/full, square, wide, pivoted)", () => {
    const r = rng(31);
    for (const shape of [
      [5, 3],
      [4, 4],
      [3, 5],
    ]) {
      const x = uniform(r, shape);
      for (const fullMatrices of [false, true]) {
        const what = `${shape} full=${fullMatrices}`;
        const qrOf = (y: Array) => lax.linalg.qr(y, { fullMatrices }) as Array[];
        checkGrad((y) => jnp.sqrt(jnp.sum(qrOf(y)[1]!.mul(qrOf(y)[1]!))), x, 1, `‖R‖ ${what}`);
        checkGrad(
          (y) => {
            const [q, rr] = qrOf(y);
            return jnp.sum(jnp.sin(q!)).add(jnp.sum(jnp.cos(rr!)));
          },
          x,
          2,
          `Q, R ${what}`,
        );
      }
    }
    // Pivoted, tall and wide (the wide case needs the primal's columns pivoted too: a
    // regression test for JAX's rule, which permutes only the tangent).
    for (const shape of [
      [4, 3],
      [3, 5],
    ]) {
      checkGrad(
        (y) => jnp.sum(jnp.sin((lax.linalg.qr(y, { pivoting: true }) as Array[])[1]!)),
        uniform(r, shape),
        3,
        `pivoted R ${shape}`,
      );
    }
  });

  it("eigh: weighted eigenvalues and V∘V (sign-invariant), batched", () => {
    const r = rng(41);
    const x = uniform(r, [2, 4, 4]);
    checkGrad((y) => jnp.sum(lax.linalg.eigh(y)[1].mul(weights(4))), x, 4, "Σ c·w");
    checkGrad(
      (y) => {
        const v = lax.linalg.eigh(y)[0];
        return jnp.sum(jnp.sin(v.mul(v).mul(weights(4))));
      },
      x,
      5,
      "sin(V∘V)",
    );
    checkGrad((y) => jnp.sum(jnp.linalg.eigvalsh(y).mul(weights(4))), x, 6, "eigvalsh");
  });

  it("svd: weighted singular values and U∘U, V∘V (tall, wide, square full)", () => {
    const r = rng(51);
    for (const shape of [
      [5, 3],
      [3, 5],
      [4, 4],
    ]) {
      const x = uniform(r, shape);
      const k = Math.min(shape[0]!, shape[1]!);
      checkGrad(
        (y) => jnp.sum((lax.linalg.svd(y, { computeUv: false }) as Array).mul(weights(k))),
        x,
        7,
        `Σ c·s ${shape}`,
      );
      const full = shape[0] === shape[1];
      checkGrad(
        (y) => {
          const [u, , vt] = lax.linalg.svd(y, { fullMatrices: full }) as Array[];
          return jnp.sum(jnp.sin(u!.mul(u!))).add(jnp.sum(jnp.cos(vt!.mul(vt!))));
        },
        x,
        8,
        `U∘U, V∘V ${shape}`,
      );
    }
  });

  it("pinv (custom JVP), lstsq, norm 2/nuc, cond", () => {
    const r = rng(61);
    for (const shape of [
      [5, 3],
      [3, 5],
    ]) {
      const x = uniform(r, shape);
      checkGrad((y) => jnp.sum(jnp.sin(jnp.linalg.pinv(y))), x, 9, `pinv ${shape}`);
    }
    const a = uniform(r, [5, 3]);
    const b = uniform(r, [5]);
    checkGrad((y) => jnp.sum(jnp.sin(jnp.linalg.lstsq(y, b)[0])), a, 10, "lstsq x");
    checkGrad((y) => jnp.linalg.norm(y, { ord: 2 }), a, 11, "norm 2");
    checkGrad((y) => jnp.linalg.norm(y, { ord: "nuc" }), a, 12, "norm nuc");
    checkGrad((y) => jnp.linalg.cond(y), a, 13, "cond");
  });
});

describe("errors as JAX's", () => {
  it("shapes, ranks, dtypes, unsupported options", () => {
    expect(() => lax.linalg.eigh(jnp.ones([2, 3]), { symmetrizeInput: false })).toThrow(
      new ValueError(
        "Argument to symmetric eigendecomposition must have shape [..., n, n], got shape (2, 3)",
      ),
    );
    expect(() => lax.linalg.eigh(jnp.ones([3]), { symmetrizeInput: false })).toThrow(
      new TypeError("Input 0 to eigh must have rank at least 2, but got shape=(3,)"),
    );
    expect(() => lax.linalg.svd(jnp.ones([3]))).toThrow(
      new TypeError("Input 0 to svd must have rank at least 2, but got shape=(3,)"),
    );
    expect(() => lax.linalg.qr(jnp.ones([2, 2], "int32"))).toThrow(
      new TypeError(
        "qr does not accept dtype int32 at position 0. Accepted dtypes at position 0 are " +
          "subtypes of floating, complexfloating.",
      ),
    );
    expect(() => jnp.linalg.qr(jnp.ones([3, 3]), "bogus" as "r")).toThrow(
      new ValueError("Unsupported QR decomposition mode 'bogus'"),
    );
    expect(() => jnp.linalg.eigh(jnp.ones([3, 3]), "X" as "L")).toThrow(
      new ValueError("UPLO must be one of None, 'L', or 'U', got X"),
    );
    expect(() => jnp.linalg.lstsq(jnp.ones([2, 2, 2]), jnp.ones([2]))).toThrow(
      new TypeError("3-dimensional array given. Array must be two-dimensional"),
    );
    expect(() => jnp.linalg.cond(jnp.ones([3]))).toThrow(ValueError);
    expect(() => jnp.linalg.pinv(jnp.ones([2, 2]), { rtol: 0.1, rcond: 0.1 })).toThrow(
      "pinv: only one of rtol and rcond may be specified.",
    );
    const f = (x: Array) => jnp.sum((lax.linalg.svd(x) as Array[])[0]!);
    expect(() => grad(f)(jnp.ones([3, 2]))).toThrow(
      new NotImplementedError("Singular value decomposition JVP not implemented for full matrices"),
    );
    expect(() => lax.linalg.eigh(jnp.eye(3), { subsetByIndex: [0, 2] })).toThrow(
      NotImplementedError,
    );
  });
});
