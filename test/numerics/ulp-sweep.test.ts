/**
 * Numerics sweep (issue 16): every public float32 transcendental, through jnp on the js and the
 * wasm device, against a float64 reference over a sample of the whole float32 range (every
 * 65521st bit pattern: NaNs, infinities, subnormals included) plus each function's interesting
 * range, within the per-device ulp bound FEATURES.md states (bounds.ts; the report script
 * measures the dense every-997th sweep). Then XLA's NaN/±Inf/−0 behaviour for each elementwise
 * primitive: both devices, eager and jit, give the C99/IEEE result for the special inputs.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Array, jit, lax, numpy as jnp } from "../../src/index.js";
import type { MathFn } from "../../src/backend/wasm/codegen/simd-math.js";
import { SPECIAL_INPUTS, sameF32 } from "../backend/wasm/codegen/math-harness.js";
import { on } from "../fuzz/program.js";
import { PUBLIC_ULP_BOUNDS } from "./bounds.js";
import { PUBLIC, measureOn } from "./sweep.js";

const STEP = 65521;

describe("float32 math: max ulp error over the whole range, per device", () => {
  for (const name of Object.keys(PUBLIC) as MathFn[]) {
    const [jsBound, wasmBound] = PUBLIC_ULP_BOUNDS[name];
    it(`${PUBLIC[name][0]}: js ≤ ${jsBound} ulp, wasm ≤ ${wasmBound} ulp`, () => {
      for (const [device, bound] of [
        ["js", jsBound],
        ["wasm", wasmBound],
      ] as const) {
        const m = measureOn(device, name, STEP);
        expect(m.count).toBeGreaterThan(65_000);
        expect(
          m.maxUlp,
          `${device} worst at ${m.worst.join(", ")}: ${m.got} vs ${m.ref}`,
        ).toBeLessThanOrEqual(bound);
      }
    });
  }

  it("FEATURES.md states the asserted bound of every function", () => {
    const text = readFileSync(new URL("../../FEATURES.md", import.meta.url), "utf8");
    for (const name of Object.keys(PUBLIC) as MathFn[]) {
      const [js, wasm] = PUBLIC_ULP_BOUNDS[name];
      const row = text.split("\n").find((l) => l.startsWith(`| \`${PUBLIC[name][0]}\` |`));
      expect(row, `FEATURES.md row for ${PUBLIC[name][0]}`).toBeDefined();
      const cells = row!.split("|").map((c) => c.trim());
      expect([cells[2], cells[3]], PUBLIC[name][0]).toEqual([`≤ ${js}`, `≤ ${wasm}`]);
    }
  });
});

/** Round half to even (XLA's round_nearest_even, jnp.round). */
const roundEven = (x: number): number => {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return (
    (Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r) || (x < 0 || Object.is(x, -0) ? -0 : 0)
  );
};

/** Elementwise primitives and the IEEE/C99 results XLA gives (float64 Math is that reference). */
const SPECIALS: [string, (x: Array) => Array, (x: number) => number][] = [
  ["neg", jnp.negative, (x) => -x],
  ["abs", jnp.abs, Math.abs],
  ["sign", jnp.sign, Math.sign],
  ["floor", jnp.floor, Math.floor],
  ["ceil", jnp.ceil, Math.ceil],
  ["round", jnp.round, roundEven],
  ["trunc", jnp.trunc, Math.trunc],
  ["sqrt", jnp.sqrt, Math.sqrt],
  ["rsqrt", lax.rsqrt, (x) => 1 / Math.sqrt(x)],
  ["cbrt", jnp.cbrt, Math.cbrt],
  ["square", jnp.square, (x) => x * x],
  ["reciprocal", jnp.reciprocal, (x) => 1 / x],
  ["exp", jnp.exp, Math.exp],
  ["exp2", jnp.exp2, (x) => 2 ** x],
  ["expm1", jnp.expm1, Math.expm1],
  ["log", jnp.log, Math.log],
  ["log1p", jnp.log1p, Math.log1p],
  ["sin", jnp.sin, Math.sin],
  ["cos", jnp.cos, Math.cos],
  ["tan", jnp.tan, Math.tan],
  ["arcsin", jnp.arcsin, Math.asin],
  ["arccos", jnp.arccos, Math.acos],
  ["arctan", jnp.arctan, Math.atan],
  ["sinh", jnp.sinh, Math.sinh],
  ["cosh", jnp.cosh, Math.cosh],
  ["tanh", jnp.tanh, Math.tanh],
  ["arcsinh", jnp.arcsinh, Math.asinh],
  ["arccosh", jnp.arccosh, Math.acosh],
  ["arctanh", jnp.arctanh, Math.atanh],
];
/** The special inputs: zeros, infinities, NaN, subnormals, the largest finite, ±1, ±0.5, ±2. */
const INPUT = new Float32Array(SPECIAL_INPUTS);
/** Finite non-special results may differ by the device's rounding: within 2 ulp, not bitwise. */
const isSpecial = (v: number) => !Number.isFinite(v) || v === 0;

describe("special values through every elementwise primitive, both devices, eager and jit", () => {
  for (const [name, f, ref] of SPECIALS) {
    it(name, () => {
      for (const device of ["js", "wasm"])
        on(device, () => {
          const x = jnp.array(INPUT, { dtype: "float32" });
          for (const [how, y] of [
            ["eager", f(x)],
            ["jit", jit(f)(x)],
          ] as const) {
            const got = y.toTypedArray() as Float32Array;
            for (let i = 0; i < INPUT.length; i++) {
              const want = Math.fround(ref(INPUT[i]!));
              const where = `${name}(${Object.is(INPUT[i], -0) ? "-0" : INPUT[i]}) on ${device} ${how}`;
              if (isSpecial(want))
                expect(sameF32(got[i]!, want), `${where}: ${got[i]} vs ${want}`).toBe(true);
              else
                expect(Math.abs(got[i]! - want), where).toBeLessThanOrEqual(
                  4 * Math.abs(want) * 2 ** -24,
                );
            }
          }
        });
    });
  }
});
