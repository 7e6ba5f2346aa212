/**
 * Derivatives at ties and kinks, with JAX's values (issue 16). Each case names where JAX's
 * value comes from; checked eager and under jit, grad and jvp.
 *  - logaddexp / logaddexp2: jax/_src/lax/other.py, `@custom_jvp` with tangent
 *    t1·exp(x1 − out) + t2·exp(x2 − out) (exp2 for base 2) → 0.5 each at x1 = x2.
 *  - nn.softplus = jnp.logaddexp(x, 0) (jax/_src/nn/functions.py) → softplus'(0) = 0.5.
 *  - max / min: jax/_src/lax/lax.py `_balanced_eq` → 0.5 each at ties; jnp.clip is
 *    minimum(maximum(x, lo), hi) → 0.5 at either bound.
 *  - abs: lax.py `_abs_jvp_rule`, select(x >= 0, g, -g) → abs'(0) = 1.
 *  - relu / relu6: nn/functions.py custom_jvp → 0 at 0 (and at 6 for relu6).
 *  - silu = x·sigmoid(x) → 0.5 at 0; gelu (approximate) → 0.5 at 0.
 *  - sinc: ufuncs.py `_sinc_maclaurin` custom_jvp → sinc'(0) = 0, sinc''(0) = −π²/3.
 *  - nn.logsumexp: stop-gradient'ed max → softmax: [0.5, 0.5] for equal inputs, [1, 0] with a
 *    −inf entry (no NaN).
 *  - linalg.norm (ord None): sqrt(sum(x·conj x)) with no safe-sqrt → NaN at the zero vector;
 *    vector ord 1 = sum(abs) → 1 each; ord ±inf = amax/amin(abs) → 0.5 each at [0, 0]; matrix
 *    ord 1 / inf = amax(sum(abs), initial=0) (jax/_src/numpy/linalg.py since JAX 0.5.2) →
 *    max(0, reduce_max) splits 0.5 with the initial, then 0.5 between columns: 0.25 each at 0.
 */
import { describe, expect, it } from "vitest";
import { type Array, grad, jit, jvp, makeJaxpr, nn, numpy as jnp } from "../../src/index.js";

const f32 = (v: number) => jnp.float32(v) as unknown as Array;
const item = (a: unknown) => (a as Array).item() as number;
type Unary = (x: Array) => Array;

/** grad at x, eager and jitted, and the jvp tangent for tangent 1, all equal to `want`. */
function expectDerivative(f: Unary, x: number, want: number) {
  expect(item(grad(f)(f32(x)))).toBeCloseTo(want, 6);
  expect(item(jit(grad(f))(f32(x)))).toBeCloseTo(want, 6);
  const [, t] = jvp(f, [f32(x)], [f32(1)]) as Array[];
  expect(item(t)).toBeCloseTo(want, 6);
  const [, tj] = jit((v: Array) => jvp(f, [v], [f32(1)]))(f32(x)) as Array[];
  expect(item(tj)).toBeCloseTo(want, 6);
}

describe("logaddexp family at ties (JAX: custom_jvp, 0.5 each)", () => {
  it("logaddexp(a, 0)' at a = 0 is 0.5 (JAX 0.5; jaxts was 0)", () => {
    expectDerivative((a) => jnp.logaddexp(a, f32(0)), 0, 0.5);
    expectDerivative((a) => jnp.logaddexp(f32(0), a), 0, 0.5);
    expectDerivative((a) => jnp.logaddexp(a, a), 1, 1);
  });
  it("stages JAX's logaddexp custom_jvp_call (jax/_src/lax/other.py's body, in its order)", () => {
    const jaxpr = makeJaxpr((a: Array, b: Array) => jnp.logaddexp(a, b))(f32(1), f32(2));
    expect(String(jaxpr)).toBe(
      [
        "{ lambda ; a:f32[] b:f32[]. let",
        "    c:f32[] = custom_jvp_call[",
        "      call_jaxpr={ lambda ; d:f32[] e:f32[]. let",
        "          f:f32[] = max d e",
        "          g:f32[] = sub d e",
        "          h:bool[] = ne g g",
        "          i:f32[] = add d e",
        "          j:f32[] = abs g",
        "          k:f32[] = neg j",
        "          l:f32[] = exp k",
        "          m:f32[] = log1p l",
        "          n:f32[] = add f m",
        "          o:f32[] = select_n h n i",
        "        in (o,) }",
        "      jvp_jaxpr_thunk=<function logaddexp_jvp>",
        "      num_consts=0",
        "      symbolic_zeros=False",
        "    ] a b",
        "  in (c,) }",
      ].join("\n"),
    );
  });
  it("logaddexp keeps its values and its derivative off the tie", () => {
    expect(item(jnp.logaddexp(f32(1), f32(2)))).toBeCloseTo(2 + Math.log1p(Math.exp(-1)), 6);
    const s = 1 / (1 + Math.exp(-1));
    expectDerivative((a) => jnp.logaddexp(a, f32(1)), 2, s);
    // JAX: x1 = -inf → exp(-inf - 0) = 0, no NaN
    expectDerivative((a) => jnp.logaddexp(a, f32(0)), -Infinity, 0);
    expectDerivative((a) => jnp.logaddexp(f32(-Infinity), a), 0, 1);
  });
  it("logaddexp2(a, 0)' at a = 0 is 0.5 (JAX 0.5)", () => {
    expect(item(jnp.logaddexp2(f32(3), f32(3)))).toBeCloseTo(4, 6);
    expect(item(jnp.logaddexp2(f32(1), f32(2)))).toBeCloseTo(Math.log2(6), 6);
    expectDerivative((a) => jnp.logaddexp2(a, f32(0)), 0, 0.5);
    expectDerivative((a) => jnp.logaddexp2(a, f32(1)), 2, 4 / 6);
  });
  it("nn.softplus'(0) is 0.5 (JAX: softplus = logaddexp(x, 0); jaxts was 0)", () => {
    expectDerivative((a) => nn.softplus(a), 0, 0.5);
    expectDerivative((a) => nn.logSigmoid(a), 0, 0.5);
  });
});

