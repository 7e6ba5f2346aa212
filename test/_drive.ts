import { generate } from "./fuzz/generate.js";
import { check, describeError } from "./fuzz/check.js";
import { bodyText } from "./fuzz/program.js";
const start = Number(process.argv[2] ?? 1), count = Number(process.argv[3] ?? 200);
const x64 = process.argv[4] === "x64";
import { config } from "../src/index.js";
if (x64) config.update("enableX64", true);
const t0 = performance.now();
let bad = 0;
for (let s = start; s < start + count; s++) {
  const g = generate(s, { x64, smooth: false });
  if (g.referenceError) { bad++; console.log(`#${s} REF`, describeError(g.referenceError), "\n", g.program.inputs.map(i=>i.name+":"+JSON.stringify(i.aval)).join(" "), "\n", bodyText(g.program)); continue; }
  const f = check(g.program, g.reference);
  if (f) { bad++; console.log(`#${s} ${f.mode}: ${f.message}\n`, g.program.inputs.map(i=>i.name+"="+i.expr).join("\n "), "\n", bodyText(g.program)); }
}
console.log("programs", count, "bad", bad, "ms/program", (performance.now() - t0) / count);
process.exit(0);
