/**
 * customJvp / customVjp / checkpoint / stopGradient, under grad, jit, vmap and higher order;
 * JAX's derivatives at non-differentiable points.
 */
import { describe, expect, it } from "vitest";
import {
  type Array,
  UnexpectedTracerError,
  ValueError,
  checkpoint,
  customJvp,
  customVjp,
  float,
  grad,
  hessian,
  jacrev,
  jit,
  jvp,
  lax,
  makeJaxpr,
  nn,
  numpy as jnp,
  remat,
  stopGradient,
  vmap,
} from "../../src/index.js";
import { expectClose, rng, uniform, vals } from "./ad-helpers.js";

const r = rng(9);
const u = (shape: number[], lo = -1, hi = 1) => uniform(r, shape, lo, hi, "float32");
const nums = (x: unknown): number[] => (globalThis.Array.isArray(x) ? (x as number[]) : vals(x));
const close = (a: unknown, b: unknown, what: string, rtol = 1e-5, atol = 1e-6) =>
  expectClose(nums(a), nums(b), rtol, atol, what);

describe("customJvp", () => {
  // A deliberately "wrong" rule (twice the true derivative) so we can tell it is used.
  const f = customJvp((x: Array) => jnp.sin(x));
  f.defjvp(([x]: Array[], [t]: Array[]) => [jnp.sin(x), jnp.cos(x).mul(t).mul(2)]);
  const x = u([3]);
  const expected = jnp.cos(x).mul(2);
  const total = (v: Array) => jnp.sum(f(v));

  it("outside transformations it is just the function", () => close(f(x), jnp.sin(x), "value"));
  it("grad, jvp and jacrev use the rule", () => {
    close(grad(total)(x), expected, "grad");
    close((jvp(f, [x], [jnp.ones([3])]) as Array[])[1], expected, "jvp");
    close(jacrev(f)(x), jnp.eye(3).mul(expected), "jacrev");
  });
  it("under jit and vmap, in every order", () => {
    close(jit(grad(total))(x), expected, "jit(grad)");
    close(grad(jit(total))(x), expected, "grad(jit)");
    close(vmap(f)(x), jnp.sin(x), "vmap value");
    close(vmap(grad(f))(x), expected, "vmap(grad)");
    close(grad((v: Array) => jnp.sum(vmap(f)(v)))(x), expected, "grad(vmap) (the batched rule)");
    close((jvp(vmap(f), [x], [jnp.ones([3])]) as Array[])[1], expected, "jvp(vmap)");
    close(jit(vmap(grad(f)))(x), expected, "jit(vmap(grad))");
  });
  it("higher order differentiates through the rule", () => {
    const softplus = customJvp((v: Array) => jnp.log1p(jnp.exp(v)));
    softplus.defjvp(([v]: Array[], [t]: Array[]) => [softplus(v), t.mul(lax.logistic(v))]);
    const s = float(0.3);
    const sig = 1 / (1 + Math.exp(-0.3));
    close(grad(softplus)(s), [sig], "softplus'");
    close(grad(grad(softplus))(s), [sig * (1 - sig)], "softplus''");
    close(
      hessian((v: Array) => jnp.sum(softplus(v)))(jnp.array([0.3])),
      [[sig * (1 - sig)]].flat(),
      "hessian",
    );
  });
  it("defjvps and nondiffArgnums", () => {
    const g = customJvp((a: Array, b: Array) => a.mul(b));
    g.defjvps((ta: Array, _ans: Array, _a: Array, b: Array) => ta.mul(b).mul(3), null);
    const [ga, gb] = grad(g, { argnums: [0, 1] })(float(2), float(5)) as Array[];
    close(ga, [15], "defjvps d/da");
    close(gb, [0], "defjvps null rule");
    const pw = customJvp((n: number, v: Array) => v.pow(n), { nondiffArgnums: [0] });
    pw.defjvp((n: number, [v]: Array[], [t]: Array[]) => [v.pow(n), t.mul(v.pow(n - 1)).mul(n)]);
    close(grad((v: Array) => pw(3, v))(float(2)), [12], "nondiff n");
    close(jit(grad((v: Array) => pw(3, v)))(float(2)), [12], "jit nondiff n");
  });
  it("relu as JAX defines it: derivative 0 at 0", () => {
    const relu = customJvp((v: Array) => jnp.maximum(v, 0));
    relu.defjvps((g: Array, _ans: Array, v: Array) =>
      lax.select(v.gt(0), g, lax.full(g.shape, 0, g.dtype)),
    );
    close(vmap(grad(relu))(jnp.array([-1, 0, 2]).astype("float32")), [0, 0, 1], "custom relu'");
    expect(makeJaxpr(relu)(float(1)).toString()).toContain("custom_jvp_call");
  });
  it("differentiating with respect to a closed-over value is an error (as JAX)", () => {
    const outer = (y: Array) => {
      const g = customJvp((v: Array) => v.mul(y));
      g.defjvp(([v]: Array[], [t]: Array[]) => [v.mul(y), t.mul(y)]);
      return g(float(2));
    };
    expect(() => grad(outer)(float(3))).toThrow(UnexpectedTracerError);
    expect(() => grad(outer)(float(3))).toThrow(
      "Detected differentiation of a custom_jvp function with respect to a closed-over value",
    );
  });
  it("a function without a rule cannot be called", () => {
    const noRule = customJvp(function g(v: Array) {
      return v;
    });
    expect(() => noRule(float(1))).toThrow(
      "No JVP defined for custom_jvp function g using defjvp.",
    );
  });
});

