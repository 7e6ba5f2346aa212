/**
 * The float32 accuracy jaxts states for its public math functions, per device, in ulps of the
 * float64 reference: asserted by ulp-sweep.test.ts and listed in FEATURES.md's "Numerics" table
 * (the test checks the two agree). js device: float64 Math then one rounding (≤ 0.5 ulp +
 * Math's own error); jnp.log2 is JAX's composite log(x)/log(2), two roundings. wasm device: the
 * SIMD emitters' bounds (src/backend/wasm/codegen/simd-math.ts MATH_ULP_BOUNDS).
 */
import { MATH_ULP_BOUNDS, type MathFn } from "../../src/backend/wasm/codegen/simd-math.js";

const js = (name: MathFn): number => (name === "log2" ? 2 : 1);

export const PUBLIC_ULP_BOUNDS: Record<MathFn, [js: number, wasm: number]> = Object.fromEntries(
  (Object.keys(MATH_ULP_BOUNDS) as MathFn[]).map((n) => [n, [js(n), MATH_ULP_BOUNDS[n]]]),
) as Record<MathFn, [number, number]>;
