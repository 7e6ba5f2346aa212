/**
 * Differential tests per primitive, beyond differential.test.ts: for each case, jit(f)(args)
 * equals eager f(args) on the js device and on the wasm device, and the wasm device's jit
 * equals the js device's jit.
 *
 * Tolerances (float32 ulps; 0 = bit-for-bit, NaN = NaN, the sign of zero counts):
 * - jit vs eager on one device: exact. A single-primitive program compiles to the same
 *   kernel as its eager dispatch, and compositions (the control-flow cases) are made of ops
 *   that are exact or computed by the same routine.
 * - wasm vs js: exact for integer, bool, movement, selection, comparison and reduction-free
 *   exact float ops; for a transcendental f, MATH_ULP_BOUNDS[f] + 1 (the js device computes in
 *   double and rounds once, ≤ 0.5 ulp; wasm's library is within its bound). lgamma/digamma
 *   have no wasm routine (the wasm device runs them through the js codegen): exact.
 *   reduce_prod: the js device accumulates in double and rounds once, wasm rounds each of the
 *   n - 1 float32 products (≤ 0.5 ulp each): n/2 + 0.5 ulp for n ≤ 15 factors, 8 ulp.
 *   (cumsum/cumprod agree exactly: both compute the running values in float32, in order.)
 * - Inputs stay in the normal range, so FLUSHES_SUBNORMAL_RESULTS (logistic on wasm) does not
 *   apply.
 */
import { describe, it } from "vitest";
import { type Array, float, jit, lax, numpy as jnp } from "../../src/index.js";
import { MATH_ULP_BOUNDS } from "../../src/backend/wasm/codegen/simd-math.js";
import { floats, ints, on, outs, same } from "./differential-helpers.js";

/** A case: its function, its arguments (made on the device that runs it), the wasm-vs-js ulps. */
type Case = [
  name: string,
  f: (...a: Array[]) => Array | Array[],
  args: () => Array[],
  wasmUlp: number,
];

// Inputs are made on the device under test (eager runs where its inputs live).
const x = () => floats([3, 5], 1); // [-2, 2)
const y = () => floats([3, 5], 2);
const pos = () => floats([3, 5], 3, 0.1, 6); // positive
const i = () => ints([3, 5], 4);
const j = () => ints([3, 5], 5);
const u8 = (seed: number) => ints([3, 5], seed, 0, 256).astype("uint8");
const bools = () => x().gt(0);
const counts = () => ints([3, 5], 7, -3, 40); // shift counts, some negative or ≥ 32

const math: Case[] = [
  ["erf", (a) => lax.erf(a), () => [x()], MATH_ULP_BOUNDS.erf + 1],
  ["erf_inv", (a) => lax.erfInv(a.mul(0.49)), () => [x()], MATH_ULP_BOUNDS.erf_inv + 1],
  ["erfc", (a) => lax.erfc(a.mul(2)), () => [x()], 0], // the wasm device runs it on the JS codegen
  ["lgamma", (a) => lax.lgamma(a), () => [pos()], 0],
  ["digamma", (a) => lax.digamma(a), () => [pos()], 0],
  ["logistic", (a) => lax.logistic(a.mul(4)), () => [x()], MATH_ULP_BOUNDS.logistic + 1],
  ["rsqrt", (a) => lax.rsqrt(a), () => [pos()], MATH_ULP_BOUNDS.rsqrt + 1],
  [
    "integer_pow",
    (a) => [lax.integerPow(a, 3), lax.integerPow(a, -2), lax.integerPow(a, 0)],
    () => [x()],
    0,
  ],
  [
    "nextafter",
    (a, b) => [lax.nextafter(a, b), lax.nextafter(a, jnp.full([3, 5], Infinity))],
    () => [x(), y()],
    0,
  ],
  ["clamp", (a) => lax.clamp(-0.5, a, 0.7), () => [x()], 0],
];

