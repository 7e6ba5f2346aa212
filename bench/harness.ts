/**
 * The measuring loop: warmup, then repetitions until both a minimum count and a minimum total
 * time are reached (capped per row), reporting the median, min and max seconds per call.
 */

/** What a row's setup hands back: the call to time, or why the row cannot run here. */
export type Prepared = Timed | NotAvailable;

export interface NotAvailable {
  readonly na: string;
}

export interface Timed {
  /**
   * One call. It must return only once its result is ready (or return a promise that settles
   * then). What it returns is passed to `cleanup` after the clock has stopped.
   */
  readonly fn: () => unknown;
  /** Release what `fn` returned (not timed when each sample is one call). */
  readonly cleanup?: (result: unknown) => void;
  /** Warmup calls before timing (default 2; then more until `Budget.warmupTime`). */
  readonly warmup?: number;
  /** Called once after the row is measured (release inputs, restore settings). */
  readonly teardown?: () => void | Promise<void>;
}

export interface Budget {
  /** Minimum timed repetitions (samples). */
  readonly minReps: number;
  /** Keep sampling until this many seconds have been spent timing (after minReps). */
  readonly minTime: number;
  /** Stop sampling once this many seconds have been spent, if minReps is reached... */
  readonly maxTime: number;
  /** ...but never take fewer than this many samples. */
  readonly floorReps: number;
  /** Upper bound on samples. */
  readonly maxReps: number;
  /** A sample times a batch of calls when one call is shorter than this (seconds). */
  readonly minSample: number;
  /**
   * Warm up for at least this long (after the row's warmup calls, at most 50 calls): V8 runs
   * new wasm code in its baseline tier (Liftoff) until the optimizing tier has compiled it.
   */
  readonly warmupTime: number;
}

export const defaultBudget: Budget = {
  minReps: 10,
  minTime: 1,
  maxTime: 20,
  floorReps: 3,
  maxReps: 500,
  minSample: 0.002,
  warmupTime: 0.3,
};

export interface Stats {
  /** Seconds per call, one entry per sample. */
  readonly samples: number[];
  /** Calls per sample (> 1 only for calls shorter than `minSample`). */
  readonly inner: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Seconds spent in timed samples. */
  readonly total: number;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    typeof x === "object" && x !== null && typeof (x as { then?: unknown }).then === "function"
  );
}

/** One call, awaited only when it returns a promise (so synchronous rows pay no microtask). */
async function once(t: Timed): Promise<unknown> {
  const r = t.fn();
  return isThenable(r) ? await r : r;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function measure(t: Timed, budget: Budget = defaultBudget): Promise<Stats> {
  const warm = t.warmup ?? 2;
  let last = 0;
  let warmed = 0;
  for (let i = 0; i < warm || (warm > 0 && warmed < budget.warmupTime && i < 50); i++) {
    const t0 = performance.now();
    const r = await once(t);
    last = (performance.now() - t0) / 1e3;
    warmed += last;
    t.cleanup?.(r);
  }
  if (warm === 0) last = budget.minSample; // no calibration: one call per sample
  const inner = last > 0 && last < budget.minSample ? Math.ceil(budget.minSample / last) : 1;
  const samples: number[] = [];
  let total = 0;
  for (;;) {
    const enough =
      (samples.length >= budget.minReps && total >= budget.minTime) ||
      (samples.length >= budget.floorReps && total >= budget.maxTime) ||
      samples.length >= budget.maxReps;
    if (enough) break;
    let dt: number;
    if (inner === 1) {
      const t0 = performance.now();
      const r0 = t.fn();
      const r = isThenable(r0) ? await r0 : r0;
      dt = (performance.now() - t0) / 1e3;
      t.cleanup?.(r);
    } else {
      const t0 = performance.now();
      for (let i = 0; i < inner; i++) {
        const r0 = t.fn();
        const r = isThenable(r0) ? await r0 : r0;
        t.cleanup?.(r);
      }
      dt = (performance.now() - t0) / 1e3;
    }
    total += dt;
    samples.push(dt / inner);
  }
  return {
    samples,
    inner,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    total,
  };
}
