import { afterAll, describe, expect, it } from "vitest";
import { ModuleBuilder } from "../../../../src/backend/wasm/codegen/encoder.js";
import {
  BINARY_MATH,
  MATH_ULP_BOUNDS,
  UNARY_MATH,
  type BinaryMathFn,
  type UnaryMathFn,
} from "../../../../src/backend/wasm/codegen/simd-math.js";
import { TWO_OVER_PI_HEX } from "../../../../src/backend/wasm/codegen/math-constants.js";
import { emitExp } from "../../../../src/backend/wasm/codegen/math-exp-log.js";
import { emitPow } from "../../../../src/backend/wasm/codegen/math-pow.js";
import { emitSin } from "../../../../src/backend/wasm/codegen/math-trig.js";
import {
  ALL_FUNCTIONS,
  F32,
  REF_BINARY,
  REF_UNARY,
  SPECIAL_INPUTS,
  compileKernel,
  erf64,
  erfinv64,
  measureAll,
  sameF32,
  ulpError,
  type Measurement,
} from "./math-harness.js";
import { useRelaxedSimd } from "../../../../src/backend/wasm/runtime/features.js";

const f32 = Math.fround;
const fmt = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
const measured = new Map<string, Measurement>();
/** Plain SIMD always; relaxed SIMD (fused multiply-adds, lane selects) where the engine has it. */
const MODES = ["plain SIMD", ...(useRelaxedSimd() ? ["relaxed SIMD"] : [])];

afterAll(() => {
  if (measured.size === 0) return;
  const rows = [...measured.entries()].map(
    ([label, m]) =>
      `  ${label.padEnd(19)} ${m.maxUlp.toFixed(3).padStart(7)} ulp  (bound ${MATH_ULP_BOUNDS[m.name]}, ` +
      `${m.count} samples; worst at ${m.worst.map((v) => v.toPrecision(9)).join(", ")})`,
  );
  console.log(
    `SIMD math accuracy (max error in float32 ulps vs float64 reference):\n${rows.join("\n")}`,
  );
});

describe("references", () => {
  it("erf64 matches known values", () => {
    const known: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [-1.5, -0.9661051464753108],
    ];
    for (const [x, want] of known)
      expect(Math.abs(erf64(x) - want)).toBeLessThan(1e-15 * Math.abs(want));
  });

  it("erfinv64 inverts erf64", () => {
    // erf is flat near +-4, so the round trip is limited by the absolute error of erf64 itself
    // (~1e-15, from summing ~100 series terms): |dy| ~ 1e-15 / erf'(y), still ~1e-9 relative.
    for (const y of [1e-30, 1e-5, 0.1, 0.7, 1.3, 2.2, 3.1, 3.9, -0.4]) {
      const tol = 1e-14 * Math.abs(y) + 2e-15 / (1.1283791670955126 * Math.exp(-y * y));
      expect(Math.abs(erfinv64(erf64(y)) - y)).toBeLessThan(tol);
    }
    expect(Math.abs(erfinv64(f32(1 - 2 ** -24)) - 3.8325067)).toBeLessThan(1e-6);
  });

  it("the 2/pi digits used by the huge-argument reduction are correct", () => {
    // pi by Machin's formula in fixed point with 320 fractional bits.
    const BITS = 320n;
    const ONE = 1n << BITS;
    const arctanInv = (n: bigint) => {
      let sum = 0n;
      let term = ONE / n;
      const n2 = n * n;
      for (let k = 0n; term !== 0n; k++) {
        sum += (k % 2n === 0n ? 1n : -1n) * (term / (2n * k + 1n));
        term /= n2;
      }
      return sum;
    };
    const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n);
    const twoOverPi = (2n * ONE * ONE) / pi; // fixed point, 320 fractional bits
    const hex = twoOverPi.toString(16).toUpperCase().padStart(80, "0");
    expect(hex.slice(0, TWO_OVER_PI_HEX.length)).toBe(TWO_OVER_PI_HEX);
  });
});

describe.each(MODES)("accuracy over the float32 range (%s)", (mode) => {
  const relaxed = mode === "relaxed SIMD";
  for (const name of ALL_FUNCTIONS) {
    it(`${name}: max ulp error <= ${MATH_ULP_BOUNDS[name]}`, () => {
      const m = measureAll(name, 997, relaxed);
      measured.set(`${name}${relaxed ? " (relaxed)" : ""}`, m);
      expect(
        m.maxUlp,
        `${name}(${m.worst.join(", ")}) = ${m.got}, reference ${m.ref}`,
      ).toBeLessThanOrEqual(MATH_ULP_BOUNDS[name]);
    });
  }
});

