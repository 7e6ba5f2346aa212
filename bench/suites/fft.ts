/**
 * FFT rows: jit(jnp.fft.fft) of 2^20 complex64 and jit(jnp.fft.rfft) of 2^20 float32, against
 * numpy.fft's times measured on the machine (2026-12-07; pocketfft, one thread). The
 * fft runs in the js `fft` kernel on either device (single-threaded; no wasm SIMD kernel yet).
 */
import { type Array as JArray, jit, lax, numpy as jnp } from "../../src/index.js";
import type { Prepared } from "../harness.js";
import { type Context, type Row, uniform } from "../rows.js";

const N = 2 ** 20;
const GROUP = "fft of 2^20 points";
/** numpy.fft on the machine, 2026-12-07 (issue 13). */
const NUMPY_FFT = { seconds: 37.8e-3, label: "numpy.fft.fft 37.8 ms (issue 13, 2026-12-07)" };
const NUMPY_RFFT = { seconds: 21.4e-3, label: "numpy.fft.rfft 21.4 ms (issue 13, 2026-12-07)" };
/** 5 n log2 n flops for a complex FFT, half that for a real one (the usual convention). */
const FLOPS = 5 * N * 20;

const disposeJ = (r: unknown) => (r as JArray).dispose();

export function fftRows(_ctx: Context): Row[] {
  return [
    {
      id: "fft/jaxts-fft",
      group: GROUP,
      name: "jaxts jit(jnp.fft.fft) c64",
      lib: "jaxts",
      what: "jaxts: jit(jnp.fft.fft)(x), x complex64 [2^20] from uniform re/im parts; blockUntilReady()",
      vs: { ref: NUMPY_FFT, formula: "this/ref" },
      target: { on: "ratio", op: "<=", value: 1 },
      work: { flops: FLOPS },
      async prepare(): Promise<Prepared> {
        const x = lax
          .complex(jnp.asarray(uniform(N, 1)), jnp.asarray(uniform(N, 2)))
          .blockUntilReady();
        const f = jit((y: JArray) => jnp.fft.fft(y));
        return { fn: () => f(x).blockUntilReady(), cleanup: disposeJ, teardown: () => x.dispose() };
      },
    },
    {
      id: "fft/jaxts-rfft",
      group: GROUP,
      name: "jaxts jit(jnp.fft.rfft) f32",
      lib: "jaxts",
      what: "jaxts: jit(jnp.fft.rfft)(x), x float32 [2^20] uniform; blockUntilReady()",
      vs: { ref: NUMPY_RFFT, formula: "this/ref" },
      target: { on: "ratio", op: "<=", value: 1 },
      work: { flops: FLOPS / 2 },
      async prepare(): Promise<Prepared> {
        const x = jnp.asarray(uniform(N, 3)).blockUntilReady();
        const f = jit((y: JArray) => jnp.fft.rfft(y));
        return { fn: () => f(x).blockUntilReady(), cleanup: disposeJ, teardown: () => x.dispose() };
      },
    },
  ];
}
