/**
 * Differential tests: jit(f) (whole program fused) equals eager f (one kernel per primitive)
 * for every elementwise primitive and for randomized compositions with broadcasting,
 * movement ops and reductions, across dtypes and weak types.
 * Tolerances: integer/bool results exact; float32 rtol 2e-5 + atol 1e-6 (the fused js
 * kernel evaluates float32 chains in double and rounds once; eager rounds every op).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Array, jit, numpy as jnp } from "../../src/index.js";
import { OverflowError } from "../../src/core/errors.js";
import { on } from "./differential-helpers.js";

function close(a: Array, b: Array, rtol = 2e-5, atol = 1e-6): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(a.weakType).toBe(b.weakType);
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  for (let i = 0; i < x.length; i++) {
    const u = Number(x[i]);
    const v = Number(y[i]);
    if (Number.isNaN(u) || Number.isNaN(v)) {
      expect(Number.isNaN(u)).toBe(Number.isNaN(v));
      continue;
    }
    if (!a.dtype.isFloat) {
      expect(u).toBe(v);
      continue;
    }
    if (u === v) continue;
    expect(Math.abs(u - v)).toBeLessThanOrEqual(atol + rtol * Math.abs(v));
  }
}

const floatData = (shape: number[], seed: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    d[i] = ((s >>> 8) / 2 ** 24) * 4 - 2;
  }
  return jnp.array(d).reshape(shape);
};
const intData = (shape: number[], seed: number) => floatData(shape, seed).mul(10).astype("int32");

describe("jit equals eager for each primitive", () => {
  const x = floatData([3, 4], 1);
  const y = floatData([3, 4], 2).add(3); // positive
  const unary: [string, (a: Array) => Array][] = [
    ["neg", (a) => a.neg()],
    ["abs", (a) => jnp.abs(a)],
    ["sign", (a) => jnp.sign(a)],
    ["floor", (a) => jnp.floor(a)],
    ["ceil", (a) => jnp.ceil(a)],
    ["round", (a) => jnp.round(a)],
    ["exp", (a) => jnp.exp(a)],
    ["exp2", (a) => jnp.exp2(a)],
    ["expm1", (a) => jnp.expm1(a)],
    ["log", (a) => jnp.log(jnp.abs(a).add(0.1))],
    ["log1p", (a) => jnp.log1p(jnp.abs(a))],
    ["tanh", (a) => jnp.tanh(a)],
    ["sin", (a) => jnp.sin(a)],
    ["cos", (a) => jnp.cos(a)],
    ["tan", (a) => jnp.tan(a)],
    ["arcsin", (a) => jnp.arcsin(a.mul(0.4))],
    ["arccos", (a) => jnp.arccos(a.mul(0.4))],
    ["arctan", (a) => jnp.arctan(a)],
    ["sinh", (a) => jnp.sinh(a)],
    ["cosh", (a) => jnp.cosh(a)],
    ["arcsinh", (a) => jnp.arcsinh(a)],
    ["arccosh", (a) => jnp.arccosh(jnp.abs(a).add(1))],
    ["arctanh", (a) => jnp.arctanh(a.mul(0.4))],
    ["sqrt", (a) => jnp.sqrt(jnp.abs(a))],
    ["cbrt", (a) => jnp.cbrt(a)],
    ["square", (a) => jnp.square(a)],
    ["reciprocal", (a) => jnp.reciprocal(a)],
    ["isfinite", (a) => jnp.isfinite(jnp.log(a))],
    ["isnan", (a) => jnp.isnan(jnp.log(a))],
  ];
  it.each(unary)("%s", (_, f) => close(jit(f)(x), f(x)));

  const binary: [string, (a: Array, b: Array) => Array][] = [
    ["add", (a, b) => a.add(b)],
    ["subtract", (a, b) => a.sub(b)],
    ["multiply", (a, b) => a.mul(b)],
    ["divide", (a, b) => a.div(b)],
    ["power", (a, b) => jnp.power(b, a)],
    ["maximum", (a, b) => jnp.maximum(a, b)],
    ["minimum", (a, b) => jnp.minimum(a, b)],
    ["arctan2", (a, b) => jnp.arctan2(a, b)],
    ["floor_divide", (a, b) => jnp.floorDivide(a, b)],
    ["remainder", (a, b) => jnp.remainder(a, b)],
    ["hypot", (a, b) => jnp.hypot(a, b)],
    ["logaddexp", (a, b) => jnp.logaddexp(a, b)],
    ["greater", (a, b) => a.gt(b)],
    ["equal", (a, b) => jnp.floor(a).eq(jnp.floor(b))],
    ["where", (a, b) => jnp.where(a.gt(0), a, b)],
  ];
  it.each(binary)("%s", (_, f) => close(jit(f)(x, y), f(x, y)));

  const ints: [string, (a: Array, b: Array) => Array][] = [
    ["add", (a, b) => a.add(b)],
    ["mul", (a, b) => a.mul(b)],
    ["floor_divide", (a, b) => jnp.floorDivide(a, b)],
    ["remainder", (a, b) => jnp.remainder(a, b)],
    ["power", (a, b) => jnp.power(a, jnp.abs(b))],
    ["bitwise", (a, b) => jnp.bitwiseXor(jnp.bitwiseAnd(a, b), jnp.bitwiseOr(a, 3))],
    ["shifts", (a, b) => jnp.leftShift(a, jnp.abs(b)).add(jnp.rightShift(a, 2))],
    ["compare", (a, b) => jnp.logicalAnd(a.lt(b), a.ne(0))],
  ];
  it.each(ints)("int32 %s", (_, f) =>
    close(
      jit(f)(intData([3, 4], 3), intData([3, 4], 4)),
      f(intData([3, 4], 3), intData([3, 4], 4)),
    ),
  );
});

describe("jit equals eager for random compositions", () => {
  type Op = (a: Array, b: Array) => Array;
  const ops: Op[] = [
    (a, b) => a.add(b),
    (a, b) => a.mul(b),
    (a, b) => jnp.maximum(a, b),
    (a, b) => jnp.tanh(a).sub(b),
    (a, b) => jnp.where(a.gt(b), a, b.mul(0.5)),
    (a) => jnp.exp(a.mul(0.1)),
    (a) => jnp.sin(a),
    (a, b) => a.add(b.sum({ axis: -1, keepdims: true })),
    (a, b) => a.sub(b.max({ axis: 0, keepdims: true })),
    (a, b) => a.mul(b.mean()),
    (a) => a.add(1.5),
    (a) => jnp.square(a).mul(2),
  ];

  it("agrees on fused programs (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: ops.length - 1 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, opIdx, bcast, seed) => {
          // b broadcasts: some of its dims are 1.
          const bShape = shape.map((d, i) => (bcast[i] ? 1 : d));
          const f = (a: Array, b: Array) => {
            let r = a;
            for (const i of opIdx) r = ops[i]!(r, b);
            return [r, r.transpose().reshape(-1), r.sum({ axis: 0 })];
          };
          const a = floatData(shape, seed);
          const b = floatData(bShape, seed + 7);
          const got = jit(f)(a, b) as Array[];
          const want = f(a, b);
          got.forEach((g, i) => close(g, want[i]!, 1e-4, 1e-4));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("agrees across dtypes and weak types", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("float32", "int32", "uint8", "int16", "bool", "float16"),
        fc.constantFrom(1, 2.5, true, -3),
        fc.integer({ min: 0, max: 100 }),
        (dt, scalar, seed) => {
          const x = floatData([5], seed)
            .mul(3)
            .astype(dt as never);
          const f = (a: Array) => [
            a.add(scalar as number),
            jnp.maximum(a, scalar as number),
            a.astype("float32").mul(2),
          ];
          if (dt === "uint8" && scalar === -3) {
            // A JS integer the array's integer dtype cannot hold: JAX's OverflowError, staged
            // or eager alike.
            expect(() => jit(f)(x)).toThrow(OverflowError);
            expect(() => f(x)).toThrow(OverflowError);
            return;
          }
          const got = jit(f)(x) as Array[];
          const want = f(x);
          got.forEach((g, i) => close(g, want[i]!, 1e-3, 1e-3));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("the wasm device equals the js device (primitives and random compositions)", () => {
  // Tolerance: transcendentals differ by the wasm math library's ulp bounds (≤ 3 ulp) plus
  // float32 reduction order; integer results are exact.
  const bothWithin = (
    rtol: number,
    f: (...a: Array[]) => Array | Array[],
    ...args: Array[]
  ): void => bothWithinAbs(rtol, 1e-6, f, ...args);
  const bothWithinAbs = (
    rtol: number,
    atol: number,
    f: (...a: Array[]) => Array | Array[],
    ...args: Array[]
  ) => {
    const js = on("js", () => jit((...a: Array[]) => f(...a))(...args)) as Array | Array[];
    const wasm = on("wasm", () => jit((...a: Array[]) => f(...a))(...args)) as Array | Array[];
    const a = globalThis.Array.isArray(js) ? js : [js];
    const b = globalThis.Array.isArray(wasm) ? wasm : [wasm];
    a.forEach((x, i) => close(b[i]!, x, rtol, atol));
  };
  // Dots: the js device accumulates in double, wasm in float32 (fused or not): the error
  // grows with the contraction length k, as in codegen-dot.test.ts (rtol 1e-5 + 1e-6·k).
  const dotWithin = (k: number, f: (a: Array, b: Array) => Array, a: Array, b: Array) =>
    bothWithinAbs(1e-5, 1e-6 * k, (x, y) => f(x!, y!), a, b);
  const both = (f: (...a: Array[]) => Array | Array[], ...args: Array[]) =>
    bothWithin(3e-6, f, ...args);

  it("agrees on every unary and binary float op", () => {
    const x = floatData([7, 9], 5);
    const y = floatData([7, 9], 6).add(3);
    both(
      (a) => [
        jnp.exp(a),
        jnp.log(jnp.abs(a).add(0.1)),
        jnp.tanh(a),
        jnp.sin(a),
        jnp.cos(a),
        jnp.sqrt(jnp.abs(a)),
      ],
      x,
    );
    both(
      (a) => [
        jnp.arctan(a),
        jnp.sinh(a),
        jnp.expm1(a),
        jnp.log1p(jnp.abs(a)),
        jnp.cbrt(a),
        jnp.tan(a.mul(0.3)),
      ],
      x,
    );
    both(
      (a, b) => [
        a.add(b),
        a.mul(b),
        a.div(b),
        jnp.power(b, a),
        jnp.maximum(a, b),
        jnp.arctan2(a, b),
        jnp.remainder(a, b),
      ],
      x,
      y,
    );
  });

  it("agrees on integer ops, reductions, movement and dots", () => {
    const i = intData([6, 5], 7);
    const j = intData([6, 5], 8);
    both(
      (a, b) => [a.add(b), a.mul(b), jnp.floorDivide(a, b), jnp.bitwiseXor(a, b), a.lt(b)],
      i,
      j,
    );
    const x = floatData([4, 6, 8], 9);
    both(
      (a) => [
        a.sum({ axis: 0 }),
        a.max({ axis: 1 }),
        a.mean({ axis: 2 }),
        jnp.argmax(a, { axis: 2 }),
        a.transpose([2, 0, 1]).reshape(8, 24),
      ],
      x,
    );
    dotWithin(33, (a, b) => jnp.matmul(a, b), floatData([17, 33], 1), floatData([33, 9], 2));
    dotWithin(33, (a, b) => jnp.matmul(a.T, b), floatData([33, 17], 3), floatData([33, 9], 4));
  });

  it("agrees on random fused compositions (property)", () => {
    const ops: ((a: Array, b: Array) => Array)[] = [
      (a, b) => a.add(b),
      (a, b) => jnp.tanh(a).mul(b),
      (a, b) => jnp.where(a.gt(b), jnp.exp(a.mul(0.3)), b),
      (a, b) => a.sub(b.sum({ axis: -1, keepdims: true })),
      (a) => jnp.sin(a).add(1.5),
    ];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: ops.length - 1 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, opIdx, seed) => {
          const a = floatData(shape, seed);
          const b = floatData(shape, seed + 1);
          // Up to five ops, e.g. where(a > b, exp(0.3a), b) three times over a - Σb: each
          // exp(0.3x) multiplies its input's relative difference by 0.3|x| (up to ~6 here), so
          // the devices' few-ulp differences grow to ~2e-5 relative by the end of a chain.
          bothWithin(
            3e-5,
            (x, y) => {
              let r = x;
              for (const k of opIdx) r = ops[k]!(r, y);
              return [r, r.sum({ axis: 0 })];
            },
            a,
            b,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
