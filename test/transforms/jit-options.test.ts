/**
 * jit's options and call forms beyond the seed: omitted static defaults, `@jit` methods bound
 * per instance, trace-affecting config in the cache key, callable Compiled, donateArgnums
 * validation, non-callables, parameter parsing, and the wording of shape/static errors.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type Array,
  Compiled,
  type Jitted,
  TracerIntegerConversionError,
  ValueError,
  config,
  jit,
  makeJaxpr,
  numpy as jnp,
} from "../../src/index.js";
import { parseParams } from "../../src/transforms/param-names.js";

afterEach(() => {
  config.update("explainCacheMisses", false);
  config.update("logCompiles", false);
  config.update("jax_enable_x64", false);
});

function warnings(run: () => void): string[] {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    run();
    return warn.mock.calls.map((c) => String(c[0]));
  } finally {
    warn.mockRestore();
  }
}

describe("omitted static arguments with defaults (JAX skips static positions beyond the call)", () => {
  it("applies the default inside f, and caches the omitted form separately", () => {
    let traces = 0;
    const f = jit(
      function f(x: Array, n = 2) {
        traces++;
        return x.mul(n);
      },
      { staticArgnames: ["n"] },
    );
    expect(f(jnp.ones([2])).tolist()).toEqual([2, 2]);
    expect(f(jnp.ones([2])).tolist()).toEqual([2, 2]);
    expect(traces).toBe(1);
    expect(f(jnp.ones([2]), 4).tolist()).toEqual([4, 4]);
    expect(traces).toBe(2);
    expect(f.cacheSize()).toBe(2);
    const msgs = warnings(() => {
      config.update("explainCacheMisses", true);
      f(jnp.ones([2]), 5);
      f(jnp.ones([2]));
    });
    expect(msgs.some((m) => m.includes("static argument n changed from 4 to 5"))).toBe(true);
    expect(traces).toBe(3); // the omitted form was still cached
  });

  it("works for staticArgnums and for several defaults", () => {
    const f = jit(
      function g(x: Array, a = 1, b = 10) {
        return x.mul(a).add(b);
      },
      { staticArgnums: [1, 2] },
    );
    expect(f(jnp.ones([1])).tolist()).toEqual([11]);
    expect(f(jnp.ones([1]), 3).tolist()).toEqual([13]);
    expect(f(jnp.ones([1]), 3, 0).tolist()).toEqual([3]);
  });

  it("a static parameter without a default must still be passed", () => {
    const g = jit((x: Array, n: number) => x.mul(n), { staticArgnums: 1 });
    expect(() => (g as unknown as (x: Array) => Array)(jnp.ones([2]))).toThrow(
      "jitted function <lambda> has static argument n at position 1, but was called with only 1 " +
        "positional argument, and n has no default value. Pass it positionally, or give the " +
        "parameter a default (an omitted static argument with a default is skipped, as in JAX).",
    );
  });
});

/** TypeScript types a decorated method as the original method: the jitted view of it. */
const jitted = <F extends (...a: any[]) => any>(m: F) => m as unknown as Jitted<F>;

