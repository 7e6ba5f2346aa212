/**
 * The program fuzzer's fast tier in a page (bundled by fuzz-page.ts with esbuild; jaxts itself
 * is imported from the built /dist/index.js): forward programs run eagerly and under jit on the
 * js and wasm devices, in the browser's engine and its Web Workers. Results go to
 * `window.__fuzz` ({ done, programs, failures: [reproducer], ms, threads }).
 */
import { runTier } from "../fuzz/runner.js";

interface FuzzResult {
  done: boolean;
  programs: number;
  failures: string[];
  ms: number;
  fatal?: string;
}
const w = window as unknown as { __fuzz?: FuzzResult };
const params = new URL(location.href).searchParams;
const first = Number(params.get("first") ?? 1);
const count = Number(params.get("count") ?? 300);
try {
  const s = runTier("forward", first, count, false);
  w.__fuzz = {
    done: true,
    programs: s.programs,
    failures: s.reports.map((r) => r.reproducer),
    ms: s.ms,
  };
} catch (e) {
  w.__fuzz = {
    done: true,
    programs: 0,
    failures: [],
    ms: 0,
    fatal: String((e as Error).stack ?? e),
  };
}
