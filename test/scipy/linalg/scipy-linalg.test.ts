/**
 * jax.scipy.linalg against scipy references (test/fixtures/linalg.json, float64 under x64,
 * rtol 1e-10 scaled by n): lu (p, l, u and permute_l), cho_factor/cho_solve, lu_factor/
 * lu_solve (trans 0 and 1), solve (gen, pos), solve_triangular, inv, det; the structured
 * matrices exactly.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, numpy as jnp, scipy } from "../../../src/index.js";
import { expectClose, vals } from "../../transforms/ad-helpers.js";

const sla = scipy.linalg;
interface Case {
  n: number;
  a: number[][];
  spd: number[][];
  b: number[];
  bm: number[][];
  det: number;
  inv: number[][];
  solve: number[];
  solve_m: number[][];
  cho_solve: number[][];
  p: number[][];
  l: number[][];
  u: number[][];
}
const fx = JSON.parse(
  readFileSync(new URL("../../fixtures/linalg.json", import.meta.url), "utf8"),
) as { cases: Case[]; structured: Record<string, number[] | number[][]> };
const flat = (x: unknown): number[] => (globalThis.Array.isArray(x) ? x.flat(4) : [x]) as number[];

describe("scipy.linalg vs scipy (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  const check = (got: Array, want: unknown, what: string, scale = 1) => {
    const w = flat(want);
    expectClose(vals(got), w, 1e-10 * scale, 1e-10 * scale * Math.max(1, ...w.map(Math.abs)), what);
  };

  it.each(fx.cases.map((c) => [c.n, c] as const))("n=%i", (n, c) => {
    const a = jnp.array(c.a, "float64");
    const k = 10 * n;
    const [p, l, u] = sla.lu(a) as [Array, Array, Array];
    check(p, c.p, "p");
    check(l, c.l, "l", k);
    check(u, c.u, "u", k);
    const [pl, u2] = sla.lu(a, { permuteL: true }) as [Array, Array];
    check(
      pl,
      jnp.matmul(jnp.array(c.p, "float64"), jnp.array(c.l, "float64")).tolist(),
      "permute_l",
      k,
    );
    check(u2, c.u, "u (permute_l)", k);
    const spd = jnp.array(c.spd, "float64");
    for (const lower of [false, true]) {
      const f = sla.choFactor(spd, { lower });
      check(
        sla.choSolve(f, jnp.array(c.bm, "float64")),
        c.cho_solve,
        `cho_solve lower=${lower}`,
        k,
      );
      check(
        sla.solve(spd, jnp.array(c.bm, "float64"), { assumeA: "pos", lower }),
        c.cho_solve,
        "solve pos",
        k,
      );
    }
    const [luf, piv] = sla.luFactor(a);
    check(sla.luSolve([luf, piv], jnp.array(c.b, "float64")), c.solve, "lu_solve", k * 10);
    check(
      sla.luSolve([luf, piv], jnp.array(c.bm, "float64")),
      c.solve_m,
      "lu_solve matrix",
      k * 10,
    );
    // trans=1 solves aᵀ x = b: check the residual.
    const xt = sla.luSolve([luf, piv], jnp.array(c.bm, "float64"), 1);
    check(jnp.matmul(jnp.transpose(a), xt), c.bm, "lu_solve trans=1", k * 10);
    check(sla.solve(a, jnp.array(c.bm, "float64")), c.solve_m, "solve gen", k * 10);
    check(sla.inv(a), c.inv, "inv", k * 10);
    check(sla.det(a), c.det, "det", k);
    // solve_triangular with the lu factors: u x = b (upper), then the transposed lower.
    const x = sla.solveTriangular(u, jnp.array(c.b, "float64"));
    check(jnp.matmul(u, x), c.b, "solve_triangular upper", k * 10);
    const y = sla.solveTriangular(l, jnp.array(c.bm, "float64"), {
      lower: true,
      trans: "T",
      unitDiagonal: true,
    });
    check(jnp.matmul(jnp.transpose(l), y), c.bm, "solve_triangular lower T", k * 10);
  });

  it("structured matrices", () => {
    const s = fx.structured;
    const c = jnp.array(s["c"]!, "float64");
    const r = jnp.array(s["r"]!, "float64");
    expect(sla.toeplitz(c, r).tolist()).toEqual(s["toeplitz_cr"]);
    expect(sla.toeplitz(c).tolist()).toEqual(s["toeplitz_c"]);
    expect(sla.hankel(c, r).tolist()).toEqual(s["hankel_cr"]);
    expect(sla.hankel(c).tolist()).toEqual(s["hankel_c"]);
    expect(sla.circulant(c).tolist()).toEqual(s["circulant"]);
    expect(sla.companion(c).tolist()).toEqual(s["companion"]);
    expect(
      sla
        .blockDiag(
          jnp.array(
            [
              [1, 2],
              [3, 4],
            ],
            "float64",
          ),
          jnp.array([[5]], "float64"),
          jnp.array([[6, 7, 8]], "float64"),
        )
        .tolist(),
    ).toEqual(s["block_diag"]);
    // Batched vectors.
    const cb = jnp.stack([c, c.mul(2)]);
    expect(sla.circulant(cb).shape).toEqual([2, 4, 4]);
    expect(sla.toeplitz(cb).get(1).tolist()).toEqual(
      jnp.array(s["toeplitz_c"]!, "float64").mul(2).tolist(),
    );
    expect(sla.companion(cb).shape).toEqual([2, 3, 3]);
  });

  it("errors and names", () => {
    expect(() => sla.companion([1])).toThrow(
      "The length of `a` along the last axis must be at least 2; got shape (1,).",
    );
    expect(() => sla.solveTriangular(jnp.eye(2), [1, 1], { trans: 3 as 0 })).toThrow(
      "Invalid 'trans' value 3",
    );
    expect(() => sla.solve(jnp.eye(2), [1, 1], { assumeA: "diag" as "gen" })).toThrow(
      "Expected assume_a to be one of",
    );
    expect(() => sla.blockDiag(jnp.ones([1, 2, 2]))).toThrow(/at most 2 dimensions/);
    expect(sla.solveTriangular.name).toBe("solve_triangular");
    expect(sla.choFactor.name).toBe("cho_factor");
  });
});
