/**
 * Dot kernels compiled to wasm (packed, register-blocked f32x4 GEMM) vs the JS codegen:
 * every operand layout (transposed A/B, strided views, batch dims, broadcast batch), every
 * size 1..17 in each of m, n, k (edge tiles), sizes past the KC/NC/row-block boundaries, the
 * parallel range split at every row block, and int32 dots (JS fallback).
 * Tolerance: rtol 1e-5 + atol 1e-6·k (the JS device accumulates in double).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Array, lax, numpy as jnp } from "../../../../src/index.js";
import { build, check } from "./codegen-harness.js";
import { useRelaxedSimd } from "../../../../src/backend/wasm/runtime/features.js";
import { floatArray as F } from "./codegen-values.js";

const tol = (k: number) => ({ rtol: 1e-5, atol: 1e-6 * Math.max(1, k) });
const everyUnit = (t: number) => globalThis.Array.from({ length: t }, (_, i) => i);

/** Both microkernel forms: mul + add, and relaxed_madd where the engine has relaxed SIMD. */
const MODES = [false, ...(useRelaxedSimd() ? [true] : [])];

function expectDot(f: (...a: Array[]) => Array, args: Array[], k: number, fallback = false) {
  const b = build(f, ...args);
  for (const relaxedSimd of MODES.slice(1)) {
    const rr = check(b, tol(k), { split: everyUnit, relaxedSimd });
    expect(rr.error).toBeUndefined();
  }
  const r = check(b, tol(k), { split: everyUnit });
  expect(r.error).toBeUndefined();
  const dots = b.program.kernels
    .map((kk, i) => [kk.kind, i] as const)
    .filter(([kind]) => kind === "dot");
  for (const [, i] of dots) expect(r.run.compiled.fallback.includes(i)).toBe(fallback);
  return r.run.compiled;
}

const mm = (a: Array, b: Array) => jnp.matmul(a, b);

describe("layouts", () => {
  const [m, k, n] = [13, 11, 19];
  it("A·B", () => void expectDot(mm, [F([m, k]), F([k, n], 2)], k));
  it("Aᵀ·B", () => void expectDot((a, b) => mm(a.transpose(), b), [F([k, m]), F([k, n], 2)], k));
  it("A·Bᵀ", () => void expectDot((a, b) => mm(a, b.transpose()), [F([m, k]), F([n, k], 2)], k));
  it("Aᵀ·Bᵀ", () =>
    void expectDot((a, b) => mm(a.transpose(), b.transpose()), [F([k, m]), F([n, k], 2)], k));
  it("strided (sliced) operands", () =>
    void expectDot(
      (a, b) => mm(lax.slice(a, [1, 0], [m + 1, k]), lax.slice(b, [0, 2], [k, n + 2])),
      [F([m + 3, k]), F([k, n + 5], 2)],
      k,
    ));
  it("matrix·vector and vector·matrix", () => {
    expectDot(mm, [F([m, k]), F([k], 2)], k);
    expectDot(mm, [F([k]), F([k, n], 2)], k);
    expectDot(mm, [F([k]), F([k], 2)], k);
  });
  it("batched", () => {
    expectDot(mm, [F([3, m, k]), F([3, k, n], 2)], k);
    expectDot(mm, [F([2, 3, m, k]), F([2, 3, k, n], 2)], k);
    expectDot((a, b) => mm(a.transpose([0, 2, 1]), b), [F([4, k, m]), F([4, k, n], 2)], k);
  });
  it("broadcast batch (one operand shared by every batch entry)", () => {
    expectDot(mm, [F([5, m, k]), F([k, n], 2)], k);
    expectDot(mm, [F([m, k]), F([5, k, n], 2)], k);
  });
  it("general dot_general contractions", () => {
    expectDot(
      (a, b) =>
        lax.dotGeneral(a, b, [
          [
            [1, 2],
            [0, 1],
          ],
          [[], []],
        ]),
      [F([6, 4, 5]), F([4, 5, 7], 2)],
      20,
    );
    expectDot(
      (a, b) =>
        lax.dotGeneral(a, b, [
          [[0], [1]],
          [[2], [0]],
        ]),
      [F([5, 6, 3]), F([3, 5, 4], 2)],
      5,
    );
    expectDot((a, b) => jnp.einsum("bij,bkj->bik", a, b), [F([2, 7, 9]), F([2, 6, 9], 2)], 9);
  });
  it("fused consumers read the dot output", () =>
    void expectDot((a, b) => jnp.tanh(mm(a, b)).add(1), [F([m, k]), F([k, n], 2)], k));
});

describe("sizes", () => {
  it("every m, n, k in 1..17 (sampled products)", () => {
    for (let m = 1; m <= 17; m++) {
      for (const n of [1, 2, 3, 7, 8, 9, 15, 16, 17]) {
        const k = ((m * 7 + n * 3) % 17) + 1;
        expectDot(mm, [F([m, k], m), F([k, n], n + 50)], k);
      }
    }
    for (let k = 1; k <= 17; k++) expectDot(mm, [F([5, k]), F([k, 9], 2)], k);
  });
  it("k = 0 gives zeros", () => void expectDot(mm, [F([5, 0]), F([0, 7])], 1));
  it("m or n = 0", () => {
    expectDot(mm, [F([0, 4]), F([4, 7])], 4);
    expectDot(mm, [F([5, 4]), F([4, 0])], 4);
  });
  it("past the block sizes (KC 256, NC 512, row blocks of 64)", () => {
    expectDot(mm, [F([130, 300]), F([300, 530], 2)], 300);
    expectDot((a, b) => mm(a.transpose(), b.transpose()), [F([257, 67]), F([521, 257], 2)], 257);
  });
  it("randomized shapes and layouts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        (m, n, k, ta, tb) => {
          const a = ta ? F([k, m], m) : F([m, k], m);
          const b = tb ? F([n, k], n) : F([k, n], n);
          expectDot((x, y) => mm(ta ? x.transpose() : x, tb ? y.transpose() : y), [a, b], k);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("fallback", () => {
  it("int32 dots run on the JS codegen", () => {
    const a = F([5, 6]).mul(10).astype("int32");
    const b = F([6, 4], 2).mul(10).astype("int32");
    const c = expectDot(mm, [a, b], 6, true);
    expect(c.text).toMatch(/js fallback \(dot int32/);
  });
});