describe("customVjp", () => {
  // Backward rule scaled by 10 so we can tell it is used.
  const f = customVjp((x: Array) => jnp.sin(x));
  f.defvjp(
    (x: Array) => [jnp.sin(x), jnp.cos(x)],
    (cosx: Array, g: Array) => [g.mul(cosx).mul(10)],
  );
  const x = u([3]);
  const expected = jnp.cos(x).mul(10);
  const total = (v: Array) => jnp.sum(f(v));

  it("grad uses bwd; the value is the function's", () => {
    close(f(x), jnp.sin(x), "value");
    close(grad(total)(x), expected, "grad");
    close(jacrev(f)(x), jnp.eye(3).mul(expected), "jacrev");
  });
  it("under jit and vmap", () => {
    close(jit(grad(total))(x), expected, "jit(grad)");
    close(grad(jit(total))(x), expected, "grad(jit)");
    close(vmap(grad(f))(x), expected, "vmap(grad)");
    close(grad((v: Array) => jnp.sum(vmap(f)(v)))(x), expected, "grad(vmap) (batched fwd/bwd)");
    close(jit(vmap(grad(f)))(x), expected, "jit(vmap(grad))");
  });
  it("pytrees, null cotangents, and unbatched inputs under vmap (summed cotangents)", () => {
    const h = customVjp((a: Array, p: { w: Array; s: Array }) => a.mul(p.w).add(p.s));
    h.defvjp(
      (a: Array, p: { w: Array; s: Array }) => [a.mul(p.w).add(p.s), [a, p.w]],
      ([a, w]: Array[], g: Array) => [g.mul(w), { w: g.mul(a), s: null }],
    );
    const a = u([3]);
    const p = { w: u([3]), s: u([3]) };
    const [ga, gp] = grad((aa: Array, pp: { w: Array; s: Array }) => jnp.sum(h(aa, pp)), {
      argnums: [0, 1],
    })(a, p) as [Array, { w: Array; s: Array }];
    close(ga, p.w, "d/da");
    close(gp.w, a, "d/dw");
    close(gp.s, [0, 0, 0], "null cotangent → zeros");
    const as = u([4, 3]);
    const gw = grad((w: Array) => jnp.sum(vmap((aa: Array) => h(aa, { w, s: p.s }))(as)))(p.w);
    close(gw, jnp.sum(as, { axis: 0 }), "unbatched input's cotangent summed over the batch");
  });
  it("hessian differentiates through bwd", () => {
    const g = customVjp((v: Array) => v.mul(v).mul(v));
    g.defvjp(
      (v: Array) => [v.mul(v).mul(v), v],
      (v: Array, ct: Array) => [ct.mul(v).mul(v).mul(3)],
    );
    close(
      hessian((v: Array) => jnp.sum(g(v)))(jnp.array([0.5, 2]).astype("float32")),
      [3, 0, 0, 12],
      "6x on the diagonal",
    );
  });
  it("forward mode is an error (as JAX)", () => {
    expect(() => jvp(f, [x], [jnp.ones([3])])).toThrow(TypeError);
    expect(() => jvp(f, [x], [jnp.ones([3])])).toThrow(
      "can't apply forward-mode autodiff (jvp) to a custom_vjp function.",
    );
  });
});

