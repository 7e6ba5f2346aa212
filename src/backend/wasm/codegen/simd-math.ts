/**
 * Vectorised float32 math as inline WebAssembly SIMD code generators.
 *
 * Each emitter appends code to a {@link FunctionBuilder} that computes one function on the four
 * f32 lanes of a v128 value.
 *
 * Stack convention
 * - Unary emitters (`emitExp`, `emitSin`, ...) pop one f32x4 from the wasm value stack and push
 *   the f32x4 result: `[..., x] -> [..., f(x)]`. To apply one to a local, `local.get` it first.
 * - Binary emitters pop two operands in argument order: `emitAtan2`: `[..., y, x] ->
 *   [..., atan2(y, x)]`; `emitPow`: `[..., x, y] -> [..., pow(x, y)]`.
 * - Emitters take their scratch v128 locals from the builder's pool
 *   ({@link FunctionBuilder.acquireLocal}) and give them back before returning, so a kernel that
 *   calls `emitExp` ten times declares the scratch locals of one call only. Emitters never touch
 *   memory, globals or other locals, and never branch out of the surrounding code.
 *
 * Numerics
 * - Branch-free range reduction + minimax polynomials (coefficients fitted offline with a Remez
 *   exchange and rounded to float32; the f64 ones used by `pow` to float64). No FMA (wasm has no
 *   fused multiply-add outside relaxed-simd), so reductions use Cody-Waite constant splitting
 *   (sin/cos/tan reduce in f64 on two lanes at a time). The only branch is in sin/cos/tan: when
 *   some lane of a pair has |x| > 1e6 (or is infinite) a vectorised Payne-Hanek style reduction
 *   in f64 runs for that pair (an `if` on `v128.any_true`).
 * - Special values follow C / XLA-CPU: NaN in -> NaN out; exp(-inf)=0, exp(inf)=inf, overflow ->
 *   inf, log(0)=-inf, log(x<0)=NaN, log(inf)=inf; tanh(+-inf)=+-1; logistic(-inf)=0;
 *   erf_inv(+-1)=+-inf; pow follows C99 Annex F (pow(x,+-0)=1, pow(1,y)=1, pow(-1,+-inf)=1,
 *   negative base with non-integer exponent -> NaN, odd-integer exponents keep the base's sign);
 *   the sign of zero is preserved where C preserves it (sin, tan, tanh, expm1, log1p, atan, asin,
 *   sinh, asinh, atanh, erf, erf_inv, cbrt: f(-0) = -0). Denormal inputs are handled exactly
 *   (wasm does not flush denormals); results are exact subnormals too, except where
 *   {@link FLUSHES_SUBNORMAL_RESULTS} flushes them to 0 as XLA:CPU does (logistic).
 * - Accuracy: max error in float32 ulps against a float64 reference, measured over every 101st
 *   float32 bit pattern (4.3e7 inputs, whole range incl. denormals/inf/NaN) plus dense samples of
 *   each function's interesting range (pairs for atan2/pow). Asserted bounds:
 *   {@link MATH_ULP_BOUNDS}.
 *
 *     exp      0.95    log    0.84    tanh     1.49    sin   1.38    asin  0.66    sinh  1.61
 *     exp2     1.20    log2   1.01    logistic 2.29    cos   1.37    acos  1.06    cosh  1.38
 *     expm1    1.37    log1p  1.45    erf      1.42    tan   0.55    atan  1.35    asinh 1.77
 *     pow      0.50    cbrt   0.80    erf_inv  1.78    atan2 2.25    rsqrt 1.49    acosh 1.95
 *     atanh    1.80
 *
 *   sin/cos/tan hold over the whole float32 range: |x| <= 1e6 uses an f64 Cody-Waite reduction,
 *   larger |x| an exact chunked 2/pi reduction (Payne-Hanek style) in f64; +-inf -> NaN.
 *   pow and tan evaluate in f64 internally and round once.
 *
 * The emitters live in one file per family (math-exp-log.ts, math-trig.ts, math-hyperbolic.ts,
 * math-erf.ts, math-pow.ts) over the DSL of math-dsl.ts; this file holds their registry and
 * accuracy bounds.
 */