/** Function-specific values that must be exact (C / XLA CPU semantics). */
const EXACT: Partial<Record<UnaryMathFn, [number, number][]>> = {
  exp: [
    [-Infinity, 0],
    [Infinity, Infinity],
    [88.72284, Infinity],
    [1000, Infinity],
    [-104, 0],
    [-1000, 0],
    [0, 1],
    [-0, 1],
  ],
  exp2: [
    [-Infinity, 0],
    [Infinity, Infinity],
    [128, Infinity],
    [-150, 0],
    [-149, 2 ** -149],
    [127, 2 ** 127],
    [-126, 2 ** -126],
    [3, 8],
    [-0, 1],
  ],
  expm1: [
    [-Infinity, -1],
    [Infinity, Infinity],
    [-0, -0],
    [0, 0],
    [-100, -1],
    [88.8, Infinity],
    [F32.MIN_DENORMAL, F32.MIN_DENORMAL],
    [-F32.MIN_DENORMAL, -F32.MIN_DENORMAL],
  ],
  log: [
    [0, -Infinity],
    [-0, -Infinity],
    [-1, NaN],
    [-Infinity, NaN],
    [Infinity, Infinity],
    [1, 0],
    [2 ** -149, -149 * Math.LN2],
    [F32.MAX, Math.log(F32.MAX)],
  ],
  log2: [
    [0, -Infinity],
    [-0, -Infinity],
    [-1, NaN],
    [Infinity, Infinity],
    [1, 0],
    [2 ** -149, -149],
    [2 ** -130, -130],
    [2 ** 127, 127],
    [0.5, -1],
  ],
  log1p: [
    [-1, -Infinity],
    [-2, NaN],
    [-Infinity, NaN],
    [Infinity, Infinity],
    [-0, -0],
    [0, 0],
    [F32.MIN_DENORMAL, F32.MIN_DENORMAL],
    [-F32.MIN_DENORMAL, -F32.MIN_DENORMAL],
  ],
  tanh: [
    [Infinity, 1],
    [-Infinity, -1],
    [-0, -0],
    [20, 1],
    [-20, -1],
    [F32.MAX, 1],
    [-F32.MIN_DENORMAL, -F32.MIN_DENORMAL],
  ],
  logistic: [
    [-Infinity, 0],
    [Infinity, 1],
    [-0, 0.5],
    [0, 0.5],
    [-200, 0],
    [100, 1],
  ],
  sin: [
    [-0, -0],
    [0, 0],
    [Infinity, NaN],
    [-Infinity, NaN],
    [-F32.MIN_DENORMAL, -F32.MIN_DENORMAL],
  ],
  cos: [
    [-0, 1],
    [Infinity, NaN],
    [-Infinity, NaN],
  ],
  tan: [
    [-0, -0],
    [Infinity, NaN],
    [-F32.MIN_DENORMAL, -F32.MIN_DENORMAL],
  ],
  atan: [
    [-0, -0],
    [Infinity, f32(Math.PI / 2)],
    [-Infinity, -f32(Math.PI / 2)],
  ],
  asin: [
    [-0, -0],
    [1, f32(Math.PI / 2)],
    [-1, -f32(Math.PI / 2)],
    [1.0000001, NaN],
    [-2, NaN],
  ],
  acos: [
    [1, 0],
    [-1, f32(Math.PI)],
    [0, f32(Math.PI / 2)],
    [1.0000001, NaN],
  ],
  sinh: [
    [-0, -0],
    [Infinity, Infinity],
    [-Infinity, -Infinity],
    [89.5, Infinity],
    [-89.5, -Infinity],
  ],
  cosh: [
    [-0, 1],
    [Infinity, Infinity],
    [-Infinity, Infinity],
    [-89.5, Infinity],
  ],
  asinh: [
    [-0, -0],
    [Infinity, Infinity],
    [-Infinity, -Infinity],
  ],
  acosh: [
    [1, 0],
    [0.999999, NaN],
    [-1, NaN],
    [Infinity, Infinity],
    [-Infinity, NaN],
  ],
  atanh: [
    [-0, -0],
    [1, Infinity],
    [-1, -Infinity],
    [1.0000001, NaN],
    [5932781.5, NaN],
    [Infinity, NaN],
  ],
  erf: [
    [-0, -0],
    [Infinity, 1],
    [-Infinity, -1],
    [4, 1],
    [-F32.MIN_DENORMAL, -F32.MIN_DENORMAL],
  ],
  erf_inv: [
    [1, Infinity],
    [-1, -Infinity],
    [-0, -0],
    [1.0000001, NaN],
    [-2, NaN],
    [Infinity, NaN],
  ],
  cbrt: [
    [-0, -0],
    [Infinity, Infinity],
    [-Infinity, -Infinity],
    [27, 3],
    [-8, -2],
    [2 ** -147, 2 ** -49],
  ],
  rsqrt: [
    [0, Infinity],
    [-0, -Infinity],
    [Infinity, 0],
    [-1, NaN],
    [4, 0.5],
  ],
};

