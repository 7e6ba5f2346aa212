/**
 * Exact jaxpr text of transformed functions, as JAX 0.4.x prints it. The first two are JAX's
 * own examples (grad of sin; the `make_jaxpr` docstring's grad of sin∘cos); the others follow
 * from JAX's rules (mul's JVP contributions summed with add_any, transposed in reverse order;
 * vmap's broadcast_batcher inserting a size-1 axis for an unbatched operand).
 */
import { describe, expect, it } from "vitest";
import {
  checkpoint,
  customJvp,
  float,
  grad,
  jit,
  jvp,
  lax,
  makeJaxpr,
  numpy as jnp,
  vmap,
} from "../../src/index.js";
import type { Array } from "../../src/index.js";

describe("jaxprs of grad", () => {
  it("grad(sin): sin (unused, `_`), cos, mul 1.0", () => {
    expect(makeJaxpr(grad(jnp.sin))(float(1.0)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    _:f32[] = sin a",
        "    b:f32[] = cos a",
        "    c:f32[] = mul 1.0 b",
        "  in (c,) }",
      ].join("\n"),
    );
  });

  it("grad(sin∘cos): JAX's make_jaxpr docstring example", () => {
    const f = (x: Array) => jnp.sin(jnp.cos(x));
    expect(makeJaxpr(f)(float(3.0)).toString()).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = cos a; c:f32[] = sin b in (c,) }",
    );
    expect(makeJaxpr(grad(f))(float(3.0)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = cos a",
        "    c:f32[] = sin a",
        "    _:f32[] = sin b",
        "    d:f32[] = cos b",
        "    e:f32[] = mul 1.0 d",
        "    f:f32[] = neg e",
        "    g:f32[] = mul f c",
        "  in (g,) }",
      ].join("\n"),
    );
  });

  it("grad(x*x): contributions accumulated with add_any", () => {
    expect(makeJaxpr(grad((x: Array) => x.mul(x)))(float(3.0)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    _:f32[] = mul a a",
        "    b:f32[] = mul a 1.0",
        "    c:f32[] = mul 1.0 a",
        "    d:f32[] = add_any b c",
        "  in (d,) }",
      ].join("\n"),
    );
  });

  it("grad of a sum over a vector: reduce_sum transposes to broadcast_in_dim", () => {
    const text = makeJaxpr(grad((x: Array) => jnp.sum(jnp.sin(x))))(jnp.ones([3])).toString();
    expect(text).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = sin a",
        "    c:f32[3] = cos a",
        "    _:f32[] = reduce_sum[axes=(0,)] b",
        "    d:f32[3] = broadcast_in_dim[broadcast_dimensions=() shape=(3,)] 1.0",
        "    e:f32[3] = mul d c",
        "  in (e,) }",
      ].join("\n"),
    );
  });

  it("unused outputs print as `_` in any staged jaxpr (as JAX's to_jaxpr)", () => {
    const f = (x: Array) => {
      jnp.sin(x);
      return jnp.cos(x);
    };
    expect(makeJaxpr(f)(float(1.0)).toString()).toBe(
      "{ lambda ; a:f32[]. let _:f32[] = sin a; b:f32[] = cos a in (b,) }",
    );
  });

  it("jvp: primal and tangent computations interleaved", () => {
    const text = makeJaxpr((x: Array, t: Array) => jvp(jnp.sin, [x], [t]))(
      float(1.0),
      float(1.0),
    ).toString();
    expect(text).toBe(
      [
        "{ lambda ; a:f32[] b:f32[]. let",
        "    c:f32[] = sin a",
        "    d:f32[] = cos a",
        "    e:f32[] = mul b d",
        "  in (c, e) }",
      ].join("\n"),
    );
  });

  it("grad of a jitted function: a known pjit and a transposed one", () => {
    const text = makeJaxpr(
      grad(
        jit(function f(x: Array) {
          return jnp.sin(x);
        }),
      ),
    )(float(1.0)).toString();
    expect(text).toContain("pjit[");
    expect(text).toContain("name=f");
    expect(text.match(/pjit\[/g)!.length).toBe(2);
  });

  it("custom_jvp_call is staged with its call_jaxpr", () => {
    const g = customJvp(function f(x: Array) {
      return jnp.sin(x);
    });
    g.defjvp(([x]: Array[], [t]: Array[]) => [jnp.sin(x), t.mul(2)]);
    const text = makeJaxpr((x: Array) => g(x))(float(1.0)).toString();
    expect(text).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = custom_jvp_call[",
        "      call_jaxpr={ lambda ; c:f32[]. let d:f32[] = sin c in (d,) }",
        "      jvp_jaxpr_thunk=<function f_jvp>",
        "      num_consts=0",
        "      symbolic_zeros=False",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("checkpoint: the backward pass recomputes the forward inside a checkpoint", () => {
    const f = checkpoint((x: Array) => jnp.sin(jnp.sin(x)));
    expect(makeJaxpr(grad(f))(float(1.0)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = sin a",
        "    _:f32[] = sin b",
        "    c:f32[] = checkpoint[",
        "      differentiated=True",
        "      jaxpr={ lambda ; d:f32[] e:f32[]. let",
        "          f:f32[] = sin d",
        "          g:f32[] = cos d",
        "          h:f32[] = cos f",
        "          i:f32[] = mul e h",
        "          j:f32[] = mul i g",
        "        in (j,) }",
        "      policy=None",
        "      prevent_cse=True",
        "    ] a 1.0",
        "  in (c,) }",
      ].join("\n"),
    );
  });
});

describe("jaxprs of vmap", () => {
  it("an unbatched operand gets a size-1 leading axis (broadcast_batcher)", () => {
    const text = makeJaxpr(vmap((a: Array, b: Array) => a.add(b), [0, null]))(
      jnp.ones([2, 3]),
      jnp.ones([3]),
    ).toString();
    expect(text).toBe(
      [
        "{ lambda ; a:f32[2,3] b:f32[3]. let",
        "    c:f32[1,3] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(1, 3)] b",
        "    d:f32[2,3] = add a c",
        "  in (d,) }",
      ].join("\n"),
    );
  });

  it("matching batch dims: the primitive applied directly", () => {
    expect(makeJaxpr(vmap((a: Array) => lax.sin(a)))(jnp.ones([2, 3])).toString()).toBe(
      "{ lambda ; a:f32[2,3]. let b:f32[2,3] = sin a in (b,) }",
    );
  });

  it("reduction axes are shifted past the batch dim", () => {
    expect(
      makeJaxpr(vmap((a: Array) => jnp.sum(a, { axis: 0 }), [1]))(jnp.ones([3, 2])).toString(),
    ).toBe(
      [
        "{ lambda ; a:f32[3,2]. let",
        "    b:f32[2,3] = transpose[permutation=(1, 0)] a",
        "    c:f32[2] = reduce_sum[axes=(1,)] b",
        "  in (c,) }",
      ].join("\n"),
    );
  });
});
