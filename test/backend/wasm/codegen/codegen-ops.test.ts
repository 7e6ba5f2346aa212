/**
 * Every kernel-IR scalar op per dtype, compiled to wasm and compared with the JS codegen on
 * special values (NaN, ±inf, ±0, denormals, integer extremes, zero divisors, shift counts
 * past the width) and noise. Each op runs vectorized (contiguous loads) and scalar (reversed
 * loads). Tolerances: transcendentals within the math library's ulp bound + 1 (the JS device
 * evaluates them in double and rounds once), rsqrt 2 ulp, everything else exact (including
 * the sign of zero).
 */
import { describe, expect, it } from "vitest";
import { type DType, bool, float32, int32, uint32 } from "../../../../src/core/dtype.js";
import {
  type BinaryOp,
  type Expr,
  type UnaryOp,
  binary,
  bitcast,
  cast,
  constant,
  select,
  unary,
} from "../../../../src/kernel/expr.js";
import { ixAdd, ixMul } from "../../../../src/kernel/index.js";
import {
  FLUSHES_SUBNORMAL_RESULTS,
  MATH_ULP_BOUNDS,
  type MathFn,
} from "../../../../src/backend/wasm/codegen/simd-math.js";
import { type Built, type Tolerance, check, loopProgram, runWasm } from "./codegen-harness.js";
import { ALL_DTYPES, INT_DTYPES, pairs, values } from "./codegen-values.js";
import type { TypedArray } from "../../../../src/core/dtype.js";

type Make = (xs: Expr[]) => Expr;

/** Runs `make` over the inputs elementwise, vectorized (flat) and scalar (reversed loads). */
function checkOp(
  ins: [DType, TypedArray][],
  out: DType,
  make: Make,
  tol: Tolerance = {},
  fallback = false,
): void {
  const n = ins[0]![1].length;
  for (const layout of ["flat", "reversed"] as const) {
    const b: Built = loopProgram(ins, [out], [n], (load, [i]) => {
      const index = layout === "flat" ? i! : ixAdd(n - 1, ixMul(i!, -1));
      return [make(ins.map((_, k) => load(k, index)))];
    });
    const r = check(b, tol);
    expect(r.error, layout).toBeUndefined();
    expect(r.run.compiled.fallback.length, r.run.compiled.text).toBe(fallback ? 1 : 0);
  }
}

const MATH: UnaryOp[] = [
  "exp",
  "exp2",
  "expm1",
  "log",
  "log1p",
  "tanh",
  "logistic",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "asinh",
  "acosh",
  "atanh",
  "erf",
  "erf_inv",
  "cbrt",
];
const EXACT_FLOAT_UNARY: UnaryOp[] = [
  "neg",
  "abs",
  "sign",
  "floor",
  "ceil",
  "round",
  "round_even",
  "sqrt",
];

describe("float32 unary ops", () => {
  const x = values(float32, 300);
  for (const fn of EXACT_FLOAT_UNARY) {
    it(fn, () => checkOp([[float32, x]], float32, ([a]) => unary(fn, a!)));
  }
  for (const fn of MATH) {
    it(fn, () =>
      checkOp([[float32, x]], float32, ([a]) => unary(fn, a!), {
        ulp: MATH_ULP_BOUNDS[fn as MathFn] + 1,
        flushSubnormals: FLUSHES_SUBNORMAL_RESULTS.has(fn as MathFn),
      }),
    );
  }
  it("rsqrt", () => checkOp([[float32, x]], float32, ([a]) => unary("rsqrt", a!), { ulp: 2 }));
  it("is_finite", () => checkOp([[float32, x]], bool, ([a]) => unary("is_finite", a!, bool)));
  for (const fn of ["lgamma", "digamma"] as const) {
    it(`${fn} falls back to the JS codegen`, () =>
      checkOp([[float32, x]], float32, ([a]) => unary(fn, a!), {}, true));
  }
});

describe("integer and bool unary ops", () => {
  for (const d of INT_DTYPES) {
    const x = values(d, 200);
    for (const fn of ["neg", "not", "abs", "sign", "popcnt", "clz", "floor", "round"] as const) {
      it(`${fn} ${d.name}`, () => checkOp([[d, x]], d, ([a]) => unary(fn, a!)));
    }
  }
  for (const fn of ["not", "neg", "abs", "sign"] as const) {
    it(`${fn} bool`, () => checkOp([[bool, values(bool, 50)]], bool, ([a]) => unary(fn, a!)));
  }
});

const CMP: BinaryOp[] = ["eq", "ne", "lt", "le", "gt", "ge"];

