/** The vocabulary of the bench: rows, comparisons, targets, and what rows can ask for. */
import type { Budget, NotAvailable, Prepared } from "./harness.js";
import type { JaxJsPeer } from "./peers/jaxjs.js";
import type { TfjsPeer } from "./peers/tfjs.js";

export type Lib = "jaxts" | "baseline" | "jax-js" | "tfjs";

export interface Target {
  /** ratio: compares the ratio column; time: compares the median seconds per call. */
  readonly on: "ratio" | "time";
  readonly op: "<=" | ">=";
  readonly value: number;
}

export interface Comparison {
  /** Id of the row compared against, or a fixed published time (seconds per call). */
  readonly ref: string | { readonly seconds: number; readonly label: string };
  /** this/ref: this row's median over the reference's; ref/this: the other way round. */
  readonly formula: "this/ref" | "ref/this";
}

export interface Row {
  readonly id: string;
  readonly group: string;
  readonly name: string;
  /** What one timed call does (printed as a footnote). */
  readonly what: string;
  readonly lib: Lib;
  readonly vs?: Comparison;
  readonly target?: Target;
  /** Work per call, for the rate column: bytes moved (GB/s) or floating-point ops (GFLOP/s). */
  readonly work?: { readonly bytes?: number; readonly flops?: number };
  prepare(ctx: Context): Promise<Prepared>;
}

export interface DeviceInfo {
  readonly name: string;
  /** Worker threads the device reports (undefined: the device has no thread setting). */
  readonly threads: number | undefined;
  /** Set the device's threads (through config) and wait until they run; undefined if none. */
  readonly setThreads: ((n: number) => Promise<number>) | undefined;
}

export interface Context {
  readonly budget: Budget;
  readonly device: DeviceInfo;
  readonly peerThreads: number;
  tfjs(): Promise<TfjsPeer | NotAvailable>;
  jaxjs(): Promise<JaxJsPeer | NotAvailable>;
}

export function isNA(x: unknown): x is NotAvailable {
  return typeof x === "object" && x !== null && "na" in x;
}

/** Deterministic uniform values in [lo, hi) (an LCG), so every library gets the same data. */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/**
 * A bandwidth-bound row: `dst.set(src)` of `bytes / 2` bytes into a preallocated Uint8Array
 * (`bytes` of traffic, read + write). With `vs`, the row is compared with the jaxts row `ref`
 * (its time over this one's) against the target `≤ limit`.
 */
export function copyRow(
  id: string,
  group: string,
  bytes: number,
  vs?: { readonly ref: string; readonly limit: number },
): Row {
  const n = Math.round(bytes / 2);
  return {
    id,
    group,
    name: `copy ${(n / 1e6).toFixed(1)} MB (TypedArray.set)`,
    lib: "baseline",
    what: `bandwidth bound: dst.set(src) of ${n} bytes into a preallocated Uint8Array (read + write = the kernel's traffic)`,
    ...(vs
      ? {
          vs: { ref: vs.ref, formula: "ref/this" as const },
          target: { on: "ratio" as const, op: "<=" as const, value: vs.limit },
        }
      : {}),
    work: { bytes },
    async prepare(): Promise<Prepared> {
      const src = new Uint8Array(n).fill(7);
      const dst = new Uint8Array(n);
      return { fn: () => dst.set(src) };
    },
  };
}
