/**
 * jax.nn functions against float64 references computed here with JS Math (or, for erfc,
 * precomputed with python3's math.erfc and pasted below). Inputs are float32 arrays, so the
 * tolerance is float32's: |actual - ref| <= 1e-6·|ref| + 1e-7 unless stated.
 */
import { describe, it, expect } from "vitest";
import { nn, numpy as jnp, jit, makeJaxpr } from "../../src/index.js";
import type { Array } from "../../src/index.js";

const list = (x: unknown) => (x as { tolist(): unknown }).tolist();
const flat = (x: Array) => {
  const v = list(x) as unknown;
  return (globalThis.Array.isArray(v) ? v.flat(3) : [v]) as number[];
};
const f32 = (v: number) => Math.fround(v);
function expectClose(actual: Array, ref: number[], rtol = 1e-6, atol = 1e-7) {
  const a = flat(actual);
  expect(a.length).toBe(ref.length);
  a.forEach((v, i) => {
    const r = ref[i]!;
    if (Number.isNaN(r)) expect(Number.isNaN(v)).toBe(true);
    else if (!Number.isFinite(r)) expect(v).toBe(r);
    else expect(Math.abs(v - r)).toBeLessThanOrEqual(atol + rtol * Math.abs(r));
  });
}

const XS = [-20, -6, -3, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 3, 6, 20].map(f32);
const x = jnp.array(XS);
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

describe("elementwise activations", () => {
  const cases: [string, (x: Array) => Array, (v: number) => number][] = [
    ["relu", (a) => nn.relu(a), (v) => Math.max(v, 0)],
    ["relu6", (a) => nn.relu6(a), (v) => Math.min(Math.max(v, 0), 6)],
    ["sigmoid", (a) => nn.sigmoid(a), sig],
    ["softplus", (a) => nn.softplus(a), softplus],
    ["logSigmoid", (a) => nn.logSigmoid(a), (v) => -softplus(-v)],
    ["silu", (a) => nn.silu(a), (v) => v * sig(v)],
    ["swish", (a) => nn.swish(a), (v) => v * sig(v)],
    ["mish", (a) => nn.mish(a), (v) => v * Math.tanh(softplus(v))],
    ["elu", (a) => nn.elu(a), (v) => (v > 0 ? v : Math.expm1(v))],
    ["elu(alpha=0.5)", (a) => nn.elu(a, 0.5), (v) => (v > 0 ? v : 0.5 * Math.expm1(v))],
    [
      "celu(alpha=2)",
      (a) => nn.celu(a, 2),
      (v) => Math.max(v, 0) + 2 * Math.expm1(Math.min(v, 0) / 2),
    ],
    [
      "selu",
      (a) => nn.selu(a),
      (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v)),
    ],
    ["leakyRelu", (a) => nn.leakyRelu(a), (v) => (v >= 0 ? v : 0.01 * v)],
    ["leakyRelu(0.2)", (a) => nn.leakyRelu(a, 0.2), (v) => (v >= 0 ? v : 0.2 * v)],
    ["hardTanh", (a) => nn.hardTanh(a), (v) => Math.min(Math.max(v, -1), 1)],
    ["hardSigmoid", (a) => nn.hardSigmoid(a), (v) => Math.min(Math.max(v + 3, 0), 6) / 6],
    ["hardSilu", (a) => nn.hardSilu(a), (v) => (v * Math.min(Math.max(v + 3, 0), 6)) / 6],
    ["softSign", (a) => nn.softSign(a), (v) => v / (Math.abs(v) + 1)],
  ];
  for (const [name, f, ref] of cases) {
    it(name, () => {
      const out = f(x);
      expect(out.dtype.name).toBe("float32");
      expectClose(out, XS.map(ref));
    });
  }
  it("relu keeps nan and integer dtypes", () => {
    expect(Number.isNaN(flat(nn.relu(jnp.array([NaN])))[0]!)).toBe(true);
    const r = nn.relu(jnp.array([-2, 3]));
    expect(r.dtype.name).toBe("int32");
    expect(list(r)).toEqual([0, 3]);
  });
});

// References: python3 math.erfc / math.tanh in float64 (see file comment).
const GX = [-10, -6, -3, -1, -0.25, 0, 0.25, 1, 3, 6];
const GELU_EXACT = [
  -7.619853024160593e-23, -5.919525870226207e-9, -0.004049694094890287, -0.15865525393145707,
  -0.10032341857926907, 0.0, 0.14967658142073093, 0.8413447460685429, 2.99595030590511,
  5.999999994080474,
];
const GELU_TANH = [
  -0.0, -8.43964897967453e-11, -0.0036373920817729943, -0.15880800939172324, -0.100324649298315,
  0.0, 0.149675350701685, 0.8411919906082768, 2.996362607918227, 5.9999999999156035,
];

describe("gelu", () => {
  it("approximate (tanh) form is the default", () => {
    expectClose(nn.gelu(jnp.array(GX)), GELU_TANH, 2e-6, 1e-7);
  });
  // Relative 5e-6: x/√2 is rounded to float32 before exp(-z²), which amplifies its rounding
  // error by 2z² (≈ 2e-6 at x = -6); the erfc fit itself is good to 1.2e-7.
  it("exact (erfc) form, accurate in the far negative tail (relative 5e-6)", () => {
    expectClose(nn.gelu(jnp.array(GX), false), GELU_EXACT, 5e-6, 0);
  });
});

