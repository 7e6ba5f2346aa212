/**
 * Accuracy harness for the SIMD math emitters: builds one wasm module per function that maps an
 * input f32 array to an output array with a v128 loop, float64 references (with C semantics),
 * float32 ulp error, and the deterministic input sets used by the tests and the report script
 * (test/backend/wasm/codegen/accuracy-report.ts).
 */
import { ModuleBuilder } from "../../../../src/backend/wasm/codegen/encoder.js";
import {
  BINARY_MATH,
  FLUSHES_SUBNORMAL_RESULTS,
  UNARY_MATH,
  type BinaryMathFn,
  type MathFn,
  type UnaryMathFn,
} from "../../../../src/backend/wasm/codegen/simd-math.js";

const CHUNK = 1 << 20; // elements per wasm call
const PAGE = 65536;

type Runner = (inputs: Float32Array[]) => Float32Array;

/** Compiles `out[i] = fn(in0[i], in1[i]?)` over v128 lanes and returns a JS runner. */
/** A kernel applying `name` over arrays; `relaxed`: with relaxed SIMD (fused multiply-adds). */
export function compileKernel(name: MathFn, relaxed = false): Runner {
  const arity = name in BINARY_MATH ? 2 : 1;
  const m = new ModuleBuilder(relaxed);
  m.importMemory({ initial: 1 });
  // run(in0, in1, out, nbytes)
  const f = m.addFunction(["i32", "i32", "i32", "i32"], []);
  const i = f.addLocal("i32");
  const done = f.block();
  const top = f.loop();
  f.localGet(i).localGet(3).op("i32.ge_u").br_if(done);
  f.localGet(2).localGet(i).op("i32.add");
  f.localGet(0).localGet(i).op("i32.add").mem("v128.load");
  if (arity === 2) f.localGet(1).localGet(i).op("i32.add").mem("v128.load");
  if (arity === 2) BINARY_MATH[name as BinaryMathFn](f);
  else UNARY_MATH[name as UnaryMathFn](f);
  f.mem("v128.store");
  f.localGet(i).i32Const(16).op("i32.add").localSet(i).br(top);
  f.end().end();
  m.exportFunction("run", f);
  const bytes = m.toBytes();
  if (!WebAssembly.validate(bytes)) throw new Error(`${name}: module does not validate`);
  const memory = new WebAssembly.Memory({ initial: Math.ceil((3 * CHUNK * 4) / PAGE) + 1 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const run = inst.exports.run as (a: number, b: number, o: number, n: number) => void;
  const heap = new Float32Array(memory.buffer);
  return (inputs) => {
    const n = inputs[0]!.length;
    const out = new Float32Array(n);
    for (let s = 0; s < n; s += CHUNK) {
      const len = Math.min(CHUNK, n - s);
      const padded = (len + 3) & ~3;
      for (let k = 0; k < arity; k++) {
        heap.set(inputs[k]!.subarray(s, s + len), k * CHUNK);
        heap.fill(0, k * CHUNK + len, k * CHUNK + padded);
      }
      run(0, CHUNK * 4, 2 * CHUNK * 4, padded * 4);
      out.set(heap.subarray(2 * CHUNK, 2 * CHUNK + len), s);
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// float64 references
// ---------------------------------------------------------------------------------------------

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erf in double: 2/sqrt(pi) e^{-x^2} sum_n (2x^2)^n x / (2n+1)!! (all terms positive). */
export function erf64(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a === 0) return x;
  if (a > 6) return Math.sign(x);
  const t2 = 2 * a * a;
  let term = a;
  let sum = a;
  for (let n = 1; n < 500; n++) {
    term *= t2 / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.sign(x) * TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum;
}

/** erf^-1 in double: Winitzki's approximation refined by Newton steps on erf64. */
export function erfinv64(x: number): number {
  if (Number.isNaN(x) || Math.abs(x) > 1) return NaN;
  if (Math.abs(x) === 1) return x * Infinity;
  if (x === 0) return x;
  const a = Math.abs(x);
  const l = Math.log((1 - a) * (1 + a));
  const c = 2 / (Math.PI * 0.147) + l / 2;
  let y = Math.sqrt(Math.sqrt(c * c - l / 0.147) - c);
  for (let it = 0; it < 60; it++) {
    const dy = (erf64(y) - a) / (TWO_OVER_SQRT_PI * Math.exp(-y * y));
    y -= dy;
    if (Math.abs(dy) <= 1e-17 * y) break;
  }
  return Math.sign(x) * y;
}

function powC(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Math.abs(x) === 1 && Math.abs(y) === Infinity) return 1;
  return Math.pow(x, y);
}

function logistic64(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const REF_UNARY: Record<UnaryMathFn, (x: number) => number> = {
  exp: Math.exp,
  exp2: (x) => Math.pow(2, x),
  expm1: Math.expm1,
  log: Math.log,
  log2: Math.log2,
  log1p: Math.log1p,
  tanh: Math.tanh,
  logistic: logistic64,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  atan: Math.atan,
  asin: Math.asin,
  acos: Math.acos,
  sinh: Math.sinh,
  cosh: Math.cosh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  erf: erf64,
  erf_inv: erfinv64,
  cbrt: Math.cbrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
};

export const REF_BINARY: Record<BinaryMathFn, (a: number, b: number) => number> = {
  atan2: Math.atan2,
  pow: powC,
};

// ---------------------------------------------------------------------------------------------
// ulp error
// ---------------------------------------------------------------------------------------------

const F32_MAX = 3.4028234663852886e38;
const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);

/** Size of one float32 ulp at the magnitude of `x` (a finite double). */
export function ulpF32(x: number): number {
  scratchF64[0] = x;
  const e = ((scratchU32[1]! >>> 20) & 0x7ff) - 1023;
  return 2 ** (Math.max(e, -126) - 23);
}

/**
 * Error of a float32 result `got` against the exact (double) value `ref`, in float32 ulps of
 * `ref`. NaN must match NaN; infinite references must match exactly; a result that overflowed
 * to inf counts as 2^128.
 */
export function ulpError(got: number, ref: number): number {
  if (Number.isNaN(ref)) return Number.isNaN(got) ? 0 : Infinity;
  if (Number.isNaN(got)) return Infinity;
  if (got === ref || got === Math.fround(ref)) return 0;
  if (!Number.isFinite(ref)) return Infinity;
  const g = Number.isFinite(got) ? got : Math.sign(got) * 2 ** 128;
  const ulp = Math.abs(ref) > F32_MAX ? 2 ** 104 : ulpF32(ref);
  return Math.abs(g - ref) / ulp;
}

/** Exact match for special results: same NaN-ness, same value, same sign of zero. */
export function sameF32(got: number, want: number): boolean {
  return Number.isNaN(want) ? Number.isNaN(got) : Object.is(got, Math.fround(want));
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** Every `step`-th float32 bit pattern over all 2^32 (includes NaNs, infs, denormals). */
export function bitPatternSweep(step = 997): Float32Array {
  const n = Math.floor(2 ** 32 / step) + 1;
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) u[i] = i * step;
  return new Float32Array(u.buffer);
}

/** Deterministic pseudo-random generator (xorshift32) in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

export function uniform(lo: number, hi: number, n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** Log-uniform magnitudes in [2^e0, 2^e1] with random sign if `signed`. */
export function logUniform(
  e0: number,
  e1: number,
  n: number,
  seed: number,
  signed = true,
): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = 2 ** (e0 + (e1 - e0) * r());
    out[i] = signed && r() < 0.5 ? -v : v;
  }
  return out;
}

function concat(...parts: ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** float32 values nearest to k*pi/2 (and both neighbours): hardest cases for the reduction. */
export function nearMultiplesOfPiOver2(kMax: number): Float32Array {
  const out: number[] = [];
  const u = new Uint32Array(1);
  const f = new Float32Array(u.buffer);
  for (let k = 1; k <= kMax; k++) {
    f[0] = (k * Math.PI) / 2;
    const b = u[0]!;
    for (const d of [-1, 0, 1]) {
      u[0] = b + d;
      out.push(f[0]!, -f[0]!);
    }
  }
  return Float32Array.from(out);
}

/** The "interesting range" sample of each unary function (~1e5 values or more). */
export function interestingUnary(name: UnaryMathFn): Float32Array {
  const N = 100_000;
  switch (name) {
    case "exp":
      return concat(uniform(-104, 89, N, 1), uniform(-1, 1, N / 10, 2));
    case "exp2":
      return concat(uniform(-150, 128.5, N, 3), uniform(-1, 1, N / 10, 4));
    case "expm1":
      return concat(uniform(-20, 89, N, 5), uniform(-1, 1, N, 6), logUniform(-40, 0, N / 10, 7));
    case "log":
    case "log2":
      return concat(
        uniform(0, 10, N, 8),
        uniform(0.5, 2, N, 9),
        logUniform(-149, 128, N, 10, false),
      );
    case "log1p":
      return concat(
        uniform(-1, 10, N, 11),
        logUniform(-40, 0, N, 12),
        logUniform(0, 128, N / 10, 13, false),
      );
    case "tanh":
      return concat(uniform(-10, 10, N, 14), logUniform(-30, 0, N / 10, 15));
    case "logistic":
      return concat(uniform(-110, 30, N, 16), uniform(-5, 5, N, 17));
    case "sin":
    case "cos":
    case "tan":
      return concat(
        uniform(-4, 4, N, 18),
        uniform(-12800, 12800, N, 19),
        logUniform(13, 128, N / 10, 20),
        nearMultiplesOfPiOver2(40000),
      );
    case "atan":
      return concat(uniform(-10, 10, N, 21), logUniform(-30, 30, N / 10, 22));
    case "asin":
    case "acos":
    case "atanh":
      return concat(
        uniform(-1, 1, N, 23),
        logUniform(-30, 0, N / 10, 24),
        uniform(0.99, 1, N / 10, 25),
      );
    case "sinh":
    case "cosh":
      return concat(uniform(-90, 90, N, 26), uniform(-2, 2, N, 27));
    case "asinh":
      return concat(
        uniform(-100, 100, N, 28),
        uniform(-3, 3, N, 29),
        logUniform(-30, 128, N / 10, 30),
      );
    case "acosh":
      return concat(
        uniform(1, 100, N, 31),
        uniform(1, 3, N, 32),
        logUniform(0, 128, N / 10, 33, false),
      );
    case "erf":
      return concat(uniform(-5, 5, N, 34), uniform(-1.5, 1.5, N, 35));
    case "erf_inv":
      return concat(
        uniform(-1, 1, N, 36),
        uniform(0.99, 1, N / 10, 37),
        uniform(-1, -0.9999, N / 10, 38),
      );
    case "cbrt":
      return concat(uniform(-1000, 1000, N, 39), logUniform(-149, 128, N, 40));
    case "rsqrt":
      return concat(uniform(0, 100, N, 41), logUniform(-149, 128, N, 42, false));
  }
}

/** Interesting (x, y) pairs for binary functions. */
export function interestingBinary(name: BinaryMathFn): [Float32Array, Float32Array] {
  const N = 100_000;
  if (name === "atan2") {
    return [
      concat(uniform(-10, 10, N, 50), logUniform(-100, 100, N, 51)),
      concat(uniform(-10, 10, N, 52), logUniform(-100, 100, N, 53)),
    ];
  }
  // pow: positive bases with moderate exponents, near-overflow/underflow products, negative
  // bases with integer exponents.
  const r = rng(54);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < N; i++) {
    xs.push(10 * r());
    ys.push(-30 + 60 * r());
  }
  for (let i = 0; i < N; i++) {
    const x = 2 ** (-20 + 40 * r());
    const target = -150 + 278 * r(); // log2 of the result
    xs.push(x);
    ys.push(target / Math.log2(x));
  }
  for (let i = 0; i < N; i++) {
    xs.push(-(0.5 + 2 * r()));
    ys.push(Math.round(-60 + 120 * r()));
  }
  for (let i = 0; i < N; i++) {
    xs.push(0.9 + 0.2 * r());
    ys.push(-3000 + 6000 * r());
  }
  return [Float32Array.from(xs), Float32Array.from(ys)];
}

/** Dense pseudo-random sweep of (x, y) bit patterns. */
export function bitPatternPairs(step = 997): [Float32Array, Float32Array] {
  const xs = bitPatternSweep(step);
  const u = new Uint32Array(xs.length);
  for (let i = 0; i < u.length; i++) u[i] = Math.imul(i * step, 0x9e3779b1) >>> 0;
  return [xs, new Float32Array(u.buffer)];
}

export const F32 = {
  MAX: F32_MAX,
  MIN_NORMAL: 1.1754943508222875e-38,
  MAX_DENORMAL: 1.1754942106924411e-38,
  MIN_DENORMAL: 1.401298464324817e-45,
};

/** Special inputs checked for exact special results. */
export const SPECIAL_INPUTS = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  F32.MIN_DENORMAL,
  -F32.MIN_DENORMAL,
  F32.MAX_DENORMAL,
  -F32.MAX_DENORMAL,
  F32.MIN_NORMAL,
  -F32.MIN_NORMAL,
  F32.MAX,
  -F32.MAX,
  1,
  -1,
  0.5,
  -0.5,
  2,
  -2,
].map(Math.fround);

export interface Measurement {
  name: MathFn;
  count: number;
  maxUlp: number;
  worst: number[];
  /** got and reference at the worst input */
  got: number;
  ref: number;
}

/** Runs the function on the given inputs and returns the max ulp error against the reference. */
export function measure(name: MathFn, run: Runner, inputs: Float32Array[]): Measurement {
  const got = run(inputs);
  let maxUlp = 0;
  let worstIdx = -1;
  let worstRef = NaN;
  const ref1 = name in REF_UNARY ? REF_UNARY[name as UnaryMathFn] : undefined;
  const ref2 = name in REF_BINARY ? REF_BINARY[name as BinaryMathFn] : undefined;
  const [a, b] = inputs;
  const flush = FLUSHES_SUBNORMAL_RESULTS.has(name);
  for (let i = 0; i < got.length; i++) {
    const ref = ref1 ? ref1(a![i]!) : ref2!(a![i]!, b![i]!);
    const flushed = flush && got[i] === 0 && Math.abs(Math.fround(ref)) < 2 ** -126;
    const e = flushed ? 0 : ulpError(got[i]!, ref);
    if (e > maxUlp) {
      maxUlp = e;
      worstIdx = i;
      worstRef = ref;
    }
  }
  return {
    name,
    count: got.length,
    maxUlp,
    worst: worstIdx < 0 ? [] : inputs.map((x) => x[worstIdx]!),
    got: worstIdx < 0 ? NaN : got[worstIdx]!,
    ref: worstRef,
  };
}

export const ALL_FUNCTIONS: MathFn[] = [
  ...(Object.keys(UNARY_MATH) as UnaryMathFn[]),
  ...(Object.keys(BINARY_MATH) as BinaryMathFn[]),
];

/** Full accuracy run of one function: dense bit-pattern sweep + interesting range. */
export function measureAll(name: MathFn, step = 997, relaxed = false): Measurement {
  const run = compileKernel(name, relaxed);
  if (name in BINARY_MATH) {
    const [x1, y1] = bitPatternPairs(step);
    const [x2, y2] = interestingBinary(name as BinaryMathFn);
    return measure(name, run, [concat(x1, x2), concat(y1, y2)]);
  }
  return measure(name, run, [concat(bitPatternSweep(step), interestingUnary(name as UnaryMathFn))]);
}
