/**
 * Gradients and vmap through the wasm implicit-GEMM convolution: the lhs and rhs transposes
 * are convolutions too (dilated with the flipped kernel; lhs against the cotangent), so the
 * gradient's program runs three GEMM convs on the wasm device, compared with the js device.
 * The bound Σ|terms| for each gradient is the same gradient of |x|, |w|, |ct| on the js device
 * (a transpose of a linear map is a sum of products); tolerance as in conv-gemm-helpers.ts.
 */
import { describe, expect, it } from "vitest";
import { type Array, grad, jit, numpy as jnp, vmap } from "../../../../src/index.js";
import { on } from "../../differential-helpers.js";
import { rng } from "../../../transforms/ad-helpers.js";
import {
  type GemmCase,
  convOf,
  data,
  describeCase,
  expectClose,
  runOn,
  wasmKernels,
} from "./conv-gemm-helpers.js";

const base = {
  lhsDilation: [1, 1],
  rhsDilation: [1, 1],
  dn: ["NHWC", "HWIO", "NHWC"] as [string, string, string],
  featureGroupCount: 1,
  batchGroupCount: 1,
};

const CASES: GemmCase[] = [
  { ...base, lhsShape: [2, 8, 8, 6], rhsShape: [3, 3, 6, 8], strides: [1, 1], padding: "SAME" },
  { ...base, lhsShape: [3, 9, 7, 5], rhsShape: [3, 2, 5, 7], strides: [2, 3], padding: "VALID" },
  {
    ...base,
    lhsShape: [2, 7, 7, 8],
    rhsShape: [3, 3, 4, 10],
    strides: [1, 2],
    padding: [
      [2, 1],
      [1, 0],
    ],
    rhsDilation: [2, 1],
    featureGroupCount: 2,
  },
  {
    ...base,
    dn: ["NCH", "OIH", "NCH"],
    lhsShape: [2, 4, 13],
    rhsShape: [6, 4, 3],
    strides: [2],
    padding: "SAME",
    lhsDilation: [1],
    rhsDilation: [2],
  },
];

function gradsOf(c: GemmCase) {
  const conv = convOf(c);
  return (x: Array, w: Array, ct: Array): Array => {
    const [gx, gw] = grad((x: Array, w: Array) => conv(x, w).mul(ct).sum(), { argnums: [0, 1] })(
      x,
      w,
    ) as Array[];
    return jnp.concatenate([gx!.reshape([-1]), gw!.reshape([-1])]);
  };
}

describe("grad through the wasm implicit-GEMM conv vs the js device", () => {
  CASES.forEach((c, i) => {
    it(`case ${i}: ${describeCase(c)}`, () => {
      const r = rng(40 + i);
      const x = data(r, c.lhsShape);
      const w = data(r, c.rhsShape);
      const outShape = on("js", () => convOf(c)(x, w).shape);
      const ct = data(r, outShape);
      const g = gradsOf(c);
      // forward conv, and the lhs and rhs transposes: three GEMMs
      const dots = wasmKernels(g, [x, w, ct]).filter((l) => l.includes(": dot ["));
      expect(dots.length).toBeGreaterThanOrEqual(2);
      const want = runOn("js", "jit", g, [x, w, ct]);
      const bound = runOn("js", "jit", g, [jnp.abs(x), jnp.abs(w), jnp.abs(ct)]).values;
      expectClose(runOn("wasm", "jit", g, [x, w, ct]), want, bound, `grad ${i}`);
      expectClose(runOn("wasm", "eager", g, [x, w, ct]), want, bound, `eager grad ${i}`);
    });
  });
});

describe("vmap of the wasm implicit-GEMM conv", () => {
  it("equals a loop over the mapped axis (vmap folds it into feature groups)", () => {
    const c = CASES[0]!;
    const r = rng(77);
    const xs = data(r, [3, ...c.lhsShape]);
    const ws = data(r, [3, ...c.rhsShape]);
    const conv = convOf(c);
    const mapped = on("wasm", () => jit(vmap(conv)).lower(xs, ws).compile().asText());
    expect(mapped).toMatch(/: dot \[3; /);
    const got = runOn("wasm", "jit", vmap(conv), [xs, ws]);
    const loop = (xs: Array, ws: Array) =>
      jnp.stack([0, 1, 2].map((i) => conv(jnp.take(xs, i, 0), jnp.take(ws, i, 0))));
    const want = runOn("js", "jit", loop, [xs, ws]);
    const bound = runOn("js", "jit", loop, [jnp.abs(xs), jnp.abs(ws)]).values;
    expectClose(got, want, bound, "vmap vs loop");
  });
});
