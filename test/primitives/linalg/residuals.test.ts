/**
 * Residual tests of the linalg primitives, float32 and float64 (x64), sizes 1…64 and batches:
 * ‖A − L·Lᵀ‖/‖A‖ (cholesky), ‖P·A − L·U‖/‖A‖ (lu), ‖op(A)·X − B‖/(‖A‖‖X‖) (triangular solve),
 * each within c·n·ε (c = 8; float32 ε = 2⁻²³, float64 ε = 2⁻⁵²). Residuals are computed on the
 * host in float64. Also: non-positive-definite / singular inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, lax, numpy as jnp } from "../../../src/index.js";
import { rng } from "../../transforms/ad-helpers.js";

type Dt = "float32" | "float64";
const EPS: Record<Dt, number> = { float32: 2 ** -23, float64: 2 ** -52 };
const C = 8;

beforeAll(() => config.update("jax_enable_x64", true));
afterAll(() => config.update("jax_enable_x64", false));

/** Host matrices of a batch: [batch][n*m] row-major float64. */
function host(x: Array): Float64Array {
  return Float64Array.from(x.toTypedArray() as ArrayLike<number>, Number);
}

function randomData(r: () => number, n: number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = 2 * r() - 1;
  return d;
}

/** Batched SPD matrices G·Gᵀ + n·I, rounded to `dt`. */
function spd(r: () => number, batch: number, n: number, dt: Dt): Array {
  const g = randomData(r, batch * n * n);
  const a = new Float64Array(batch * n * n);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += g[b * n * n + i * n + k]! * g[b * n * n + j * n + k]!;
        a[b * n * n + i * n + j] = s;
      }
  const arr = dt === "float32" ? Float32Array.from(a) : a;
  return jnp.asarray(arr).reshape(batch === 1 ? [n, n] : [batch, n, n]);
}

function general(r: () => number, shape: number[], dt: Dt): Array {
  const d = randomData(
    r,
    shape.reduce((a, b) => a * b, 1),
  );
  return jnp.asarray(dt === "float32" ? Float32Array.from(d) : d).reshape(shape);
}

const fro = (d: ArrayLike<number>, o: number, len: number): number => {
  let s = 0;
  for (let i = 0; i < len; i++) s += d[o + i]! ** 2;
  return Math.sqrt(s);
};

const SIZES = [1, 2, 3, 7, 16, 33, 64];

describe.each(["float32", "float64"] as Dt[])("%s residuals", (dt) => {
  it.each(SIZES)("cholesky n=%i (batch 2 for n ≤ 16)", (n) => {
    const batch = n <= 16 ? 2 : 1;
    const a = spd(rng(n), batch, n, dt);
    const l = lax.linalg.cholesky(a);
    expect(l.dtype.name).toBe(dt);
    expect(l.shape).toEqual(a.shape);
    const A = host(a);
    const Lh = host(l);
    for (let b = 0; b < batch; b++) {
      const o = b * n * n;
      const diff = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          if (j > i) expect(Lh[o + i * n + j]).toBe(0);
          let s = 0;
          for (let k = 0; k < n; k++) s += Lh[o + i * n + k]! * Lh[o + j * n + k]!;
          diff[i * n + j] = A[o + i * n + j]! - s;
        }
      expect(fro(diff, 0, n * n) / fro(A, o, n * n)).toBeLessThanOrEqual(C * n * EPS[dt]);
    }
  });

  it.each(SIZES)("lu n=%i (square, batch 3 for n ≤ 7)", (n) => {
    const batch = n <= 7 ? 3 : 1;
    const a = general(rng(100 + n), batch === 1 ? [n, n] : [batch, n, n], dt);
    const [lu, piv, perm] = lax.linalg.lu(a);
    expect(piv.dtype.name).toBe("int32");
    expect(perm.dtype.name).toBe("int32");
    expect(piv.shape).toEqual([...a.shape.slice(0, -2), n]);
    const A = host(a);
    const LU = host(lu);
    const P = host(perm);
    for (let b = 0; b < batch; b++) {
      const o = b * n * n;
      const diff = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k <= Math.min(i, j); k++)
            s += (k === i ? 1 : LU[o + i * n + k]!) * LU[o + k * n + j]!;
          diff[i * n + j] = A[o + P[b * n + i]! * n + j]! - s;
        }
      expect(fro(diff, 0, n * n) / fro(A, o, n * n)).toBeLessThanOrEqual(C * n * EPS[dt]);
      // Partial pivoting: |L| ≤ 1.
      for (let i = 0; i < n; i++)
        for (let k = 0; k < i; k++) expect(Math.abs(LU[o + i * n + k]!)).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    [3, 5],
    [5, 3],
  ])("lu of a %i×%i matrix", (m, n) => {
    const a = general(rng(7 * m + n), [m, n], dt);
    const [lu, piv, perm] = lax.linalg.lu(a);
    const k = Math.min(m, n);
    expect(piv.shape).toEqual([k]);
    expect(perm.shape).toEqual([m]);
    const A = host(a);
    const LU = host(lu);
    const P = host(perm);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q <= Math.min(i, j, k - 1); q++)
          s += (q === i ? 1 : LU[i * n + q]!) * LU[q * n + j]!;
        expect(Math.abs(A[P[i]! * n + j]! - s)).toBeLessThanOrEqual(C * k * EPS[dt] * 4);
      }
  });

  const flags = [
    { leftSide: true, lower: true, transposeA: false },
    { leftSide: true, lower: false, transposeA: true },
    { leftSide: false, lower: true, transposeA: true },
    { leftSide: false, lower: false, transposeA: false, unitDiagonal: true },
  ];
  it.each(SIZES)("triangular_solve n=%i, all sides and flags", (n) => {
    const r = rng(200 + n);
    for (const f of flags) {
      // A well-conditioned triangular matrix: unit-ish diagonal, small off-diagonal entries.
      const ad = randomData(r, n * n).map((v, i) => (Math.floor(i / n) === i % n ? 2 + v : v / n));
      const a = jnp.asarray(dt === "float32" ? Float32Array.from(ad) : ad).reshape([n, n]);
      const nrhs = 3;
      const bshape = f.leftSide ? [2, n, nrhs] : [2, nrhs, n];
      const b = general(r, bshape, dt);
      const ab = jnp.broadcastTo(a, [2, n, n]);
      const x = lax.linalg.triangularSolve(ab, b, f);
      const A = host(a);
      const X = host(x);
      const B = host(b);
      const aij = (i: number, j: number): number => {
        const [p, q] = f.transposeA ? [j, i] : [i, j];
        if (f.lower ? q > p : q < p) return 0;
        if (p === q && f.unitDiagonal) return 1;
        return A[p * n + q]!;
      };
      let worst = 0;
      for (let bt = 0; bt < 2; bt++)
        for (let i = 0; i < bshape[1]!; i++)
          for (let j = 0; j < bshape[2]!; j++) {
            let s = 0;
            const o = bt * n * nrhs;
            if (f.leftSide) for (let k = 0; k < n; k++) s += aij(i, k) * X[o + k * nrhs + j]!;
            else for (let k = 0; k < n; k++) s += X[o + i * n + k]! * aij(k, j);
            worst = Math.max(worst, Math.abs(s - B[o + i * bshape[2]! + j]!));
          }
      const scale = 3 * Math.max(1, ...globalThis.Array.from(X, Math.abs));
      expect(worst / scale, JSON.stringify(f)).toBeLessThanOrEqual(C * n * EPS[dt]);
    }
  });
});

