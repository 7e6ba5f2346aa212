/**
 * The worker watchdog (`config.workerTimeoutMs`, 0: off). A calling thread that waits on a task
 * times how long that task has been the current one (from the first wait that saw it so); past
 * the limit, the workers still holding chunks of it are declared hung and replaced
 * (`Pool.stopHung`), which fails the task — and with it only the arrays depending on it.
 */
import { config } from "../../../core/config.js";

/** What the watchdog needs of the pool. */
export interface HungWorkerStopper {
  stopHung(seq: number, why: string): void;
}

export class Watchdog {
  private seq = -1;
  private since = 0;

  /** `now`: the clock (milliseconds), replaceable in tests. */
  constructor(private readonly now: () => number = Date.now) {}

  /** A waiting thread saw task `seq` still current (DONE = seq). */
  check(seq: number, pool: HungWorkerStopper | undefined): void {
    const limit = config.values.workerTimeoutMs;
    if (limit <= 0 || !pool) return;
    const now = this.now();
    if (seq !== this.seq) {
      this.seq = seq;
      this.since = now;
      return;
    }
    if (now - this.since < limit) return;
    this.since = now; // a replaced worker's successor gets a full period
    pool.stopHung(seq, `hung (did not finish within workerTimeoutMs = ${limit} ms)`);
  }
}
