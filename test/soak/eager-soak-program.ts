// Run by test/soak/memory-soak.test.ts in a child process with --expose-gc: 100,000 eager ops
// (elementwise math, reductions, reshapes, slices, scalar reads) on 100-element arrays, results
// dropped without dispose, as a user's eager loop does. After every 20,000 ops: a full GC, a
// turn of the event loop for finalizers, and a sample of the device's live buffers and bytes
// and the process RSS. Prints one JSON line: { samples: [{ ops, liveBytes, liveBuffers, rssMB }] }.
import { config, memoryStats, numpy as jnp } from "../../src/index.js";

const device = process.argv[2] ?? "wasm";
const total = Number(process.argv[3] ?? 100_000);
const every = Number(process.argv[4] ?? 20_000);
config.update("defaultDevice", device);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
};
let x = jnp.linspace(-1, 1, 100);
const w = jnp.cos(x);
const samples: { ops: number; liveBytes: number; liveBuffers: number; rssMB: number }[] = [];
let ops = 0;
while (ops < total) {
  // 10 ops per round; x is carried so the work depends on the previous round.
  const a = jnp.add(x, w);
  const b = jnp.multiply(a, 0.5);
  const c = jnp.tanh(b);
  const d = c.reshape([10, 10]).sum(0);
  const e = jnp.subtract(d, d.mean());
  const f = c.get("::2");
  const g = jnp.where(jnp.greater(f, 0), f, 0);
  x = jnp.concatenate([g, g]).mul(0.9);
  if (ops % 1000 === 0) e.max().itemNumber();
  ops += 10;
  if (ops % every === 0) {
    await settle();
    const m = memoryStats();
    samples.push({
      ops,
      liveBytes: m.liveBytes,
      liveBuffers: m.liveBuffers,
      rssMB: process.memoryUsage().rss / 2 ** 20,
    });
  }
}
console.log(JSON.stringify({ samples }));
