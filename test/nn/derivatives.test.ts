/**
 * jax.nn under differentiation, as JAX 0.4.x defines it (jax/_src/nn/functions.py):
 * relu and relu6 are `custom_jvp` functions wrapping a jitted body, with `defjvps` rules that
 * pass the tangent only strictly inside the linear piece (so relu'(0) = 0, relu6'(0) =
 * relu6'(6) = 0); softmax (the default, non-custom_jvp path) and logsumexp subtract a
 * stop-gradient'ed max. The jaxpr texts follow from those definitions and JAX's rules
 * (custom_jvp_call staged with its call_jaxpr; select_n transposed to `select_n p 0.0 ct`).
 *
 * Finite differences in float64 (x64 on for the checkGrads cases): rtol 1e-6 / atol 1e-7 first
 * order, 10× that second order (see test/transforms/ad-helpers.ts); sample points avoid kinks.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  type Array,
  config,
  float,
  grad,
  jit,
  jvp,
  makeJaxpr,
  nn,
  numpy as jnp,
  vmap,
} from "../../src/index.js";
import { checkGrads, vals } from "../transforms/ad-helpers.js";

afterEach(() => config.update("jax_enable_x64", false));

const f32 = (v: number[]) => jnp.array(v, "float32");
const f64 = (v: number[]) => jnp.asarray(Float64Array.from(v));

describe("relu / relu6 are custom_jvp functions", () => {
  it("makeJaxpr(nn.relu): custom_jvp_call around pjit[name=relu]", () => {
    expect(makeJaxpr(nn.relu)(jnp.ones([3])).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = custom_jvp_call[",
        "      call_jaxpr={ lambda ; c:f32[3]. let",
        "          d:f32[3] = pjit[",
        "            name=relu",
        "            jaxpr={ lambda ; e:f32[3]. let f:f32[3] = max e 0.0 in (f,) }",
        "          ] c",
        "        in (d,) }",
        "      jvp_jaxpr_thunk=<function relu_jvp>",
        "      num_consts=0",
        "      symbolic_zeros=False",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("makeJaxpr(grad(nn.relu)): the primal call, then the rule's select transposed", () => {
    expect(makeJaxpr(grad(nn.relu))(float(0)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    _:f32[] = custom_jvp_call[",
        "      call_jaxpr={ lambda ; b:f32[]. let",
        "          c:f32[] = pjit[",
        "            name=relu",
        "            jaxpr={ lambda ; d:f32[]. let e:f32[] = max d 0.0 in (e,) }",
        "          ] b",
        "        in (c,) }",
        "      jvp_jaxpr_thunk=<function relu_jvp>",
        "      num_consts=0",
        "      symbolic_zeros=False",
        "    ] a",
        "    f:bool[] = gt a 0.0",
        "    g:f32[] = select_n f 0.0 1.0",
        "  in (g,) }",
      ].join("\n"),
    );
  });

  it("makeJaxpr(grad(nn.relu6)): (x > 0) & (x < 6) selects the tangent", () => {
    const text = makeJaxpr(grad(nn.relu6))(float(1)).toString();
    expect(text).toContain("jaxpr={ lambda ; d:f32[]. let\n                e:f32[] = max d 0.0\n");
    expect(text).toContain("f:f32[] = min e 6.0");
    expect(text).toContain(
      [
        "    g:bool[] = gt a 0.0",
        "    h:bool[] = lt a 6.0",
        "    i:bool[] = and g h",
        "    j:f32[] = select_n i 0.0 1.0",
        "  in (j,) }",
      ].join("\n"),
    );
  });

  it("integer inputs keep their dtype inside the custom_jvp_call", () => {
    const text = makeJaxpr(nn.relu)(jnp.array([-2, 3])).toString();
    expect(text).toContain("f:i32[2] = max e 0 in (f,)");
  });

  it("derivative 0 at the kinks, 1 inside, 0 outside", () => {
    const d = (f: (x: Array) => Array, v: number) => vals(grad(f)(float(v)))[0];
    expect([-1, 0, 1e-3, 2].map((v) => d(nn.relu, v))).toEqual([0, 0, 1, 1]);
    expect([-1, 0, 3, 6, 7].map((v) => d(nn.relu6, v))).toEqual([0, 0, 1, 0, 0]);
    // through the functions built on relu6 (hard_sigmoid = relu6(x + 3) / 6)
    expect(d(nn.hardSigmoid, -3)).toBe(0);
    expect(d(nn.hardSigmoid, 0)).toBeCloseTo(1 / 6, 7);
  });

  it("jvp, vmap(grad) and jit(grad) use the rule", () => {
    const [y, t] = jvp(nn.relu, [f32([-1, 0, 2])], [f32([5, 5, 5])]) as Array[];
    expect(vals(y!)).toEqual([0, 0, 2]);
    expect(vals(t!)).toEqual([0, 0, 5]);
    expect(vals(vmap(grad(nn.relu))(f32([-1, 0, 2])))).toEqual([0, 0, 1]);
    const g = jit(grad((x: Array) => jnp.sum(nn.relu6(x))));
    expect(vals(g(f32([-1, 0, 3, 6, 7])))).toEqual([0, 0, 1, 0, 0]);
  });

  it("match finite differences away from the kinks (float64)", () => {
    config.update("jax_enable_x64", true);
    const x = f64([-2.5, -0.7, 0.3, 1.9, 5.2, 6.8]);
    checkGrads("relu", (a) => nn.relu(a).mul(a), [x], { order2: true });
    checkGrads("relu6", (a) => nn.relu6(a).mul(a), [x], { order2: true });
    checkGrads("hardSilu", (a) => nn.hardSilu(a), [f64([-3.5, -1.2, 0.4, 2.9, 3.3])], {
      order2: true,
    });
  });
});

describe("softmax / logsumexp: stop-gradient'ed max (no custom rule by default)", () => {
  it("logsumexp stages JAX's structure: select(isfinite(max), max, 0) under stop_gradient", () => {
    expect(makeJaxpr((x: Array) => nn.logsumexp(x, { axis: 1 }))(jnp.ones([2, 3])).toString()).toBe(
      [
        "{ lambda ; a:f32[2,3]. let",
        "    b:f32[2] = reduce_max[axes=(1,)] a",
        "    c:bool[2] = is_finite b",
        "    d:f32[2] = broadcast_in_dim[broadcast_dimensions=() shape=(2,)] 0.0",
        "    e:f32[2] = select_n c d b",
        "    f:f32[2] = stop_gradient e",
        "    g:f32[2,1] = broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 1)] f",
        "    h:f32[2,3] = sub a g",
        "    i:f32[2,3] = exp h",
        "    j:f32[2] = reduce_sum[axes=(1,)] i",
        "    _:f32[2] = sign j",
        "    k:f32[2] = abs j",
        "    l:f32[2] = log k",
        "    m:f32[2] = add l f",
        "  in (m,) }",
      ].join("\n"),
    );
  });

  it("logsumexp with b: entries scaled by 0 are dropped before the max (JAX)", () => {
    const out = nn.logsumexp(f32([Infinity, 1, 2]), { b: f32([0, 1, 1]) });
    expect(vals(out)[0]).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2)), 5);
  });

  it("gradients match finite differences (float64)", () => {
    config.update("jax_enable_x64", true);
    const x = f64([0.3, -1.2, 2.2, 0.9, -0.4, 1.1]).reshape([2, 3]);
    checkGrads("softmax", (a) => nn.softmax(a), [x], { order2: true });
    checkGrads("logSoftmax", (a) => nn.logSoftmax(a, 0), [x], { order2: true });
    checkGrads("logsumexp", (a) => nn.logsumexp(a, { axis: 1 }), [x], { order2: true });
    checkGrads(
      "logsumexp b",
      (a, b) => nn.logsumexp(a, { axis: 1, b }),
      [x, f64([0.5, 2, 1, 1.5, 0.25, 3]).reshape([2, 3])],
      { order2: true },
    );
  });
});
