import { describe, expect, it } from "vitest";
import { numpy as jnp, lax } from "../../../src/index.js";

describe("smoke", () => {
  it("cholesky", () => {
    const a = jnp.array([[4, 2], [2, 3]], "float32");
    const l = lax.linalg.cholesky(a);
    console.log(l.tolist());
    const [lu, piv, perm] = lax.linalg.lu(jnp.array([[1, 2], [3, 4]], "float32"));
    console.log(lu.tolist(), piv.tolist(), perm.tolist());
    const x = lax.linalg.triangularSolve(l, jnp.array([[1], [2]], "float32"), { leftSide: true, lower: true });
    console.log(x.tolist());
    expect(1).toBe(1);
  });
});
