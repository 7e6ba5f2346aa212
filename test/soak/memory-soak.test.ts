// Soak: a thousand rounds of a training loop's calls (jit of valueAndGrad, eager sort/cumsum,
// random keys, host reads; results dropped without dispose) in a child process with
// --expose-gc. Neither the device's live buffers (wasm: counted always) nor the process RSS may
// grow once warm: GC-driven release keeps up, caches stay bounded. And 100,000 eager ops
// (eager-soak-program.ts) with the same bounds.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runNode } from "../support/run-node.js";

const program = fileURLToPath(new URL("./soak-program.ts", import.meta.url));
const eagerProgram = fileURLToPath(new URL("./eager-soak-program.ts", import.meta.url));
type Sample = { round: number; liveBytes: number; liveBuffers: number; rssMB: number };

async function soak(device: string): Promise<Sample[]> {
  const run = await runNode(
    ["--expose-gc", "--import", "tsx", program, device, "1000", "200"],
    170_000,
  );
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { samples: Sample[] }).samples;
}

describe("memory soak", () => {
  it("wasm: live device buffers do not grow; RSS stays within 40 MB of the warm level", async () => {
    const s = await soak("wasm");
    expect(s).toHaveLength(5);
    for (const later of s.slice(1)) {
      expect(later.liveBuffers).toBeLessThanOrEqual(s[0]!.liveBuffers);
      expect(later.liveBytes).toBeLessThanOrEqual(s[0]!.liveBytes);
    }
    expect(Math.max(...s.slice(2).map((x) => x.rssMB)) - s[1]!.rssMB).toBeLessThan(40);
  }, 180_000);

  it("js: RSS stays within 40 MB of the warm level", async () => {
    const s = await soak("js");
    expect(Math.max(...s.slice(2).map((x) => x.rssMB)) - s[1]!.rssMB).toBeLessThan(40);
  }, 180_000);
  it("wasm: 100,000 eager ops keep live buffers bounded (≤ 16, ≤ 16 KB) and RSS flat", async () => {
    // The loop holds two 100-element arrays; every other result is dropped without dispose.
    const run = await runNode(
      ["--expose-gc", "--import", "tsx", eagerProgram, "wasm", "100000", "20000"],
      170_000,
    );
    expect(run.status, run.stderr).toBe(0);
    const s = (JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { samples: Sample[] }).samples;
    expect(s).toHaveLength(5);
    for (const x of s) {
      expect(x.liveBuffers).toBeLessThanOrEqual(16);
      expect(x.liveBytes).toBeLessThanOrEqual(16_384);
    }
    expect(Math.max(...s.slice(1).map((x) => x.rssMB)) - s[0]!.rssMB).toBeLessThan(40);
  }, 180_000);
});