describe.each(MODES)("special values (%s)", (mode) => {
  const relaxed = mode === "relaxed SIMD";
  for (const name of Object.keys(UNARY_MATH) as UnaryMathFn[]) {
    it(`${name}: specials are exact, NaN -> NaN, thresholds within bound`, () => {
      const extra = EXACT[name] ?? [];
      const xs = Float32Array.from([...SPECIAL_INPUTS, ...extra.map(([x]) => x)]);
      const out = compileKernel(name, relaxed)([xs]);
      const ref = REF_UNARY[name];
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!;
        const got = out[i]!;
        const want = i >= SPECIAL_INPUTS.length ? extra[i - SPECIAL_INPUTS.length]![1] : ref(x);
        const exact =
          i >= SPECIAL_INPUTS.length ||
          !Number.isFinite(x) ||
          x === 0 ||
          !Number.isFinite(want) ||
          want === 0;
        if (exact)
          expect(sameF32(got, want), `${name}(${fmt(x)}) = ${fmt(got)}, want ${fmt(want)}`).toBe(
            true,
          );
        else
          expect(
            ulpError(got, want),
            `${name}(${fmt(x)}) = ${fmt(got)}, want ${fmt(want)}`,
          ).toBeLessThanOrEqual(MATH_ULP_BOUNDS[name]);
      }
    });
  }

  const PAIR_VALUES = [
    0,
    -0,
    Infinity,
    -Infinity,
    NaN,
    1,
    -1,
    0.5,
    -0.5,
    2,
    -2,
    3,
    -3,
    1.5,
    -1.5,
    0.25,
    -4,
    7,
    -7,
    F32.MIN_DENORMAL,
    -F32.MIN_DENORMAL,
    F32.MAX,
    -F32.MAX,
    1e-10,
    1e10,
    1e30,
    -1e30,
  ].map(f32);

  for (const name of Object.keys(BINARY_MATH) as BinaryMathFn[]) {
    it(`${name}: all pairs of special values (C99 Annex F semantics)`, () => {
      const a: number[] = [];
      const b: number[] = [];
      for (const u of PAIR_VALUES)
        for (const v of PAIR_VALUES) {
          a.push(u);
          b.push(v);
        }
      const out = compileKernel(name, relaxed)([Float32Array.from(a), Float32Array.from(b)]);
      const ref = REF_BINARY[name];
      for (let i = 0; i < a.length; i++) {
        const want = ref(a[i]!, b[i]!);
        const special = [a[i]!, b[i]!].some((v) => !Number.isFinite(v) || v === 0);
        const msg = `${name}(${fmt(a[i]!)}, ${fmt(b[i]!)}) = ${fmt(out[i]!)}, want ${fmt(want)}`;
        if (special || !Number.isFinite(want) || want === 0)
          expect(sameF32(out[i]!, want), msg).toBe(true);
        else expect(ulpError(out[i]!, want), msg).toBeLessThanOrEqual(MATH_ULP_BOUNDS[name]);
      }
    });
  }

  it("pow: documented C semantics", () => {
    const cases: [number, number, number][] = [
      [NaN, 0, 1],
      [NaN, -0, 1],
      [1, NaN, 1],
      [1, Infinity, 1],
      [-1, Infinity, 1],
      [-1, -Infinity, 1],
      [0, 0, 1],
      [-2, 0.5, NaN],
      [-8, 1 / 3, NaN],
      [-2, 3, -8],
      [-2, -3, -0.125],
      [-2, 2, 4],
      [-0, -3, -Infinity],
      [-0, -2, Infinity],
      [-0, 3, -0],
      [-0, 0.5, 0],
      [0, -1, Infinity],
      [-Infinity, 3, -Infinity],
      [-Infinity, -3, -0],
      [-Infinity, 0.5, Infinity],
      [Infinity, -0.5, 0],
      [0.5, Infinity, 0],
      [0.5, -Infinity, Infinity],
      [2, Infinity, Infinity],
      [2, -Infinity, 0],
      [2, 128, Infinity],
      [2, -149, 2 ** -149],
      [2, -150, 0],
      [10, 38, f32(1e38)],
      [-3, 2 ** 24, Infinity],
    ];
    const out = compileKernel(
      "pow",
      relaxed,
    )([Float32Array.from(cases.map((c) => c[0])), Float32Array.from(cases.map((c) => c[1]))]);
    cases.forEach(([x, y, want], i) =>
      expect(sameF32(out[i]!, want), `pow(${fmt(x)}, ${fmt(y)}) = ${fmt(out[i]!)}`).toBe(true),
    );
  });

  it("atan2: documented C semantics", () => {
    const PI = f32(Math.PI);
    const cases: [number, number, number][] = [
      [0, 0, 0],
      [-0, 0, -0],
      [0, -0, PI],
      [-0, -0, -PI],
      [0, -1, PI],
      [-0, -1, -PI],
      [1, 0, f32(Math.PI / 2)],
      [1, -0, f32(Math.PI / 2)],
      [-1, 0, -f32(Math.PI / 2)],
      [Infinity, Infinity, f32(Math.PI / 4)],
      [Infinity, -Infinity, f32((3 * Math.PI) / 4)],
      [-Infinity, -Infinity, -f32((3 * Math.PI) / 4)],
      [1, Infinity, 0],
      [-1, Infinity, -0],
      [1, -Infinity, PI],
      [Infinity, 5, f32(Math.PI / 2)],
      [NaN, 1, NaN],
      [1, NaN, NaN],
      [F32.MIN_DENORMAL, 1, F32.MIN_DENORMAL],
    ];
    const out = compileKernel(
      "atan2",
      relaxed,
    )([Float32Array.from(cases.map((c) => c[0])), Float32Array.from(cases.map((c) => c[1]))]);
    cases.forEach(([y, x, want], i) =>
      expect(sameF32(out[i]!, want), `atan2(${fmt(y)}, ${fmt(x)}) = ${fmt(out[i]!)}`).toBe(true),
    );
  });
});

