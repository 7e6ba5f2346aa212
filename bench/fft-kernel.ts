/**
 * `npx tsx bench/fft-kernel.ts [log2n]`: the `fft` custom kernel (the JS code both devices run)
 * on one line of 2^log2n (default 20) complex64 (FFT) and float32 (RFFT) values, beside
 * numpy.fft and scipy.fft timed by python3 in alternation with it (rounds of: jaxts, numpy,
 * scipy), so a busy machine slows all three alike. Prints the minimum and median of each in
 * milliseconds. Single-threaded; the target compares against numpy with 2 threads.
 */
import { execFileSync } from "node:child_process";
import { fftKernel } from "../src/backend/js/codegen/kernels/fft.js";

const log2n = Number(process.argv[2] ?? 20);
const n = 2 ** log2n;
const ROUNDS = 5;
const REPS = 3;

const complexIn = new Float32Array(2 * n).map((_, i) => Math.sin(i * 0.37));
const realIn = new Float32Array(n).map((_, i) => Math.sin(i * 0.37));
const out = new Float32Array(2 * n);

function timeKernel(kind: "FFT" | "RFFT"): number[] {
  const ts: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    if (kind === "FFT")
      fftKernel([complexIn], [out], {
        fftType: "FFT",
        outer: 1,
        inner: 1,
        n,
        inLength: n,
        outLength: n,
      });
    else
      fftKernel([realIn], [out], {
        fftType: "RFFT",
        outer: 1,
        inner: 1,
        n,
        inLength: n,
        outLength: n / 2 + 1,
      });
    ts.push(performance.now() - t0);
  }
  return ts;
}

const PY = `
import sys, time, json, numpy as np, scipy.fft as sf
n = 2 ** int(sys.argv[1]); reps = int(sys.argv[2])
x = np.sin(np.arange(2 * n) * 0.37).astype(np.float32).view(np.complex64)
xr = np.sin(np.arange(n) * 0.37).astype(np.float32)
res = {}
for lib, mod in (("numpy", np.fft), ("scipy", sf)):
    for kind, f, a in (("FFT", mod.fft, x), ("RFFT", mod.rfft, xr)):
        f(a); ts = []
        for _ in range(reps):
            t = time.perf_counter(); f(a); ts.append((time.perf_counter() - t) * 1e3)
        res[lib + " " + kind] = ts
print(json.dumps(res))
`;

const samples: Record<string, number[]> = {};
const add = (k: string, ts: number[]) => (samples[k] ??= []).push(...ts);
timeKernel("FFT"); // warm-up: plans and JIT
timeKernel("RFFT");
for (let round = 0; round < ROUNDS; round++) {
  add("jaxts kernel FFT", timeKernel("FFT"));
  add("jaxts kernel RFFT", timeKernel("RFFT"));
  try {
    const py = JSON.parse(
      execFileSync("python3", ["-c", PY, String(log2n), String(REPS)], { encoding: "utf8" }),
    ) as Record<string, number[]>;
    for (const [k, ts] of Object.entries(py)) add(k, ts);
  } catch {
    if (round === 0) console.error("python3 with numpy and scipy not available: jaxts only");
  }
}
console.log(`n = 2^${log2n}, ${new Date().toISOString()}, ${ROUNDS}×${REPS} samples each`);
for (const [k, ts] of Object.entries(samples).sort()) {
  const s = [...ts].sort((a, b) => a - b);
  console.log(
    `${k.padEnd(20)} min ${s[0]!.toFixed(1).padStart(7)} ms   median ${s[s.length >> 1]!.toFixed(1).padStart(7)} ms`,
  );
}
