import { generate } from "./fuzz/generate.js";
import { runMode, MODES } from "./fuzz/check.js";
import { config } from "../src/index.js";
if (process.argv[2] === "1") config.update("threads", 1);
const t: Record<string, number> = { gen: 0 };
for (const m of MODES) t[m] = 0;
for (let s = 1; s <= 200; s++) {
  let t0 = performance.now();
  const g = generate(s, { x64: false, smooth: false });
  t.gen! += performance.now() - t0;
  for (const m of MODES) { t0 = performance.now(); const r = runMode(g.program, m); if (Array.isArray(r)) r.forEach(a => a.toTypedArray()); t[m]! += performance.now() - t0; }
}
for (const k in t) console.log(k, (t[k]! / 200).toFixed(2), "ms");
process.exit(0);