describe("code generation", () => {
  it("reuses scratch locals across repeated emitter calls", () => {
    const m = new ModuleBuilder();
    const once = m.addFunction([], []);
    once.f32x4Const(1);
    emitExp(once);
    once.op("drop");
    const many = m.addFunction([], []);
    for (let i = 0; i < 10; i++) {
      many.f32x4Const(i);
      emitExp(many);
      many.op("drop");
    }
    expect(many.localCount).toBe(once.localCount);
    // mixing emitters needs at most the largest emitter's locals
    const mixed = m.addFunction([], []);
    for (let i = 0; i < 5; i++) {
      mixed.f32x4Const(i);
      emitSin(mixed);
      mixed.f32x4Const(2);
      emitPow(mixed);
      mixed.op("drop");
    }
    const powOnly = m.addFunction([], []);
    powOnly.f32x4Const(1).f32x4Const(2);
    emitPow(powOnly);
    powOnly.op("drop");
    const sinOnly = m.addFunction([], []);
    sinOnly.f32x4Const(1);
    emitSin(sinOnly);
    sinOnly.op("drop");
    expect(mixed.localCount).toBeLessThanOrEqual(powOnly.localCount + sinOnly.localCount);
    expect(WebAssembly.validate(m.toBytes())).toBe(true);
  });

  it("composes: exp(sin(x)) * pow(x, 0.5) + tanh(x) in one kernel", () => {
    const m = new ModuleBuilder();
    m.importMemory({ initial: 1 });
    const f = m.addFunction(["i32"], []); // in place on 64 floats
    const i = f.addLocal("i32");
    const x = f.addLocal("v128");
    const done = f.block();
    const top = f.loop();
    f.localGet(i).i32Const(256).op("i32.ge_u").br_if(done);
    f.localGet(i).localGet(i).mem("v128.load").localSet(x);
    f.localGet(x);
    emitSin(f);
    emitExp(f);
    f.localGet(x).f32x4Const(0.5);
    emitPow(f);
    f.op("f32x4.mul");
    f.localGet(x);
    UNARY_MATH.tanh(f);
    f.op("f32x4.add").mem("v128.store");
    f.localGet(i).i32Const(16).op("i32.add").localSet(i).br(top);
    f.end().end();
    m.exportFunction("run", f);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(m.toBytes()), { env: { memory } });
    const data = new Float32Array(memory.buffer, 0, 64);
    for (let k = 0; k < 64; k++) data[k] = f32(k * 0.37);
    const input = Float32Array.from(data);
    (inst.exports.run as (p: number) => void)(0);
    for (let k = 0; k < 64; k++) {
      const v = input[k]!;
      const want = Math.exp(Math.sin(v)) * Math.sqrt(v) + Math.tanh(v);
      expect(Math.abs(data[k]! - want)).toBeLessThanOrEqual(
        8 * 2 ** -23 * Math.max(1, Math.abs(want)),
      );
    }
  });
});