describe("float32 binary ops", () => {
  const [a, b] = pairs(float32);
  for (const fn of ["add", "sub", "mul", "div", "max", "min", "nextafter", "rem"] as const) {
    it(fn, () =>
      checkOp(
        [
          [float32, a],
          [float32, b],
        ],
        float32,
        ([x, y]) => binary(fn, x!, y!),
      ),
    );
  }
  it("pow", () => {
    // JS Math.pow(±1, ±inf) is NaN; XLA (C99) gives 1, as the wasm codegen does: compared below.
    const keep = [...a.keys()].filter(
      (i) => !(Math.abs(a[i] as number) === 1 && !Number.isFinite(b[i] as number)),
    );
    const a2 = Float32Array.from(keep, (i) => a[i] as number);
    const b2 = Float32Array.from(keep, (i) => b[i] as number);
    checkOp(
      [
        [float32, a2],
        [float32, b2],
      ],
      float32,
      ([x, y]) => binary("pow", x!, y!),
      { ulp: MATH_ULP_BOUNDS.pow + 1 },
    );
  });
  it("pow(±1, ±inf) = 1 (C99 / XLA; the JS device gives NaN)", () => {
    const x = Float32Array.of(1, 1, -1, -1);
    const y = Float32Array.of(Infinity, -Infinity, Infinity, -Infinity);
    const b = loopProgram(
      [
        [float32, x],
        [float32, y],
      ],
      [float32],
      [4],
      (load, [i]) => [binary("pow", load(0, i!), load(1, i!))],
    );
    expect([...runWasm(b).buffers[2]!]).toEqual([1, 1, 1, 1]);
  });
  it("atan2", () =>
    checkOp(
      [
        [float32, a],
        [float32, b],
      ],
      float32,
      ([x, y]) => binary("atan2", x!, y!),
      { ulp: MATH_ULP_BOUNDS.atan2 + 1 },
    ));
  for (const fn of CMP) {
    it(fn, () =>
      checkOp(
        [
          [float32, a],
          [float32, b],
        ],
        bool,
        ([x, y]) => binary(fn, x!, y!),
      ),
    );
  }
});

describe("integer binary ops", () => {
  const INT_BIN: BinaryOp[] = [
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "pow",
    "max",
    "min",
    "and",
    "or",
    "xor",
    "shl",
    "shr_logical",
    "shr_arith",
  ];
  for (const d of INT_DTYPES) {
    const [a, b] = pairs(d);
    for (const fn of [...INT_BIN, ...CMP]) {
      it(`${fn} ${d.name}`, () =>
        checkOp(
          [
            [d, a],
            [d, b],
          ],
          CMP.includes(fn) ? bool : d,
          ([x, y]) => binary(fn, x!, y!),
        ));
    }
    it(`shifts by constants ${d.name}`, () => {
      for (const k of [0, 1, 3, 7, 8, 15, 16, 31, 32, 40, -1]) {
        for (const fn of ["shl", "shr_logical", "shr_arith"] as const) {
          checkOp([[d, a]], d, ([x]) =>
            binary(fn, x!, constant(d.isSigned ? k : (k >>> 0) & (2 ** (8 * d.itemsize) - 1), d)),
          );
        }
      }
    });
  }
  it("floordiv / floormod by constants (index arithmetic)", () => {
    const [a] = pairs(int32);
    for (const k of [1, 2, 3, 4, 7, 8, 1000]) {
      checkOp([[int32, a]], int32, ([x]) => binary("floordiv", x!, constant(k, int32), int32));
      checkOp([[int32, a]], int32, ([x]) => binary("floormod", x!, constant(k, int32), int32));
    }
  });
});

describe("bool binary ops", () => {
  const [a, b] = pairs(bool, bool, 40);
  for (const fn of ["add", "sub", "mul", "max", "min", "and", "or", "xor", ...CMP] as const) {
    it(fn, () =>
      checkOp(
        [
          [bool, a],
          [bool, b],
        ],
        bool,
        ([x, y]) => binary(fn, x!, y!),
      ),
    );
  }
});

describe("casts, bitcasts and selects", () => {
  for (const from of ALL_DTYPES) {
    const x = values(from, 120);
    it(`cast from ${from.name} to every dtype`, () => {
      for (const to of ALL_DTYPES) checkOp([[from, x]], to, ([a]) => cast(a!, to));
    });
  }
  it("bitcasts between same-width dtypes", () => {
    const pairsOf: [DType, DType][] = [
      [float32, int32],
      [float32, uint32],
      [int32, float32],
      [uint32, float32],
      [int32, uint32],
      [uint32, int32],
    ];
    for (const [from, to] of pairsOf) {
      const x = values(from, 100).filter((v) => !Number.isNaN(v as number));
      checkOp([[from, x]], to, ([a]) => bitcast(a!, to));
    }
    for (const [from, to] of [
      ["int8", "uint8"],
      ["uint8", "int8"],
      ["int16", "uint16"],
      ["uint16", "int16"],
    ] as const) {
      const f = INT_DTYPES.find((d) => d.name === from)!;
      const t = INT_DTYPES.find((d) => d.name === to)!;
      checkOp([[f, values(f, 60)]], t, ([a]) => bitcast(a!, t));
    }
  });
  for (const d of ALL_DTYPES) {
    it(`select ${d.name}`, () => {
      const [a, b] = pairs(d, d, 20);
      const c = values(bool, a.length, 3);
      checkOp(
        [
          [bool, c],
          [d, a],
          [d, b],
        ],
        d,
        ([p, x, y]) => select(p!, x!, y!),
      );
    });
  }
});
