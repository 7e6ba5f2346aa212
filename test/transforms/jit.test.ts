import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type Array,
  type ArrayLike,
  ConcretizationTypeError,
  TracerBoolConversionError,
  ValueError,
  config,
  jit,
  makeJaxpr,
  numpy as jnp,
  partial,
} from "../../src/index.js";

/** The seed's f(x, n), recording each trace. */
function makeF(log: string[]) {
  return function f(x: ArrayLike, n: number): Array {
    log.push(`x = ${x}, n = ${n}`);
    if (n >= 0) {
      const a = jnp.asarray(x);
      return a
        .pow(3)
        .mul(n)
        .add(a.pow(2).mul(n - 1))
        .add(a.mul(n - 2));
    }
    return jnp.multiply(2, x);
  };
}

const T = "Traced<ShapedArray(int32[], weak_type=True)>with<DynamicJaxprTrace(level=0/1)>";

describe("jit (the seed's cells)", () => {
  afterEach(() => {
    config.update("explainCacheMisses", false);
    config.update("logCompiles", false);
  });

  it("runs side effects only when tracing, and computes the seed's sigmoid values", () => {
    const prints: string[] = [];
    const sigmoidJit = jit(function sigmoidWithPrint(x: Array) {
      prints.push(`Executing sigmoid activation on : ${x}`);
      return jnp.divide(1, jnp.exp(x.neg()).add(1));
    });
    const outs = [0, 2, 4, 8].map((n) =>
      String(sigmoidJit(n as unknown as Array).blockUntilReady()),
    );
    expect(outs).toEqual(["0.5", "0.8807971", "0.98201376", "0.99966466"]);
    expect(prints).toEqual([`Executing sigmoid activation on : ${T}`]);
    // A new shape retraces once.
    sigmoidJit(jnp.arange(10));
    sigmoidJit(jnp.arange(10));
    expect(prints).toEqual([
      `Executing sigmoid activation on : ${T}`,
      "Executing sigmoid activation on : Traced<ShapedArray(int32[10])>with<DynamicJaxprTrace(level=0/1)>",
    ]);
    expect(sigmoidJit.cacheSize()).toBe(2);
  });

  it("raises TracerBoolConversionError (a ConcretizationTypeError) on value-dependent control flow", () => {
    const f = (x: ArrayLike) =>
      (x as unknown as number) > 0 ? jnp.asarray(x) : jnp.multiply(2, x);
    const jf = jit(function f1(x: ArrayLike) {
      return f(x);
    });
    let err: unknown;
    try {
      jf(10);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TracerBoolConversionError);
    expect(err).toBeInstanceOf(ConcretizationTypeError);
    const msg = (err as Error).message;
    expect(msg).toContain("Attempted boolean conversion of traced array with shape int32[].");
    expect(msg).toContain("The error occurred while tracing the function f1 for jit.");
    expect(msg).toContain("depends on the value of the argument x.");
    expect(msg).toContain("staticArgnums");
    expect(msg).toContain("lax.cond");
  });

  it("jits an inner function and calls it from plain control flow (3250)", () => {
    const expFun = jit(function expFun(x: Array) {
      return x.pow(3).mul(3).add(x.pow(2).mul(2)).add(x.mul(5));
    });
    const fInner = (x: number) => (x > 0 ? expFun(x as unknown as Array) : jnp.multiply(2, x));
    expect(String(fInner(10))).toBe("3250");
    expect(fInner(10).dtype.name).toBe("int32");
  });

  it("fails on a traced n without static args, and names n", () => {
    const log: string[] = [];
    const jf = jit(makeF(log));
    expect(() => jf(10, 5)).toThrow(/depends on the value of the argument n\./);
    expect(log).toEqual([`x = ${T}, n = ${T}`]);
  });

  it("still fails when the wrong argument is static (f_jit_wrong)", () => {
    const log: string[] = [];
    const jf = jit(makeF(log), { staticArgnums: 0 });
    expect(() => jf(10, 5)).toThrow(TracerBoolConversionError);
    expect(log).toEqual([`x = 10, n = ${T}`]);
  });

  it("retraces only for a new static value (staticArgnames)", () => {
    const log: string[] = [];
    const jf = jit(makeF(log), { staticArgnames: ["n"] });
    expect(String(jf(10, 5))).toBe("5430");
    expect(String(jf(100, 5))).toBe("5040300");
    expect(String(jf(10, 3))).toBe("3210");
    expect(String(jf(100, 3))).toBe("3020100");
    expect(log).toEqual([`x = ${T}, n = 5`, `x = ${T}, n = 3`]);
  });

  it("supports negative staticArgnums", () => {
    const log: string[] = [];
    const jf = jit(makeF(log), { staticArgnums: -1 });
    expect(String(jf(10, 5))).toBe("5430");
    expect(log).toEqual([`x = ${T}, n = 5`]);
  });

  it("works as partial(jit, opts)(f)", () => {
    const log: string[] = [];
    const fd = partial(jit, { staticArgnames: ["n"] })(makeF(log));
    expect(String(fd(10, 5))).toBe("5430");
    expect(log).toEqual([`x = ${T}, n = 5`]);
  });

  it("works as a method decorator", () => {
    let traces = 0;
    class Model {
      scale = 3;
      @jit
      apply(x: Array): Array {
        traces++;
        return x.mul(this.scale);
      }
    }
    const m = new Model();
    expect(m.apply(jnp.arange(3)).tolist()).toEqual([0, 3, 6]);
    expect(m.apply(jnp.arange(3)).tolist()).toEqual([0, 3, 6]);
    expect(traces).toBe(1);
  });

  it("caches by function object: jit(g) in a loop hits, a fresh closure misses", () => {
    let traces = 0;
    function g(x: Array) {
      traces++;
      return x.add(1);
    }
    for (let i = 0; i < 5; i++) jit(g)(jnp.float32(i));
    expect(traces).toBe(1);
    traces = 0;
    for (let i = 0; i < 5; i++) jit((x: Array) => g(x))(jnp.float32(i));
    expect(traces).toBe(5);
  });

  it("explains cache misses", () => {
    config.update("explainCacheMisses", true);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const h = (x: Array) => x.mul(2);
    for (let i = 0; i < 2; i++) jit((x: Array) => h(x))(jnp.ones([2]));
    const jh = jit(
      function hh(x: Array, n: number) {
        return x.mul(n);
      },
      { staticArgnums: 1 },
    );
    jh(jnp.ones([2]), 1);
    jh(jnp.ones([3]), 1);
    jh(jnp.ones([3]), 2);
    const msgs = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(msgs.some((m) => m.includes("a new function object each call"))).toBe(true);
    expect(msgs.some((m) => m.includes("for x: float32[3]: shape (2) → (3)"))).toBe(true);
    expect(msgs.some((m) => m.includes("static argument n changed from 1 to 2"))).toBe(true);
  });

  it("logs compilations", () => {
    config.update("logCompiles", true);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    jit(function logged(x: Array) {
      return x.add(1);
    })(jnp.ones([4]));
    const msgs = warn.mock.calls.map((c) => String(c[0]));
    warn.mockRestore();
    expect(
      msgs.some((m) =>
        m.startsWith("Compiling logged with global shapes and types [ShapedArray(float32[4])]"),
      ),
    ).toBe(true);
  });

  it("lowers and compiles ahead of time", () => {
    const jf = jit(function sig(x: Array) {
      return jnp.divide(1, jnp.exp(x.neg()).add(1));
    });
    const lowered = jf.lower(jnp.ones([8]));
    const text = lowered.asText();
    expect(text).toContain("b:f32[8] = neg a");
    expect(text).toContain("b1[i0] = logistic(b0[i0])"); // the 1/(1+exp(-x)) idiom, one op
    const compiled = lowered.compile();
    // JAX's Compiled is callable; Function.prototype.call keeps its meaning.
    expect(typeof compiled).toBe("function");
    expect(compiled(jnp.zeros([8])).tolist()).toEqual(new globalThis.Array(8).fill(0.5));
    expect(compiled.call(null, jnp.zeros([8])).tolist()).toEqual(new globalThis.Array(8).fill(0.5));
    expect(() => compiled(jnp.zeros([4]))).toThrow(/was called with/);
  });

  it("accepts pytrees and returns pytrees", () => {
    const f = jit((p: { w: Array; b: Array }, xs: Array[]) => ({
      out: xs.map((x) => p.w.mul(x).add(p.b)),
    }));
    const r = f({ w: jnp.array([2, 3]), b: jnp.array([1, 1]) }, [
      jnp.array([1, 1]),
      jnp.array([2, 2]),
    ]) as { out: Array[] };
    expect(r.out.map((a) => a.tolist())).toEqual([
      [3, 4],
      [5, 7],
    ]);
  });

  it("rejects bad input with clear errors", () => {
    const f = jit((x: Array, _n: unknown) => x.add(1), { staticArgnums: 1 });
    expect(() => f(jnp.ones([2]), jnp.ones([2]))).toThrow(ValueError);
    expect(() => f(jnp.ones([2]), jnp.ones([2]))).toThrow(/Non-hashable static arguments/);
    expect(() => f(jnp.ones([2]) as never, undefined as never)).not.toThrow();
    expect(() => jit((x: Array) => x, { staticArgnums: 3 })).toThrow(
      /only accepts 1 positional argument/,
    );
    expect(() => jit((x: Array) => x, { staticArgnames: ["m"] })).toThrow(
      /'m' is not one of its plain parameters/,
    );
    const g = jit((x: Array, n: number) => x.mul(n), { staticArgnums: 1 });
    expect(() => (g as unknown as (x: Array) => Array)(jnp.ones([2]))).toThrow(
      /called with only 1 positional argument/,
    );
    const h = jit((x: unknown) => x as Array);
    expect(() => h("hello")).toThrow(/Argument 'x' of type string is not a valid JAX type/);
  });

  it("compares static values by value", () => {
    let traces = 0;
    const f = jit(
      (x: Array, cfg: { scale: number; axes: number[] }) => {
        traces++;
        return x.mul(cfg.scale);
      },
      { staticArgnums: 1 },
    );
    f(jnp.ones([2]), { scale: 2, axes: [0] });
    f(jnp.ones([2]), { axes: [0], scale: 2 });
    expect(traces).toBe(1);
    f(jnp.ones([2]), { scale: 3, axes: [0] });
    expect(traces).toBe(2);
  });

  it("stages a jitted function called inside makeJaxpr", () => {
    const inner = jit(function sq(x: Array) {
      return x.mul(x);
    });
    expect(makeJaxpr((x: Array) => inner(x))(jnp.ones([2])).toString()).toBe(
      [
        "{ lambda ; a:f32[2]. let",
        "    b:f32[2] = pjit[",
        "      name=sq",
        "      jaxpr={ lambda ; c:f32[2]. let d:f32[2] = mul c c in (d,) }",
        "    ] a",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("disables jit with config", () => {
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return x.add(1);
    });
    config.update("disableJit", true);
    try {
      f(jnp.ones([2]));
      f(jnp.ones([2]));
    } finally {
      config.update("disableJit", false);
    }
    expect(traces).toBe(2);
  });
});