const conversions: Case[] = [
  [
    "population_count",
    (a) => [lax.populationCount(a), lax.populationCount(a.astype("uint8"))],
    () => [i()],
    0,
  ],
  [
    "select_n",
    (p, a, b, c) => [lax.selectN(p, a, b, c), lax.selectN(p.gt(0), a, b)],
    () => [ints([3, 5], 8, 0, 3), x(), y(), pos()],
    0,
  ],
  [
    "convert_element_type",
    (a) => [
      lax.convertElementType(a.mul(10), "int32"),
      lax.convertElementType(a, "bool"),
      lax.convertElementType(a.mul(100), "uint8"),
      lax.convertElementType(a, "float16"),
    ],
    () => [x()],
    0,
  ],
  [
    "convert_element_type from int/bool",
    (a, b) => [lax.convertElementType(a, "float32"), lax.convertElementType(b, "int32")],
    () => [i(), bools()],
    0,
  ],
  [
    "bitcast_convert_type",
    (a, b) => [
      lax.bitcastConvertType(a, "int32"),
      lax.bitcastConvertType(b, "float32"),
      lax.bitcastConvertType(b, "uint32"),
    ],
    () => [x(), i()],
    0,
  ],
  ["iota", () => [lax.iota("int32", 7), lax.broadcastedIota("float32", [3, 4], 1)], () => [], 0],
];

const movement: Case[] = [
  [
    "slice",
    (a) => [lax.slice(a, [0, 1], [3, 5]), lax.slice(a, [0, 0], [3, 5], [2, 3])],
    () => [x()],
    0,
  ],
  [
    "pad",
    (a) => [
      lax.pad(a, 0.5, [
        [1, 2, 1],
        [0, 1, 0],
      ]),
      lax.pad(a, float(-1), [
        [-1, 1, 0],
        [2, -2, 1],
      ]),
    ],
    () => [x()],
    0,
  ],
  [
    "concatenate",
    (a, b) => [lax.concatenate([a, b], 1), lax.concatenate([a, b, a], 0)],
    () => [x(), y()],
    0,
  ],
  ["rev", (a) => [lax.rev(a, [0]), lax.rev(a, [0, 1])], () => [x()], 0],
  [
    "dynamic_slice",
    (a, s, t) => [lax.dynamicSlice(a, [s, t], [2, 3]), lax.dynamicSlice(a, [t, s], [2, 2])],
    () => [x(), jnp.int32(1), jnp.int32(4)],
    0,
  ],
  [
    "dynamic_update_slice",
    (a, b, s) => [
      lax.dynamicUpdateSlice(a, b, [s, 0]),
      lax.dynamicUpdateSlice(a, b, [jnp.int32(-2), s]),
    ],
    () => [x(), floats([2, 2], 9), jnp.int32(2)],
    0,
  ],
  [
    "gather (take, integer indexing)",
    (a, k) => [jnp.take(a, k, 1), a.get(k), a.get(k, k)],
    () => [x(), jnp.array([2, 0, 2])],
    0,
  ],
  [
    "scatter, scatter-add (repeated indices)",
    (a, k, v) => [a.at(k).set(v), a.at(k).add(v), a.at(k, k).add(1)],
    () => [x(), jnp.array([2, 0, 2]), floats([3, 5], 10)],
    0,
  ],
];

const reductions: Case[] = [
  ["reduce_prod", (a) => [lax.reduceProd(a, [1]), lax.reduceProd(a, [0, 1])], () => [x()], 8],
  [
    "reduce_min/max",
    (a) => [lax.reduceMin(a, [0]), lax.reduceMax(a, [1]), lax.reduceMax(a, [0, 1])],
    () => [x()],
    0,
  ],
  ["reduce_min/max int", (a) => [lax.reduceMin(a, [1]), lax.reduceMax(a, [0])], () => [i()], 0],
  [
    "reduce_and/or",
    (p) => [lax.reduceAnd(p, [1]), lax.reduceOr(p, [0]), lax.reduceAnd(p, [0, 1])],
    () => [bools()],
    0,
  ],
  [
    "argmin/argmax",
    (a) => [lax.argmin(a, 1), lax.argmax(a, 0), jnp.argmax(a), jnp.argmin(a, { axis: 0 })],
    () => [x()],
    0,
  ],
  ["sort", (a, b) => [lax.sort(a, 1), lax.sort(a, 0), jnp.sort(b)], () => [x(), i()], 0],
  [
    "cumsum/cumprod",
    (a) => [lax.cumsum(a, 1), lax.cumsum(a, 0, true), lax.cumprod(a, 1)],
    () => [x()],
    4,
  ],
  [
    "cummax/cummin",
    (a, b) => [lax.cummax(a, 1), lax.cummin(a, 0, true), lax.cumsum(b, 1), lax.cummax(b, 0)],
    () => [x(), i()],
    0,
  ],
];

