/**
 * namedCall / namedScope: the name stack each staged equation carries, printed as JAX's
 * `pretty_print(name_stack=True)` (scopes joined by `/`, transforms wrapping them:
 * `jvp(foo)`, `transpose(jvp(foo))`, `vmap(s)`), the default text unchanged, values
 * unchanged, and JAX's TypeErrors.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  grad,
  jit,
  makeJaxpr,
  namedCall,
  namedScope,
  numpy as jnp,
  vmap,
} from "../../src/index.js";

const f = (x: Array | number): Array => {
  const y = namedScope("foo", () => jnp.sin(x).mul(x));
  return namedScope("bar", () => jnp.cos(y).mul(2));
};

describe("name stacks in jaxpr text", () => {
  it("namedScope annotates the equations staged inside it", () => {
    expect(makeJaxpr(f)(1.5).prettyPrint({ nameStack: true })).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = sin a     # [foo]",
        "    c:f32[] = mul b a   # [foo]",
        "    d:f32[] = cos c     # [bar]",
        "    e:f32[] = mul d 2.0 # [bar]",
        "  in (e,) }",
      ].join("\n"),
    );
    // As JAX: no call primitive is staged, so the default text is f's own.
    expect(makeJaxpr(f)(1.5).toString()).toBe(
      makeJaxpr((x: Array | number) => jnp.cos(jnp.sin(x).mul(x)).mul(2))(1.5).toString(),
    );
  });

  it("grad wraps scopes in jvp(...) and transpose(jvp(...))", () => {
    expect(makeJaxpr(grad(f))(1.5).prettyPrint({ nameStack: true })).toBe(
      [
        "{ lambda ; a:f32[]. let",
        "    b:f32[] = sin a       # [jvp(foo)]",
        "    c:f32[] = cos a       # [jvp(foo)]",
        "    d:f32[] = mul b a     # [jvp(foo)]",
        "    e:f32[] = cos d       # [jvp(bar)]",
        "    f:f32[] = sin d       # [jvp(bar)]",
        "    _:f32[] = mul e 2.0   # [jvp(bar)]",
        "    g:f32[] = mul 1.0 2.0 # [transpose(jvp(bar))]",
        "    h:f32[] = neg g       # [transpose(jvp(bar))]",
        "    i:f32[] = mul h f     # [transpose(jvp(bar))]",
        "    j:f32[] = mul b i     # [transpose(jvp(foo))]",
        "    k:f32[] = mul i a     # [transpose(jvp(foo))]",
        "    l:f32[] = mul k c     # [transpose(jvp(foo))]",
        "    m:f32[] = add_any j l # [transpose(jvp(foo))]",
        "  in (m,) }",
      ].join("\n"),
    );
  });

  it("nested scopes join with '/', vmap wraps them, a flat line stacks its annotations", () => {
    const g = namedCall((x: Array) => namedScope("inner", () => jnp.sin(x)), { name: "outer" });
    const text = makeJaxpr(vmap(g))(jnp.ones([3])).prettyPrint({ nameStack: true });
    expect(text).toBe("{ lambda ; a:f32[3]. let b:f32[3] = sin a in (b,) } # [vmap(outer)/inner]");
    const two = makeJaxpr((x: Array | number) => namedScope("s", () => jnp.sin(x)).mul(2))(1.5);
    const line = "{ lambda ; a:f32[]. let b:f32[] = sin a; c:f32[] = mul b 2.0 in (c,) }";
    expect(two.prettyPrint({ nameStack: true })).toBe(
      `${line} # [s]\n${" ".repeat(line.length)} # []`,
    );
  });

  it("a nested jaxpr's name stacks are relative to it (jit inside a scope)", () => {
    const h = (x: Array) => namedScope("outer", () => jit(namedCall(jnp.sin, { name: "s" }))(x));
    expect(makeJaxpr(h)(jnp.ones([3])).prettyPrint({ nameStack: true })).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = pjit[                                            # [outer]",
        "      name=sin",
        "      jaxpr={ lambda ; c:f32[3]. let d:f32[3] = sin c in (d,) } # [s]",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });
});

describe("namedCall / namedScope behaviour", () => {
  it("values are unchanged eagerly, under jit and under grad", () => {
    const g = namedCall(f, { name: "layer" });
    const num = (a: Array) => Number(a.item());
    const x = jnp.array(1.5);
    expect(num(g(x))).toBeCloseTo(num(f(x)), 6);
    expect(num(jit(g)(x))).toBeCloseTo(num(f(x)), 6);
    expect(num(grad(g)(x))).toBeCloseTo(num(grad(f)(x)), 6);
    expect(namedScope("s", () => 3)).toBe(3);
  });

  it("the default name is the function's name; the decorator form works", () => {
    function layer(x: Array | number): Array {
      return jnp.sin(x);
    }
    expect(makeJaxpr(namedCall(layer))(1.5).prettyPrint({ nameStack: true })).toContain(
      "# [layer]",
    );
    expect(makeJaxpr(namedScope("deco")(layer))(1.5).prettyPrint({ nameStack: true })).toContain(
      "# [deco]",
    );
    expect(namedCall(layer).name).toBe("layer");
  });

  it("bad arguments raise JAX's TypeErrors", () => {
    expect(() => namedScope(3 as unknown as string, () => 1)).toThrow(
      new TypeError("named_scope name argument must be a string."),
    );
    expect(() => namedCall(jnp.sin, { nmae: "x" } as never)).toThrow(TypeError);
    expect(() => namedCall(3 as never)).toThrow(/namedCall expects a function/);
  });
});
