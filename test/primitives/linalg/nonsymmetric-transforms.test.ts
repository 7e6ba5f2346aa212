/**
 * eig, schur and hessenberg under transformations: exact jaxpr text with JAX's names and
 * params, jit vs eager and the wasm device vs the js device (bit for bit: one custom kernel),
 * vmap vs a loop and natively batched inputs (also scipy's rsf2csf and hessenberg) (eigenvalues against numpy's for a 2×3 batch),
 * the eigenvalue and (with enableEigvecDerivs) eigenvector JVPs (JAX's eig_jvp_rule) against
 * central finite differences in float64, and
 * JAX's errors (shapes, dtypes, eigenvector derivatives, schur's sort, sqrtm's blocksize), NaNs
 * for non-finite input.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
  scipy,
  vmap,
} from "../../../src/index.js";
import { on } from "../../backend/differential-helpers.js";
import { checkDirectionalGrad, rng, uniform } from "../../transforms/ad-helpers.js";
import { cmat, eigenvalueDistance, nonsym } from "./complex-helpers.js";

const flatAll = (xs: Array[]): number[][] =>
  xs.map((x) => globalThis.Array.from(x.toTypedArray() as ArrayLike<number>, Number));

describe("jaxpr text", () => {
  const a = jnp.ones([3, 3], "float32");
  it("eig, schur, hessenberg bind one primitive each with JAX's params", () => {
    expect(makeJaxpr((x: Array) => lax.linalg.eig(x))(a).toString()).toBe(
      `{ lambda ; a:f32[3,3]. let
    b:c64[3] c:c64[3,3] d:c64[3,3] = eig[
      compute_left_eigenvectors=True
      compute_right_eigenvectors=True
      enable_eigvec_derivs=False
      implementation=None
    ] a
  in (b, c, d) }`,
    );
    expect(makeJaxpr((x: Array) => lax.linalg.schur(x))(a).toString()).toBe(
      `{ lambda ; a:f32[3,3]. let
    b:f32[3,3] c:f32[3,3] = schur[
      compute_schur_vectors=True
      select_callable=None
      sort_eig_vals=False
    ] a
  in (b, c) }`,
    );
    expect(makeJaxpr((x: Array) => lax.linalg.hessenberg(x))(a).toString()).toBe(
      "{ lambda ; a:f32[3,3]. let b:f32[3,3] c:f32[2] = hessenberg a in (b, c) }",
    );
    expect(makeJaxpr((x: Array) => jnp.linalg.eigvals(x))(a).toString()).toBe(
      `{ lambda ; a:f32[3,3]. let
    b:c64[3] = eig[
      compute_left_eigenvectors=False
      compute_right_eigenvectors=False
      enable_eigvec_derivs=False
      implementation=None
    ] a
  in (b,) }`,
    );
  });
});

describe("transformations", () => {
  const b = uniform(rng(91), [3, 5, 5], -1, 1, "float32");
  const all = (x: Array): Array[] => [
    ...lax.linalg.eig(x),
    ...lax.linalg.schur(x),
    ...lax.linalg.hessenberg(x),
  ];

  it("jit vs eager, wasm vs js (bit for bit)", () => {
    const eager = flatAll(all(b));
    expect(flatAll(jit(all)(b))).toEqual(eager);
    expect(on("wasm", () => flatAll(all(b)))).toEqual(on("js", () => flatAll(all(b))));
    const c = lax.complex(b, b.get(":", ":", "::-1"));
    expect(on("wasm", () => flatAll(all(c)))).toEqual(on("js", () => flatAll(all(c))));
  });

  it("vmap vs a loop, batched input", () => {
    const batched = vmap(all, { inAxes: 1 })(jnp.moveaxis(b, 0, 1));
    for (let k = 0; k < 3; k++)
      expect(flatAll(batched.map((x) => x.get(k)))).toEqual(flatAll(all(b.get(k))));
    const native = all(b);
    for (let k = 0; k < 3; k++)
      expect(flatAll(native.map((x) => x.get(k)))).toEqual(flatAll(all(b.get(k))));
  });
});

describe("scipy.linalg over batches", () => {
  it("rsf2csf broadcasts batch dims (vmap of its fori_loop of conds) as a loop does", () => {
    const a = uniform(rng(101), [2, 4, 4], -1, 1, "float32");
    const [t, z] = scipy.linalg.schur(a);
    const [tc, zc] = scipy.linalg.rsf2csf(t, z);
    for (let k = 0; k < 2; k++) {
      const [t1, z1] = scipy.linalg.rsf2csf(t.get(k), z.get(k));
      expect(flatAll([tc.get(k), zc.get(k)])).toEqual(flatAll([t1, z1]));
    }
    const [h, q] = scipy.linalg.hessenberg(a, { calcQ: true }) as Array[];
    const [h1, q1] = scipy.linalg.hessenberg(a.get(1), { calcQ: true }) as Array[];
    expect(flatAll([h!.get(1), q!.get(1)])).toEqual(flatAll([h1!, q1!]));
  });
});

describe("float64", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));

  it("a 2×3 batch of 4×4 matrices: eigenvalues as numpy's", () => {
    const a = jnp.array(nonsym.batch.a as unknown as number[][], "float64");
    const w = jnp.linalg.eigvals(a);
    expect(w.shape).toEqual([2, 3, 4]);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) {
        const want = {
          rows: 1,
          cols: 4,
          re: Float64Array.from(nonsym.batch.w.re[i]![j]!),
          im: Float64Array.from(nonsym.batch.w.im[i]![j]!),
        };
        expect(eigenvalueDistance(cmat(w.get(i, j)), want)).toBeLessThanOrEqual(1e-13);
      }
  });

  it("eigenvalue JVP (JAX's eig_jvp_rule) vs central differences", () => {
    const a = uniform(rng(92), [4, 4], -1, 1);
    // Smooth real functions of the (distinct) eigenvalues.
    const f = (x: Array) => {
      const w = jnp.linalg.eigvals(x);
      return jnp.sum(jnp.real(w.mul(w)).add(jnp.abs(w)));
    };
    // The real input's cotangent is the real part, without numpy's ComplexWarning (regression).
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    checkDirectionalGrad(f, a, 93, "sum(re(w²) + |w|)", 1e-6);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    const g = (x: Array) => jnp.sum(jnp.imag(jnp.linalg.eigvals(x)).mul(jnp.arange(4)));
    checkDirectionalGrad(g, a, 94, "imag parts", 1e-6);
  });

  it("eigenvector JVP with enableEigvecDerivs (JAX's _eig_vec_jvp, geev's gauge) vs central differences", () => {
    const a = uniform(rng(95), [4, 4], -1, 1);
    const wr = uniform(rng(96), [4, 4], -1, 1);
    const wi = uniform(rng(97), [4, 4], -1, 1);
    // Phase-dependent functions: they see the gauge fixed by the normalization.
    const f = (x: Array) => {
      const [w, vl, vr] = lax.linalg.eig(x, { enableEigvecDerivs: true }) as Array[];
      return jnp
        .sum(jnp.real(vr!).mul(wr).add(jnp.imag(vr!).mul(wi)))
        .add(jnp.sum(jnp.real(vl!).mul(wi).sub(jnp.imag(vl!).mul(wr))))
        .add(jnp.sum(jnp.real(w!)));
    };
    checkDirectionalGrad(f, a, 98, "left and right eigenvectors", 1e-5);
    const right = (x: Array) => {
      const [, vr] = lax.linalg.eig(x, {
        computeLeftEigenvectors: false,
        enableEigvecDerivs: true,
      }) as Array[];
      return jnp.sum(jnp.imag(vr!).mul(wr.get("0:3", "0:3")));
    };
    checkDirectionalGrad(right, uniform(rng(99), [2, 3, 3], -1, 1), 100, "batched right", 1e-5);
  });
});

describe("JAX's errors", () => {
  it("shapes and dtypes", () => {
    expect(() => lax.linalg.eig(jnp.ones([2, 3]))).toThrow(
      new ValueError("The input to eig must be a square matrix. Got shape (2, 3)."),
    );
    expect(() => lax.linalg.schur(jnp.ones([3, 2]))).toThrow(
      new ValueError("The input to schur must be a square matrix. Got shape (3, 2)."),
    );
    expect(() => lax.linalg.hessenberg(jnp.ones([3, 2]))).toThrow(
      new ValueError(
        "Argument to Hessenberg reduction must have shape [..., n, n], got shape (3, 2)",
      ),
    );
    expect(() => lax.linalg.eig(jnp.ones([3]))).toThrow(TypeError);
    expect(() => lax.linalg.eig(jnp.ones([2, 2], "int32"))).toThrow(
      /eig does not accept dtype int32/,
    );
    expect(() => scipy.linalg.schur(jnp.eye(2), "other" as "real")).toThrow(
      new ValueError("Expected 'output' to be either 'real' or 'complex', got output=other."),
    );
    expect(() => scipy.linalg.rsf2csf(jnp.eye(2), jnp.eye(3))).toThrow(
      new ValueError("Input array shapes must match: Z: (3, 3) vs. T: (2, 2)"),
    );
    expect(() => scipy.linalg.rsf2csf(jnp.ones([2, 3]), jnp.eye(3))).toThrow(
      new ValueError("Input 'T' must be square."),
    );
    // jnp.linalg.eig promotes integers to the default float, as JAX.
    expect(jnp.linalg.eigvals(jnp.eye(2, null, 0, "int32")).dtype.name).toBe("complex64");
  });

  it("non-finite input gives NaNs (a failed LAPACK call in JAX), never a hang or a wrong form", () => {
    for (const bad of [NaN, Infinity]) {
      const a = jnp.array([
        [bad, 1],
        [2, 3],
      ]);
      for (const out of [...lax.linalg.eig(a), ...lax.linalg.schur(a)])
        expect(flatAll([out])[0]!.every(Number.isNaN)).toBe(true);
    }
    // The empty matrix: empty results.
    expect(lax.linalg.eig(jnp.zeros([0, 0])).map((x) => x.shape)).toEqual([[0], [0, 0], [0, 0]]);
  });

  it("unsupported options and derivatives", () => {
    expect(() => lax.linalg.schur(jnp.eye(2), { sortEigVals: true })).toThrow(
      new NotImplementedError("The sort feature of LAPACK's gees routine is not implemented."),
    );
    expect(() => scipy.linalg.sqrtm(jnp.eye(2), 2)).toThrow(
      new NotImplementedError("Blocked version is not implemented yet."),
    );
    const vec = (x: Array) => jnp.sum(jnp.abs(jnp.linalg.eig(x).eigenvectors));
    expect(() => grad(vec)(jnp.eye(2))).toThrow(/enable_eigvec_derivs=True/);
    expect(() => grad((x: Array) => jnp.sum(lax.linalg.schur(x)[0]!))(jnp.eye(2))).toThrow(/schur/);
    expect(() => grad((x: Array) => jnp.sum(lax.linalg.hessenberg(x)[0]))(jnp.eye(2))).toThrow(
      /hessenberg/,
    );
  });
});