describe("customVjp bwd cotangents are checked against the primal inputs (as JAX)", () => {
  const msg = (path: string, got: string, want: string) =>
    "Custom VJP bwd rule must produce an output with the same shape/dtypes as the args tuple " +
    `of the primal function, but at output${path} the bwd rule produced an output of ` +
    `shape/dtype ${got} corresponding to an input of shape/dtype ${want}. ` +
    "Return one cotangent per primal argument with that argument's shape and dtype " +
    "(or null for a zero cotangent).";
  const withBwd = (bwd: (res: unknown, g: Array) => unknown[]) => {
    const w = customVjp((v: Array, p: { a: Array; b: Array }) => v.mul(p.a).mul(p.b));
    w.defvjp((v: Array, p: { a: Array; b: Array }) => [v.mul(p.a).mul(p.b), null], bwd);
    return (v: Array) => w(v, { a: float(2), b: float(3) });
  };
  it("a wrong shape raises ValueError (it was an internal transpose error)", () => {
    const w = customVjp((v: Array) => v.mul(2));
    w.defvjp(
      (v: Array) => [v.mul(2), null],
      () => [jnp.ones([3])],
    );
    expect(() => grad(w)(float(1))).toThrow(ValueError);
    expect(() => grad(w)(float(1))).toThrow(msg("[0]", "float32[3]", "float32[]"));
    expect(() => jit(grad(w))(float(1))).toThrow(msg("[0]", "float32[3]", "float32[]"));
    // Under vmap the check sees the per-example shapes.
    expect(() => vmap(grad(w))(jnp.ones([2]))).toThrow(msg("[0]", "float32[3]", "float32[]"));
  });
  it("a wrong dtype raises ValueError; the path names the pytree leaf", () => {
    const f16 = withBwd((_r, g) => [g, { a: g.astype("float16"), b: g }]);
    expect(() => grad(f16)(float(1))).toThrow(msg("[1]['a']", "float16[]", "float32[]"));
    const shape = withBwd((_r, g) => [g, { a: g, b: jnp.ones([2, 3]) }]);
    expect(() => grad(shape)(float(1))).toThrow(msg("[1]['b']", "float32[2,3]", "float32[]"));
  });
  it("weak types are ignored; float0 of the right shape is a zero; integer inputs get float0", () => {
    const weak = withBwd(() => [float(5), { a: null, b: null }]);
    expect(vals(grad(weak)(float(1)))).toEqual([5]);
    const w = customVjp((v: Array, n: Array) => v.mul(n.astype("float32")));
    w.defvjp(
      (v: Array, n: Array) => [v.mul(n.astype("float32")), n],
      (n: Array, g: Array) => [jnp.zeros([], "float0"), g.mul(n.astype("float32"))],
    );
    expect(vals(grad(w)(float(2), jnp.array(3)))).toEqual([0]);
    const gn = grad(w, { argnums: 1, allowInt: true })(float(2), jnp.array(3)) as Array;
    expect(gn.dtype.name).toBe("float0");
    expect(String(gn)).toBe("(b'',)");
  });
});

describe("checkpoint (remat)", () => {
  const body = (x: Array) => jnp.sum(jnp.sin(jnp.tanh(x).mul(x)).mul(x));
  const x = u([4]);
  const g0 = grad(body)(x);
  it("same gradients, in every composition", () => {
    close(checkpoint(body)(x), body(x), "value");
    close(grad(checkpoint(body))(x), g0, "grad(checkpoint)");
    close(jit(grad(checkpoint(body)))(x), g0, "jit(grad(checkpoint))");
    close(grad(jit(checkpoint(body)))(x), g0, "grad(jit(checkpoint))");
    close(grad(checkpoint(jit(body)))(x), g0, "grad(checkpoint(jit))");
    const xs = u([3, 4]);
    close(vmap(grad(remat(body)))(xs), vmap(grad(body))(xs), "vmap(grad(remat))");
    close(hessian(checkpoint(body))(x), hessian(body)(x), "hessian(checkpoint)", 1e-4, 1e-5);
  });
  it("checkpointed layers in a loop", () => {
    const layer = checkpoint((h: Array) => jnp.tanh(h.mul(1.5)).add(h));
    const net = (h: Array) => {
      let v = h;
      for (let i = 0; i < 3; i++) v = layer(v);
      return jnp.sum(v);
    };
    const plain = (h: Array) => {
      let v = h;
      for (let i = 0; i < 3; i++) v = jnp.tanh(v.mul(1.5)).add(v);
      return jnp.sum(v);
    };
    close(grad(net)(x), grad(plain)(x), "grad through remat layers");
  });
  it("the backward pass recomputes: the forward ops appear again inside the transposed checkpoint", () => {
    const text = makeJaxpr(grad(checkpoint((v: Array) => jnp.sum(jnp.exp(v)))))(
      jnp.ones([2]),
    ).toString();
    expect(text.match(/= exp /g)!.length).toBe(2);
    expect(text).toContain("differentiated=True");
  });
});

