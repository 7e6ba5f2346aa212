/**
 * Gradient checks for every differentiable primitive against central finite differences, in
 * float64 (x64 is enabled for this file only): reverse mode, forward mode, and second order
 * (jvp∘grad and grad∘grad Hessian-vector products). Tolerances: rtol 1e-6 / atol 1e-7 first
 * order, 10× that second order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, config, jvp, lax, numpy as jnp } from "../../src/index.js";
import { checkGrads, rng, uniform, vals } from "./ad-helpers.js";

beforeAll(() => config.update("jax_enable_x64", true));
afterAll(() => config.update("jax_enable_x64", false));

type Unary = (x: Array) => Array;
const unary: [string, Unary, number, number][] = [
  ["neg", lax.neg, -2, 2],
  ["exp", lax.exp, -2, 2],
  ["exp2", lax.exp2, -2, 2],
  ["log", lax.log, 0.2, 3],
  ["log1p", lax.log1p, -0.5, 3],
  ["expm1", lax.expm1, -2, 2],
  ["tanh", lax.tanh, -2, 2],
  ["logistic", lax.logistic, -3, 3],
  ["sin", lax.sin, -3, 3],
  ["cos", lax.cos, -3, 3],
  ["tan", lax.tan, -1.2, 1.2],
  ["asin", lax.asin, -0.9, 0.9],
  ["acos", lax.acos, -0.9, 0.9],
  ["atan", lax.atan, -3, 3],
  ["sinh", lax.sinh, -2, 2],
  ["cosh", lax.cosh, -2, 2],
  ["asinh", lax.asinh, -3, 3],
  ["acosh", lax.acosh, 1.2, 3],
  ["atanh", lax.atanh, -0.9, 0.9],
  ["sqrt", lax.sqrt, 0.2, 3],
  ["rsqrt", lax.rsqrt, 0.2, 3],
  ["cbrt", lax.cbrt, 0.2, 3],
  ["abs", lax.abs, 0.1, 2],
  ["erf", lax.erf, -2, 2],
  ["erf_inv", lax.erfInv, -0.9, 0.9],
  ["lgamma", lax.lgamma, 0.5, 4],
  ["digamma", lax.digamma, 0.5, 4],
  ["integer_pow 2", (x) => lax.integerPow(x, 2), -2, 2],
  ["integer_pow 3", (x) => lax.integerPow(x, 3), -2, 2],
  ["integer_pow -2", (x) => lax.integerPow(x, -2), 0.5, 2],
  ["square", lax.square, -2, 2],
  ["convert_element_type (f64→f64 weak)", (x) => lax.convertElementType(x, x.dtype), -2, 2],
  ["copy via stop_gradient-free identity", (x) => x.add(0), -2, 2],
];

describe("unary elementwise primitives", () => {
  for (const [name, f, lo, hi] of unary) {
    it(name, () => {
      const r = rng(name.length * 31);
      checkGrads(name, f, [uniform(r, [4], lo, hi)], { order2: true });
    });
  }
  it("abs (negative side)", () =>
    checkGrads("abs-", lax.abs, [uniform(rng(3), [3], -2, -0.1)], { order2: true }));
});

type Binary = (x: Array, y: Array) => Array;
const binary: [string, Binary, [number, number], [number, number]][] = [
  ["add", lax.add, [-2, 2], [-2, 2]],
  ["sub", lax.sub, [-2, 2], [-2, 2]],
  ["mul", lax.mul, [-2, 2], [-2, 2]],
  ["div", lax.div, [-2, 2], [0.5, 2]],
  ["rem", lax.rem, [2.1, 2.9], [1.1, 1.9]],
  ["pow", lax.pow, [0.5, 2], [-1.5, 1.5]],
  ["max", lax.max, [-2, 0], [0.1, 2]],
  ["min", lax.min, [-2, 0], [0.1, 2]],
  ["atan2", lax.atan2, [-2, 2], [0.3, 2]],
];

describe("binary elementwise primitives", () => {
  for (const [name, f, [xl, xh], [yl, yh]] of binary) {
    it(name, () => {
      const r = rng(name.length * 17);
      checkGrads(name, f, [uniform(r, [3], xl, xh), uniform(r, [3], yl, yh)], { order2: true });
    });
    it(`${name} with a scalar (broadcast) operand`, () => {
      const r = rng(name.length * 19);
      checkGrads(`${name} bcast`, f, [uniform(r, [2, 3], xl, xh), uniform(r, [], yl, yh)], {
        order2: true,
      });
      checkGrads(`${name} bcast'`, f, [uniform(r, [], xl, xh), uniform(r, [2, 3], yl, yh)], {
        order2: true,
      });
    });
  }
  it("max/min with size-1 broadcasting", () => {
    const r = rng(5);
    checkGrads(
      "max [2,3]x[1,3]",
      lax.max,
      [uniform(r, [2, 3], -2, 0), uniform(r, [1, 3], 0.1, 2)],
      { order2: true },
    );
  });
});

describe("reductions", () => {
  const r = rng(11);
  it("reduce_sum", () =>
    checkGrads("reduce_sum", (x) => lax.reduceSum(x, [0, 2]), [uniform(r, [2, 3, 2])], {
      order2: true,
    }));
  it("reduce_max", () =>
    checkGrads("reduce_max", (x) => lax.reduceMax(x, [1]), [uniform(r, [3, 4])], { order2: true }));
  it("reduce_min", () =>
    checkGrads("reduce_min", (x) => lax.reduceMin(x, [0]), [uniform(r, [3, 4])], { order2: true }));
  it("reduce_prod", () =>
    checkGrads("reduce_prod", (x) => lax.reduceProd(x, [1]), [uniform(r, [2, 5], 0.5, 1.5)], {
      order2: true,
    }));
  it("reduce_prod over several axes", () =>
    checkGrads(
      "reduce_prod2",
      (x) => lax.reduceProd(x, [0, 2]),
      [uniform(r, [3, 2, 3], 0.5, 1.5)],
      { order2: true },
    ));
  it("reduce_prod with a zero element (exact: no division by x)", () => {
    const x = jnp.asarray(new Float64Array([1.5, 0, 2, -0.5])).reshape([4]);
    checkGrads("reduce_prod zero", (v) => lax.reduceProd(v, [0]), [x], { order2: true });
  });
  it("jnp.mean / jnp.var-style compositions", () =>
    checkGrads("mean", (x) => jnp.mean(x.mul(x), { axis: 1 }), [uniform(r, [2, 3])], {
      order2: true,
    }));
});

describe("dot_general", () => {
  const r = rng(13);
  it("matmul", () =>
    checkGrads(
      "matmul",
      (a, b) =>
        lax.dotGeneral(a, b, [
          [[1], [0]],
          [[], []],
        ]),
      [uniform(r, [2, 3]), uniform(r, [3, 4])],
      { order2: true },
    ));
  it("batched", () =>
    checkGrads(
      "bmm",
      (a, b) =>
        lax.dotGeneral(a, b, [
          [[2], [1]],
          [[0], [0]],
        ]),
      [uniform(r, [2, 2, 3]), uniform(r, [2, 3, 2])],
      { order2: true },
    ));
  it("contracting the leading dims (transposed operands)", () =>
    checkGrads(
      "dotT",
      (a, b) =>
        lax.dotGeneral(a, b, [
          [[0], [1]],
          [[], []],
        ]),
      [uniform(r, [3, 2]), uniform(r, [4, 3])],
      { order2: true },
    ));
  it("vector dot and outer product", () => {
    checkGrads(
      "vdot",
      (a, b) =>
        lax.dotGeneral(a, b, [
          [[0], [0]],
          [[], []],
        ]),
      [uniform(r, [3]), uniform(r, [3])],
      { order2: true },
    );
    checkGrads(
      "outer",
      (a, b) =>
        lax.dotGeneral(a, b, [
          [[], []],
          [[], []],
        ]),
      [uniform(r, [3]), uniform(r, [2])],
      { order2: true },
    );
  });
  it("jnp.matmul / jnp.dot", () =>
    checkGrads("jnp.matmul", (a, b) => jnp.matmul(a, b), [uniform(r, [2, 3]), uniform(r, [3])], {
      order2: true,
    }));
});

describe("structural primitives", () => {
  const r = rng(17);
  const sq = (x: Array) => x.mul(x); // make second derivatives nonzero
  it("broadcast_in_dim", () => {
    checkGrads("bid", (x) => sq(lax.broadcastInDim(x, [2, 3, 4], [1])), [uniform(r, [3])], {
      order2: true,
    });
    checkGrads("bid scalar", (x) => sq(lax.broadcastInDim(x, [2, 3], [])), [uniform(r, [])], {
      order2: true,
    });
    checkGrads(
      "bid size-1",
      (x) => sq(lax.broadcastInDim(x, [2, 3], [0, 1])),
      [uniform(r, [1, 3])],
      { order2: true },
    );
  });
  it("reshape", () =>
    checkGrads("reshape", (x) => sq(lax.reshape(x, [3, 2])), [uniform(r, [2, 3])], {
      order2: true,
    }));
  it("squeeze / expand_dims", () => {
    checkGrads("squeeze", (x) => sq(lax.squeeze(x, [1])), [uniform(r, [3, 1, 2])], {
      order2: true,
    });
    checkGrads("expand_dims", (x) => sq(lax.expandDims(x, [0, 2])), [uniform(r, [3, 2])], {
      order2: true,
    });
  });
  it("transpose", () =>
    checkGrads("transpose", (x) => sq(lax.transpose(x, [2, 0, 1])), [uniform(r, [2, 3, 2])], {
      order2: true,
    }));
  it("rev", () =>
    checkGrads(
      "rev",
      (x) => sq(lax.rev(x, [0])).mul(jnp.arange(3).astype("float64").add(1)),
      [uniform(r, [3])],
      { order2: true },
    ));
  it("slice (strided)", () =>
    checkGrads("slice", (x) => sq(lax.slice(x, [0, 1], [4, 5], [2, 2])), [uniform(r, [4, 5])], {
      order2: true,
    }));
  it("pad (edge, interior and negative)", () => {
    checkGrads(
      "pad",
      (x, v) =>
        sq(
          lax.pad(x, v, [
            [1, 2, 1],
            [0, -1, 0],
          ]),
        ),
      [uniform(r, [3, 3]), uniform(r, [])],
      { order2: true },
    );
  });
  it("concatenate", () =>
    checkGrads(
      "concat",
      (a, b, c) => sq(lax.concatenate([a, b, c], 1)),
      [uniform(r, [2, 1]), uniform(r, [2, 3]), uniform(r, [2, 2])],
      { order2: true },
    ));
  it("select_n", () => {
    const p = jnp.asarray(new Uint8Array([1, 0, 1])).astype("bool");
    checkGrads("select_n", (a, b) => sq(lax.selectN(p, a, b)), [uniform(r, [3]), uniform(r, [3])], {
      order2: true,
    });
    checkGrads(
      "select scalar pred",
      (a, b) => sq(lax.select(true, a, b)),
      [uniform(r, [3]), uniform(r, [3])],
      { order2: true },
    );
  });
  it("clamp", () =>
    checkGrads(
      "clamp",
      (lo, x, hi) => sq(lax.clamp(lo, x, hi)),
      [uniform(r, [], -0.5, -0.4), uniform(r, [5], -1, 1), uniform(r, [], 0.4, 0.5)],
      { order2: true },
    ));
  it("convert_element_type float64 → float32 → float64", () =>
    checkGrads("convert", (x) => sq(x.astype("float32").astype("float64")), [uniform(r, [3])], {
      rtol: 1e-4,
      atol: 1e-4,
      eps: 1e-3,
    }));
  it("a composition (softmax cross-entropy)", () => {
    const logsumexp = (x: Array) => {
      const m = lax.stopGradient(jnp.max(x, { axis: -1, keepdims: true }));
      return jnp.log(jnp.sum(jnp.exp(x.sub(m)), { axis: -1, keepdims: true })).add(m);
    };
    checkGrads("xent", (x) => x.sub(logsumexp(x)), [uniform(r, [2, 4], -2, 2)], { order2: true });
  });
});

describe("indexing, sorting and cumulative primitives (rules from their own files)", () => {
  const r = rng(23);
  it("dynamic_slice / dynamic_update_slice", () => {
    checkGrads(
      "dynamic_slice",
      (x) => lax.dynamicSlice(x, [1, 0], [2, 2]).mul(x.get(0, 0)),
      [uniform(r, [3, 3])],
      { order2: true },
    );
    checkGrads(
      "dynamic_update_slice",
      (x, v) => lax.dynamicUpdateSlice(x, v.mul(v), [1]),
      [uniform(r, [4]), uniform(r, [2])],
      { order2: true },
    );
  });
  it("gather (advanced indexing), scatter-add (.at().add) and scatter (.at().set)", () => {
    const idx = jnp.asarray([2, 0, 2]); // default int (int64 under x64)
    checkGrads("gather", (x) => x.get(idx).mul(x.get(idx)), [uniform(r, [4])], { order2: true });
    checkGrads(
      "scatter-add",
      (x, v) => x.at(idx).add(v.mul(v)),
      [uniform(r, [4]), uniform(r, [3])],
      { order2: true },
    );
    // scatter (set) with indices that may repeat: JAX's id-masking JVP (scatter-ad.test.ts)
    checkGrads("scatter", (x, v) => x.at(idx).set(v.mul(v)), [uniform(r, [4]), uniform(r, [3])], {
      order2: true,
    });
    const [, t] = jvp(
      (x: Array, v: Array) => x.at(jnp.asarray([1, 3])).set(v),
      [uniform(r, [4]), uniform(r, [2])],
      [jnp.ones([4]), jnp.ones([2]).mul(2)],
    ) as Array[];
    expect(vals(t)).toEqual([1, 2, 1, 2]);
  });
  it("cumsum / cumprod", () => {
    checkGrads("cumsum", (x) => lax.cumsum(x.mul(x), 0), [uniform(r, [4])], { order2: true });
    checkGrads("cumprod", (x) => lax.cumprod(x, 1), [uniform(r, [2, 3], 0.5, 1.5)], {
      order2: true,
    });
  });
  it("sort", () => {
    checkGrads("sort", (x) => jnp.sort(x).mul(jnp.arange(4).astype("float64")), [uniform(r, [4])], {
      order2: true,
    });
  });
});