describe("kinks JAX defines by primitive jvp rules or custom_jvp (already JAX's values)", () => {
  it("maximum/minimum at ties: 0.5 (lax.py _balanced_eq)", () => {
    expectDerivative((a) => jnp.maximum(a, f32(0)), 0, 0.5);
    expectDerivative((a) => jnp.minimum(a, f32(0)), 0, 0.5);
  });
  it("clip at its bounds: 0.5 (minimum(maximum(x, lo), hi))", () => {
    expectDerivative((a) => jnp.clip(a, 0, 1), 0, 0.5);
    expectDerivative((a) => jnp.clip(a, 0, 1), 1, 0.5);
  });
  it("abs'(0) = 1 (lax.py _abs_jvp_rule: select(x >= 0, g, -g))", () => {
    expectDerivative((a) => jnp.abs(a), 0, 1);
  });
  it("relu'(0) = 0, relu6'(0) = relu6'(6) = 0 (nn custom_jvp)", () => {
    expectDerivative((a) => nn.relu(a), 0, 0);
    expectDerivative((a) => nn.relu6(a), 0, 0);
    expectDerivative((a) => nn.relu6(a), 6, 0);
  });
  it("silu'(0) = gelu'(0) = 0.5", () => {
    expectDerivative((a) => nn.silu(a), 0, 0.5);
    expectDerivative((a) => nn.gelu(a), 0, 0.5);
  });
  it("sinc'(0) = 0, sinc''(0) = -π²/3 (ufuncs.py _sinc_maclaurin custom_jvp)", () => {
    expectDerivative((a) => jnp.sinc(a), 0, 0);
    expectDerivative((a) => grad((b: Array) => jnp.sinc(b))(a), 0, -(Math.PI ** 2) / 3);
  });
  it("nn.logsumexp's gradient is a softmax: equal inputs and -inf entries, no NaN", () => {
    const g = (v: number[]) =>
      grad((x: Array) => nn.logsumexp(x))(jnp.array(v, "float32")).tolist() as number[];
    expect(g([1, 1])).toEqual([0.5, 0.5]);
    expect(g([0, -Infinity])).toEqual([1, 0]);
  });
  it("linalg.norm at the zero vector: NaN, as JAX (sqrt(sum(x*conj(x))), no safe sqrt)", () => {
    const g = grad((x: Array) => jnp.linalg.norm(x))(jnp.array([0, 0], "float32"));
    expect((g.tolist() as number[]).every(Number.isNaN)).toBe(true);
  });
  it("vector and matrix norms at zero: JAX's tie splits (ord 1, ±inf)", () => {
    const gv = (f: (x: Array) => Array, v: number[]) =>
      grad(f)(jnp.array(v, "float32")).tolist() as number[];
    const L = jnp.linalg;
    expect(gv((x) => L.norm(x, { ord: 1 }), [0, 0])).toEqual([1, 1]);
    expect(gv((x) => L.norm(x, { ord: Infinity }), [0, 0])).toEqual([0.5, 0.5]);
    expect(gv((x) => L.norm(x, { ord: -Infinity }), [0, 0])).toEqual([0.5, 0.5]);
    const m = (ord: number) => (x: Array) => L.norm(jnp.reshape(x, [2, 2]), { ord });
    expect(gv(m(1), [0, 0, 0, 0])).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(gv(m(Infinity), [0, 0, 0, 0])).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(gv(m(1), [1, -2, 3, 0])).toEqual([1, 0, 1, 0]);
    expect(
      L.norm(
        jnp.array(
          [
            [1, -2],
            [3, 0],
          ],
          "float32",
        ),
        { ord: 1 },
      ).item(),
    ).toBe(4);
    expect(
      L.norm(
        jnp.array(
          [
            [1, -2],
            [3, 0],
          ],
          "float32",
        ),
        { ord: Infinity },
      ).item(),
    ).toBe(3);
  });
});
