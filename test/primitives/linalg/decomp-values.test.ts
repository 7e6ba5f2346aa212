/**
 * qr, eigh and svd values, float32 and float64 (x64): invariants against numpy/scipy fixtures
 * (test/fixtures/make_decomp.py: singular values, eigenvalues, |R|) and residuals computed on
 * the host in float64 — ‖A − QR‖/‖A‖, ‖QᵀQ − I‖, ‖AV − VΛ‖/‖A‖, ‖A − UΣVᵀ‖/‖A‖, ‖UᵀU − I‖,
 * ‖VᵀV − I‖ — each within C·n·ε (C = 8, n the largest dimension; float32 ε = 2⁻²³, float64
 * ε = 2⁻⁵²). Eigen- and singular values are compared absolutely: |Δ| ≤ C·n·ε·‖A‖₂ (Weyl's
 * bound; the float32 input rounding is inside it). Includes rank-deficient, ill-conditioned
 * (Hilbert 8, eigenvalues over 1e-8…1, a graded matrix), repeated eigenvalues, batches and
 * size-0/1 shapes. At n = 33…97 the Jacobi factors (eigh's V, svd's V and U) accumulate
 * n·sweeps rotations each: there the bound is 16·n·ε (measured up to ≈ 10·n·ε on the graded
 * float64 input).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, lax, numpy as jnp } from "../../../src/index.js";
import { rng } from "../../transforms/ad-helpers.js";
import {
  type Dt,
  EPS,
  type Mat,
  diff,
  fixtures,
  flat,
  fro,
  fromRows,
  mat,
  mm,
  orthoResidual,
  scaleCols,
  toArray,
  tr,
} from "./decomp-helpers.js";

const C = 8;
beforeAll(() => config.update("jax_enable_x64", true));
afterAll(() => config.update("jax_enable_x64", false));

function expectValues(got: number[], want: number[], tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${what}[${i}]`).toBeLessThanOrEqual(tol));
}

/** A relative residual, with ‖A‖ = 0 read as an absolute one. */
const rel = (r: number, a: number): number => (a === 0 ? r : r / a);

