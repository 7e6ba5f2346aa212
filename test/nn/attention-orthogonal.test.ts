/**
 * nn.dot_product_attention against a float64 numpy implementation of JAX's XLA semantics
 * (test/fixtures/make_attention.py → attention.json; float32 tolerance 2e-5), jit vs eager,
 * both devices, an FD gradient; nn.initializers.orthogonal / delta_orthogonal properties.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, ValueError, config, jit, nn, numpy as jnp, random } from "../../src/index.js";
import ref from "../fixtures/attention.json" with { type: "json" };
import { checkGrads, rng, uniform } from "../transforms/ad-helpers.js";

const close = (got: Array, want: unknown, tol = 2e-5): void => {
  const w = (want as number[]).flat(4) as number[];
  const g = [...got.toTypedArray()].map(Number);
  expect(g.length).toBe(w.length);
  g.forEach((x, i) => expect(Math.abs(x - w[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(w[i]!))));
};

describe("dot_product_attention", () => {
  const q = jnp.array(ref.q);
  const k = jnp.array(ref.k);
  const v = jnp.array(ref.v);
  for (const device of ["wasm", "js"]) {
    it(`matches numpy (${device}): plain, bias+mask+scale, causal, kv lengths; jit`, () => {
      const prev = config.read("defaultDevice");
      config.update("defaultDevice", device);
      try {
        close(nn.dotProductAttention(q, k, v), ref.plain);
        const opts = { bias: jnp.array(ref.bias), mask: jnp.array(ref.mask, "bool"), scale: 0.5 };
        close(nn.dotProductAttention(q, k, v, opts), ref.biasMask);
        close(nn.dotProductAttention(q, k, v, { isCausal: true }), ref.causal);
        const lens = jnp.array(ref.kvLen);
        close(nn.dotProductAttention(q, k, v, { keyValueSeqLengths: lens }), ref.kvLengths);
        const f = jit((a: Array, b: Array, c: Array) =>
          nn.dotProductAttention(a, b, c, { isCausal: true }),
        );
        close(f(q, k, v), ref.causal);
      } finally {
        config.update("defaultDevice", prev);
      }
    });
  }
  it("unbatched inputs, errors", () => {
    const out = nn.dotProductAttention(q.get(0), k.get(0), v.get(0));
    expect(out.shape).toEqual([3, 4, 5]);
    close(out, (ref.plain as unknown[])[0]);
    expect(() =>
      nn.dotProductAttention(
        jnp.ones([1, 2, 3, 4]),
        jnp.ones([1, 2, 2, 4]),
        jnp.ones([1, 2, 2, 4]),
      ),
    ).toThrow(/multiple/);
    expect(() => nn.dotProductAttention(q, k, v, { mask: jnp.ones([2, 1, 3, 4]) })).toThrow(
      /boolean/,
    );
  });
});

describe("gradient vs central differences (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  it("dot_product_attention in q, k, v", () => {
    const x = (s: number[], seed: number) => uniform(rng(seed), s, -1, 1);
    checkGrads(
      "attention",
      (a: Array, b: Array, c: Array) => nn.dotProductAttention(a, b, c, { isCausal: true }),
      [x([1, 3, 2, 2], 1), x([1, 3, 1, 2], 2), x([1, 3, 1, 2], 3)],
      // As JAX's, the softmax runs in float32 even under x64: float32-level tolerances.
      { rtol: 2e-3, atol: 2e-4, eps: 1e-3 },
    );
  });
});

describe("orthogonal initializers", () => {
  it("orthogonal: orthonormal columns (tall) or rows (wide), scaled; column_axis", () => {
    const key = random.key(0);
    const tall = nn.initializers.orthogonal(2.0)(key, [6, 3]);
    const g = [...jnp.matmul(jnp.transpose(tall), tall).toTypedArray()];
    g.forEach((x, i) => expect(Math.abs(Number(x) - (i % 4 === 0 ? 4 : 0))).toBeLessThan(1e-5));
    const wide = nn.initializers.orthogonal()(key, [2, 5]);
    const h = [...jnp.matmul(wide, jnp.transpose(wide)).toTypedArray()];
    h.forEach((x, i) => expect(Math.abs(Number(x) - (i % 3 === 0 ? 1 : 0))).toBeLessThan(1e-5));
    const w = nn.initializers.orthogonal(1, 0)(key, [4, 3, 2]);
    expect(w.shape).toEqual([4, 3, 2]);
    const m = jnp.reshape(jnp.moveaxis(w, 0, -1), [6, 4]);
    const p = [...jnp.matmul(jnp.transpose(m), m).toTypedArray()];
    p.forEach((x, i) => expect(Math.abs(Number(x) - (i % 5 === 0 ? 1 : 0))).toBeLessThan(1e-5));
    expect(() => nn.initializers.orthogonal()(key, [3])).toThrow(ValueError);
  });
  it("delta_orthogonal: an orthogonal matrix at the kernel centre, zeros elsewhere", () => {
    const w = nn.initializers.deltaOrthogonal()(random.key(1), [3, 3, 4, 4]);
    const centre = w.get(1, 1);
    const c = [...jnp.matmul(jnp.transpose(centre), centre).toTypedArray()];
    c.forEach((x, i) => expect(Math.abs(Number(x) - (i % 5 === 0 ? 1 : 0))).toBeLessThan(1e-5));
    expect(jnp.sum(jnp.abs(w)).item() as number).toBeCloseTo(
      jnp.sum(jnp.abs(centre)).item() as number,
      5,
    );
    expect(() => nn.initializers.deltaOrthogonal()(random.key(1), [3, 4, 2])).toThrow(/fan_in/);
    expect(() => nn.initializers.deltaOrthogonal()(random.key(1), [4, 4])).toThrow(/3D, 4D or 5D/);
  });
});
