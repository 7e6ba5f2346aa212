import { describe, it, expect } from "vitest";
import { numpy as jnp, jit, makeJaxpr } from "../../src/index.js";
import { threefry2x32, threefryHost } from "../../src/primitives/random-bits.js";
import type { Array } from "../../src/index.js";

// Known-answer vectors of threefry2x32_20 from the Random123 reference implementation's tests
// (DEShawResearch/Random123-Boost libs/random/test/test_threefry.cpp, lines 30-32; the same
// three vectors are checked by JAX's tests/random_test.py::testThreefry2x32).
// Each row: key (k1, k2), counter (x1, x2) -> output (y1, y2).
const KAT: [number, number, number, number, number, number][] = [
  [0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6b200159, 0x99ba4efe],
  [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
  [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0],
];

const u32 = (xs: number[]) => jnp.array(Uint32Array.from(xs));
const col = (i: number) => u32(KAT.map((r) => r[i]!));
const list = (x: Array) => (x as unknown as { tolist(): number[] }).tolist();

describe("threefry2x32 primitive", () => {
  it("matches the Random123 known answers (eager)", () => {
    const [y1, y2] = threefry2x32(col(0), col(1), col(2), col(3));
    expect(list(y1)).toEqual(KAT.map((r) => r[4]));
    expect(list(y2)).toEqual(KAT.map((r) => r[5]));
    expect(y1.dtype.name).toBe("uint32");
  });

  it("matches the known answers under jit", () => {
    const f = jit((a: Array, b: Array, c: Array, d: Array) => threefry2x32(a, b, c, d));
    const [y1, y2] = f(col(0), col(1), col(2), col(3));
    expect(list(y1)).toEqual(KAT.map((r) => r[4]));
    expect(list(y2)).toEqual(KAT.map((r) => r[5]));
  });

  it("host reference agrees", () => {
    for (const r of KAT) expect(threefryHost(r[0], r[1], r[2], r[3])).toEqual([r[4], r[5]]);
  });

  it("broadcasts scalar key words against count arrays", () => {
    const k1 = jnp.array(Uint32Array.of(0x13198a2e)).reshape([]);
    const k2 = jnp.array(Uint32Array.of(0x03707344)).reshape([]);
    const [y1, y2] = threefry2x32(
      k1,
      k2,
      u32([0x243f6a88, 0x243f6a88]),
      u32([0x85a308d3, 0x85a308d3]),
    );
    expect(list(y1)).toEqual([0xc4923a9c, 0xc4923a9c]);
    expect(list(y2)).toEqual([0x483df7a0, 0x483df7a0]);
  });

  it("stages one threefry2x32 equation with two uint32 outputs", () => {
    const txt = String(
      makeJaxpr((a: Array, b: Array) => threefry2x32(a, a, b, b))(u32([1]), u32([2])),
    );
    expect(txt).toContain("threefry2x32");
    expect(txt).toMatch(/u32\[1\]/);
  });

  it("rejects non-uint32 operands", () => {
    expect(() => threefry2x32(jnp.array([1]), u32([1]), u32([1]), u32([1]))).toThrow(/uint32/);
  });
});
