/**
 * jax.scipy.linalg's qr / eigh / svd / polar / expm against scipy fixtures
 * (test/fixtures/make_decomp.py), float32 and float64 (x64): expm at 1-norms that select each
 * Padé degree and need squarings (relative error ≤ C·ε·κ_exp with C·ε = 64·ε, scaled by
 * ‖e^A‖), polar (unique factors of a full-rank matrix, ≤ 8·n·ε·κ), the modes and result
 * shapes of qr/eigh/svd, expm's gradient vs central finite differences (through its cond,
 * switch and scan), and the errors (generalized eigh, qdwh shapes; the nonsymmetric ones are
 * in test/primitives/linalg/nonsymmetric-*.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, grad, jit, numpy as jnp, scipy } from "../../../src/index.js";
import { type Dt, EPS, fixtures, flat } from "../../primitives/linalg/decomp-helpers.js";
import { expectClose, rng, uniform, vals } from "../../transforms/ad-helpers.js";

const SL = scipy.linalg;
beforeAll(() => config.update("jax_enable_x64", true));
afterAll(() => config.update("jax_enable_x64", false));

function closeRel(got: number[], want: number[], tol: number, what: string): void {
  const scale = Math.max(...want.map(Math.abs), 1e-300);
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]!) / scale, `${what}[${i}]`).toBeLessThanOrEqual(tol),
  );
}

describe.each(["float32", "float64"] as Dt[])("%s", (dt) => {
  const eps = EPS[dt];
  const sc = fixtures.scipy;

  it("expm at each Padé degree and with squarings, eager and jit, and batched", () => {
    for (const c of sc.expm) {
      // The exponential's condition number grows like ‖A‖ (here ≤ 40): tolerance 64·ε·(1+‖A‖₁).
      const tol = 64 * eps * (1 + c.l1);
      const a = jnp.array(c.a, dt);
      closeRel(flat(SL.expm(a)), c.expm.flat(), tol, `expm ‖A‖₁=${c.l1}`);
      closeRel(flat(jit((x: Array) => SL.expm(x))(a)), c.expm.flat(), tol, `jit ‖A‖₁=${c.l1}`);
    }
    const stack = jnp.array([sc.expm[1]!.a, sc.expm[4]!.a], dt);
    const out = SL.expm(stack);
    expect(out.shape).toEqual([2, 4, 4]);
    closeRel(flat(out.get(1)), sc.expm[4]!.expm.flat(), 64 * eps * 5, "batched");
    const up = sc.expm_upper;
    closeRel(
      flat(SL.expm(jnp.array(up.a, dt), { upperTriangular: true })),
      up.expm.flat(),
      64 * eps * 4,
      "upper_triangular",
    );
    // More squarings than max_squarings: NaN, as JAX.
    expect(
      flat(SL.expm(jnp.array(sc.expm[5]!.a, dt), { maxSquarings: 1 })).every(Number.isNaN),
    ).toBe(true);
  });

  it("polar (right and left) against scipy", () => {
    const p = sc.polar;
    const tol = 8 * 5 * eps * 10;
    for (const method of ["qdwh", "svd"] as const) {
      const [u, pd] = SL.polar(jnp.array(p.a, dt), "right", { method });
      closeRel(flat(u), p.u.flat(), tol, `${method} u`);
      closeRel(flat(pd), p.p.flat(), tol, `${method} p`);
    }
    const l = sc.polar_left;
    const [u, pd] = SL.polar(jnp.array(l.a, dt), "left");
    closeRel(flat(u), l.u.flat(), tol, "left u");
    closeRel(flat(pd), l.p.flat(), tol, "left p");
  });

  it("qr / eigh / svd modes and shapes", () => {
    const a = jnp.array(fixtures.general.find((g) => g.name === "random (7, 4)")!.a, dt);
    expect(SL.qr(a).map((x) => x.shape)).toEqual([
      [7, 7],
      [7, 4],
    ]);
    expect(SL.qr(a, { mode: "economic" }).map((x) => x.shape)).toEqual([
      [7, 4],
      [4, 4],
    ]);
    expect(SL.qr(a, { mode: "r" }).map((x) => x.shape)).toEqual([[7, 4]]);
    const piv = SL.qr(a, { mode: "economic", pivoting: true });
    expect(piv.map((x) => x.shape)).toEqual([[7, 4], [4, 4], [4]]);
    expect(piv[2]!.dtype.name).toBe("int32");
    const sym = fixtures.symmetric.find((s) => s.name === "random 6")!;
    const [w, v] = SL.eigh(jnp.array(sym.a, dt)) as [Array, Array];
    closeRel(flat(w), sym.w, 8 * 6 * eps, "eigh w");
    expect(v.shape).toEqual([6, 6]);
    closeRel(
      flat(SL.eigh(jnp.array(sym.a, dt), null, { eigvalsOnly: true }) as Array),
      sym.w,
      8 * 6 * eps,
      "eigvals_only",
    );
    const [uu, ss, vh] = SL.svd(a) as Array[];
    expect([uu!.shape, ss!.shape, vh!.shape]).toEqual([[7, 7], [4], [4, 4]]);
    expect((SL.svd(a, { computeUv: false }) as Array).shape).toEqual([4]);
  });
});

describe("derivatives and errors", () => {
  it("grad of expm vs central finite differences (float64)", () => {
    const r = rng(71);
    for (const scale of [0.2, 3]) {
      const x = uniform(r, [3, 3]).mul(scale);
      const f = (y: Array) => jnp.sum(jnp.sin(SL.expm(y)));
      const g = grad(f)(x);
      const dir = uniform(r, [3, 3]);
      const h = 1e-6;
      const fd = (vals(f(x.add(dir.mul(h))))[0]! - vals(f(x.sub(dir.mul(h))))[0]!) / (2 * h);
      expectClose(vals(jnp.sum(g.mul(dir))), [fd], 1e-6, 1e-7, `scale ${scale}`);
    }
  });

  it("JAX's errors", () => {
    expect(() => SL.eigh(jnp.eye(2), jnp.eye(2))).toThrow(
      "Only the b=None case of eigh is implemented",
    );
    expect(() => SL.qr(jnp.eye(2), { mode: "raw" as "r" })).toThrow(
      "Unsupported QR decomposition mode 'raw'",
    );
    expect(() => SL.polar(jnp.ones([2, 3]))).toThrow(/method='qdwh' only supports/);
    expect(() => SL.polar(jnp.ones([3]))).toThrow("The input `a` must be at least a 2-D array.");
    expect(() => SL.expm(jnp.ones([2, 3]))).toThrow(
      "Expected A to be a (batched) square matrix, got A.shape=(2, 3).",
    );
  });
});