describe("@jit methods behave like functions bound to their instance", () => {
  class Scaler {
    traces = 0;
    constructor(public k: number) {}
    @jit
    apply(x: Array): Array {
      this.traces++;
      return x.mul(this.k);
    }
    @jit({ staticArgnames: ["n"] })
    power(x: Array, n: number): Array {
      this.traces++;
      return x.pow(n).mul(this.k);
    }
  }

  it("keeps one cache per instance; cacheSize and clearCache read that instance's entries", () => {
    const a = new Scaler(2);
    const b = new Scaler(5);
    expect(a.apply(jnp.ones([2])).tolist()).toEqual([2, 2]);
    expect(b.apply(jnp.ones([2])).tolist()).toEqual([5, 5]);
    a.apply(jnp.ones([2]));
    expect([a.traces, b.traces]).toEqual([1, 1]);
    expect(jitted(a.apply).cacheSize()).toBe(1);
    a.apply(jnp.ones([3]));
    expect([jitted(a.apply).cacheSize(), jitted(b.apply).cacheSize()]).toEqual([2, 1]);
    jitted(a.apply).clearCache();
    expect([jitted(a.apply).cacheSize(), jitted(b.apply).cacheSize()]).toEqual([0, 1]);
    b.apply(jnp.ones([2]));
    a.apply(jnp.ones([2]));
    expect([a.traces, b.traces]).toEqual([3, 1]);
    // The method on the prototype clears every instance's entries.
    jitted(Scaler.prototype.apply).clearCache();
    b.apply(jnp.ones([2]));
    expect(b.traces).toBe(2);
  });

  it("is bound: a detached method still sees its instance; fields are read at trace time", () => {
    const a = new Scaler(3);
    const detached = a.apply;
    expect(detached(jnp.ones([1])).tolist()).toEqual([3]);
    a.k = 7; // `this` is static by identity: no retrace, the traced value stays
    expect(a.apply(jnp.ones([1])).tolist()).toEqual([3]);
    jitted(a.apply).clearCache();
    expect(a.apply(jnp.ones([1])).tolist()).toEqual([7]);
    expect(Object.keys(a).sort()).toEqual(["k", "traces"]); // the bound function is not enumerable
  });

  it("lowers and compiles with the instance as `this`, sharing the call's cache", () => {
    const a = new Scaler(2);
    const b = new Scaler(5);
    const ca = jitted(a.apply)
      .lower(jnp.ones([2]))
      .compile();
    const cb = jitted(b.apply)
      .lower(jnp.ones([2]))
      .compile();
    expect(ca(jnp.ones([2])).tolist()).toEqual([2, 2]);
    expect(cb(jnp.ones([2])).tolist()).toEqual([5, 5]);
    expect(jitted(a.apply).cacheSize()).toBe(1);
    a.apply(jnp.ones([2]));
    expect(a.traces).toBe(1);
    expect(
      jitted(a.power)
        .lower(jnp.ones([2]), 3)
        .asText(),
    ).toContain("integer_pow[y=3]");
  });

  it("explains a miss on a new instance", () => {
    const msgs = warnings(() => {
      new Scaler(1).apply(jnp.ones([4]));
      config.update("explainCacheMisses", true);
      new Scaler(1).apply(jnp.ones([4]));
    });
    expect(msgs).toEqual([
      "TRACING CACHE MISS at apply because:\n  first call on this receiver: `this` of a jitted " +
        "method is an implicit static argument compared by identity, so each instance compiles " +
        "its own code.",
    ]);
  });
});

describe("trace-affecting config is part of the cache key", () => {
  it("retraces after jax_enable_x64 changes, and hits the old entry when it changes back", () => {
    let traces = 0;
    const f = jit(function fx(x: Array) {
      traces++;
      return x.add(jnp.zeros([2]));
    });
    const a = jnp.ones([2], "int32");
    expect(f(a).dtype.name).toBe("float32");
    config.update("jax_enable_x64", true);
    const msgs = warnings(() => {
      config.update("explainCacheMisses", true);
      expect(f(a).dtype.name).toBe("float64");
      config.update("explainCacheMisses", false);
    });
    expect(a.add(jnp.zeros([2])).dtype.name).toBe("float64"); // as eager
    expect(traces).toBe(2);
    expect(msgs).toEqual([
      "TRACING CACHE MISS at fx because:\n  config jax_enable_x64 changed from False to True",
    ]);
    config.update("jax_enable_x64", false);
    expect(f(a).dtype.name).toBe("float32");
    expect(traces).toBe(2);
  });

  it("keeps compiled code per device: switching devices compiles once each, never retraces", () => {
    let traces = 0;
    const f = jit(function dev(x: Array) {
      traces++;
      return x.mul(2);
    });
    const prev = config.read("defaultDevice");
    const msgs = warnings(() => {
      config.update("logCompiles", true);
      try {
        for (const d of ["js", "wasm", "js", "wasm"]) {
          config.update("defaultDevice", d);
          expect(f(jnp.ones([3])).tolist()).toEqual([2, 2, 2]);
        }
      } finally {
        config.update("defaultDevice", prev);
      }
    });
    expect(traces).toBe(1);
    expect(msgs.filter((m) => m.startsWith("Compiling dev"))).toHaveLength(2);
  });
});

