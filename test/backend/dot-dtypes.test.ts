/**
 * Dots of every integer-like dtype store a value of their dtype, on both devices, eagerly, under
 * jit and with fused epilogues: bool is the logical or of ands (nonzero → True, as XLA), small
 * integers wrap as numpy's / XLA's integer matmul does, 64-bit integers multiply as BigInts.
 * References are exact (computed here in BigInt and wrapped to the dtype); tolerance 0.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Array, config, jit, numpy as jnp } from "../../src/index.js";
import { on } from "./differential-helpers.js";

const devices = ["wasm", "js"] as const;

/** Exact matmul of integer matrices, each entry wrapped to `bits` (signed or not). */
function refMatmul(a: number[][], b: number[][], bits: number, signed: boolean): bigint[][] {
  const wrapTo = (x: bigint) => (signed ? BigInt.asIntN(bits, x) : BigInt.asUintN(bits, x));
  return a.map((row) =>
    b[0]!.map((_, j) => wrapTo(row.reduce((s, v, k) => s + BigInt(v) * BigInt(b[k]![j]!), 0n))),
  );
}

const asBig = (x: Array): bigint[][] =>
  (x.tolist() as (number | bigint | boolean)[][]).map((r) => r.map((v) => BigInt(v)));

afterEach(() => config.update("enableX64", false));

describe("bool dots are logical (nonzero products store True = 1)", () => {
  const a = [
    [true, true],
    [true, false],
  ];
  const want = [
    [1, 1],
    [1, 1],
  ];
  for (const device of devices) {
    it(`matmul of bools on ${device}: eager, jit, astype, sum, and with an epilogue`, () => {
      on(device, () => {
        const x = jnp.array(a);
        const eager = jnp.matmul(x, x);
        const jitted = jit((v: Array) => jnp.matmul(v, v))(x);
        for (const r of [eager, jitted]) {
          expect(r.dtype.name).toBe("bool");
          expect(r.astype("int32").tolist()).toEqual(want);
          expect(r.sum().item()).toBe(4);
          expect(r.tolist()).toEqual(want.map((row) => row.map(Boolean)));
        }
        // The product kept and also consumed by an epilogue.
        const [p, q] = jit((v: Array) => {
          const m = jnp.matmul(v, v);
          return [m, m.astype("int32").add(1)];
        })(x) as Array[];
        expect(p!.astype("int32").tolist()).toEqual(want);
        expect(q!.tolist()).toEqual([
          [2, 2],
          [2, 2],
        ]);
        // Vector and batched forms.
        const v = jnp.array([true, true, false]);
        expect(jnp.dot(v, v).astype("int32").item()).toBe(1);
        expect(
          jit((u: Array) => jnp.dot(u, u))(v)
            .astype("int32")
            .item(),
        ).toBe(1);
        const b3 = jnp.ones([2, 3, 3], "bool");
        expect(jnp.matmul(b3, b3).astype("int32").sum().item()).toBe(18);
        expect(jit((u: Array) => jnp.matmul(u, u).astype("int32").sum())(b3).item()).toBe(18);
      });
    });
  }
});

describe("integer dots wrap to their dtype (as numpy's matmul of that dtype)", () => {
  const a = [
    [100, -7, 3],
    [127, 55, -128],
  ];
  const b = [
    [100, 2],
    [99, -128],
    [-3, 127],
  ];
  const cases = [
    { dtype: "int8", bits: 8, signed: true },
    { dtype: "uint8", bits: 8, signed: false },
    { dtype: "int16", bits: 16, signed: true },
    { dtype: "uint16", bits: 16, signed: false },
    { dtype: "int32", bits: 32, signed: true },
    { dtype: "uint32", bits: 32, signed: false },
  ] as const;
  for (const device of devices) {
    for (const { dtype, bits, signed } of cases) {
      it(`${dtype} on ${device}`, () => {
        on(device, () => {
          const wrapIn = (m: number[][]) =>
            m.map((r) =>
              r.map((v) =>
                Number(signed ? BigInt.asIntN(bits, BigInt(v)) : BigInt.asUintN(bits, BigInt(v))),
              ),
            );
          const [ai, bi] = [wrapIn(a), wrapIn(b)];
          const x = jnp.array(ai, dtype);
          const y = jnp.array(bi, dtype);
          const want = refMatmul(ai, bi, bits, signed);
          expect(asBig(jnp.matmul(x, y))).toEqual(want);
          expect(asBig(jit((p: Array, q: Array) => jnp.matmul(p, q))(x, y))).toEqual(want);
        });
      });
    }
  }
  for (const device of devices) {
    for (const dtype of ["int64", "uint64"] as const) {
      it(`${dtype} on ${device} (jax_enable_x64)`, () => {
        config.update("enableX64", true);
        on(device, () => {
          const big = [
            [2 ** 40, 3],
            [5, -(2 ** 33)],
          ];
          const m = dtype === "int64" ? big : big.map((r) => r.map((v) => Math.abs(v)));
          const x = jnp.array(m, dtype);
          const want = refMatmul(m, m, 64, dtype === "int64");
          expect(x.dtype.name).toBe(dtype);
          expect(asBig(jnp.matmul(x, x))).toEqual(want);
          expect(asBig(jit((p: Array) => jnp.matmul(p, p))(x))).toEqual(want);
          expect(asBig(jit((p: Array) => jnp.matmul(p, p).add(1))(x))).toEqual(
            want.map((r) =>
              r.map((v) =>
                dtype === "int64" ? BigInt.asIntN(64, v + 1n) : BigInt.asUintN(64, v + 1n),
              ),
            ),
          );
        });
      });
    }
  }
});
