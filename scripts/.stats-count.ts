import { countAll } from "/work/wt-stats/scripts/jax-api/coverage.js";
for (const r of countAll()) if (/scipy|lax/.test(r.row)) console.log(r.row, r.answered, "/", r.total, "missing:", r.missing.join(" "));