describe("softmax family", () => {
  const rows = [
    [1, 2, 3],
    [1000, 1000, 1001],
    [-1e4, 0, -Infinity],
  ];
  const refSoftmax = (r: number[]) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b);
    return e.map((v) => v / s);
  };
  const refLse = (r: number[]) => {
    const m = Math.max(...r);
    return m + Math.log(r.reduce((a, v) => a + Math.exp(v - m), 0));
  };
  it("softmax is stable and sums to 1", () => {
    expectClose(nn.softmax(jnp.array(rows)), rows.flatMap(refSoftmax));
  });
  it("logSoftmax", () => {
    expectClose(
      nn.logSoftmax(jnp.array(rows)),
      rows.flatMap((r) => r.map((v) => v - refLse(r))),
      1e-6,
      1e-6,
    );
  });
  it("softmax over axis 0 and over all axes", () => {
    const a = [
      [1, 5],
      [3, 2],
    ];
    const col = (j: number) => refSoftmax([a[0]![j]!, a[1]![j]!]);
    expectClose(nn.softmax(jnp.array(a), 0), [col(0)[0]!, col(1)[0]!, col(0)[1]!, col(1)[1]!]);
    expectClose(nn.softmax(jnp.array(a), null), refSoftmax(a.flat()));
  });
  it("softmax with where masks elements out", () => {
    const out = nn.softmax(jnp.array([1, 2, 3]), -1, jnp.array([true, false, true]));
    expectClose(out, [...refSoftmax([1, 3]).slice(0, 1), 0, refSoftmax([1, 3])[1]!]);
  });
  it("softmax subtracts a stop-gradient'ed max (as staged)", () => {
    expect(String(makeJaxpr((a: Array) => nn.softmax(a))(jnp.array([1.0, 2.0])))).toContain(
      "stop_gradient",
    );
  });
  it("logsumexp: stable, axis, keepdims, b, returnSign, infinities", () => {
    expectClose(nn.logsumexp(jnp.array(rows), { axis: 1 }), rows.map(refLse), 1e-6, 1e-6);
    expect(nn.logsumexp(jnp.array(rows), { axis: 1, keepdims: true }).shape).toEqual([3, 1]);
    expectClose(nn.logsumexp(jnp.array([1, 2, 3])), [refLse([1, 2, 3])]);
    expectClose(nn.logsumexp(jnp.array([-Infinity, -Infinity])), [-Infinity]);
    expectClose(nn.logsumexp(jnp.array([0, Math.log(2)]), { b: jnp.array([2, 1]) }), [Math.log(4)]);
    const [v, s] = nn.logsumexp(jnp.array([0, Math.log(2)]), {
      b: jnp.array([1, -1]),
      returnSign: true,
    });
    expectClose(v, [0]);
    expect(list(s)).toEqual(-1);
    expect(
      Number.isNaN(flat(nn.logsumexp(jnp.array([0, Math.log(2)]), { b: jnp.array([1, -1]) }))[0]!),
    ).toBe(true);
  });
});

describe("standardize, oneHot, glu", () => {
  it("standardize uses E[x²] - E[x]² and epsilon", () => {
    const r = [1, 2, 3, 4];
    const m = 2.5;
    const v = r.reduce((a, t) => a + t * t, 0) / 4 - m * m;
    expectClose(
      nn.standardize(jnp.array([r])),
      r.map((t) => (t - m) / Math.sqrt(v + 1e-5)),
    );
    expectClose(nn.standardize(jnp.array([r]), -1, 0, 1, 0), r);
  });
  it("oneHot: dtype, axis, out-of-range rows are zero", () => {
    const o = nn.oneHot(jnp.array([0, 2, -1, 3]), 3);
    expect(o.dtype.name).toBe("float32");
    expect(list(o)).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(list(nn.oneHot(jnp.array([0, 1]), 3, { axis: 0, dtype: "int32" }))).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(() => nn.oneHot(jnp.array([0]), 2.5)).toThrow(/num_classes/);
  });
  it("glu", () => {
    expectClose(nn.glu(jnp.array([1, 2, 0.5, -1])), [1 * sig(0.5), 2 * sig(-1)]);
    expect(() => nn.glu(jnp.array([1, 2, 3]))).toThrow(/divisible by 2/);
  });
  it("everything works under jit", () => {
    const f = jit((a: Array) => [nn.gelu(a), nn.softmax(a), nn.logsumexp(a), nn.relu(a)]);
    const [g, s, l, r] = f(x) as Array[];
    // Fused kernels evaluate float32 chains in double precision, so compare with tolerance.
    expectClose(g!, flat(nn.gelu(x)), 1e-5, 1e-7);
    expectClose(s!, flat(nn.softmax(x)));
    expectClose(l!, flat(nn.logsumexp(x)));
    expect(list(r)).toEqual(list(nn.relu(x)));
  });
});