describe("Compiled is callable (jax.stages.Compiled)", () => {
  const f = jit(
    function scale(x: Array, n: number) {
      return x.mul(n);
    },
    { staticArgnums: 1 },
  );

  it("is a function object with introspection; call/apply/bind keep their meaning", () => {
    const c = f.lower(jnp.ones([3]), 2).compile();
    const x = jnp.arange(3).astype("float32");
    expect(typeof c).toBe("function");
    expect(c).toBeInstanceOf(Compiled);
    expect(c.name).toBe("scale");
    expect(c(x, 2).tolist()).toEqual([0, 2, 4]);
    expect(c.call(null, x, 2).tolist()).toEqual([0, 2, 4]);
    expect(c.apply(null, [x, 2]).tolist()).toEqual([0, 2, 4]);
    expect(c.bind(null, x)(2).tolist()).toEqual([0, 2, 4]);
    expect(c.asText()).toContain("{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.0 in (b,) }");
    expect(c.asText()).toContain(`# device ${c.device.name}`);
    expect(c.inTree.toString()).toBe("PyTreeDef([*])");
    expect(c.outTree.toString()).toBe("PyTreeDef(*)");
    expect(c.signature.avals.map((a) => a.str())).toEqual(["float32[3]"]);
  });

  it("runs only its compiled signature, static values and config included", () => {
    const c = f.lower(jnp.ones([3]), 2).compile();
    expect(() => c(jnp.ones([4]), 2)).toThrow(
      "Function compiled with input pytree PyTreeDef([*]) and signature [f32[3]] was called with " +
        "PyTreeDef([*]) and [f32[4]].",
    );
    expect(() => c(jnp.ones([3]), 3)).toThrow(
      // config: jax_enable_x64, jax_eager_constant_folding (both in JAX's jit key).
      "Function scale was compiled for static n=2; config false,false, but was called with static " +
        "n=3; config false,false",
    );
  });
});

describe("donateArgnums is validated as JAX's _validate_argnums / rebase_donate_argnums", () => {
  const one = function d(x: Array) {
    return x.add(1);
  };
  it("rejects positions the function does not have", () => {
    expect(() => jit(one, { donateArgnums: 3 })).toThrow(ValueError);
    expect(() => jit(one, { donateArgnums: 3 })).toThrow(
      "Jitted function d has donateArgnums=[3], but only accepts 1 positional argument (x). " +
        "Donate only positions of its parameters.",
    );
    expect(() => jit(one, { donateArgnums: -2 })).toThrow(/only accepts 1 positional argument/);
    expect(() => jit(one, { donateArgnums: 0.5 })).toThrow(
      new TypeError("donateArgnums must be integers, got 0.5."),
    );
    // A rest parameter accepts any position.
    expect(() => jit((...xs: Array[]) => xs[0]!, { donateArgnums: 3 })).not.toThrow();
  });

  it("rejects donating a static argument (staticArgnums or staticArgnames)", () => {
    const two = function d3(x: Array, n: number) {
      return x.mul(n);
    };
    const msg =
      "`staticArgnums` [1] and `donateArgnums` [1] cannot intersect (jitted function d3, position 1; " +
      "staticArgnames and donateArgnames count as their positions).";
    expect(() => jit(two, { donateArgnums: 1, staticArgnums: 1 })).toThrow(msg);
    expect(() => jit(two, { donateArgnums: -1, staticArgnames: ["n"] })).toThrow(msg);
    expect(() => jit(two, { donateArgnums: 0, staticArgnums: 1 })).not.toThrow();
  });

  it("donates a negative position resolved against the parameters", () => {
    const f = jit((a: Array, b: Array) => a.add(b), { donateArgnums: -1 });
    const x = jnp.ones([4]);
    const y = jnp.ones([4]);
    expect(f(x, y).tolist()).toEqual([2, 2, 2, 2]);
    expect(() => y.tolist()).toThrow(/was disposed/);
    expect(x.tolist()).toEqual([1, 1, 1, 1]);
  });
});

