/**
 * geqrf and householder_product: Q·R reconstruction (host float64, within 8·n·ε), agreement
 * with qr's reduced Q (to round-off: the reflectors are stored in float32 first), jnp.linalg.qr(mode='raw'), jaxpr text,
 * vmap vs a loop, the wasm device vs the js device, and JAX's errors (shapes; no JVP).
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  ValueError,
  grad,
  lax,
  makeJaxpr,
  numpy as jnp,
  vmap,
} from "../../../src/index.js";
import { on } from "../../backend/differential-helpers.js";
import { rng, uniform } from "../../transforms/ad-helpers.js";
import { EPS, diff, flat, fro, mat, mm, orthoResidual } from "./decomp-helpers.js";

describe("geqrf / householder_product", () => {
  const a = uniform(rng(81), [6, 4], -1, 1, "float32");

  it("householder_product(geqrf(a)) is qr's Q; Q·triu(R) = A", () => {
    const [packed, taus] = lax.linalg.geqrf(a);
    expect([packed.shape, taus.shape]).toEqual([[6, 4], [4]]);
    const q = lax.linalg.householderProduct(packed, taus);
    const [qq, rr] = lax.linalg.qr(a, { fullMatrices: false }) as Array[];
    const tol = 8 * 6 * EPS.float32;
    // geqrf's reflectors and taus are stored in float32 before the product (qr keeps them in
    // float64 scratch): equal to round-off; R is the same rounding of the same value.
    expect(fro(diff(mat(q), mat(qq!)))).toBeLessThanOrEqual(tol);
    const r = jnp.triu(packed.get("0:4"));
    expect(flat(r)).toEqual(flat(rr!));
    expect(orthoResidual(mat(q))).toBeLessThanOrEqual(tol);
    expect(fro(diff(mm(mat(q), mat(r)), mat(a))) / fro(mat(a))).toBeLessThanOrEqual(tol);
    // Fewer reflectors than columns: the product of the first two only.
    const q2 = lax.linalg.householderProduct(packed, taus.get("0:2"));
    expect(orthoResidual(mat(q2))).toBeLessThanOrEqual(tol);
    expect(flat(q2.get(":", "0:2"))).toEqual(flat(q.get(":", "0:2")));
  });

  it("jnp.linalg.qr(mode='raw') → (packedᵀ, taus)", () => {
    const [h, taus] = jnp.linalg.qr(a, "raw") as unknown as Array[];
    expect([h!.shape, taus!.shape]).toEqual([[4, 6], [4]]);
    expect(flat(h!)).toEqual(flat(jnp.swapaxes(lax.linalg.geqrf(a)[0], 0, 1)));
  });

  it("jaxpr text, vmap vs a loop, wasm vs js", () => {
    expect(makeJaxpr((x: Array) => lax.linalg.geqrf(x))(a).toString()).toBe(
      "{ lambda ; a:f32[6,4]. let b:f32[6,4] c:f32[4] = geqrf a in (b, c) }",
    );
    const b = uniform(rng(82), [3, 5, 3], -1, 1, "float32");
    const f = (x: Array) => {
      const [p, t] = lax.linalg.geqrf(x);
      return lax.linalg.householderProduct(p, t);
    };
    const batched = vmap(f, { inAxes: 1 })(jnp.moveaxis(b, 0, 1));
    for (let k = 0; k < 3; k++) expect(flat(batched.get(k))).toEqual(flat(f(b.get(k))));
    expect(on("wasm", () => flat(f(b)))).toEqual(on("js", () => flat(f(b))));
  });

  it("JAX's errors", () => {
    expect(() => lax.linalg.householderProduct(jnp.ones([2, 3]), jnp.ones([2]))).toThrow(
      new ValueError(
        "The first argument to householder_product must have at least as many rows as columns, got shape (2, 3)",
      ),
    );
    expect(() => lax.linalg.householderProduct(jnp.ones([3, 2]), jnp.ones([3]))).toThrow(
      ValueError,
    );
    expect(() => grad((x: Array) => jnp.sum(lax.linalg.geqrf(x)[0]))(jnp.eye(2))).toThrow(/geqrf/);
  });
});
