/**
 * The `fft` custom kernel (src/backend/js/codegen/kernels/fft*.ts) against numpy.fft
 * (test/fixtures/make_fft.py → fft.json): FFT, IFFT, RFFT and IRFFT at lengths 1 … 2^16 and
 * the prime 65521, and FFT at 2^22 and the prime 1048573 (Stockham radix 8/4/2/3/5/7 and
 * Bluestein), in float64 (relative L2 error
 * ≤ 1e-13·log2 n) and float32 storage (≤ 1e-6·log2 n, the target). Then the strided
 * batched layout against line-by-line transforms, and a kernel program on the js and wasm
 * devices.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { float32, float64 } from "../../src/core/dtype.js";
import {
  fftKernel,
  type FftKernelParams,
  type FftKind,
} from "../../src/backend/js/codegen/kernels/fft.js";
import type { Program } from "../../src/kernel/kernel.js";
import { getDevice } from "../../src/runtime/devices.js";
import "../../src/index.js";
import { parkMiller } from "./park-miller.js";

interface Case {
  kind: FftKind;
  n: number;
  inLength: number;
  seed: number;
  outLength: number;
  norm: number;
  expected: number[];
  indices?: number[];
}

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/fft.json", import.meta.url), "utf8"),
) as { largePrime: number; cases: Case[] };

/** Run the kernel on one line (outer = inner = 1). */
function runLine(c: Case, Arr: Float32ArrayConstructor | Float64ArrayConstructor): Float64Array {
  const inWidth = c.kind === "RFFT" ? 1 : 2;
  const outWidth = c.kind === "IRFFT" ? 1 : 2;
  const x = Arr.from(parkMiller(c.seed, inWidth * c.inLength));
  const y = new Arr(outWidth * c.outLength);
  const params: FftKernelParams = {
    fftType: c.kind,
    outer: 1,
    inner: 1,
    n: c.n,
    inLength: c.inLength,
    outLength: c.outLength,
  };
  fftKernel([x], [y], params);
  return Float64Array.from(y);
}

/** Relative L2 error of `got` against the case's expected values (sampled when long). */
function relativeError(c: Case, got: Float64Array): number {
  const width = c.kind === "IRFFT" ? 1 : 2;
  const picks = c.indices ?? [...globalThis.Array(c.outLength).keys()];
  let err = 0;
  let ref = 0;
  picks.forEach((idx, p) => {
    for (let w = 0; w < width; w++) {
      const e = c.expected[p * width + w]!;
      const d = got[idx * width + w]! - e;
      err += d * d;
      ref += e * e;
    }
  });
  return Math.sqrt(err) / Math.max(Math.sqrt(ref), 1e-300);
}

describe("fft kernel vs numpy.fft", () => {
  for (const c of fixture.cases) {
    const log2n = Math.max(1, Math.log2(c.n));
    // The two cases above 2^20 (the accuracy range) run in float32 only: seconds each.
    it.skipIf(c.n > 1 << 16)(`${c.kind} n=${c.n} (input length ${c.inLength}) float64`, () => {
      const got = runLine(c, Float64Array);
      expect(relativeError(c, got)).toBeLessThanOrEqual(1e-13 * log2n);
    });
    it(`${c.kind} n=${c.n} (input length ${c.inLength}) float32`, () => {
      const got = runLine(c, Float32Array);
      expect(relativeError(c, got)).toBeLessThanOrEqual(1e-6 * log2n);
    });
  }

  it("covers the sizes the issue names", () => {
    const ns = new Set(fixture.cases.filter((c) => c.kind === "FFT").map((c) => c.n));
    for (const n of [1, 2, 3, 5, 7, 8, 12, 17, 64, 97, 1000, 1024, 4096, 65536, fixture.largePrime])
      expect(ns.has(n), `n=${n}`).toBe(true);
  });
});

