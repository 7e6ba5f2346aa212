/**
 * The program fuzzer's forward tier (issue 16): random jnp programs run eagerly on the js
 * device (the reference) and the wasm device, and under jit on both; every output must agree
 * (check.ts). CI runs a fixed seed list; JAXTS_FUZZ_SEED (a number or "random") and
 * JAXTS_FUZZ_COUNT run other or more programs locally, e.g.
 *   JAXTS_FUZZ_SEED=random JAXTS_FUZZ_COUNT=20000 npx vitest run test/fuzz/fuzz-forward.test.ts
 * A failure prints its seed and the shrunk program as TypeScript.
 */
import { describe, expect, it } from "vitest";
import { describeSummary, runTier, seedPlan } from "./runner.js";

// Fixed CI seeds: [first seed, programs], default float32/int32/uint8/bool/float16 dtypes,
// plus ROTATING programs from a seed new each run (runner.ts rotatingSeed; printed).
// With fuzz-transforms.test.ts: 10,000 programs per run, about 15 ms of CPU each (measured
// Dec 2026; ~100 s on 2 idle cores, several minutes when the machine is shared).
const CI: [number, number][] = [
  [1, 2500],
  [100_000, 2500],
];
const ROTATING = 1000;

describe("fuzz: forward programs agree eagerly and under jit on js and wasm", () => {
  for (const { first, count } of seedPlan(CI, ROTATING)) {
    it(`seeds ${first}..${first + count - 1}`, { timeout: 600_000 }, () => {
      const s = runTier("forward", first, count, false);
      console.log(describeSummary("forward", first, s));
      expect(s.reports.map((r) => r.reproducer)).toEqual([]);
    });
  }
});