describe("donateArgnames names donated parameters (as staticArgnames do)", () => {
  it("donates the named parameter and only it", () => {
    const f = jit(
      function step(weights: Array, grads: Array) {
        return weights.sub(grads.mul(0.5));
      },
      { donateArgnames: "weights" },
    );
    const w = jnp.ones([4]);
    const g = jnp.ones([4]);
    expect(f(w, g).tolist()).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(() => w.tolist()).toThrow(/was disposed/);
    expect(g.tolist()).toEqual([1, 1, 1, 1]);
  });

  it("unites with donateArgnums", () => {
    const f = jit((first: Array, second: Array, third: Array) => first.add(second).add(third), {
      donateArgnums: 0,
      donateArgnames: ["third"],
    });
    const [a, b, c] = [jnp.ones([2]), jnp.ones([2]), jnp.ones([2])];
    expect(f(a, b, c).tolist()).toEqual([3, 3]);
    expect(a.isDeleted()).toBe(true);
    expect(b.isDeleted()).toBe(false);
    expect(c.isDeleted()).toBe(true);
  });

  it("rejects names the function lacks, rest parameters and static names", () => {
    const two = function d4(x: Array, n: number) {
      return x.mul(n);
    };
    expect(() => jit(two, { donateArgnames: "y" })).toThrow(ValueError);
    expect(() => jit(two, { donateArgnames: "y" })).toThrow(
      "jitted function d4 has donateArgnames=['y'], but 'y' is not one of its plain parameters " +
        "(x, n). Destructured and rest parameters cannot be named; use donateArgnums instead.",
    );
    expect(() => jit((...xs: Array[]) => xs[0]!, { donateArgnames: "xs" })).toThrow(
      new ValueError("donateArgnames cannot name the rest parameter 'xs'."),
    );
    expect(() => jit(two, { donateArgnames: "n", staticArgnames: "n" })).toThrow(
      /`staticArgnums` \[1\] and `donateArgnums` \[1\] cannot intersect .* staticArgnames and donateArgnames count as their positions/,
    );
  });
});

describe("jit rejects options it does not know, as Python rejects an unexpected keyword", () => {
  const id = (x: Array) => x;
  it.each([
    ["donateArgnum", " Did you mean 'donateArgnums'?"],
    ["static_argnames", " Did you mean 'staticArgnames'?"],
    ["device", ""],
  ])("%s", (key, hint) => {
    const msg =
      `jit() got an unexpected keyword argument '${key}'.${hint} jit options are ` +
      "staticArgnums, staticArgnames, donateArgnums, donateArgnames.";
    expect(() => jit(id, { [key]: 0 } as never)).toThrow(new TypeError(msg));
    expect(() => jit({ [key]: 0 } as never)).toThrow(new TypeError(msg));
  });
});

describe("jit of a non-callable raises JAX's TypeError", () => {
  const hint =
    " jit takes the function first (jit(f, options)), or options alone as a plain object " +
    "(jit({ staticArgnums: 1 })) to make a decorator.";
  it.each([
    [3, "3"],
    [null, "null"],
    [undefined, "undefined"],
    ["f", '"f"'],
    [new Date(0), "an instance of Date"],
  ])("jit(%s)", (v, shown) => {
    expect(() => jit(v as never)).toThrow(
      new TypeError(`Expected a callable value, got ${shown}.${hint}`),
    );
  });
  it("only plain objects are options", () => {
    expect(() => jit({ staticArgnums: 0 }, 3 as never)).toThrow(
      "Expected a callable value, got 3.",
    );
    expect(() => jit((x: Array) => x, 3 as never)).toThrow(
      new TypeError("jit options must be a plain object such as { staticArgnums: 1 }, got number."),
    );
    const deco = jit({ staticArgnums: 1 });
    expect(typeof deco).toBe("function");
    expect(() => deco(null as never)).toThrow("Expected a callable value, got null.");
  });
});

