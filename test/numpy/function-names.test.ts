/**
 * Every public jnp / lax / nn function carries its JAX (Python) name, so `jit` of it prints
 * `pjit[name=...]` as JAX does. Jaxpr texts are JAX's for the same programs.
 */
import { describe, expect, it } from "vitest";
import { jit, lax, makeJaxpr, nn, numpy as jnp } from "../../src/index.js";

const x = jnp.array([0, 1, 2], "float32");

describe("public functions have JAX's names", () => {
  it("jit(jnp.sin) stages pjit[name=sin]", () => {
    expect(makeJaxpr((a: jnp.ndarray) => jit(jnp.sin)(a))(x).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = pjit[",
        "      name=sin",
        "      jaxpr={ lambda ; c:f32[3]. let d:f32[3] = sin c in (d,) }",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("jit(jnp.add) stages pjit[name=add]", () => {
    expect(makeJaxpr((a: jnp.ndarray) => jit(jnp.add)(a, a))(x).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = pjit[",
        "      name=add",
        "      jaxpr={ lambda ; c:f32[3] d:f32[3]. let e:f32[3] = add c d in (e,) }",
        "    ] a a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("jit(nn.relu) stages pjit[name=relu] around the custom_jvp_call (still named relu)", () => {
    expect(makeJaxpr((a: jnp.ndarray) => jit(nn.relu)(a))(x).toString()).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = pjit[",
        "      name=relu",
        "      jaxpr={ lambda ; c:f32[3]. let",
        "          d:f32[3] = custom_jvp_call[",
        "            call_jaxpr={ lambda ; e:f32[3]. let",
        "                f:f32[3] = pjit[",
        "                  name=relu",
        "                  jaxpr={ lambda ; g:f32[3]. let h:f32[3] = max g 0.0 in (h,) }",
        "                ] e",
        "              in (f,) }",
        "            jvp_jaxpr_thunk=<function relu_jvp>",
        "            num_consts=0",
        "            symbolic_zeros=False",
        "          ] c",
        "        in (d,) }",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("camelCase functions print their snake_case JAX names", () => {
    const pjitName = (f: (...a: any[]) => unknown, ...args: unknown[]) =>
      /name=(\S+)/.exec(makeJaxpr((...a: unknown[]) => jit(f)(...a))(...args).toString())![1];
    expect(pjitName(jnp.floorDivide, x, x)).toBe("floor_divide");
    expect(pjitName(jnp.matmul, jnp.ones([2, 2]), jnp.ones([2, 2]))).toBe("matmul");
    expect(pjitName(nn.softmax, x)).toBe("softmax");
    expect(pjitName(nn.logSoftmax, x)).toBe("log_softmax");
  });

  it("names by module", () => {
    expect(jnp.sin.name).toBe("sin");
    expect(jnp.add.name).toBe("add");
    expect(jnp.subtract.name).toBe("subtract");
    expect(jnp.arctan2.name).toBe("arctan2");
    expect(jnp.greaterEqual.name).toBe("greater_equal");
    expect(jnp.divide.name).toBe("divide");
    expect(jnp.trueDivide.name).toBe("true_divide");
    expect(jnp.abs.name).toBe("abs");
    expect(jnp.absolute.name).toBe("absolute");
    expect(jnp.logicalAnd.name).toBe("logical_and");
    expect(jnp.var.name).toBe("var");
    expect(jnp.var_.name).toBe("var");
    expect(jnp.arraySplit.name).toBe("array_split");
    expect(jnp.atleast1d.name).toBe("atleast_1d");
    expect(jnp.empty.name).toBe("empty");
    // Aliases keep the name of what they alias, as JAX's `mod = remainder`, `pow = power`.
    expect(jnp.mod.name).toBe("remainder");
    expect(jnp.pow.name).toBe("power");
    expect(lax.dotGeneral.name).toBe("dot_general");
    expect(lax.sin.name).toBe("sin");
    expect(lax.add.name).toBe("add");
    expect(lax.and.name).toBe("bitwise_and");
    expect(lax.not.name).toBe("bitwise_not");
    expect(lax.isFinite.name).toBe("is_finite");
    expect(lax.reduceSum.name).toBe("reduce_sum");
    expect(lax.scatterAdd.name).toBe("scatter_add");
    expect(lax.switch.name).toBe("switch");
    expect(lax.erfc.name).toBe("erfc");
    expect(nn.relu.name).toBe("relu");
    expect(nn.leakyRelu.name).toBe("leaky_relu");
    expect(nn.oneHot.name).toBe("one_hot");
    expect(nn.swish.name).toBe("silu");
  });

  it("no exported function of jnp, lax or nn is unnamed or camelCase", () => {
    for (const [mod, ns] of [
      ["jnp", jnp],
      ["lax", lax],
      ["nn", nn],
    ] as const) {
      for (const [key, v] of Object.entries(ns)) {
        if (typeof v !== "function" || /^class\b/.test(Function.prototype.toString.call(v)))
          continue;
        expect(v.name, `${mod}.${key}`).toMatch(/^[a-z][a-z0-9_]*$/);
      }
    }
  });
});