import type { FunctionBuilder } from "./function-builder.js";
import {
  emitExp,
  emitExp2,
  emitExpm1,
  emitLog,
  emitLog1p,
  emitLog2,
  emitLogistic,
  emitTanh,
} from "./math-exp-log.js";
import { emitAcos, emitAsin, emitAtan, emitAtan2, emitCos, emitSin, emitTan } from "./math-trig.js";
import { emitAcosh, emitAsinh, emitAtanh, emitCosh, emitSinh } from "./math-hyperbolic.js";
import { emitErf, emitErfInv } from "./math-erf.js";
import { emitCbrt, emitPow, emitRsqrt } from "./math-pow.js";

export type UnaryMathFn =
  | "exp"
  | "exp2"
  | "expm1"
  | "log"
  | "log2"
  | "log1p"
  | "tanh"
  | "logistic"
  | "sin"
  | "cos"
  | "tan"
  | "atan"
  | "asin"
  | "acos"
  | "sinh"
  | "cosh"
  | "asinh"
  | "acosh"
  | "atanh"
  | "erf"
  | "erf_inv"
  | "cbrt"
  | "rsqrt";
export type BinaryMathFn = "atan2" | "pow";
export type MathFn = UnaryMathFn | BinaryMathFn;

export const UNARY_MATH: Readonly<Record<UnaryMathFn, (f: FunctionBuilder) => void>> = {
  exp: emitExp,
  exp2: emitExp2,
  expm1: emitExpm1,
  log: emitLog,
  log2: emitLog2,
  log1p: emitLog1p,
  tanh: emitTanh,
  logistic: emitLogistic,
  sin: emitSin,
  cos: emitCos,
  tan: emitTan,
  atan: emitAtan,
  asin: emitAsin,
  acos: emitAcos,
  sinh: emitSinh,
  cosh: emitCosh,
  asinh: emitAsinh,
  acosh: emitAcosh,
  atanh: emitAtanh,
  erf: emitErf,
  erf_inv: emitErfInv,
  cbrt: emitCbrt,
  rsqrt: emitRsqrt,
};

/** Binary emitters; operands are pushed in argument order (atan2: y then x; pow: x then y). */
export const BINARY_MATH: Readonly<Record<BinaryMathFn, (f: FunctionBuilder) => void>> = {
  atan2: emitAtan2,
  pow: emitPow,
};

/**
 * Functions whose results below the smallest normal float32 (2^-126) are flushed to +0, as
 * XLA:CPU flushes them (it runs with flush-to-zero); the others round subnormals exactly.
 */
export const FLUSHES_SUBNORMAL_RESULTS: ReadonlySet<MathFn> = new Set<MathFn>(["logistic"]);

/**
 * Max error in float32 ulps asserted by the tests (test/backend/wasm/codegen/simd-math.test.ts) over
 * every 997th float32 bit pattern plus ~1e5+ samples of each function's interesting range and
 * the special values. The measured maxima (also over every 101st bit pattern, 4.3e7 samples) are
 * listed in the file header; each bound leaves >= 0.5 ulp of headroom over them.
 */
export const MATH_ULP_BOUNDS: Readonly<Record<MathFn, number>> = {
  exp: 2,
  exp2: 2,
  expm1: 2,
  log: 2,
  log2: 2,
  log1p: 2,
  tanh: 2,
  logistic: 3,
  sin: 2,
  cos: 2,
  tan: 1,
  atan: 2,
  atan2: 3,
  asin: 2,
  acos: 2,
  sinh: 2.5,
  cosh: 2,
  asinh: 2.5,
  acosh: 3,
  atanh: 2.5,
  erf: 2,
  erf_inv: 3,
  pow: 1,
  cbrt: 2,
  rsqrt: 2,
};
