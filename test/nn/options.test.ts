/**
 * jax.nn keyword arguments as options objects (README: keyword arguments are an options object),
 * next to the positional forms, and Python's TypeErrors for bad arguments. References were
 * computed with python3 + numpy in float64 from the float32 inputs below (math.erfc for gelu;
 * e = exp(x - max); e / e.sum(axis) for softmax; standardize as (x - m) / sqrt(E[x²] - m² + eps)
 * over the selected elements). Tolerance is float32's: |actual - ref| <= 1e-6·|ref| + 1e-7.
 */
import { describe, expect, it } from "vitest";
import { jit, makeJaxpr, nn, numpy as jnp } from "../../src/index.js";
import type { Array } from "../../src/index.js";

const flat = (a: Array) => (a.tolist() as unknown as number[][]).flat() as number[];
function expectClose(actual: Array, ref: number[], rtol = 1e-6, atol = 1e-7) {
  const a = flat(actual);
  expect(a.length).toBe(ref.length);
  a.forEach((v, i) =>
    expect(Math.abs(v - ref[i]!)).toBeLessThanOrEqual(atol + rtol * Math.abs(ref[i]!)),
  );
}

const x = jnp.array(
  [
    [-1, 0.5, 2],
    [3, -2, 0],
  ],
  "float32",
);

describe("gelu approximate", () => {
  // x/2 · erfc(-x/√2), python3 math.erfc.
  const EXACT = [
    -0.15865525393145707, 0.34573123063700656, 1.9544997361036416, 2.99595030590511,
    -0.04550026389635844, 0.0,
  ];
  it("{ approximate: false } is the exact form (it used to give the tanh form)", () => {
    expectClose(nn.gelu(x, { approximate: false }), EXACT);
    expect(flat(nn.gelu(x, { approximate: false }))).toEqual(flat(nn.gelu(x, false)));
    expect(flat(nn.gelu(x, { approximate: true }))).toEqual(flat(nn.gelu(x)));
    expect(flat(nn.gelu(x, {}))).toEqual(flat(nn.gelu(x, true)));
    // The tanh form differs from the exact one by 1.5e-4 at x = -1.
    expect(Math.abs(flat(nn.gelu(x))[0]! - EXACT[0]!)).toBeGreaterThan(1e-4);
  });
  it("stages the same jaxpr as the positional form", () => {
    expect(makeJaxpr((a: Array) => nn.gelu(a, { approximate: false }))(x).toString()).toBe(
      makeJaxpr((a: Array) => nn.gelu(a, false))(x).toString(),
    );
  });
  it("approximate must be a boolean", () => {
    expect(() => nn.gelu(x, "no" as unknown as boolean)).toThrow(
      new TypeError(
        "nn.gelu: approximate must be a boolean, got string; use gelu(x, { approximate: false }) for the exact form.",
      ),
    );
  });
});

describe("softmax / logSoftmax options", () => {
  const SOFTMAX_AXIS0 = [
    0.017986209962091555, 0.9241418199787566, 0.8807970779778823, 0.9820137900379085,
    0.07585818002124356, 0.11920292202211755,
  ];
  const LOG_SOFTMAX_AXIS0 = [
    -4.0181499279178094, -0.07888973429254956, -0.1269280110429726, -0.01814992791780978,
    -2.5788897342925496, -2.1269280110429727,
  ];
  // where = [True, True, False] broadcast over rows; masked entries give 0.
  const SOFTMAX_WHERE = [
    0.18242552380635632, 0.8175744761936437, 0, 0.9933071490757153, 0.006692850924284856, 0,
  ];
  const w = jnp.array([true, true, false]);
  it("axis as an option (it used to throw '...map is not a function') and positionally", () => {
    expectClose(nn.softmax(x, { axis: 0 }), SOFTMAX_AXIS0);
    expectClose(nn.softmax(x, 0), SOFTMAX_AXIS0);
    expectClose(nn.logSoftmax(x, { axis: 0 }), LOG_SOFTMAX_AXIS0);
    expectClose(nn.logSoftmax(x, [0]), LOG_SOFTMAX_AXIS0);
    expectClose(jit((a: Array) => nn.softmax(a, { axis: 0 }))(x), SOFTMAX_AXIS0);
  });
  it("where as an option, alone or after a positional axis", () => {
    expectClose(nn.softmax(x, { where: w }), SOFTMAX_WHERE);
    expectClose(nn.softmax(x, -1, { where: w }), SOFTMAX_WHERE);
    expectClose(nn.softmax(x, -1, w), SOFTMAX_WHERE);
    const ls = flat(nn.logSoftmax(x, { axis: -1, where: w }));
    expect(ls[2]).toBe(-Infinity);
    expect(Math.abs(ls[0]! - Math.log(SOFTMAX_WHERE[0]!))).toBeLessThan(1e-6);
  });
  it("unknown, repeated and surplus arguments raise TypeErrors", () => {
    expect(() => nn.softmax(x, { axes: 0 } as never)).toThrow(
      new TypeError(
        "nn.softmax() got an unexpected keyword argument 'axes'; valid options are: axis, where.",
      ),
    );
    expect(() => nn.logSoftmax(x, 0, { axis: 1 })).toThrow(
      new TypeError(
        "nn.logSoftmax() got multiple values for argument 'axis': pass it positionally or in the options object, not both.",
      ),
    );
    expect(() => (nn.softmax as (...a: unknown[]) => Array)(x, 0, null, 1)).toThrow(
      new TypeError(
        "nn.softmax() takes at most 3 positional arguments but 4 were given (its parameters after x: axis, where).",
      ),
    );
    expect(() => nn.logsumexp(x, { axes: 0 } as never)).toThrow(
      "nn.logsumexp() got an unexpected keyword argument 'axes'; valid options are: axis, b, keepdims, returnSign.",
    );
  });
});

