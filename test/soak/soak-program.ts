// Run by test/soak/memory-soak.test.ts in a child process with --expose-gc: many rounds of the
// calls a training loop makes (jit of valueAndGrad, eager ops, random keys, host reads, arrays
// dropped without dispose) on one device; after each block of rounds a full GC, a turn of the
// event loop for finalizers, and a sample of the device's live bytes and the process RSS.
// Prints one JSON line: { samples: [{ round, liveBytes, liveBuffers, rssMB }] }.
import {
  type Array,
  config,
  jit,
  memoryStats,
  nn,
  numpy as jnp,
  random,
  valueAndGrad,
} from "../../src/index.js";

const device = process.argv[2] ?? "wasm";
const rounds = Number(process.argv[3] ?? 1500);
const every = Number(process.argv[4] ?? 250);
config.update("defaultDevice", device);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

type Params = { w1: Array; w2: Array };
const loss = (p: Params, x: Array, y: Array) =>
  nn.relu(jnp.matmul(x, p.w1)).matmul(p.w2).sub(y).pow(2).mean();
const step = jit((p: Params, x: Array, y: Array) => {
  const [l, g] = valueAndGrad(loss)(p, x, y);
  return [{ w1: p.w1.sub(g.w1.mul(0.01)), w2: p.w2.sub(g.w2.mul(0.01)) }, l] as const;
});

let key = random.key(0);
const [k1, k2] = random.split(key);
let params: Params = {
  w1: random.normal(k1!, [32, 64]).mul(0.1),
  w2: random.normal(k2!, [64, 8]).mul(0.1),
};
const samples: { round: number; liveBytes: number; liveBuffers: number; rssMB: number }[] = [];
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
};
for (let round = 1; round <= rounds; round++) {
  const [kx, kn] = random.split(key);
  key = kn!;
  const x = random.normal(kx!, [16, 32]);
  const y = jnp.sin(x.get(":", ":8")).mul(2);
  const [next, l] = step(params, x, y);
  params = next;
  // eager work and host reads whose results are dropped without dispose()
  jnp.cumsum(jnp.sort(x.ravel())).sum().itemNumber();
  String(l);
  if (round % every === 0) {
    await settle();
    const m = memoryStats();
    samples.push({
      round,
      liveBytes: m.liveBytes,
      liveBuffers: m.liveBuffers,
      rssMB: process.memoryUsage().rss / 2 ** 20,
    });
  }
}
console.log(JSON.stringify({ samples }));
