import { describe, expect, it } from "vitest";
import { type Array, float, grad, jit, makeJaxpr, numpy as jnp } from "../../src/index.js";
import { printJaxpr } from "../../src/ir/print.js";
import { optimize } from "../../src/runtime/optimize.js";

const optimized = (f: (x: Array) => Array, x: Array) => printJaxpr(optimize(makeJaxpr(f)(x).jaxpr));

describe("simplification passes", () => {
  it("inlines nested pjit, folds constants, shares common subexpressions, drops dead code", () => {
    const inner = jit(function inner(x: Array) {
      return jnp.sin(x).mul(jnp.log(2.0));
    });
    const f = (x: Array) => {
      jnp.cos(x); // dead
      return inner(x).add(inner(x)).add(jnp.exp(1.0).mul(2));
    };
    expect(optimized(f, jnp.ones([4]))).toBe(
      [
        "{ lambda ; a:f32[4]. let",
        "    b:f32[4] = sin a",
        "    c:f32[4] = mul b 0.6931472",
        "    d:f32[4] = add c c",
        "    e:f32[4] = add d 5.4365635",
        "  in (e,) }",
      ].join("\n"),
    );
  });

  it("keeps the traced jaxpr untouched (makeJaxpr shows what was traced)", () => {
    const text = makeJaxpr((x: Array) => x.mul(jnp.log(2.0)))(float(1)).toString();
    expect(text).toContain("log 2.0");
  });

  it("compiles a shared subexpression read twice by one consumer into one kernel", () => {
    const f = jit(function twice(x: Array) {
      const c = jnp.sin(x).mul(3);
      return c.add(c);
    });
    const text = f.lower(jnp.ones([4])).asText();
    expect(text).toContain("1 kernel(s)");
    expect(f(jnp.zeros([4])).tolist()).toEqual([0, 0, 0, 0]);
  });

  it("folds the transpose of a weight gradient into its dot_general (operands swapped)", () => {
    const loss = (w: Array, x: Array) => jnp.sum(jnp.matmul(x, w));
    const g = (w: Array, x: Array) => grad(loss)(w, x) as Array;
    const traced = makeJaxpr(g)(jnp.ones([3, 2]), jnp.ones([4, 3]));
    expect(traced.toString()).toContain("transpose[permutation=(1, 0)]");
    const text = printJaxpr(optimize(traced.jaxpr));
    expect(text).not.toContain("transpose");
    expect(
      jit(g)(jnp.ones([3, 2]), jnp.arange(12).reshape(4, 3).astype("float32")).tolist(),
    ).toEqual([
      [18, 18],
      [22, 22],
      [26, 26],
    ]);
  });
});
