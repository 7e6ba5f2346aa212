/**
 * Throughput of the wasm kernel codegen (single thread): elementwise, reductions, matmul.
 * Run: npx tsx bench/wasm-codegen.ts [filter]
 * Each kernel is called over its whole range; the first call runs Liftoff code (V8's baseline
 * tier), later calls the optimized tier: both are reported.
 */
import { ModuleBuilder } from "../src/backend/wasm/codegen/encoder.js";
import { compileWasmProgram } from "../src/backend/wasm/codegen/codegen.js";
import { lowerJaxpr } from "../src/lower/lower.js";
import { optimize } from "../src/runtime/optimize.js";
import { type Array, makeJaxpr, numpy as jnp } from "../src/index.js";

const filter = process.argv[2] ?? "";
const memory = new WebAssembly.Memory({ initial: 16384, maximum: 65536 });

function time(fn: () => void, reps: number): { first: number; best: number } {
  let t = performance.now();
  fn();
  const first = performance.now() - t;
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return { first, best };
}

function bandwidth(bytes: number): number {
  const mb = new ModuleBuilder();
  mb.importMemory({ initial: 16384, maximum: 65536 });
  const f = mb.addFunction(["i32", "i32", "i32"], []);
  f.localGet(0).localGet(1).localGet(2).op("memory.copy");
  mb.exportFunction("copy", f);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(mb.toBytes()), { env: { memory } });
  const copy = inst.exports.copy as (d: number, s: number, n: number) => void;
  const { best } = time(() => copy(1 << 28, 1 << 20, bytes), 10);
  return best;
}

/** Compiles f's program, places buffers, runs each compiled kernel over its whole range. */
function bench(
  name: string,
  f: (...a: Array[]) => Array,
  args: Array[],
  flops: number,
  reps = 10,
): void {
  if (!name.includes(filter) && !(filter === "parts" && name.startsWith("parts"))) return;
  const closed = makeJaxpr(f)(...args);
  const p = lowerJaxpr(optimize(closed.jaxpr));
  const prog = compileWasmProgram(p, { shared: false, initialPages: 16384, maximumPages: 65536 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(prog.bytes), { env: { memory } });
  let top = 1 << 16;
  const table = new Int32Array(memory.buffer, 0, p.buffers.length + 1);
  p.buffers.forEach((b, i) => {
    table[i] = top;
    top += Math.ceil((b.size * b.dtype.itemsize) / 64) * 64;
  });
  table[p.buffers.length] = top;
  p.inputs.forEach((id, i) => {
    const src = args[i - (p.inputs.length - args.length)]?.toTypedArray();
    if (src)
      new Uint8Array(memory.buffer, table[id]!, src.byteLength).set(
        new Uint8Array(src.buffer, src.byteOffset, src.byteLength),
      );
  });
  const fns = prog.kernels.map((k) => ({
    k,
    fn: inst.exports[k.exportName] as (t: number, b: number, e: number) => void,
  }));
  const run = () => fns.forEach(({ k, fn }) => fn(0, 0, k.trip));
  const { first, best } = time(run, reps);
  const rate = flops > 0 ? `${(flops / best / 1e6).toFixed(2)} GFLOP/s` : "";
  console.log(
    `${name.padEnd(34)} first ${first.toFixed(2).padStart(8)} ms  best ${best.toFixed(3).padStart(8)} ms  ${rate}`,
  );
  if (prog.fallback.length) console.log(`  fallback: ${prog.fallback.join(", ")}`);
  if (process.env["TEXT"]) console.log(prog.text);
}

const N = 10_000_000;
const x = jnp.linspace(-4, 4, N).astype("float32");
const copyMs = bandwidth(N * 4);
console.log(
  `memory.copy 4e7 bytes: ${copyMs.toFixed(2)} ms (${((2 * N * 4) / copyMs / 1e6).toFixed(1)} GB/s r+w)`,
);
bench("elementwise x*2", (a) => a.mul(2), [x], 0);
bench("sigmoid 1/(1+exp(-x))", (a) => jnp.divide(1, jnp.exp(a.neg()).add(1)), [x], 0);
const big = jnp.arange(N).astype("float32");
bench("sigmoid on arange(1e7)", (a) => jnp.divide(1, jnp.exp(a.neg()).add(1)), [big], 0);
bench("sigmoid on -arange(1e7)", (a) => jnp.divide(1, jnp.exp(a.neg()).add(1)), [big.neg()], 0);
bench("tanh", (a) => jnp.tanh(a), [x], 0);
bench("full sum 1e7", (a) => a.sum(), [x], 0);
const m = x.reshape(1000, 10000);
bench("transpose copy 1000x10000 (scalar)", (a) => a.transpose().add(1), [m], 0);
bench("int32 (x*3+7)>>1", (a) => a.mul(3).add(7).astype("int32"), [x], 0);
bench("row sums 1000x10000", (a) => a.sum({ axis: 1 }), [m], 0);
bench("col sums 1000x10000", (a) => a.sum({ axis: 0 }), [m], 0);
bench("row max 1000x10000", (a) => a.max({ axis: 1 }), [m], 0);
bench("argmax rows 1000x10000", (a) => jnp.argmax(a, { axis: 1 }), [m], 0);
for (const n of [256, 512, 1024]) {
  const a = jnp
    .linspace(-1, 1, n * n)
    .astype("float32")
    .reshape(n, n);
  const b = jnp
    .linspace(1, -1, n * n)
    .astype("float32")
    .reshape(n, n);
  bench(`matmul ${n}`, (u, v) => jnp.matmul(u, v), [a, b], 2 * n * n * n, n >= 1024 ? 3 : 10);
  bench(
    `matmul ${n} A^T B`,
    (u, v) => jnp.matmul(u.transpose(), v),
    [a, b],
    2 * n * n * n,
    n >= 1024 ? 3 : 10,
  );
}
if (filter === "parts") {
  bench("parts: exp", (a) => jnp.exp(a), [x], 0);
  bench("parts: 1/(1+x)", (a) => jnp.divide(1, a.add(1)), [x], 0);
  bench("parts: x+1", (a) => a.add(1), [x], 0);
  bench("parts: logistic prim", (a) => jnp.divide(1, jnp.exp(a.neg()).add(1)), [x], 0);
}
