/**
 * conv_general_dilated under transformations: grad/jvp with respect to both operands against
 * central finite differences (float64 under x64: rtol 1e-6, atol 1e-7), vmap against a loop
 * (lhs, rhs or both batched, with feature and batch groups; exact in float32 up to 1e-5), the
 * exact jaxpr text of a 2-D NHWC conv, and JAX's errors for bad inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Array,
  config,
  grad,
  lax,
  makeJaxpr,
  numpy as jnp,
  vjp,
  vmap,
} from "../../src/index.js";
import { checkGrads, rng, uniform, vals } from "../transforms/ad-helpers.js";
import type { ConvOptions, ConvPadding } from "../../src/lax/conv.js";

type Conv = {
  name: string;
  lhs: number[];
  rhs: number[];
  strides: number[];
  padding: ConvPadding;
  opts: ConvOptions;
};

const cases: Conv[] = [
  {
    name: "2-D NHWC, stride 2, SAME, rhs dilation",
    lhs: [1, 5, 4, 2],
    rhs: [2, 2, 2, 3],
    strides: [2, 1],
    padding: "SAME",
    opts: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"], rhsDilation: [1, 2] },
  },
  {
    name: "1-D, lhs dilation, negative padding",
    lhs: [2, 2, 5],
    rhs: [3, 2, 2],
    strides: [2],
    padding: [[-1, 2]],
    opts: { lhsDilation: [2] },
  },
  {
    name: "2-D feature_group_count=2",
    lhs: [2, 4, 4, 3],
    rhs: [4, 2, 2, 2],
    strides: [1, 2],
    padding: [
      [1, 0],
      [0, 1],
    ],
    opts: { featureGroupCount: 2 },
  },
  {
    name: "1-D batch_group_count=2",
    lhs: [4, 2, 6],
    rhs: [4, 2, 3],
    strides: [1],
    padding: "VALID",
    opts: { batchGroupCount: 2 },
  },
  {
    name: "3-D, NDHWC",
    lhs: [1, 3, 3, 3, 2],
    rhs: [2, 2, 2, 2, 2],
    strides: [1, 2, 1],
    padding: [
      [0, 1],
      [1, 0],
      [0, 0],
    ],
    opts: { dimensionNumbers: ["NDHWC", "DHWIO", "NDHWC"] },
  },
];

describe("conv_general_dilated: grad vs finite differences (float64)", () => {
  beforeAll(() => config.update("jax_enable_x64", true));
  afterAll(() => config.update("jax_enable_x64", false));
  for (const c of cases) {
    it(c.name, () => {
      const r = rng(5);
      const f = (x: Array, k: Array) => lax.convGeneralDilated(x, k, c.strides, c.padding, c.opts);
      checkGrads(c.name, f, [uniform(r, c.lhs), uniform(r, c.rhs)]);
    });
  }
});

const close = (a: Array, b: Array) => {
  expect(a.shape).toEqual(b.shape);
  const x = vals(a);
  const y = vals(b);
  x.forEach((v, i) =>
    expect(Math.abs(v - y[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(y[i]!))),
  );
};

describe("conv_general_dilated: vmap vs a loop", () => {
  for (const c of cases) {
    for (const which of ["lhs", "rhs", "both"] as const) {
      it(`${c.name}: ${which} batched`, () => {
        const r = rng(9);
        const nb = 3;
        const f = (x: Array, k: Array) =>
          lax.convGeneralDilated(x, k, c.strides, c.padding, c.opts);
        // The mapped axis sits at position 1 of a batched operand (not the front).
        const batched = (s: number[]) => [s[0]!, nb, ...s.slice(1)];
        const x = uniform(r, which === "rhs" ? c.lhs : batched(c.lhs), -1, 1, "float32");
        const k = uniform(r, which === "lhs" ? c.rhs : batched(c.rhs), -1, 1, "float32");
        const inAxes: [number | null, number | null] = [
          which === "rhs" ? null : 1,
          which === "lhs" ? null : 1,
        ];
        const got = vmap(f, { inAxes })(x, k) as Array;
        const take = (a: Array, i: number) => jnp.take(a, i, 1);
        const loop = jnp.stack(
          globalThis.Array.from({ length: nb }, (_, i) =>
            f(inAxes[0] === null ? x : take(x, i), inAxes[1] === null ? k : take(k, i)),
          ),
        );
        close(got, loop);
      });
    }
  }
});

describe("conv_general_dilated: empty edges", () => {
  it("grad through an empty output is zero for both operands; vmap over a size-0 axis", () => {
    const f = (x: Array, k: Array) => lax.convGeneralDilated(x, k, [1], "VALID").sum();
    const [gx, gk] = grad(f, { argnums: [0, 1] })(
      jnp.ones([1, 1, 2]),
      jnp.ones([1, 1, 3]),
    ) as Array[];
    expect(gx!.tolist()).toEqual([[[0, 0]]]);
    expect(gk!.tolist()).toEqual([[[0, 0, 0]]]);
    const conv = (x: Array, k: Array) => lax.convGeneralDilated(x, k, [1], "SAME");
    const y = vmap(conv, { inAxes: [0, null] })(
      jnp.ones([0, 2, 1, 5]),
      jnp.ones([3, 1, 2]),
    ) as Array;
    expect(y.shape).toEqual([0, 2, 3, 5]);
  });
});

describe("conv_general_dilated: jaxpr text", () => {
  it("a 2-D NHWC conv prints as JAX prints it", () => {
    // Expected text: JAX 0.4.x's `str(jax.make_jaxpr(f)(x, k))` for
    //   f = lambda x, k: lax.conv_general_dilated(x, k, (1, 1), 'SAME',
    //                                             dimension_numbers=('NHWC', 'HWIO', 'NHWC'))
    // derived from jax/_src/lax/convolution.py (the params conv_general_dilated_p.bind passes;
    // ConvDimensionNumbers is a NamedTuple, so its repr names its fields; padtype_to_pads
    // turns 'SAME' with a 3×3 window into ((1, 1), (1, 1)); canonicalize_precision(None) is
    // None) and jax/_src/core.py's pp_eqn (params sorted by name, one per line when the
    // equation does not fit).
    const f = (x: Array, k: Array) =>
      lax.convGeneralDilated(x, k, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] });
    const text = makeJaxpr(f)(jnp.zeros([1, 5, 5, 2]), jnp.zeros([3, 3, 2, 4])).toString();
    expect(text).toBe(
      [
        "{ lambda ; a:f32[1,5,5,2] b:f32[3,3,2,4]. let",
        "    c:f32[1,5,5,4] = conv_general_dilated[",
        "      batch_group_count=1",
        "      dimension_numbers=ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))",
        "      feature_group_count=1",
        "      lhs_dilation=(1, 1)",
        "      padding=((1, 1), (1, 1))",
        "      precision=None",
        "      preferred_element_type=None",
        "      rhs_dilation=(1, 1)",
        "      window_strides=(1, 1)",
        "    ] a b",
        "  in (c,) }",
      ].join("\n"),
    );
  });
});

describe("conv_general_dilated: precision param", () => {
  it("prints as JAX's canonicalize_precision pair (lax.Precision's repr)", () => {
    const f = (x: Array, k: Array) =>
      lax.convGeneralDilated(x, k, [1], "VALID", { precision: ["highest", "default"] });
    const text = makeJaxpr(f)(jnp.zeros([1, 1, 4]), jnp.zeros([1, 1, 2])).toString();
    expect(text).toContain("precision=(Precision.HIGHEST, Precision.DEFAULT)");
    const g = (x: Array, k: Array) =>
      lax.convGeneralDilated(x, k, [1], "VALID", { precision: "high" });
    expect(makeJaxpr(g)(jnp.zeros([1, 1, 4]), jnp.zeros([1, 1, 2])).toString()).toContain(
      "precision=(Precision.HIGH, Precision.HIGH)",
    );
  });
});

describe("conv_general_dilated: bad inputs", () => {
  const x = jnp.zeros([1, 4, 6, 6]);
  const k = jnp.zeros([8, 4, 3, 3]);
  const conv = (a: Array, b: Array, o: ConvOptions = {}, strides = [1, 1]) =>
    lax.convGeneralDilated(a, b, strides, "VALID", o);
  it("raises JAX's errors", () => {
    expect(() => conv(x, jnp.zeros([8, 4, 3]))).toThrow(TypeError);
    expect(() => conv(x, jnp.zeros([8, 4, 3]))).toThrow(
      "convolution requires lhs and rhs ndim to be equal, got 4 and 3.",
    );
    expect(() => conv(x, k, { featureGroupCount: 3 })).toThrow(
      "conv_general_dilated feature_group_count must divide lhs feature dimension size, but 3 does not divide 4.",
    );
    expect(() => conv(x, jnp.zeros([8, 3, 3, 3]))).toThrow(
      "conv_general_dilated lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but 4 // 1 != 3.",
    );
    expect(() => conv(x, jnp.zeros([6, 1, 3, 3]), { featureGroupCount: 4 })).toThrow(
      "conv_general_dilated rhs output feature dimension size must be a multiple of feature_group_count, but 6 is not a multiple of 4.",
    );
    expect(() => conv(x, k, { batchGroupCount: 2 })).toThrow(
      "conv_general_dilated batch_group_count must divide lhs batch dimension size, but 2 does not divide 1.",
    );
    expect(() => conv(x, k, { featureGroupCount: 0 })).toThrow(
      "conv_general_dilated feature_group_count must be a positive integer, got 0.",
    );
    expect(() => conv(x, k, {}, [1])).toThrow(
      "conv_general_dilated window and window_strides must have the same number of dimensions, but got 2 and 1",
    );
    expect(() => conv(x, k, { dimensionNumbers: ["NCHW", "OIHW", "NHW"] })).toThrow(
      "convolution dimension_numbers[2] must have len equal to the ndim of lhs and rhs, got 3 for lhs and rhs shapes (1, 4, 6, 6) and (8, 4, 3, 3).",
    );
    expect(() => conv(x, k, { dimensionNumbers: ["NCHW", "OIHH", "NCHW"] })).toThrow(
      "convolution dimension_numbers[1] cannot have duplicate characters, got OIHH.",
    );
    expect(() => conv(x, k, { dimensionNumbers: ["NCHW", "OIHW", "NCHX"] })).toThrow(
      "convolution dimension_numbers elements must each have the same set of spatial characters",
    );
    expect(() => conv(x, jnp.zeros([8, 4, 3, 3], "int32"))).toThrow(
      "lax.conv_general_dilated requires arguments to have the same dtypes, got float32, int32.",
    );
    expect(() =>
      lax.convGeneralDilated(
        x,
        k,
        [1, 1],
        [
          [-4, -4],
          [0, 0],
        ],
      ),
    ).toThrow(
      "Negative padding is larger than the size of the corresponding dimension: got padding=((-4, -4), (0, 0)) for lhs_shape[2:]=(6, 6)",
    );
    expect(() => lax.convGeneralDilated(x, k, [1, 1], "SAME", { lhsDilation: [2, 1] })).toThrow(
      "String padding is not implemented for transposed convolution",
    );
    expect(() => conv(x, k, { rhsDilation: [0, 1] })).toThrow(
      "All dilations must be positive, got (0, 1).",
    );
    expect(() => conv(x, k, { preferredElementType: "int32" })).toThrow(
      "Input type is incompatible with `preferred_element_type`.",
    );
  });
  it("error classes: ValueError for group counts, TypeError for dimension numbers", async () => {
    const { ValueError } = await import("../../src/index.js");
    expect(() => conv(x, k, { featureGroupCount: 3 })).toThrow(ValueError);
    expect(() => conv(x, k, { dimensionNumbers: ["NCHW", "OIHH", "NCHW"] })).toThrow(TypeError);
  });
});

describe("lax.convTranspose", () => {
  it("is the gradient of conv with the same kernel (transpose_kernel=True), 'SAME' and 'VALID'", () => {
    const r = rng(3);
    const x = uniform(r, [1, 4, 4, 2], -1, 1, "float32");
    const k = uniform(r, [3, 3, 2, 5], -1, 1, "float32");
    for (const padding of ["SAME", "VALID"] as const) {
      const dn = ["NHWC", "HWIO", "NHWC"] as const;
      const fwd = (a: Array) =>
        lax.convGeneralDilated(a, k, [2, 2], padding, { dimensionNumbers: dn });
      const y = fwd(x);
      const ct = uniform(r, y.shape, -1, 1, "float32");
      const t = lax.convTranspose(ct, k, [2, 2], padding, {
        dimensionNumbers: dn,
        transposeKernel: true,
      });
      const [, back] = vjp(fwd, x);
      const [g] = back(ct) as Array[];
      // JAX's conv_transpose and the VJP agree where their output shapes agree.
      if (padding === "SAME") close(t, g!);
      else expect(t.shape).toEqual([1, 3, 3, 2]); // conv_transpose_shape_tuple's (1−1)·2 − 3 + 2 + 4
    }
  });
  it("default dimension numbers per rank, and its output shape", () => {
    const y = lax.convTranspose(jnp.ones([1, 3, 3, 1]), jnp.ones([2, 2, 1, 1]), [2, 2], "VALID");
    expect(y.shape).toEqual([1, 6, 6, 1]);
    expect(vals(y).every((v) => v === 1)).toBe(true);
    const y1 = lax.convTranspose(jnp.ones([1, 4, 1]), jnp.ones([3, 1, 2]), [1], "SAME");
    expect(y1.shape).toEqual([1, 4, 2]);
  });
});