/** Transform [outer, len, inner] line by line through the single-line path. */
function lineByLine(
  kind: FftKind,
  x: Float64Array,
  outer: number,
  inner: number,
  n: number,
  inLength: number,
  outLength: number,
): Float64Array {
  const iw = kind === "RFFT" ? 1 : 2;
  const ow = kind === "IRFFT" ? 1 : 2;
  const y = new Float64Array(outer * outLength * inner * ow);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const line = new Float64Array(inLength * iw);
      for (let j = 0; j < inLength; j++)
        for (let w = 0; w < iw; w++)
          line[j * iw + w] = x[((o * inLength + j) * inner + i) * iw + w]!;
      const out = new Float64Array(outLength * ow);
      const p = { fftType: kind, outer: 1, inner: 1, n, inLength, outLength };
      fftKernel([line], [out], p);
      for (let j = 0; j < outLength; j++)
        for (let w = 0; w < ow; w++)
          y[((o * outLength + j) * inner + i) * ow + w] = out[j * ow + w]!;
    }
  }
  return y;
}

const layouts: { kind: FftKind; n: number; inLength: number; outLength: number }[] = [
  { kind: "FFT", n: 12, inLength: 12, outLength: 12 },
  { kind: "IFFT", n: 11, inLength: 11, outLength: 11 },
  { kind: "RFFT", n: 10, inLength: 10, outLength: 6 },
  { kind: "RFFT", n: 9, inLength: 9, outLength: 5 },
  { kind: "IRFFT", n: 10, inLength: 6, outLength: 10 },
  { kind: "IRFFT", n: 7, inLength: 4, outLength: 7 },
];

describe("fft kernel: batched lines along a strided axis", () => {
  for (const l of layouts) {
    it(`${l.kind} n=${l.n}, outer 3, inner 5`, () => {
      const iw = l.kind === "RFFT" ? 1 : 2;
      const ow = l.kind === "IRFFT" ? 1 : 2;
      const x = parkMiller(7, 3 * l.inLength * 5 * iw);
      const y = new Float64Array(3 * l.outLength * 5 * ow);
      fftKernel([x], [y], { fftType: l.kind, outer: 3, inner: 5, ...l });
      const want = lineByLine(l.kind, x, 3, 5, l.n, l.inLength, l.outLength);
      expect(Array.from(y)).toEqual(Array.from(want));
    });
  }

  it("inverse after forward is the identity (n = 360, both directions)", () => {
    const n = 360;
    const x = parkMiller(3, 2 * n);
    const fx = new Float64Array(2 * n);
    const back = new Float64Array(2 * n);
    fftKernel([x], [fx], { fftType: "FFT", outer: 1, inner: 1, n, inLength: n, outLength: n });
    fftKernel([fx], [back], { fftType: "IFFT", outer: 1, inner: 1, n, inLength: n, outLength: n });
    for (let i = 0; i < 2 * n; i++) expect(back[i]).toBeCloseTo(x[i]!, 12);
  });
});

describe("fft kernel program on both devices", () => {
  for (const device of ["js", "wasm"]) {
    for (const dtype of [float32, float64]) {
      it(`${device} ${dtype.name}: RFFT then FFT along strided axes of a [2, 6, 3] array`, () => {
        // RFFT along the middle axis (n = 6 → 4 coefficients), then FFT of those along axis 0.
        const program: Program = {
          buffers: [
            { id: 0, dtype, size: 36, kind: "input" },
            { id: 1, dtype, size: 2 * 2 * 4 * 3, kind: "temp" },
            { id: 2, dtype, size: 2 * 2 * 4 * 3, kind: "output" },
          ],
          kernels: [
            {
              kind: "custom",
              op: "fft",
              inputs: [0],
              outputs: [1],
              params: { fftType: "RFFT", outer: 2, inner: 3, n: 6, inLength: 6, outLength: 4 },
            },
            {
              kind: "custom",
              op: "fft",
              inputs: [1],
              outputs: [2],
              params: { fftType: "FFT", outer: 1, inner: 12, n: 2, inLength: 2, outLength: 2 },
            },
          ],
          inputs: [0],
          outputs: [{ kind: "buffer", buffer: 2 }],
        };
        const x = parkMiller(11, 36);
        const dev = getDevice(device);
        const exe = dev.compile(program);
        const input = dtype === float32 ? Float32Array.from(x) : x;
        const [out] = exe.run([dev.fromHost(input, dtype)]);
        const got = Float64Array.from(dev.toHost(out!) as Float64Array);
        const mid = lineByLine("RFFT", x, 2, 3, 6, 6, 4);
        const want = lineByLine("FFT", mid, 1, 12, 2, 2, 2);
        const tol = dtype === float32 ? 1e-5 : 1e-13;
        for (let i = 0; i < want.length; i++)
          expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(tol);
      });
    }
  }
});