describe("stopGradient", () => {
  it("blocks gradients, keeps values", () => {
    const x = float(3);
    close(grad((v: Array) => v.mul(stopGradient(v)))(x), [3], "d/dx x·sg(x)");
    close(grad((v: Array) => stopGradient(v.mul(v)))(x), [0], "fully stopped");
    close((jvp((v: Array) => lax.stopGradient(v), [x], [float(1)]) as Array[])[1], [0], "jvp");
    close(vmap(stopGradient)(jnp.array([1, 2]).astype("float32")), [1, 2], "vmap");
  });
});

describe("derivatives at non-differentiable points (as JAX)", () => {
  const at = (f: (x: Array) => Array, v: number) => vals(grad(f)(float(v)))[0]!;
  it("abs at 0 is 1", () => expect(at(jnp.abs, 0)).toBe(1));
  it("maximum/minimum ties split the gradient 0.5/0.5", () => {
    expect(at((x) => jnp.maximum(x, 0), 0)).toBe(0.5);
    expect(at((x) => jnp.minimum(x, 0), 0)).toBe(0.5);
    expect(at((x) => jnp.maximum(x, x), 2)).toBe(1);
    const [ga, gb] = grad(lax.max, { argnums: [0, 1] })(float(1), float(1)) as Array[];
    expect([vals(ga)[0], vals(gb)[0]]).toEqual([0.5, 0.5]);
  });
  it("reduce max with ties shares the gradient", () => {
    close(
      grad((x: Array) => jnp.max(x))(jnp.array([1, 3, 3]).astype("float32")),
      [0, 0.5, 0.5],
      "max ties",
    );
    close(
      grad((x: Array) => jnp.min(x))(jnp.array([2, 2, 2, 5]).astype("float32")),
      [1 / 3, 1 / 3, 1 / 3, 0],
      "min ties",
    );
  });
  it("relu at 0 is 0 (jax.nn.relu)", () => {
    expect(at((x) => nn.relu(x), 0)).toBe(0);
    expect(at((x) => nn.relu(x), 1)).toBe(1);
  });
  it("sqrt at 0 is inf; x**0.5 too", () => {
    expect(at(jnp.sqrt, 0)).toBe(Infinity);
    expect(at((x) => lax.pow(x, float(0.5)), 0)).toBe(Infinity);
  });
  it("pow's exponent derivative at base 0 is 0 (log replaced)", () => {
    expect(vals(grad((y: Array) => lax.pow(float(0), y))(float(2)))[0]).toBe(0);
  });
  it("piecewise-constant functions have zero gradient", () => {
    for (const f of [jnp.floor, jnp.ceil, jnp.sign, (x: Array) => jnp.round(x)])
      expect(at(f, 1.3)).toBe(0);
  });
  it("clamp: 1 strictly inside, 0 at and beyond the bounds", () => {
    const c = (x: Array) => lax.clamp(float(0), x, float(1));
    expect([at(c, 0.5), at(c, 0), at(c, 1), at(c, 2)]).toEqual([1, 0, 0, 0]);
  });
  it("where takes the gradient of the selected branch", () => {
    const f = (x: Array) => jnp.where(x.gt(0), x.mul(x), x.mul(3));
    expect([at(f, 2), at(f, -2)]).toEqual([4, 3]);
  });
  it("prod with a zero entry is exact", () => {
    close(
      grad((x: Array) => jnp.prod(x))(jnp.array([0, 2, 3]).astype("float32")),
      [6, 0, 0],
      "d prod",
    );
    close(
      grad((x: Array) => jnp.prod(x))(jnp.array([0, 0, 3]).astype("float32")),
      [0, 0, 0],
      "two zeros",
    );
  });
});
