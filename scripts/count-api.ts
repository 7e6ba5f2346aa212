/**
 * Writes the JAX-name coverage table into FEATURES.md (between the api-count markers, under
 * "## Coverage of JAX's public names"): `npx tsx scripts/count-api.ts`. With `--check` it only
 * reports whether the table is stale (exit 1), as test/api/coverage.test.ts does in CI.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { countAll, currentBlock, renderCoverage, updateFeatures } from "./jax-api/coverage.js";

const path = fileURLToPath(new URL("../FEATURES.md", import.meta.url));
const text = readFileSync(path, "utf8");
const SECTION = "## Coverage of JAX's public names\n\n";

if (process.argv.includes("--check")) {
  const stale = currentBlock(text) !== renderCoverage();
  console.log(
    stale ? "FEATURES.md coverage table is stale" : "FEATURES.md coverage table is current",
  );
  process.exit(stale ? 1 : 0);
}
let next: string;
if (currentBlock(text) !== null) next = updateFeatures(text, "");
else {
  // First run: a section of its own after the status legend, before "## Core".
  const at = text.indexOf("## Core");
  next = text.slice(0, at) + SECTION + renderCoverage() + "\n\n" + text.slice(at);
}
writeFileSync(path, next);
for (const r of countAll()) {
  console.log(`${r.row.padEnd(34)} ${String(r.answered).padStart(4)} / ${r.total}`);
}
