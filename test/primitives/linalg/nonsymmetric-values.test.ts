/**
 * eig / schur / hessenberg (lax.linalg, jnp.linalg, jax.scipy.linalg) and rsf2csf / sqrtm
 * against numpy/scipy references (test/fixtures/nonsymmetric.json, make_nonsymmetric.py) on
 * random, symmetric, rotation, triangular, near-defective, companion, graded and complex
 * matrices, float64 (x64) and float32. Tolerances, relative to ‖A‖_F, C·n·ε with C = 16:
 * residuals ‖AV − VΛ‖, ‖UᴴA − ΛUᴴ‖, ‖ZTZᴴ − A‖, ‖QHQᴴ − A‖, ‖ZᴴZ − I‖, ‖sqrtm(A)² − A‖; the
 * eigenvalues matched to numpy's up to ordering within C·n·ε·‖A‖·κ (κ = 1e4 for the
 * near-defective case, whose eigenvalues are that sensitive), eigenvectors matched up to phase
 * (float64, cases with separated eigenvalues), H and Q entry by entry (LAPACK gehrd's
 * reflectors are deterministic), and sqrtm entry by entry (float64, no eigenvalue on the
 * negative real axis).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, lax, numpy as jnp, scipy } from "../../../src/index.js";
import {
  type CMat,
  cH,
  cdiff,
  cfro,
  cmat,
  cmm,
  eigenvalueDistance,
  fromJson,
  nonsym,
  scaleColsC,
  toJax,
  unitaryResidual,
} from "./complex-helpers.js";

const C = 16;
const EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;
beforeAll(() => config.update("jax_enable_x64", true));
afterAll(() => config.update("jax_enable_x64", false));

/** Diagonal matrix of a vector (host). */
function cdiag(w: CMat): CMat {
  const n = w.re.length;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    re[i * n + i] = w.re[i]!;
    im[i * n + i] = w.im[i]!;
  }
  return { rows: n, cols: n, re, im };
}