describe("parameter names are parsed past regex and template literal defaults", () => {
  const names = (f: Function) => parseParams(f).map((p) => p.name);
  it("parses the tricky forms", () => {
    expect(
      names(function f(x: unknown, r = /\)/, n = 1) {
        return [x, r, n];
      }),
    ).toEqual(["x", "r", "n"]);
    expect(
      names(function f(x: unknown, r = /[/)(]+\//g, n = 1) {
        return [x, r, n];
      }),
    ).toEqual(["x", "r", "n"]);
    expect(
      names(function f(x: unknown, s = `a${`(${"}"}`}, ${[1, 2].map((i) => `)${i}`)})`, n = 1) {
        return [x, s, n];
      }),
    ).toEqual(["x", "s", "n"]);
    expect(
      names(function f(x: number, d = x / 2, e = x / 2 / 1, n = 1) {
        return [d, e, n];
      }),
    ).toEqual(["x", "d", "e", "n"]);
    expect(
      names(
        (
          x: unknown,
          /* ) */ n = 1, // ,
          m = "(",
        ) => [x, n, m],
      ),
    ).toEqual(["x", "n", "m"]);
  });
  it("staticArgnames finds a parameter after a regex default", () => {
    let traces = 0;
    const f = jit(
      function f(x: Array, r = /\)/, n = 1) {
        traces++;
        return x.mul(n).add(r.test(")") ? 1 : 0);
      },
      { staticArgnames: ["n", "r"] },
    );
    expect(f(jnp.ones([2]), /\)/, 3).tolist()).toEqual([4, 4]);
    expect(f(jnp.ones([2]), undefined, 3).tolist()).toEqual([4, 4]);
    expect(f(jnp.ones([2]), undefined, 3).tolist()).toEqual([4, 4]);
    expect(traces).toBe(2);
  });
});

describe("error wording", () => {
  it("a traced shape gives JAX's invalid-shape text with the jit hint, then the cause", () => {
    const f = jit(function sh(x: Array) {
      return jnp.zeros([x as unknown as number]);
    });
    let err: Error | undefined;
    try {
      f(3);
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(TracerIntegerConversionError);
    expect(err!.message.split("\n").slice(0, 4)).toEqual([
      "Shapes must be 1D sequences of concrete values of integer type, got " +
        "[Traced<ShapedArray(int32[], weak_type=True)>with<DynamicJaxprTrace(level=0/1)>].",
      "If using `jit`, try using `static_argnums` or applying `jit` to smaller subfunctions.",
      "An integer conversion (an index or a size) was attempted on traced array with shape int32[].",
      "The error occurred while tracing the function sh for jit. This concrete value was not " +
        "available in JavaScript because it depends on the value of the argument x.",
    ]);
  });

  it("non-hashable static arguments: JAX's text with the class of the value", () => {
    const f = jit(
      function st(x: Array, _n: unknown) {
        return x;
      },
      { staticArgnums: 1 },
    );
    const text = (type: string) =>
      "Non-hashable static arguments are not supported, as this can lead to unexpected " +
      `cache-misses. Static argument _n (index 1) of type ${type} for function st is non-hashable. ` +
      "Pass it as a regular (traced) argument instead of marking it static, or pass JS numbers " +
      "(or a plain array of them).";
    expect(() => f(jnp.ones([2]), jnp.ones([2]))).toThrow(new ValueError(text("ArrayImpl")));
    expect(() => f(jnp.ones([2]), new Float32Array(2))).toThrow(text("Float32Array"));
    expect(() => makeJaxpr((y: Array) => f(y, y))(jnp.ones([2]))).toThrow(
      text("DynamicJaxprTracer"),
    );
    expect(() => f(jnp.ones([2]), [1, jnp.ones([1])])).toThrow(
      "Static argument _n (index 1), element [1], of type ArrayImpl for function st is non-hashable.",
    );
  });
});
