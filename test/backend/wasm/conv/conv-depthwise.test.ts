/**
 * The wasm device's direct depthwise conv (backend/wasm/lowering/conv-depthwise.ts: feature
 * groups of one input feature) against the js device's generic lowering: random 1-D/2-D/3-D
 * cases with channel multipliers, strides, padding forms, lhs/rhs dilation and random layouts,
 * eager and jitted, a gradient, and the kernel it compiles to (f32x4 over the channels for
 * NHWC/HWIO). Tolerance as in conv-gemm-helpers.ts (window sums of ≤ 27 float32 terms).
 */
import { describe, expect, it } from "vitest";
import { type Array, grad, lax, numpy as jnp } from "../../../../src/index.js";
import { on } from "../../differential-helpers.js";
import { rng } from "../../../transforms/ad-helpers.js";
import {
  type GemmCase,
  convOf,
  data,
  describeCase,
  expectClose,
  randomGemmCase,
  runOn,
  wasmKernels,
} from "./conv-gemm-helpers.js";

/** A random case made depthwise: C groups of one input feature, multiplier 1–3. */
function depthwiseCase(r: () => number, layouts: boolean): GemmCase {
  const c = randomGemmCase(r, layouts);
  const C = 2 + Math.floor(r() * 7);
  const mult = 1 + Math.floor(r() * 3);
  const [ls, rs] = c.dn;
  const lhsShape = [...ls].map((ch, i) =>
    ch === "C" ? C : ch === "N" ? 1 + (i % 2) : c.lhsShape[i]!,
  );
  const rhsShape = [...rs].map((ch, i) =>
    ch === "I" ? 1 : ch === "O" ? C * mult : c.rhsShape[i]!,
  );
  return { ...c, lhsShape, rhsShape, featureGroupCount: C, batchGroupCount: 1 };
}

function check(c: GemmCase, seed: number): void {
  const r = rng(seed);
  const lhs = data(r, c.lhsShape);
  const rhs = data(r, c.rhsShape);
  const f = convOf(c);
  const what = describeCase(c);
  const want = runOn("js", "jit", f, [lhs, rhs]);
  if (want.values.length > 0)
    expect(wasmKernels(f, [lhs, rhs]).join("\n"), what).not.toMatch(/: dot \[/);
  const bound = runOn("js", "jit", f, [jnp.abs(lhs), jnp.abs(rhs)]).values;
  for (const mode of ["eager", "jit"] as const)
    expectClose(runOn("wasm", mode, f, [lhs, rhs]), want, bound, `${mode} ${what}`);
}

describe("wasm direct depthwise conv vs the js device", () => {
  for (const [layouts, base] of [
    [false, 500],
    [true, 600],
  ] as const) {
    for (let chunk = 0; chunk < 2; chunk++) {
      it(`random ${layouts ? "layouts" : "NH…C/H…IO"}, cases ${chunk * 8}..${chunk * 8 + 7}`, () => {
        const r = rng(base + chunk);
        for (let i = 0; i < 8; i++) check(depthwiseCase(r, layouts), base * 100 + chunk * 8 + i);
      });
    }
  }

  it("NHWC 3×3 'SAME' is an f32x4 loop over the channels, and its gradient matches", () => {
    const r = rng(700);
    const x = data(r, [2, 7, 9, 12]);
    const k = data(r, [3, 3, 1, 12]);
    const f = (x: Array, k: Array) =>
      lax.convGeneralDilated(x, k, [1, 1], "SAME", {
        dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
        featureGroupCount: 12,
      });
    expect(wasmKernels(f, [x, k])).toEqual([
      expect.stringMatching(/loop \[2, 7, 9, 12\]; vector over axis 3 .*1 reduce/),
    ]);
    const ct = data(r, [2, 7, 9, 12]);
    const g = (x: Array, k: Array, ct: Array) => {
      const [gx, gk] = grad((x: Array, k: Array) => f(x, k).mul(ct).sum(), {
        argnums: [0, 1],
      })(x, k) as Array[];
      return jnp.concatenate([gx!.reshape([-1]), gk!.reshape([-1])]);
    };
    const want = runOn("js", "jit", g, [x, k, ct]);
    const bound = runOn("js", "jit", g, [jnp.abs(x), jnp.abs(k), jnp.abs(ct)]).values;
    expectClose(runOn("wasm", "jit", g, [x, k, ct]), want, bound, "depthwise grad");
    expect(on("wasm", () => f(x, k).shape)).toEqual([2, 7, 9, 12]);
  });
});
