import { describe, expect, it } from "vitest";
import { type Array, float, jit, makeJaxpr, numpy as jnp } from "../../src/index.js";

// The seed notebook's jaxprs, verbatim.
describe("jaxpr text", () => {
  it("prints relu on one line", () => {
    const relu = (x: Array) => jnp.maximum(0.0, x);
    expect(makeJaxpr(relu)(float(5.0)).toString()).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = max 0.0 a in (b,) }",
    );
  });

  it("prints sigmoid in the multi-line layout", () => {
    const sigmoid = (x: Array) => jnp.divide(1, jnp.exp(x.neg()).add(1));
    expect(makeJaxpr(sigmoid)(float(5.0)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = neg a",
        "    c:f32[] = exp b",
        "    d:f32[] = add c 1.0",
        "    e:f32[] = div 1.0 d",
        "  in (e,) }",
      ].join("\n"),
    );
  });

  it("joins equations with '; ' when they fit in 80 columns", () => {
    const f = (x: Array) => jnp.cos(jnp.sin(x));
    expect(makeJaxpr(f)(float(1)).toString()).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = cos b in (c,) }",
    );
  });

  it("prints an empty body, literal outputs and several outputs", () => {
    expect(makeJaxpr((x: Array) => x)(float(1)).toString()).toBe(
      "{ lambda ; a:f32[]. let  in (a,) }",
    );
    expect(makeJaxpr((x: Array) => [x, x])(1 as never).toString()).toBe(
      "{ lambda ; a:i32[]. let  in (a, a) }",
    );
  });

  it("names variables a..z, then ba, bb", () => {
    const f = (x: Array) => {
      let y = x;
      for (let i = 0; i < 27; i++) y = y.neg();
      return y;
    };
    const text = makeJaxpr(f)(float(1)).toString();
    expect(text).toContain("z:f32[] = neg y");
    expect(text).toContain("ba:f32[] = neg z");
    expect(text).toContain("bb:f32[] = neg ba");
  });

  it("prints params in brackets and integer_pow for x.pow(3)", () => {
    const f = (x: Array) => x.pow(3).sum();
    expect(makeJaxpr(f)(jnp.ones([3])).toString()).toBe(
      "{ lambda ; a:f32[3]. let\n    b:f32[3] = integer_pow[y=3] a\n    c:f32[] = reduce_sum[axes=(0,)] b\n  in (c,) }",
    );
  });

  it("hoists non-scalar constants to constvars and inlines scalar ones", () => {
    const c = jnp.array([1, 2, 3], "float32");
    const f = (x: Array) => x.mul(c).add(jnp.float32(2));
    expect(makeJaxpr(f)(jnp.ones([3])).toString()).toBe(
      "{ lambda a:f32[3]; b:f32[3]. let\n    c:f32[3] = mul b a\n    d:f32[3] = add c 2.0\n  in (d,) }",
    );
  });

  it("stages operations on constants (omnistaging)", () => {
    const f = (x: Array) => x.mul(jnp.log(2.0));
    expect(makeJaxpr(f)(float(1)).toString()).toBe(
      "{ lambda ; a:f32[]. let b:f32[] = log 2.0; c:f32[] = mul a b in (c,) }",
    );
  });

  it("flattens pytree inputs and outputs", () => {
    const f = (p: { w: Array; b: Array }, x: Array) => ({ y: p.w.mul(x).add(p.b) });
    const text = makeJaxpr(f)({ w: jnp.ones([2]), b: jnp.zeros([2]) }, jnp.ones([2])).toString();
    expect(text).toBe(
      "{ lambda ; a:f32[2] b:f32[2] c:f32[2]. let\n    d:f32[2] = mul b c\n    e:f32[2] = add d a\n  in (e,) }",
    );
  });

  it("prints nested jit as pjit with the inner jaxpr", () => {
    const innerJit = jit(function inner(x: Array) {
      return jnp.sin(x);
    });
    const f = (x: Array) => innerJit(x).add(1);
    expect(makeJaxpr(f)(float(1)).toString()).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = pjit[",
        "      name=inner",
        "      jaxpr={ lambda ; c:f32[]. let d:f32[] = sin c in (d,) }",
        "    ] a",
        "    e:f32[] = add b 1.0",
        "  in (e,) }",
      ].join("\n"),
    );
  });

  it("converts weak to strong types with convert_element_type as JAX does", () => {
    const f = (x: Array, y: Array) => x.add(y);
    expect(makeJaxpr(f)(float(1), jnp.float32(2)).toString()).toBe(
      [
        "{ lambda ; a:f32[] b:f32[]. let",
        "    c:f32[] = convert_element_type[new_dtype=float32 weak_type=False] a",
        "    d:f32[] = add c b",
        "  in (d,) }",
      ].join("\n"),
    );
  });

  it("prints a traced value as JAX does", () => {
    let seen = "";
    makeJaxpr((x: Array) => {
      seen = `${x}`;
      return x;
    })(float(5.0));
    expect(seen).toBe(
      "Traced<ShapedArray(float32[], weak_type=True)>with<DynamicJaxprTrace(level=1/0)>",
    );
  });
});
