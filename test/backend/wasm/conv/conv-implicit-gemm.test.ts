/**
 * The wasm device's implicit-GEMM convolution (backend/wasm/lowering/conv.ts +
 * codegen/dot-pack-im2col.ts) against the js device's generic lowering (the reference): random
 * 1-D/2-D/3-D cases with strides, padding forms (SAME, SAME_LOWER, VALID, explicit, negative),
 * lhs/rhs dilation, feature and batch groups, odd and size-1 dims, NHWC/HWIO and random
 * layouts, eager and jitted; the GEMM path is asserted taken (a dot kernel), epilogue fusion,
 * the depth/row blocking edges, the declined cases, and the JS fallback for im2col dots.
 * Tolerance (float32 reassociation): conv-gemm-helpers.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Array, lax, nn, numpy as jnp } from "../../../../src/index.js";
import { WasmDevice } from "../../../../src/backend/wasm/runtime/device.js";
import { getDevice } from "../../../../src/runtime/devices.js";
import { lowerJaxpr } from "../../../../src/lower/lower.js";
import { wasmLowerings } from "../../../../src/backend/wasm/lowering/conv.js";
import { programText } from "../../../../src/kernel/print.js";
import { makeJaxpr } from "../../../../src/index.js";
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

function checkCase(c: GemmCase, seed: number, modes: readonly ("eager" | "jit")[]): void {
  const r = rng(seed);
  const lhs = data(r, c.lhsShape);
  const rhs = data(r, c.rhsShape);
  const f = convOf(c);
  const what = describeCase(c);
  const want = runOn("js", "jit", f, [lhs, rhs]);
  // An empty output (negative padding can crop a dim to 0) is left to the generic rule.
  const kernels = expect(wasmKernels(f, [lhs, rhs]).join("\n"), what);
  if (want.values.length > 0) kernels.toMatch(/: dot \[/);
  else kernels.not.toMatch(/: dot \[/);
  const bound = runOn("js", "jit", f, [jnp.abs(lhs), jnp.abs(rhs)]).values;
  for (const mode of modes)
    expectClose(runOn("wasm", mode, f, [lhs, rhs]), want, bound, `${mode} ${what}`);
}

describe("wasm implicit-GEMM conv vs the js device", () => {
  for (const [layouts, base] of [
    [false, 100],
    [true, 200],
  ] as const) {
    for (let chunk = 0; chunk < 3; chunk++) {
      it(`random ${layouts ? "layouts" : "NH…C/H…IO"}, cases ${chunk * 8}..${chunk * 8 + 7}, eager and jit`, () => {
        const r = rng(base + chunk);
        for (let i = 0; i < 8; i++)
          checkCase(randomGemmCase(r, layouts), base * 100 + chunk * 8 + i, ["eager", "jit"]);
      });
    }
  }

  it("depth past one KC block, rows past one row block, columns past one panel", () => {
    // k = 3·3·40 = 360 > KC = 256; m = 2·11·11 = 242 > MB = 64; n = 19 (two NR panels + a tail)
    const c: GemmCase = {
      lhsShape: [2, 11, 11, 40],
      rhsShape: [3, 3, 40, 19],
      strides: [1, 1],
      padding: "SAME",
      lhsDilation: [1, 1],
      rhsDilation: [1, 1],
      dn: ["NHWC", "HWIO", "NHWC"],
      featureGroupCount: 1,
      batchGroupCount: 1,
    };
    checkCase(c, 7, ["jit"]);
  });

  it("NCHW/OIHW (kernel copied to HWIO order, features strided in the input)", () => {
    const c: GemmCase = {
      lhsShape: [3, 6, 7, 5],
      rhsShape: [8, 6, 3, 2],
      strides: [2, 1],
      padding: [
        [1, 2],
        [0, 1],
      ],
      lhsDilation: [1, 2],
      rhsDilation: [2, 1],
      dn: ["NCHW", "OIHW", "NCHW"],
      featureGroupCount: 1,
      batchGroupCount: 1,
    };
    checkCase(c, 8, ["eager", "jit"]);
  });

  it("bias + relu after the conv fuse into the dot as its epilogue", () => {
    const r = rng(9);
    const x = data(r, [2, 9, 9, 16]);
    const w = data(r, [3, 3, 16, 24]);
    const b = data(r, [24]);
    const f = (x: Array, w: Array, b: Array) =>
      nn.relu(
        lax
          .convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] })
          .add(b),
      );
    const kernels = wasmKernels(f, [x, w, b]);
    expect(kernels).toHaveLength(1);
    expect(kernels[0]).toMatch(/dot \[162×144·144×24\].*epilogue/);
    const want = runOn("js", "jit", f, [x, w, b]);
    const bound = runOn("js", "jit", (x, w, b) => f(jnp.abs(x), jnp.abs(w), jnp.abs(b)), [
      x,
      w,
      b,
    ]).values;
    expectClose(runOn("wasm", "jit", f, [x, w, b]), want, bound, "conv + bias + relu");
  });

  it("kernel program text: one im2col dot with the bias and relu as its epilogue", () => {
    const f = (x: Array, w: Array, b: Array) =>
      nn.relu(
        lax
          .convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] })
          .add(b),
      );
    const j = makeJaxpr(f)(jnp.ones([2, 4, 4, 3]), jnp.ones([3, 3, 3, 5]), jnp.ones([5]));
    // (the printed order of an index's terms depends on the process's expression interning)
    const text = programText(lowerJaxpr(j.jaxpr, wasmLowerings)).split("\n");
    expect(text[0]).toBe(
      "buffers: b0:f32[96] input, b1:f32[135] input, b2:f32[5] input, b3:f32[160] output",
    );
    expect(text.slice(1)).toEqual([
      expect.stringMatching(
        /^dot acc\[32,5\] = b0 im2col · b1 \(k=27, f32\); b3\[(5\*i0 \+ i1|i1 \+ 5\*i0)\] = max\(add\(acc, b2\[i1\]\), 0\)$/,
      ),
    ]);
  });

  it("declines non-float32 convs and narrow groups: generic loop kernels", () => {
    const r = rng(10);
    const x = data(r, [2, 6, 6, 8]);
    const narrow = data(r, [3, 3, 2, 8]); // 4 groups of 2 inputs → 2 outputs each
    const f = (x: Array, w: Array) =>
      lax.convGeneralDilated(x, w, [1, 1], "SAME", {
        dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
        featureGroupCount: 4,
      });
    expect(wasmKernels(f, [x, narrow]).join("\n")).not.toMatch(/: dot \[/);
    const want = runOn("js", "jit", f, [x, narrow]);
    const bound = runOn("js", "jit", f, [jnp.abs(x), jnp.abs(narrow)]).values;
    expectClose(runOn("wasm", "jit", f, [x, narrow]), want, bound, "narrow groups");
    const xi = x.mul(64).astype("int32");
    const wi = data(r, [3, 3, 8, 4]).mul(64).astype("int32");
    const g = (x: Array, w: Array) =>
      lax.convGeneralDilated(x, w, [1, 1], "VALID", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] });
    expect(wasmKernels(g, [xi, wi]).join("\n")).not.toMatch(/: dot \[/);
    expect(runOn("wasm", "jit", g, [xi, wi]).values).toEqual(
      runOn("js", "jit", g, [xi, wi]).values,
    );
  });
});

describe("an im2col dot the wasm device does not compile runs as JS fallback code", () => {
  const wasm = () => getDevice("wasm") as WasmDevice;
  let theCompiler: WasmDevice["compiler"];
  beforeAll(() => {
    theCompiler = wasm().compiler;
    wasm().compiler = undefined;
  });
  afterAll(() => (wasm().compiler = theCompiler));

  it("random cases, jit, with the JS fallback", () => {
    const r = rng(300);
    for (let i = 0; i < 6; i++) {
      const c = randomGemmCase(r, i % 2 === 1);
      const rr = rng(3000 + i);
      const lhs = data(rr, c.lhsShape);
      const rhs = data(rr, c.rhsShape);
      const f = convOf(c);
      const want = runOn("js", "jit", f, [lhs, rhs]);
      const bound = runOn("js", "jit", f, [jnp.abs(lhs), jnp.abs(rhs)]).values;
      expectClose(runOn("wasm", "jit", f, [lhs, rhs]), want, bound, `fallback ${describeCase(c)}`);
    }
  });
});