describe("non-finite and singular inputs", () => {
  it("cholesky of a matrix that is not positive definite is all NaN (that matrix only)", () => {
    const a = jnp.array(
      [
        [
          [4, 2],
          [2, 3],
        ],
        [
          [1, 2],
          [2, 1],
        ],
      ],
      "float32",
    );
    const l = lax.linalg.cholesky(a).tolist() as number[][][];
    expect(l[0]).toEqual([
      [2, 0],
      [1, Math.fround(Math.sqrt(2))],
    ]);
    // The primitive's result is all NaN; lax.linalg.cholesky then zeroes the upper triangle.
    expect(l[1]![0]![1]).toBe(0);
    expect([l[1]![0]![0], l[1]![1]![0], l[1]![1]![1]].every((v) => Number.isNaN(v))).toBe(true);
    const nan = lax.linalg.cholesky(jnp.array([[NaN]])).tolist() as number[][];
    expect(Number.isNaN(nan[0]![0]!)).toBe(true);
  });

  it("lu of a singular matrix goes on with a zero pivot; solving gives inf/nan", () => {
    const a = jnp.array(
      [
        [1, 2],
        [2, 4],
      ],
      "float32",
    );
    const [lu, piv, perm] = lax.linalg.lu(a);
    expect(lu.tolist()).toEqual([
      [2, 4],
      [0.5, 0],
    ]);
    expect(piv.tolist()).toEqual([1, 1]);
    expect(perm.tolist()).toEqual([1, 0]);
    const x = jnp.linalg.solve(a, jnp.array([1, 1])).tolist() as number[];
    expect(x.some((v) => !Number.isFinite(v))).toBe(true);
    const z = lax.linalg.lu(jnp.zeros([3, 3]));
    expect(z[1].tolist()).toEqual([0, 1, 2]);
  });

  it("empty matrices", () => {
    expect(lax.linalg.cholesky(jnp.zeros([2, 0, 0])).shape).toEqual([2, 0, 0]);
    const [lu, piv, perm] = lax.linalg.lu(jnp.zeros([0, 0]));
    expect([lu.shape, piv.shape, perm.shape]).toEqual([[0, 0], [0], [0]]);
  });

  it("lu_pivots_to_permutation", () => {
    const p = lax.linalg.luPivotsToPermutation(
      jnp.array(
        [
          [2, 2, 2],
          [0, 1, 2],
        ],
        "int32",
      ),
      4,
    );
    expect(p.tolist()).toEqual([
      [2, 0, 1, 3],
      [0, 1, 2, 3],
    ]);
  });
});
