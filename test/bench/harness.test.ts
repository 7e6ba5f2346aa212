/**
 * The bench's measuring loop (bench/harness.ts): rows measured together alternate in time
 * slices, each reaches its own minimum of samples, and a row that throws drops out alone.
 */
import { describe, expect, it } from "vitest";
import { type Budget, measureInterleaved } from "../../bench/harness.js";

const budget: Budget = {
  minReps: 5,
  minTime: 0.01,
  maxTime: 1,
  floorReps: 3,
  maxReps: 50,
  minSample: 0,
  warmupTime: 0,
};

/** A call that busy-waits `ms` and logs its row. */
const busy = (log: string[], name: string, ms: number) => () => {
  log.push(name);
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe("bench harness", () => {
  it("one row: warmup calls, then at least minReps samples, no untimed calls between", async () => {
    const log: string[] = [];
    const [m] = await measureInterleaved([{ fn: busy(log, "a", 1), warmup: 2 }], budget);
    const s = (m as { stats: { samples: number[]; median: number } }).stats;
    expect(s.samples.length).toBeGreaterThanOrEqual(5);
    expect(log.length).toBe(2 + s.samples.length);
    expect(s.median).toBeGreaterThan(0);
  });

  it("measureInterleaved alternates the rows, in 20 ms slices, until every one has its samples", async () => {
    const log: string[] = [];
    // 0.1 s of samples each: five 20 ms slices per row at least.
    const long = { ...budget, minTime: 0.1, maxReps: 1000 };
    const [a, b] = await measureInterleaved(
      [
        { fn: busy(log, "a", 0.5), warmup: 1 },
        { fn: busy(log, "b", 4), warmup: 1 },
      ],
      long,
    );
    expect("stats" in a! && "stats" in b!).toBe(true);
    const sa = (a as { stats: { samples: number[] } }).stats.samples;
    const sb = (b as { stats: { samples: number[] } }).stats.samples;
    expect(sb.length).toBeGreaterThanOrEqual(5);
    expect(sa.length).toBeGreaterThanOrEqual(5);
    // After the two warmup calls, the log switches rows several times (not a then b).
    const timed = log.slice(2);
    const switches = timed.filter((r, i) => i > 0 && r !== timed[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(3); // a b a b at least (5 rounds unloaded)
    // The fast row kept sampling while the slow one needed samples: several per slice.
    expect(sa.length).toBeGreaterThan(sb.length);
  });

  it("a row that throws drops out with its error; the others are measured", async () => {
    let calls = 0;
    const [bad, good] = await measureInterleaved(
      [
        {
          fn: () => {
            if (++calls > 3) throw new Error("boom");
          },
          warmup: 1,
        },
        { fn: busy([], "g", 0.2), warmup: 1 },
      ],
      budget,
    );
    expect("error" in bad! && (bad.error as Error).message).toBe("boom");
    expect("stats" in good! && good.stats.samples.length).toBeGreaterThanOrEqual(5);
  });
});
