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

/** One row's measuring state: warmed up and calibrated, then sampled in slices. */
class Sampler {
  readonly samples: number[] = [];
  total = 0;
  inner = 1;
  /** Seconds of one call, from the last warmup call. */
  callSeconds = 0;

  constructor(
    private readonly t: Timed,
    private readonly budget: Budget,
  ) {}

  async warmup(): Promise<void> {
    const { t, budget } = this;
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
    this.inner = last > 0 && last < budget.minSample ? Math.ceil(budget.minSample / last) : 1;
    this.callSeconds = last;
  }

  /** Both the minimum count and the minimum time are reached (or a cap). */
  get enough(): boolean {
    const b = this.budget;
    return (this.samples.length >= b.minReps && this.total >= b.minTime) || this.capped;
  }

  /** No more samples may be taken. */
  get capped(): boolean {
    const b = this.budget;
    const n = this.samples.length;
    return (n >= b.floorReps && this.total >= b.maxTime) || n >= b.maxReps;
  }

  /** One untimed call (after another row ran: caches, sleeping threads). */
  async rewarm(): Promise<void> {
    this.t.cleanup?.(await once(this.t));
  }

  async sample(): Promise<void> {
    const t = this.t;
    let dt: number;
    if (this.inner === 1) {
      const t0 = performance.now();
      const r0 = t.fn();
      const r = isThenable(r0) ? await r0 : r0;
      dt = (performance.now() - t0) / 1e3;
      t.cleanup?.(r);
    } else {
      const t0 = performance.now();
      for (let i = 0; i < this.inner; i++) {
        const r0 = t.fn();
        const r = isThenable(r0) ? await r0 : r0;
        t.cleanup?.(r);
      }
      dt = (performance.now() - t0) / 1e3;
    }
    this.total += dt;
    this.samples.push(dt / this.inner);
  }

  stats(): Stats {
    const s = this.samples;
    return {
      samples: s,
      inner: this.inner,
      median: median(s),
      min: Math.min(...s),
      max: Math.max(...s),
      total: this.total,
    };
  }
}

/** What measuring one row of a group gave: its statistics, or why it failed. */
export type Measured = { readonly stats: Stats } | { readonly error: unknown };

/**
 * Rows measured in alternation, so that the machine's drift while they run (a shared VM's
 * bandwidth changes over seconds to minutes) weighs on all of them alike and their ratios
 * compare like with like. After each row's warmup, rounds follow in which every row that may
 * still sample takes samples for one time slice (the slowest row's call, at least 20 ms; a
 * row with short calls makes one untimed call first, after `beforeSlice`); a
 * row keeps sampling while any row of the group still needs samples, up to its own caps. A
 * row whose call throws drops out with its error; the others go on.
 */
export async function measureInterleaved(
  ts: readonly Timed[],
  budget: Budget = defaultBudget,
  /** Run before each slice, untimed (the bench collects garbage the other rows left). */
  beforeSlice: () => void | Promise<void> = () => {},
): Promise<Measured[]> {
  const samplers = ts.map((t) => new Sampler(t, budget));
  const errors = new Map<number, unknown>();
  const live = (i: number) => !errors.has(i);
  const guarded = async (i: number, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      errors.set(i, e);
    }
  };
  for (const [i, s] of samplers.entries()) await guarded(i, () => s.warmup());
  // One row alone never switches: no hook, no untimed call between its slices.
  const switching = samplers.length > 1;
  const slice = Math.max(0.02, ...samplers.map((s) => s.callSeconds));
  while (samplers.some((s, i) => live(i) && !s.enough)) {
    let sampled = false;
    for (const [i, s] of samplers.entries()) {
      if (!live(i) || s.capped) continue;
      sampled = true;
      const t0 = s.total;
      if (switching) await beforeSlice();
      await guarded(i, async () => {
        // A row whose calls are short next to the slice starts it with an untimed call, so
        // that the switch from the other rows (their data in the caches, this row's worker
        // threads asleep) is not timed; a row with one call per slice times every call.
        if (switching && s.callSeconds * s.inner < slice / 2) await s.rewarm();
        do await s.sample();
        while (s.total - t0 < slice && !s.capped);
      });
    }
    if (!sampled) break;
  }
  return samplers.map((s, i) => (errors.has(i) ? { error: errors.get(i) } : { stats: s.stats() }));
}
