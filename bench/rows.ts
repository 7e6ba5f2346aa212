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
