/**
 * The public float32 math functions, measured through jnp on each device against float64
 * references (the SIMD-math harness's references and input sets: a bit-pattern sweep of the
 * whole float32 range plus each function's interesting range). Used by ulp-sweep.test.ts and
 * the report script (npx tsx test/numerics/report.ts [step]).
 */
import { type Array, lax, numpy as jnp, scipy } from "../../src/index.js";
import type { MathFn } from "../../src/backend/wasm/codegen/simd-math.js";
import {
  type Measurement,
  bitPatternPairs,
  bitPatternSweep,
  interestingBinary,
  interestingUnary,
  measure,
} from "../backend/wasm/codegen/math-harness.js";
import { on } from "../fuzz/program.js";

type Unary = (x: Array) => Array;
type Binary = (x: Array, y: Array) => Array;

/** The public function (its JAX name) computing each math function. */
export const PUBLIC: Record<MathFn, [string, Unary | Binary]> = {
  exp: ["jnp.exp", jnp.exp],
  exp2: ["jnp.exp2", jnp.exp2],
  expm1: ["jnp.expm1", jnp.expm1],
  log: ["jnp.log", jnp.log],
  log2: ["jnp.log2", jnp.log2],
  log1p: ["jnp.log1p", jnp.log1p],
  tanh: ["jnp.tanh", jnp.tanh],
  logistic: ["lax.logistic", lax.logistic],
  sin: ["jnp.sin", jnp.sin],
  cos: ["jnp.cos", jnp.cos],
  tan: ["jnp.tan", jnp.tan],
  atan: ["jnp.arctan", jnp.arctan],
  asin: ["jnp.arcsin", jnp.arcsin],
  acos: ["jnp.arccos", jnp.arccos],
  sinh: ["jnp.sinh", jnp.sinh],
  cosh: ["jnp.cosh", jnp.cosh],
  asinh: ["jnp.arcsinh", jnp.arcsinh],
  acosh: ["jnp.arccosh", jnp.arccosh],
  atanh: ["jnp.arctanh", jnp.arctanh],
  erf: ["scipy.special.erf", scipy.special.erf],
  erf_inv: ["lax.erfInv", lax.erfInv],
  cbrt: ["jnp.cbrt", jnp.cbrt],
  rsqrt: ["lax.rsqrt", lax.rsqrt],
  atan2: ["jnp.arctan2", jnp.arctan2],
  pow: ["jnp.power", jnp.power],
};

/** The inputs a measurement uses: every `step`-th float32 bit pattern plus the interesting set. */
export function sweepInputs(name: MathFn, step: number): Float32Array[] {
  const cat = (a: Float32Array, b: Float32Array) => {
    const out = new Float32Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  if (name === "atan2" || name === "pow") {
    const [x1, y1] = bitPatternPairs(step);
    const [x2, y2] = interestingBinary(name);
    return [cat(x1, x2), cat(y1, y2)];
  }
  return [cat(bitPatternSweep(step), interestingUnary(name))];
}

/** Max ulp error of the public function on `device` (eager: jit of one primitive). */
export function measureOn(device: string, name: MathFn, step: number): Measurement {
  const f = PUBLIC[name][1] as (...xs: Array[]) => Array;
  const run = (inputs: Float32Array[]) =>
    on(device, () => {
      const xs = inputs.map((v) => jnp.array(v, { dtype: "float32" }));
      const y = f(...xs);
      const out = y.toTypedArray() as Float32Array;
      return out;
    });
  return measure(name, run, sweepInputs(name, step));
}
