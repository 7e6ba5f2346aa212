/**
 * lax.convGeneralDilated against a direct-loop float64 reference (conv-reference.ts): random
 * 1-D/2-D/3-D cases with strides, lhs/rhs dilation, padding (negative too), feature and batch
 * groups and random layouts, on both devices, eager and jitted. Inputs are float32; the
 * reference sums their exact values in float64; tolerance |diff| ≤ 1e-5·(1 + Σ|terms|).
 */
import { describe, expect, it } from "vitest";
import { type Array, jit, lax, numpy as jnp } from "../../src/index.js";
import { on } from "../backend/differential-helpers.js";
import { rng } from "../transforms/ad-helpers.js";
import { type ConvCase, randomCase, referenceConv } from "./conv-reference.js";

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function data(r: () => number, shape: readonly number[]): Float32Array {
  return Float32Array.from({ length: size(shape) }, () => Math.round((r() * 2 - 1) * 64) / 64);
}

function runCase(c: ConvCase, lhs: Array, rhs: Array): Array {
  return lax.convGeneralDilated(lhs, rhs, c.strides, c.padding, {
    lhsDilation: c.lhsDilation,
    rhsDilation: c.rhsDilation,
    dimensionNumbers: c.dn,
    featureGroupCount: c.featureGroupCount,
    batchGroupCount: c.batchGroupCount,
  });
}

const CASES = 40;

describe("convGeneralDilated vs a direct-loop reference", () => {
  for (const device of ["js", "wasm"]) {
    for (const mode of ["eager", "jit"] as const) {
      it(`${CASES} random cases on ${device}, ${mode}`, () => {
        const r = rng(device === "js" ? 11 : 23);
        for (let k = 0; k < CASES; k++) {
          const c = randomCase(r);
          const l = data(r, c.lhsShape);
          const w = data(r, c.rhsShape);
          const ref = referenceConv(c, [...l], [...w]);
          const got = on(device, () => {
            const f = (a: Array, b: Array) => runCase(c, a, b);
            const lhs = jnp.asarray(l).reshape(c.lhsShape);
            const rhs = jnp.asarray(w).reshape(c.rhsShape);
            return mode === "jit" ? jit(f)(lhs, rhs) : f(lhs, rhs);
          });
          const what = `case ${k}: ${JSON.stringify(c)}`;
          expect(got.shape, what).toEqual(ref.shape);
          expect(got.dtype.name).toBe("float32");
          const v = got.toTypedArray() as Float32Array;
          // Values are multiples of 1/64 below 1, so sums are exact up to float32 rounding.
          for (let i = 0; i < v.length; i++) {
            const tol = 1e-5 * (1 + Math.abs(ref.data[i]!)) + 1e-6 * size(c.rhsShape);
            if (!(Math.abs(v[i]! - ref.data[i]!) <= tol)) {
              throw new Error(`${what}: element ${i}: ${v[i]} vs ${ref.data[i]}`);
            }
          }
        }
      });
    }
  }

  it("'SAME', 'SAME_LOWER' and 'VALID' padding resolve as JAX's padtype_to_pads", () => {
    const x = jnp.arange(2 * 1 * 5 * 6, "float32").reshape([2, 1, 5, 6]);
    const k = jnp.ones([3, 1, 2, 3], "float32");
    expect(lax.convGeneralDilated(x, k, [1, 1], "SAME").shape).toEqual([2, 3, 5, 6]);
    expect(lax.convGeneralDilated(x, k, [2, 2], "SAME").shape).toEqual([2, 3, 3, 3]);
    expect(lax.convGeneralDilated(x, k, [1, 1], "VALID").shape).toEqual([2, 3, 4, 4]);
    const same = lax.convGeneralDilated(x, k, [1, 1], "SAME");
    const lower = lax.convGeneralDilated(x, k, [1, 1], "SAME_LOWER");
    const explicit = (p: [number, number][]) => lax.convGeneralDilated(x, k, [1, 1], p);
    // window (2, 3): total pads (1, 2): SAME puts the odd one last, SAME_LOWER first.
    expect(same.tolist()).toEqual(
      explicit([
        [0, 1],
        [1, 1],
      ]).tolist(),
    );
    expect(lower.tolist()).toEqual(
      explicit([
        [1, 0],
        [1, 1],
      ]).tolist(),
    );
  });

  it("lax.conv, convWithGeneralPadding, convDimensionNumbers", () => {
    const x = jnp.arange(2 * 5 * 5, "float32").reshape([1, 2, 5, 5]);
    const k = jnp.ones([1, 2, 2, 2], "float32");
    expect(lax.conv(x, k, [1, 1], "VALID").tolist()).toEqual(
      lax.convGeneralDilated(x, k, [1, 1], "VALID").tolist(),
    );
    const g = lax.convWithGeneralPadding(
      x,
      k,
      [1, 1],
      [
        [1, 0],
        [0, 1],
      ],
      [2, 1],
      [1, 2],
    );
    expect(g.shape).toEqual([1, 1, 9, 4]);
    expect(lax.convDimensionNumbers([1, 5, 5, 2], [2, 2, 2, 1], ["NHWC", "HWIO", "NHWC"])).toEqual({
      lhs_spec: [0, 3, 1, 2],
      rhs_spec: [3, 2, 0, 1],
      out_spec: [0, 3, 1, 2],
    });
    const nhwc = lax.convDimensionNumbers([1, 5, 5, 2], [2, 2, 2, 1], ["NHWC", "HWIO", "NHWC"]);
    expect(nhwc).toBeInstanceOf(lax.ConvDimensionNumbers);
    expect(nhwc).toBe(lax.ConvDimensionNumbers.of([0, 3, 1, 2], [3, 2, 0, 1], [0, 3, 1, 2]));
    expect(String(nhwc)).toBe(
      "ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))",
    );
    const dn = lax.ConvDimensionNumbers.of([0, 1, 2, 3], [1, 0, 2, 3], [0, 1, 2, 3]);
    expect(
      lax.convGeneralDilated(x, k.transpose([1, 0, 2, 3]), [1, 1], "VALID", {
        dimensionNumbers: dn,
      }).shape,
    ).toEqual([1, 1, 4, 4]);
    expect(lax.convDimensionNumbers([1, 5, 5, 2], [2, 2, 2, 1], null)).toEqual({
      lhs_spec: [0, 1, 2, 3],
      rhs_spec: [0, 1, 2, 3],
      out_spec: [0, 1, 2, 3],
    });
  });

  it("preferred_element_type and integer operands", () => {
    const x = jnp.arange(6, "int32").reshape([1, 1, 6]);
    const k = jnp.asarray([1, 2], "int32").reshape([1, 1, 2]);
    const y = lax.convGeneralDilated(x, k, [1], "VALID");
    expect(y.dtype.name).toBe("int32");
    expect(y.tolist()).toEqual([[[2, 5, 8, 11, 14]]]);
    const z = lax.convGeneralDilated(x, k, [1], "VALID", { preferredElementType: "float32" });
    expect(z.dtype.name).toBe("float32");
    expect(z.tolist()).toEqual([[[2, 5, 8, 11, 14]]]);
  });
});
