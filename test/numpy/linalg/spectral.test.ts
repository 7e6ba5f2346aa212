/**
 * jnp.linalg's functions over qr/eigh/svd against numpy fixtures (test/fixtures/decomp.json),
 * float64 (x64) and float32: svdvals, eigvalsh, pinv, lstsq, matrix_rank, cond, norm
 * 2/-2/'nuc', qr modes, svd(hermitian=True), eigh UPLO. Tolerances: values of size ~‖A‖
 * within C·n·ε·‖A‖ (C = 8); pinv and lstsq, whose error grows with the condition number κ
 * (σ_max/σ_rank), within C·n·ε·κ relative; float32 skips the ill-conditioned cases (Hilbert,
 * graded: their float32 rounding alone changes rank and cond).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, grad, numpy as jnp } from "../../../src/index.js";
import { type Dt, EPS, fixtures, flat, toArray } from "../../primitives/linalg/decomp-helpers.js";

const C = 8;
beforeAll(() => config.update("jax_enable_x64", true));
afterAll(() => config.update("jax_enable_x64", false));

function close(got: number[], want: number[], tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${what}[${i}]`).toBeLessThanOrEqual(tol));
}

describe.each(["float32", "float64"] as Dt[])("%s", (dt) => {
  const eps = EPS[dt];
  const cases = fixtures.general.filter(
    (c) => dt === "float64" || !(c.name.startsWith("hilbert") || c.name.startsWith("graded")),
  );

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const a = toArray(c.a, dt);
    const [m, n] = [c.a.length, c.a[0]!.length];
    const size = Math.max(m, n);
    const smax = c.s[0] ?? 0;
    const tol = C * size * eps * Math.max(smax, 1e-300);
    close(flat(jnp.linalg.svdvals(a)), c.s, tol, "svdvals");
    expect(flat(jnp.linalg.matrixRank(a))).toEqual([c.matrix_rank]);
    const kappa = c.matrix_rank ? smax / c.s[c.matrix_rank - 1]! : 1;
    const pinvScale = Math.max(...c.pinv.flat().map(Math.abs), 1e-300);
    close(flat(jnp.linalg.pinv(a)), c.pinv.flat(), C * size * eps * kappa * pinvScale, "pinv");
    if (c.norm_2 === undefined) return;
    close(flat(jnp.linalg.norm(a, { ord: 2 })), [c.norm_2], tol, "norm 2");
    close(flat(jnp.linalg.norm(a, { ord: -2 })), [c.norm_m2!], tol, "norm -2");
    close(flat(jnp.linalg.norm(a, { ord: "nuc" })), [c.norm_nuc!], tol * n, "norm nuc");
    if (c.cond !== null && c.cond !== undefined)
      close(flat(jnp.linalg.cond(a)), [c.cond], C * size * eps * c.cond * c.cond, "cond");
    const [x, resid, rank, s] = jnp.linalg.lstsq(a, jnp.array(c.b!, dt));
    const xScale = Math.max(...c.lstsq_x!.map(Math.abs));
    close(flat(x), c.lstsq_x!, C * size * eps * kappa * kappa * Math.max(xScale, 1), "lstsq x");
    expect(flat(rank)).toEqual([c.matrix_rank]);
    close(flat(s), c.s, tol, "lstsq s");
    expect(resid.shape).toEqual([1]); // JAX: norm(b - a·x, axis=0)² of the 2-D b
  });

  it("eigvalsh and eigh (UPLO) against numpy", () => {
    for (const c of fixtures.symmetric) {
      const n = c.a.length;
      const scale = Math.max(...c.w.map(Math.abs));
      if (c.w_upper) {
        const a = toArray(c.a, dt);
        const tolU = C * n * eps * Math.max(...c.w_upper.map(Math.abs));
        close(
          flat(jnp.linalg.eigvalsh(a, "L", { symmetrizeInput: false })),
          c.w,
          C * n * eps * scale,
          "L",
        );
        close(flat(jnp.linalg.eigvalsh(a, "U", { symmetrizeInput: false })), c.w_upper, tolU, "U");
        continue;
      }
      const { eigenvalues, eigenvectors } = jnp.linalg.eigh(toArray(c.a, dt));
      close(flat(eigenvalues), c.w, C * n * eps * scale, c.name);
      expect(eigenvectors.shape).toEqual([n, n]);
    }
  });

  it("slogdet(method='qr') equals the LU one (sign exactly), with its derivative", () => {
    // Square, well-conditioned cases (log|det|'s error grows with κ for both methods).
    const square = fixtures.general.filter(
      (g) => g.a.length === g.a[0]!.length && g.name.startsWith("random"),
    );
    for (const c of square) {
      const a = toArray(c.a, dt);
      const lu = jnp.linalg.slogdet(a);
      const qr = jnp.linalg.slogdet(a, { method: "qr" });
      expect(flat(qr.sign), c.name).toEqual(flat(lu.sign));
      const n = c.a.length;
      close(flat(qr.logabsdet), flat(lu.logabsdet), C * n * eps * 10, c.name);
    }
    const a = toArray(fixtures.general[3]!.a, dt);
    const gq = grad((x: Array) => jnp.linalg.slogdet(x, { method: "qr" }).logabsdet)(a);
    const gl = grad((x: Array) => jnp.linalg.slogdet(x).logabsdet)(a);
    close(flat(gq), flat(gl), 1e3 * eps, "grad");
  });

  it("qr modes, svd(hermitian=True), svd result names", () => {
    const c = fixtures.general.find((g) => g.name === "random (7, 4)")!;
    const a = toArray(c.a, dt);
    const { Q, R } = jnp.linalg.qr(a) as { Q: Array; R: Array };
    expect([Q.shape, R.shape]).toEqual([
      [7, 4],
      [4, 4],
    ]);
    const [qc, rc] = jnp.linalg.qr(a, "complete") as unknown as Array[];
    expect([qc!.shape, rc!.shape]).toEqual([
      [7, 7],
      [7, 4],
    ]);
    const r = jnp.linalg.qr(a, "r") as Array;
    expect(flat(r)).toEqual(flat(R));
    const { U, S, Vh } = jnp.linalg.svd(a, { fullMatrices: false }) as {
      U: Array;
      S: Array;
      Vh: Array;
    };
    expect([U.shape, S.shape, Vh.shape]).toEqual([[7, 4], [4], [4, 4]]);
    // A symmetric indefinite matrix: hermitian svd = |eigenvalues| descending, U·S·Vh = A.
    const sym = fixtures.symmetric.find((s) => s.name === "random 6")!;
    const h = toArray(sym.a, dt);
    const want = sym.w.map(Math.abs).sort((x, y) => y - x);
    const tol = C * 6 * eps * want[0]!;
    close(flat(jnp.linalg.svd(h, { hermitian: true, computeUv: false }) as Array), want, tol, "s");
    const res = jnp.linalg.svd(h, { hermitian: true }) as { U: Array; S: Array; Vh: Array };
    close(flat(res.S), want, tol, "S");
    const rec = jnp.matmul(res.U.mul(jnp.expandDims(res.S, 0)), res.Vh);
    close(flat(rec), sym.a.flat(), tol, "U S Vh");
  });
});