describe.each(["float64", "float32"] as const)("%s", (dt) => {
  const eps = EPS[dt];
  const cases = nonsym.cases.filter((c) => dt === "float64" || c.name !== "graded5");

  it.each(cases.map((c) => [c.name, c] as const))("eig %s", (_name, c) => {
    const a = toJax(c.a, c.complex, dt);
    const A = cmat(a);
    const n = A.rows;
    const scale = Math.max(cfro(A), 1e-300);
    const tol = C * n * eps * scale;
    const [w, vl, vr] = lax.linalg.eig(a) as [Array, Array, Array];
    expect(w.dtype.name).toBe(dt === "float64" ? "complex128" : "complex64");
    const W = cmat(w);
    const VR = cmat(vr);
    const VL = cmat(vl);
    const kappa = c.name === "near_defective4" ? 1e4 * (dt === "float32" ? 100 : 1) : 1;
    expect(eigenvalueDistance(W, fromJson(c.w))).toBeLessThanOrEqual(tol * kappa);
    expect(cfro(cdiff(cmm(A, VR), scaleColsC(VR, W)))).toBeLessThanOrEqual(tol);
    expect(cfro(cdiff(cmm(cH(VL), A), cmm(cdiag(W), cH(VL))))).toBeLessThanOrEqual(tol);
    // geev's normalization: unit columns whose largest component is real.
    for (const V of [VR, VL])
      for (let j = 0; j < n; j++) {
        let ss = 0;
        let best = 0;
        let bestAbs = -1;
        for (let i = 0; i < n; i++) {
          const a2 = V.re[i * n + j]! ** 2 + V.im[i * n + j]! ** 2;
          ss += a2;
          if (a2 > bestAbs) [bestAbs, best] = [a2, i];
        }
        expect(Math.abs(Math.sqrt(ss) - 1)).toBeLessThanOrEqual(C * n * eps);
        expect(V.im[best * n + j]).toBe(0);
      }
    // jnp.linalg.eig / eigvals: the same values through lax.linalg.eig without left vectors.
    const [w2, v2] = jnp.linalg.eig(a);
    expect(cmat(w2!).re).toEqual(W.re);
    expect(cmat(v2!).re).toEqual(VR.re);
    expect(cmat(jnp.linalg.eigvals(a)).im).toEqual(W.im);
    // Eigenvectors against numpy's up to phase (separated eigenvalues, float64).
    if (dt === "float64" && !["near_defective4", "symmetric6", "graded5"].includes(c.name)) {
      const ref = fromJson(c.vr);
      const order = fromJson(c.w);
      for (let k = 0; k < n; k++) {
        let j = 0;
        for (let m = 1; m < n; m++)
          if (
            Math.hypot(W.re[m]! - order.re[k]!, W.im[m]! - order.im[k]!) <
            Math.hypot(W.re[j]! - order.re[k]!, W.im[j]! - order.im[k]!)
          )
            j = m;
        let dr = 0;
        let di = 0;
        for (let i = 0; i < n; i++) {
          const [ar, ai] = [VR.re[i * n + j]!, VR.im[i * n + j]!];
          const [br, bi] = [ref.re[i * n + k]!, ref.im[i * n + k]!];
          dr += ar * br + ai * bi;
          di += ar * bi - ai * br;
        }
        expect(Math.abs(Math.hypot(dr, di) - 1)).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))("schur, rsf2csf, hessenberg %s", (_name, c) => {
    const a = toJax(c.a, c.complex, dt);
    const A = cmat(a);
    const n = A.rows;
    const tol = C * n * eps * Math.max(cfro(A), 1e-300);
    const [t, z] = scipy.linalg.schur(a);
    const T = cmat(t);
    const Z = cmat(z);
    expect(t.dtype).toBe(a.dtype);
    expect(unitaryResidual(Z)).toBeLessThanOrEqual(C * n * eps);
    expect(cfro(cdiff(cmm(cmm(Z, T), cH(Z)), A))).toBeLessThanOrEqual(tol);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) {
        const sub = T.re[i * n + j]!;
        if (j === i - 1 && !c.complex && sub !== 0) {
          // A standardized 2×2 block of a complex pair: equal diagonal, b·c < 0, isolated.
          expect(T.re[(i - 1) * n + i - 1]).toBe(T.re[i * n + i]);
          expect(sub * T.re[(i - 1) * n + i]!).toBeLessThan(0);
          if (i >= 2) expect(T.re[(i - 1) * n + i - 2]).toBe(0);
        } else expect([sub, T.im[i * n + j]]).toEqual([0, 0]);
      }
    // Real Schur form → complex Schur form, as scipy.
    const [tc, zc] = c.complex ? scipy.linalg.schur(a, "complex") : scipy.linalg.rsf2csf(t, z);
    const TC = cmat(tc);
    const ZC = cmat(zc);
    expect(unitaryResidual(ZC)).toBeLessThanOrEqual(C * n * eps);
    expect(cfro(cdiff(cmm(cmm(ZC, TC), cH(ZC)), A))).toBeLessThanOrEqual(tol);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) expect([TC.re[i * n + j], TC.im[i * n + j]]).toEqual([0, 0]);
    // Hessenberg: scipy's H and Q entry by entry.
    const [h, q] = scipy.linalg.hessenberg(a, { calcQ: true }) as [Array, Array];
    const H = cmat(h);
    const Q = cmat(q);
    expect(cfro(cdiff(H, fromJson(c.h)))).toBeLessThanOrEqual(tol);
    expect(cfro(cdiff(Q, fromJson(c.q)))).toBeLessThanOrEqual(C * n * eps);
    expect(cfro(cdiff(cmm(cmm(Q, H), cH(Q)), A))).toBeLessThanOrEqual(tol);
    const [packed, taus] = lax.linalg.hessenberg(a);
    expect(taus.shape).toEqual([Math.max(n - 1, 0)]);
    expect(cmat(jnp.triu(packed, -1)).re).toEqual(H.re);
  });

  it.each(cases.filter((c) => c.sqrtm).map((c) => [c.name, c] as const))("sqrtm %s", (_n, c) => {
    const a = toJax(c.a, c.complex, dt);
    const A = cmat(a);
    const n = A.rows;
    const s = scipy.linalg.sqrtm(a);
    expect(s.dtype.name).toBe(dt === "float64" ? "complex128" : "complex64");
    const S = cmat(s);
    const scale = Math.max(cfro(A), 1e-300);
    // Björck–Hammarling is stable in the residual relative to ‖S‖² (not ‖A‖).
    const sNorm = cfro(S);
    expect(cfro(cdiff(cmm(S, S), A))).toBeLessThanOrEqual(
      C * n * eps * Math.max(scale, sNorm ** 2),
    );
    // Entry by entry only where the principal root is unique: no eigenvalue on the negative
    // real axis (there the branch follows the sign of a rounded zero imaginary part).
    const w = fromJson(c.w);
    const onCut = w.re.some((x, i) => x < 0 && Math.abs(w.im[i]!) < 1e-12);
    if (dt === "float64" && c.name !== "graded5" && !onCut)
      expect(cfro(cdiff(S, fromJson(c.sqrtm!)))).toBeLessThanOrEqual(1e-8 * Math.max(sNorm, 1));
  });
});