const control: Case[] = [
  [
    "cond",
    (p, a) => [
      lax.cond(
        p,
        (v: Array) => jnp.sin(v),
        (v: Array) => v.mul(2),
        a,
      ),
      lax.cond(
        p.not(),
        (v: Array) => jnp.sin(v),
        (v: Array) => v.mul(2),
        a,
      ),
    ],
    () => [jnp.array(true), x()],
    MATH_ULP_BOUNDS.sin + 1,
  ],
  [
    "while",
    (a, n) =>
      lax.whileLoop(
        (c: [Array, Array]) => c[0].lt(n),
        (c: [Array, Array]): [Array, Array] => [c[0].add(1), c[1].mul(1.5).sub(0.25)],
        [jnp.int32(0), a] as [Array, Array],
      )[1],
    () => [x(), jnp.int32(5)],
    0,
  ],
  [
    "scan",
    (a) =>
      outs(
        lax.scan(
          (c: Array, r: Array) => {
            const s = c.add(r);
            return [s, s.mul(2)];
          },
          jnp.zeros([5]),
          a,
        ) as Array[],
      ),
    () => [x()],
    0,
  ],
];

const integer: Case[] = [
  [
    "shifts int32",
    (a, c) => [lax.shiftLeft(a, c), lax.shiftRightLogical(a, c), lax.shiftRightArithmetic(a, c)],
    () => [i(), counts()],
    0,
  ],
  [
    "shifts uint8",
    (a, c) => [lax.shiftLeft(a, c), lax.shiftRightLogical(a, c)],
    () => [u8(6), ints([3, 5], 11, 0, 10).astype("uint8")],
    0,
  ],
  [
    "int div/rem (truncating) and floor_divide",
    (a, b) => {
      const d = jnp.where(b.eq(0), 3, b);
      return [lax.div(a, d), lax.rem(a, d), jnp.floorDivide(a, d), jnp.remainder(a, d)];
    },
    () => [i(), j()],
    0,
  ],
  [
    "int max/min/neg/abs/sign",
    (a, b) => [lax.max(a, b), lax.min(a, b), lax.neg(a), lax.abs(a), lax.sign(a)],
    () => [i(), j()],
    0,
  ],
  [
    "int bitwise and wrapping arithmetic",
    (a, b) => [
      lax.and(a, b),
      lax.or(a, b),
      lax.xor(a, b),
      lax.not(a),
      a.mul(b).mul(100000),
      a.astype("int8").mul(b.astype("int8")),
    ],
    () => [i(), j()],
    0,
  ],
  [
    "uint8 arithmetic",
    (a, b) => [a.add(b), a.sub(b), a.mul(b), lax.div(a, jnp.maximum(b, 1)), a.lt(b)],
    () => [u8(6), ints([3, 5], 12, 0, 256).astype("uint8")],
    0,
  ],
];

function check([name, f, args, wasmUlp]: Case): void {
  const run = (device: string, jitted: boolean) =>
    outs(on(device, () => (jitted ? jit((...a: Array[]) => f(...a)) : f)(...args())));
  for (const device of ["js", "wasm"]) {
    const j = run(device, true);
    const e = run(device, false);
    j.forEach((o, k) => same(o, e[k]!, 0, `${name} output ${k}: jit vs eager on ${device}`));
  }
  const js = run("js", true);
  const wasm = run("wasm", true);
  wasm.forEach((o, k) => same(o, js[k]!, wasmUlp, `${name} output ${k}: wasm vs js`));
}

describe("jit equals eager, and wasm equals js, per primitive", () => {
  describe("math functions", () => it.each(math)("%s", (...c) => check(c)));
  describe("conversions, selection, iota", () => it.each(conversions)("%s", (...c) => check(c)));
  describe("movement, dynamic slices, gather/scatter", () =>
    it.each(movement)("%s", (...c) => check(c)));
  describe("reductions, sort, cumulative", () => it.each(reductions)("%s", (...c) => check(c)));
  describe("control flow", () => it.each(control)("%s", (...c) => check(c)));
  describe("integer ops", () => it.each(integer)("%s", (...c) => check(c)));
});
