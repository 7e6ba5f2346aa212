/**
 * Prints the measured max ulp error of each public float32 math function on the js and wasm
 * devices (jnp level) next to the bound ulp-sweep.test.ts asserts.
 *
 *   npx tsx test/numerics/report.ts [step]
 */
import { PUBLIC_ULP_BOUNDS } from "./bounds.js";
import { PUBLIC, measureOn } from "./sweep.js";
import type { MathFn } from "../../src/backend/wasm/codegen/simd-math.js";

const step = Number(process.argv[2] ?? 997);
console.log("function              js ulp  wasm ulp  bound (js / wasm)");
for (const name of Object.keys(PUBLIC) as MathFn[]) {
  const js = measureOn("js", name, step);
  const wasm = measureOn("wasm", name, step);
  const [bj, bw] = PUBLIC_ULP_BOUNDS[name] ?? ["?", "?"];
  console.log(
    `${PUBLIC[name][0].padEnd(20)} ${js.maxUlp.toFixed(2).padStart(7)} ${wasm.maxUlp.toFixed(2).padStart(9)}  ${bj} / ${bw}` +
      `   worst wasm ${wasm.worst.join(", ")} -> ${wasm.got} / ${wasm.ref}; js ${js.worst.join(", ")} -> ${js.got} / ${js.ref}`,
  );
}
