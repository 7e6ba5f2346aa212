/**
 * Prints the measured max ulp error of every SIMD math emitter (dense float32 bit-pattern sweep
 * plus each function's interesting range) next to its asserted bound.
 *
 *   npx tsx test/backend/wasm/codegen/accuracy-report.ts [step] [fn ...]
 */
import { MATH_ULP_BOUNDS, type MathFn } from "../../../../src/backend/wasm/codegen/simd-math.js";
import { ALL_FUNCTIONS, measureAll } from "./math-harness.js";

const args = process.argv.slice(2);
const step = args[0] && /^\d+$/.test(args[0]) ? Number(args.shift()) : 997;
const names = (args.length ? args : ALL_FUNCTIONS) as MathFn[];
console.log(`function   samples    max ulp   bound  worst input -> got / reference`);
for (const name of names) {
  const t0 = performance.now();
  const m = measureAll(name, step);
  const ms = (performance.now() - t0).toFixed(0);
  console.log(
    `${name.padEnd(9)} ${String(m.count).padStart(9)} ${m.maxUlp.toFixed(3).padStart(10)} ${String(
      MATH_ULP_BOUNDS[name],
    ).padStart(
      7,
    )}  ${m.worst.map((v) => v.toPrecision(9)).join(", ")} -> ${m.got} / ${m.ref}  (${ms} ms)`,
  );
}