describe.each(["float32", "float64"] as Dt[])("%s", (dt) => {
  const eps = EPS[dt];

  describe.each(fixtures.general.map((c) => [c.name, c] as const))("general %s", (_name, c) => {
    const A = fromRows(c.a);
    const n = Math.max(A.rows, A.cols, 1);
    const tol = C * n * eps;
    const a = () => toArray(c.a, dt);
    const smax = c.s.length ? c.s[0]! : 0;

    it("svd: singular values, reconstruction, orthonormal U and V (full and reduced)", () => {
      for (const fullMatrices of [true, false]) {
        const [u, s, vt] = lax.linalg.svd(a(), { fullMatrices }) as [Array, Array, Array];
        expect(s.dtype.name).toBe(dt);
        const k = Math.min(A.rows, A.cols);
        expect(u.shape).toEqual([A.rows, fullMatrices ? A.rows : k]);
        expect(vt.shape).toEqual([fullMatrices ? A.cols : k, A.cols]);
        expectValues(flat(s), c.s, tol * Math.max(smax, 1e-300), "s");
        const U = mat(u);
        const Vt = mat(vt);
        expect(orthoResidual(U), "UᵀU − I").toBeLessThanOrEqual(tol);
        expect(orthoResidual(tr(Vt)), "VVᵀ − I").toBeLessThanOrEqual(tol);
        const Uk = { rows: A.rows, cols: k, d: new Float64Array(A.rows * k) };
        for (let i = 0; i < A.rows; i++)
          for (let j = 0; j < k; j++) Uk.d[i * k + j] = U.d[i * U.cols + j]!;
        const Vk = { rows: k, cols: A.cols, d: Vt.d.slice(0, k * A.cols) };
        const rec = mm(scaleCols(Uk, flat(s)), Vk);
        expect(rel(fro(diff(rec, A)), fro(A)), "A − UΣVᵀ").toBeLessThanOrEqual(tol);
      }
      const sOnly = lax.linalg.svd(a(), { computeUv: false }) as Array;
      expectValues(flat(sOnly), c.s, tol * Math.max(smax, 1e-300), "s (compute_uv=False)");
    });

    it("qr: A = QR with orthonormal Q and upper-triangular R (full and reduced), |R|", () => {
      for (const fullMatrices of [true, false]) {
        const [q, r] = lax.linalg.qr(a(), { fullMatrices }) as [Array, Array];
        const Q = mat(q);
        const R = mat(r);
        for (let i = 0; i < R.rows; i++)
          for (let j = 0; j < Math.min(i, R.cols); j++) expect(R.d[i * R.cols + j]).toBe(0);
        expect(orthoResidual(Q), "QᵀQ − I").toBeLessThanOrEqual(tol);
        expect(rel(fro(diff(mm(Q, R), A)), fro(A)), "A − QR").toBeLessThanOrEqual(tol);
        const wellConditioned = c.name.startsWith("random");
        if (c.abs_r && wellConditioned && !fullMatrices)
          expectValues(globalThis.Array.from(R.d, Math.abs), c.abs_r.flat(), tol * fro(A), "|R|");
      }
    });

    it("qr with pivoting: A[:, p] = QR, |diag R| non-increasing", () => {
      const [q, r, p] = lax.linalg.qr(a(), { pivoting: true, fullMatrices: false }) as Array[];
      expect(p!.dtype.name).toBe("int32");
      const perm = flat(p!);
      expect([...perm].sort((x, y) => x - y)).toEqual(perm.map((_, i) => i));
      const Ap: Mat = { rows: A.rows, cols: A.cols, d: new Float64Array(A.d.length) };
      for (let i = 0; i < A.rows; i++)
        for (let j = 0; j < A.cols; j++) Ap.d[i * A.cols + j] = A.d[i * A.cols + perm[j]!]!;
      const Q = mat(q!);
      const R = mat(r!);
      expect(rel(fro(diff(mm(Q, R), Ap)), fro(A)), "A[:, p] − QR").toBeLessThanOrEqual(tol);
      const diag = globalThis.Array.from({ length: Math.min(R.rows, R.cols) }, (_, i) =>
        Math.abs(R.d[i * R.cols + i]!),
      );
      for (let i = 1; i < diag.length; i++)
        expect(diag[i]!).toBeLessThanOrEqual(diag[i - 1]! * (1 + tol) + tol * fro(A));
    });
  });

  describe.each(fixtures.symmetric.map((c) => [c.name, c] as const))("symmetric %s", (_n, c) => {
    const A = fromRows(c.a);
    const n = A.rows;
    const tol = C * n * eps;
    const norm2 = Math.max(...c.w.map(Math.abs));

    it("eigh: eigenvalues (ascending), AV = VΛ, orthonormal V", () => {
      const lowerOnly = c.w_upper !== undefined;
      const [v, w] = lax.linalg.eigh(toArray(c.a, dt), { symmetrizeInput: !lowerOnly });
      expect(w.dtype.name).toBe(dt);
      const W = flat(w);
      for (let i = 1; i < n; i++) expect(W[i]!).toBeGreaterThanOrEqual(W[i - 1]!);
      expectValues(W, c.w, tol * norm2, "w");
      const V = mat(v);
      expect(orthoResidual(V), "VᵀV − I").toBeLessThanOrEqual(tol);
      if (!lowerOnly) {
        const res = diff(mm(A, V), scaleCols(V, W));
        expect(fro(res) / fro(A), "AV − VΛ").toBeLessThanOrEqual(tol);
      } else {
        const [, wu] = lax.linalg.eigh(toArray(c.a, dt), { symmetrizeInput: false, lower: false });
        const upperNorm = Math.max(...c.w_upper!.map(Math.abs));
        expectValues(flat(wu), c.w_upper!, tol * upperNorm, "w (upper triangle)");
      }
    });
  });

  it("batched [2, 3, 4, 4]: svd and eigh per matrix", () => {
    const b = fixtures.batched;
    const x = toArray(b.a, dt);
    const s = lax.linalg.svd(x, { computeUv: false }) as Array;
    expect(s.shape).toEqual([2, 3, 4]);
    const [v, w] = lax.linalg.eigh(x);
    expect(v.shape).toEqual([2, 3, 4, 4]);
    const tol = C * 4 * eps * 10;
    expectValues(flat(s), b.s.flat(2), tol, "batched s");
    expectValues(flat(w), b.w.flat(2), tol, "batched w");
    const [q, r] = lax.linalg.qr(x);
    for (let k = 0; k < 6; k++) {
      const Ak: Mat = {
        rows: 4,
        cols: 4,
        d: Float64Array.from(b.a.flat(3).slice(k * 16, k * 16 + 16)),
      };
      expect(fro(diff(mm(mat(q, k), mat(r, k)), Ak)) / fro(Ak), `qr ${k}`).toBeLessThanOrEqual(tol);
    }
  });

  it.each([33, 64, 97])("residuals at n=%i: random, graded and rank-deficient inputs", (n) => {
    const r = rng(n);
    const data = new Float64Array(n * n).map(() => 2 * r() - 1);
    // Rows graded over 12 orders of magnitude; columns 0..n/2 repeated (rank n/2 + ...).
    const graded = data.map((x, i) => x * 10 ** ((-12 * Math.floor(i / n)) / n));
    const deficient = data.map((x, i) => (i % n >= n / 2 ? data[i - Math.ceil(n / 2)]! : x));
    for (const [what, d] of [
      ["random", data],
      ["graded", graded],
      ["rank-deficient", deficient],
    ] as const) {
      const A: Mat = {
        rows: n,
        cols: n,
        d: dt === "float32" ? Float64Array.from(Float32Array.from(d)) : d,
      };
      const a = jnp.asarray(dt === "float32" ? Float32Array.from(d) : d).reshape([n, n]);
      const tol = 2 * C * n * eps;
      const [q, rr] = lax.linalg.qr(a) as [Array, Array];
      expect(orthoResidual(mat(q)), `${what} QᵀQ`).toBeLessThanOrEqual(tol);
      expect(fro(diff(mm(mat(q), mat(rr)), A)) / fro(A), `${what} A − QR`).toBeLessThanOrEqual(tol);
      const [u, s, vt] = lax.linalg.svd(a) as [Array, Array, Array];
      expect(orthoResidual(mat(u)), `${what} UᵀU`).toBeLessThanOrEqual(tol);
      expect(orthoResidual(tr(mat(vt))), `${what} VVᵀ`).toBeLessThanOrEqual(tol);
      const rec = mm(scaleCols(mat(u), flat(s)), mat(vt));
      expect(fro(diff(rec, A)) / fro(A), `${what} A − UΣVᵀ`).toBeLessThanOrEqual(tol);
      const sym = jnp.matmul(a, jnp.swapaxes(a, 0, 1));
      const S = mm(A, tr(A));
      const [v, w] = lax.linalg.eigh(sym);
      expect(orthoResidual(mat(v)), `${what} VᵀV`).toBeLessThanOrEqual(tol);
      const res = diff(mm(S, mat(v)), scaleCols(mat(v), flat(w)));
      expect(fro(res) / fro(S), `${what} SV − VΛ`).toBeLessThanOrEqual(tol);
    }
  });

  it("a non-finite entry gives NaN outputs for that matrix only (no hang)", () => {
    const x = jnp.array(
      [
        [
          [1, 2],
          [2, 1],
        ],
        [
          [NaN, 0],
          [0, 1],
        ],
        [
          [Infinity, 1],
          [1, 0],
        ],
      ],
      dt,
    );
    const [v, w] = lax.linalg.eigh(x);
    expect(flat(w).slice(0, 2)).toEqual([-1, 3]);
    expect(flat(w.get("1:")).every(Number.isNaN)).toBe(true);
    expect(flat(v.get("1:")).every(Number.isNaN)).toBe(true);
    const [u, s] = lax.linalg.svd(x) as Array[];
    expect(flat(s!.get(0))).toEqual([3, 1]);
    expect(flat(s!.get("1:")).every(Number.isNaN)).toBe(true);
    expect(flat(u!.get("1:")).every(Number.isNaN)).toBe(true);
  });

  it("size-0 and size-1 shapes (JAX's empty results)", () => {
    const z = (shape: number[]) => jnp.zeros(shape, dt);
    const [q03, r03] = lax.linalg.qr(z([0, 3])) as Array[];
    expect([q03!.shape, r03!.shape]).toEqual([
      [0, 0],
      [0, 3],
    ]);
    const [q30, r30] = lax.linalg.qr(z([3, 0])) as Array[];
    expect([q30!.shape, r30!.shape]).toEqual([
      [3, 3],
      [3, 0],
    ]);
    expect(flat(q30!)).toEqual(flat(jnp.eye(3)));
    const [q30r] = lax.linalg.qr(z([3, 0]), { fullMatrices: false }) as Array[];
    expect(q30r!.shape).toEqual([3, 0]);
    const [v0, w0] = lax.linalg.eigh(z([0, 0]));
    expect([v0.shape, w0.shape]).toEqual([[0, 0], [0]]);
    const [v1, w1] = lax.linalg.eigh(jnp.array([[-2.5]], dt));
    expect([flat(v1), flat(w1)]).toEqual([[1], [-2.5]]);
    const [u, s, vt] = lax.linalg.svd(z([0, 3])) as Array[];
    expect([u!.shape, s!.shape, vt!.shape]).toEqual([[0, 0], [0], [3, 3]]);
    expect(flat(vt!)).toEqual(flat(jnp.eye(3)));
    const [u3, s3, vt3] = lax.linalg.svd(z([3, 0]), { fullMatrices: false }) as Array[];
    expect([u3!.shape, s3!.shape, vt3!.shape]).toEqual([[3, 0], [0], [0, 0]]);
    const [u1, s1, vt1] = lax.linalg.svd(jnp.array([[-3]], dt)) as Array[];
    expect(flat(s1!)).toEqual([3]);
    expect(flat(u1!)[0]! * 3 * flat(vt1!)[0]!).toBe(-3);
    const [qb] = lax.linalg.qr(z([0, 2, 2])) as Array[];
    expect(qb!.shape).toEqual([0, 2, 2]);
  });
});
