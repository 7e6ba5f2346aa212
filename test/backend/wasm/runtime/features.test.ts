/**
 * Relaxed SIMD on the wasm device (features.ts): probed at run time (in Node 20 by turning on
 * V8's flag), used by programs compiled while `config.wasmRelaxedSimd` is on, and giving the
 * same values within the math library's ulp bounds — the seed's printed sigmoid values exactly.
 */
import { afterEach, describe, expect, it } from "vitest";
import { useRelaxedSimd } from "../../../../src/backend/wasm/runtime/features.js";
import { type Array, config, jit, numpy as jnp } from "../../../../src/index.js";
import { ulpDiff } from "../codegen/codegen-harness.js";

const sigmoid = (x: Array) => jnp.divide(1, jnp.exp(x.neg()).add(1));
/** A fresh jitted function (compiled code is cached per function and device, not per config). */
const fresh = () => jit((x: Array) => sigmoid(x));

const v8 = (globalThis.process?.versions?.v8 ?? "0.0").split(".").map(Number) as [number, number];
const engineHasIt = v8[0] > 11 || (v8[0] === 11 && v8[1] >= 3);

afterEach(() => config.update("wasmRelaxedSimd", true));

describe("relaxed SIMD", () => {
  it("is available on V8 >= 11.3 (Node 20: behind a flag jaxts turns on)", () => {
    expect(useRelaxedSimd()).toBe(engineHasIt);
  });

  it.runIf(engineHasIt)("compiled programs use it only while config.wasmRelaxedSimd is on", () => {
    const x = jnp.arange(1000).astype("float32");
    const on = fresh().lower(x).asText();
    expect(on).toContain("f32x4.relaxed_madd");
    expect(on).toContain("i32x4.relaxed_laneselect");
    config.update("wasmRelaxedSimd", false);
    expect(useRelaxedSimd()).toBe(false);
    const off = fresh().lower(x).asText();
    expect(off).not.toContain("relaxed_");
    expect(off).toContain("v128.bitselect");
  });

  it.runIf(engineHasIt)("fused and plain code agree within the logistic ulp bound", () => {
    const x = jnp.linspace(-90, 30, 100_003).astype("float32");
    const fused = fresh()(x).toTypedArray() as Float32Array;
    config.update("wasmRelaxedSimd", false);
    const plain = fresh()(x).toTypedArray() as Float32Array;
    let worst = 0;
    for (let i = 0; i < fused.length; i++) worst = Math.max(worst, ulpDiff(fused[i]!, plain[i]!));
    expect(worst).toBeLessThanOrEqual(3);
    // the seed's printed values, in both modes
    for (const mode of [true, false]) {
      config.update("wasmRelaxedSimd", mode);
      const y = [...(fresh()(jnp.array([0, 2, 4, 8], "float32")).toTypedArray() as Float32Array)];
      expect(y).toEqual([0.5, 0.8807971, 0.98201376, 0.99966466].map(Math.fround));
    }
  });
});
