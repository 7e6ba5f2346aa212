/**
 * Known bug (found while testing jax.export, session 21): grad of `checkpoint(f)` where `f`
 * calls a jitted function (a pjit inside the checkpoint's jaxpr) raises "mul transpose: both
 * operands are linear" — JAX returns the gradient. `it.fails` documents it: when the bug is
 * fixed this test fails, and it should become a plain `it` comparing with the value below.
 */
import { describe, expect, it } from "vitest";
import { type Array, checkpoint, grad, jit, numpy as jnp } from "../../src/index.js";

describe("grad through checkpoint of a jitted function", () => {
  it.fails("matches grad without checkpoint (known bug)", () => {
    const inner = jit((x: Array) => jnp.multiply(jnp.sin(x), x));
    const v = jnp.array([0.5, -1, 2], { dtype: "float32" });
    const withCheckpoint = (x: Array) => jnp.sum(checkpoint((u: Array) => jnp.exp(inner(u)))(x));
    const without = (x: Array) => jnp.sum(jnp.exp(inner(x)));
    expect(grad(withCheckpoint)(v).tolist()).toEqual(grad(without)(v).tolist());
  });
});