describe("standardize options", () => {
  it("axis/epsilon as options equal the positional form", () => {
    // axis 0, epsilon 0.5 (numpy reference).
    const REF = [
      -0.9428090415820635, 0.8703882797784892, 0.8164965809277261, 0.9428090415820635,
      -0.8703882797784892, -0.8164965809277261,
    ];
    expectClose(nn.standardize(x, { axis: 0, epsilon: 0.5 }), REF);
    expectClose(nn.standardize(x, 0, null, null, 0.5), REF);
  });
  it("mean and variance as options", () => {
    expect(flat(nn.standardize(x, { mean: 1, variance: 4, epsilon: 0 }))).toEqual([
      -1, -0.25, 0.5, 1, -1.5, -0.5,
    ]);
  });
  it("where restricts the statistics (jnp.mean(..., where=) as JAX)", () => {
    // Statistics over the first two columns of each row; every element is standardized.
    const REF = [
      -0.9999911112296279, 0.9999911112296279, 2.9999733336888834, 0.99999920000096,
      -0.99999920000096, -0.199999840000192,
    ];
    expectClose(nn.standardize(x, { where: jnp.array([true, true, false]) }), REF);
  });
  it("rejects unknown options", () => {
    expect(() => nn.standardize(x, { eps: 0 } as never)).toThrow(
      new TypeError(
        "nn.standardize() got an unexpected keyword argument 'eps'; valid options are: axis, mean, variance, epsilon, where.",
      ),
    );
  });
});

describe("oneHot, leakyRelu, elu, celu, glu options", () => {
  it("oneHot: numClasses positional or as an option; dtype and axis keyword-only", () => {
    const idx = jnp.array([0, 2]);
    const t = [
      [1, 0],
      [0, 0],
      [0, 1],
    ];
    expect(nn.oneHot(idx, { numClasses: 3, dtype: "int32", axis: 0 }).tolist()).toEqual(t);
    expect(nn.oneHot(idx, 3, { dtype: "int32", axis: 0 }).tolist()).toEqual(t);
    expect(nn.oneHot(idx, { numClasses: 3 }).dtype.name).toBe("float32");
    expect(() => nn.oneHot(idx, { dtype: "int32" } as never)).toThrow(
      new TypeError("nn.oneHot() missing 1 required argument: 'numClasses'."),
    );
    expect(() => (nn.oneHot as (...a: unknown[]) => Array)(idx, 3, "int32")).toThrow(
      new TypeError(
        "nn.oneHot() takes at most 2 positional arguments but 3 were given (its parameters after x: numClasses, dtype, axis; dtype, axis only in an options object).",
      ),
    );
    expect(() => nn.oneHot(idx, 3, { numclasses: 3 } as never)).toThrow(
      "nn.oneHot() got an unexpected keyword argument 'numclasses'; valid options are: numClasses, dtype, axis.",
    );
  });
  it("leakyRelu negativeSlope, elu/celu alpha, glu axis", () => {
    // Exact in float32: x·0.5, and the same numbers the positional forms give.
    expect(flat(nn.leakyRelu(x, { negativeSlope: 0.5 }))).toEqual([-0.5, 0.5, 2, 3, -1, 0]);
    expect(flat(nn.leakyRelu(x, { negativeSlope: 0.5 }))).toEqual(flat(nn.leakyRelu(x, 0.5)));
    // alpha·expm1(x) for x < 0 with alpha = 2: numpy 2*np.expm1([-1, -2]).
    expectClose(nn.elu(x, { alpha: 2 }), [-1.2642411176571153, 0.5, 2, 3, -1.7293294335267746, 0]);
    expect(flat(nn.elu(x, { alpha: 2 }))).toEqual(flat(nn.elu(x, 2)));
    // alpha·expm1(x/alpha) for x < 0 with alpha = 2: numpy 2*np.expm1([-0.5, -1]).
    expectClose(nn.celu(x, { alpha: 2 }), [-0.7869386805747332, 0.5, 2, 3, -1.2642411176571153, 0]);
    expect(flat(nn.glu(jnp.ones([2, 4]), { axis: 0 }))).toEqual(flat(nn.glu(jnp.ones([2, 4]), 0)));
    expect(nn.glu(jnp.ones([2, 4]), { axis: 0 }).shape).toEqual([1, 4]);
    expect(() => nn.elu(x, { slope: 1 } as never)).toThrow(
      "nn.elu() got an unexpected keyword argument 'slope'; valid options are: alpha.",
    );
    expect(() => nn.leakyRelu(x, { alpha: 1 } as never)).toThrow(
      "nn.leakyRelu() got an unexpected keyword argument 'alpha'; valid options are: negativeSlope.",
    );
  });
});
