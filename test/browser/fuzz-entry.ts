/**
 * The program fuzzer's fast tier in a page (bundled by bundled-pages.ts; jaxts itself is the
 * built /dist/): forward programs run eagerly and under jit on the js and wasm devices, in the
 * browser's engine and its Web Workers; every disagreement is a failed check carrying the
 * shrunk reproducer. Query: ?first=<seed>&count=<programs>.
 */
import { runTier } from "../fuzz/runner.js";
import { report } from "./page-result.js";

const params = new URL(location.href).searchParams;
const first = Number(params.get("first") ?? 1);
const count = Number(params.get("count") ?? 300);
void report(async (check) => {
  const s = runTier("forward", first, count, false);
  check(`ran ${count} programs`, s.programs === count, String(s.programs));
  for (const r of s.reports) check(`fuzz seed ${r.seed}`, false, r.reproducer);
  return `seeds ${first}..${first + count - 1}: ${s.programs} programs in ${(s.ms / 1000).toFixed(1)} s, ${s.reports.length} failing`;
});
