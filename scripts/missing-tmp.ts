import { countAll } from "/work/wt-api/scripts/jax-api/coverage.js";
const want = new Set(process.argv.slice(2));
for (const r of countAll()) {
  if (want.size && !want.has(r.row)) continue;
  console.log(`${r.row} ${r.answered}/${r.total} (impossible ${r.impossible})\n  ${r.missing.join(" ")}`);
}
