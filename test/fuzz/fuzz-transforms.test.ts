/**
 * The program fuzzer's other tiers (issue 16): forward programs with float64/int64 under
 * enableX64; vmap of forward programs against a loop of per-example calls; grad of float64
 * programs against central finite differences (transforms.ts). Same seed rules as
 * fuzz-forward.test.ts (JAXTS_FUZZ_SEED / JAXTS_FUZZ_COUNT apply to every tier here).
 */
import { describe, expect, it } from "vitest";
import { type Tier, describeSummary, runTier, seedPlan } from "./runner.js";

// [tier, x64, fixed range, programs from this run's rotating seed (runner.ts rotatingSeed)].
const CI: [Tier, boolean, [number, number], number][] = [
  ["forward", true, [200_000, 1700], 300],
  ["vmap", false, [300_000, 1300], 200],
  ["grad", true, [400_000, 400], 100],
];

describe("fuzz: x64 programs, vmap against a loop, grad against finite differences", () => {
  for (const [tier, x64, range, rotating] of CI) {
    for (const { first, count } of seedPlan([range], rotating)) {
      it(
        `${tier}${x64 && tier !== "grad" ? " (x64)" : ""}: seeds ${first}..${first + count - 1}`,
        { timeout: 600_000 },
        () => {
          const s = runTier(tier, first, count, x64);
          console.log(describeSummary(tier, first, s));
          expect(s.reports.map((r) => r.reproducer)).toEqual([]);
        },
      );
    }
  }
});
